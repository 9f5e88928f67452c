"""`mtserver user`: the account store, accounts.ini beside the configuration
file, edited by the real mtserver.exe (issue 23). Each command, and each of
its refusals: a refusal says why, exits with its code from ADMIN.md's table
and leaves the store byte for byte as it was."""
import base64
import concurrent.futures
import hashlib
import os
import re

from configdir import ConfigFolder, mtserver, python_hash
from harness import RUN, winpath

HASH = re.compile(r"^pbkdf2-sha256\$600000\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$")


class Folder(ConfigFolder):
    """A configuration folder with a root folder in it and the store beside
    the configuration file."""

    def __init__(self):
        super().__init__(prefix="mts-users-")
        self.store = os.path.join(self.dir, "accounts.ini")
        self.root = os.path.join(self.dir, "alice files")
        os.mkdir(self.root)
        self.write("[mtserver]\r\n")

    def user(self, *args, stdin=b""):
        return mtserver("user", *args, "--config", winpath(self.config), stdin=stdin)

    def write_store(self, text):
        self.write(text, self.store)

    def read_store(self):
        return self.read(self.store)


def unpad(b64):
    return base64.b64decode(b64 + "=" * (-len(b64) % 4))


def hash_matches(line, password):
    """Whether a password_hash value is the PBKDF2 of password, checked by
    hashlib (a second implementation)."""
    m = HASH.match(line)
    assert m, line
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), unpad(m.group(1)), 600000)
    return key == unpad(m.group(2))


def section(text, name):
    """The key = value lines of [account name] in text, as a dict."""
    lines = text.split("\r\n")
    start = lines.index("[account %s]" % name)
    keys = {}
    for line in lines[start + 1:]:
        if line.startswith("["):
            break
        if "=" in line and not line.startswith(";"):
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


def test_user_add_writes_a_hashed_account_and_list_shows_it():
    with Folder() as f:
        rc, out, err = f.user("add", "alice", "--root", winpath(f.root), stdin=b"first pw\r\n")
        assert rc == 0, (rc, out, err)
        assert "account alice added to %s" % winpath(f.store) in out, out
        text = f.read_store()
        assert "first pw" not in text
        assert text.startswith("; mtserver's accounts"), text
        keys = section(text, "alice")
        assert hash_matches(keys["password_hash"], "first pw"), keys
        assert keys["root"] == winpath(f.root), keys
        assert (keys["enabled"], keys["max_sessions"], keys["rate_limit"]) == ("yes", "0", "0")
        assert f.read() == "[mtserver]\r\n"  # the configuration is not touched
        rc, out, err = f.user("list")
        assert rc == 0, (rc, out, err)
        assert out.splitlines() == ['alice "%s" enabled max_sessions=0 rate_limit=0'
                                    % winpath(f.root)], out
        assert "pbkdf2" not in out + err


def test_user_add_keeps_every_other_byte_and_takes_a_hash():
    digest = python_hash("bob's")
    carol = python_hash("carol's")
    with Folder() as f:
        before = ("; our accounts\r\n"
                  "\r\n"
                  "[account bob]\r\n"
                  "root = \"%s\"\r\n"
                  "password_hash = %s\r\n"
                  "max_sessions = 2\r\n"
                  "# end" % (winpath(f.root), digest))
        f.write_store(before)
        rc, out, err = f.user("add", "Carol", "--hash", carol, "--root", winpath(f.root))
        assert rc == 0, (rc, out, err)
        assert f.read_store() == before + (
            "\r\n\r\n[account Carol]\r\n"
            "password_hash = %s\r\n"
            "root = %s\r\n"
            "enabled = yes\r\n"
            "max_sessions = 0\r\n"
            "rate_limit = 0\r\n" % (carol, winpath(f.root))), f.read_store()
        rc, out, err = f.user("list")
        assert out.splitlines() == [
            'bob "%s" enabled max_sessions=2 rate_limit=0' % winpath(f.root),
            'Carol "%s" enabled max_sessions=0 rate_limit=0' % winpath(f.root)], out


def test_user_add_refusals_leave_the_store_alone():
    with Folder() as f:
        assert f.user("add", "alice", "--root", winpath(f.root), stdin=b"pw\n")[0] == 0
        before = f.read_store()
        not_a_folder = os.path.join(f.dir, "plain.txt")
        open(not_a_folder, "w").close()
        cases = [
            (("add", "ALICE", "--root", winpath(f.root)), b"pw\n", 4,
             "an account named 'alice' exists already (%s line 4)" % winpath(f.store)),
            (("add", "bob", "--root", winpath(os.path.join(f.dir, "nowhere"))), b"pw\n", 2,
             "does not exist; nothing was changed"),
            (("add", "bob", "--root", winpath(not_a_folder)), b"pw\n", 2,
             "is not a folder; nothing was changed"),
            (("add", "bob", "--root", winpath(f.root)), b"\n", 2, "is empty"),
            (("add", "bob", "--root", winpath(f.root)), b" blank\n", 2, "blank"),
            (("add", "bob", "--root", winpath(f.root), "--hash", "hunter2"), b"", 2, "--hash"),
            (("add", "bo b", "--root", winpath(f.root)), b"pw\n", 2,
             "an account name is letters, digits"),
            (("add", "x" * 65, "--root", winpath(f.root)), b"pw\n", 2, "at most 64 characters"),
            (("add", "bob"), b"pw\n", 2, "user add needs --root DIR"),
        ]
        for args, stdin, code, why in cases:
            rc, out, err = f.user(*args, stdin=stdin)
            assert rc == code and why in err, (args, rc, out, err)
            assert "hunter2" not in err
            assert f.read_store() == before, args


def test_user_remove():
    with Folder() as f:
        f.write_store("; top\r\n[account a]\r\nroot = C:\\a\r\npassword_hash = %s\r\n; about b\r\n"
                      "[account b]\r\nroot = C:\\b\r\npassword_hash = %s\r\n"
                      % (python_hash("a"), python_hash("b")))
        kept = f.read_store().split("; about b\r\n")[1]
        rc, out, err = f.user("remove", "A")
        assert rc == 0 and "account a removed in %s" % winpath(f.store) in out, (rc, out, err)
        assert f.read_store() == "; top\r\n; about b\r\n" + kept, f.read_store()
        rc, out, err = f.user("remove", "a")
        assert rc == 3 and "there is no account named 'a'" in err, (rc, out, err)
        assert f.read_store() == "; top\r\n; about b\r\n" + kept


def test_user_passwd_changes_only_the_hash():
    with Folder() as f:
        assert f.user("add", "alice", "--root", winpath(f.root), stdin=b"old one\n")[0] == 0
        before = f.read_store()
        rc, out, err = f.user("passwd", "Alice", stdin=b"new one\n")
        assert rc == 0 and "account alice has a new password" in out, (rc, out, err)
        after = f.read_store()
        old_hash, new_hash = section(before, "alice")["password_hash"], \
            section(after, "alice")["password_hash"]
        assert after == before.replace(old_hash, new_hash)
        assert hash_matches(new_hash, "new one") and not hash_matches(new_hash, "old one")
        digest = python_hash("given")
        assert f.user("passwd", "alice", "--hash", digest)[0] == 0
        assert section(f.read_store(), "alice")["password_hash"] == digest
        # Refusals: no such account (asked before any password is read), a
        # password AUTH could never match, a hash the service would refuse.
        before = f.read_store()
        for args, stdin, code, why in [(("passwd", "bob"), b"pw\n", 3, "no account named 'bob'"),
                                       (("passwd", "alice"), b"tab\there\n", 2, "control"),
                                       (("passwd", "alice", "--hash", "x$y"), b"", 2, "--hash")]:
            rc, out, err = f.user(*args, stdin=stdin)
            assert rc == code and why in err, (args, rc, out, err)
            assert f.read_store() == before


def test_user_keeps_one_iteration_count_a_store():
    """A store whose hashes mix PBKDF2 iteration counts lets the time of an
    answer tell an unknown name from a known one (the dummy check has one
    count): `user add`/`passwd` refuse a --hash with another count than the
    store's other accounts (exit 2, nothing changed) and hash a typed
    password with the store's count. Before, the --hash was taken."""
    with Folder() as f:
        f.write_store("[account bob]\r\nroot = C:\\b\r\npassword_hash = %s\r\n"
                      % python_hash("bob's"))
        before = f.read_store()
        other = python_hash("carol's", 200000)
        rc, out, err = f.user("add", "carol", "--root", winpath(f.root), "--hash", other)
        assert rc == 2, (rc, out, err)
        assert "--hash has 200000 PBKDF2 iterations" in err and "have 100000" in err, err
        assert f.read_store() == before
        rc, out, err = f.user("add", "dave", "--root", winpath(f.root), stdin=b"dave's\n")
        assert rc == 0, (rc, out, err)
        digest = section(f.read_store(), "dave")["password_hash"]
        assert digest.startswith("pbkdf2-sha256$100000$"), digest
        salt, key = digest.split("$")[2:]
        assert hashlib.pbkdf2_hmac("sha256", b"dave's", unpad(salt), 100000) == unpad(key)
        before = f.read_store()
        rc, out, err = f.user("passwd", "bob", "--hash", other)
        assert rc == 2 and "have 100000" in err, (rc, out, err)
        assert f.read_store() == before
        # The same count is taken; an account alone in its store takes any.
        assert f.user("passwd", "bob", "--hash", python_hash("new"))[0] == 0
        assert f.user("remove", "dave")[0] == 0
        assert f.user("passwd", "bob", "--hash", other)[0] == 0


def test_two_user_commands_at_once_keep_both_changes():
    """Each `mtserver user` change reads the store, hashes, and writes it
    back: two at once would each write the store without the other's
    account. A lock file beside the store (opened without sharing) puts
    them one after the other. Ten rounds of two adds started together:
    both accounts are there after each (before the lock, rounds lost one)."""
    with Folder() as f:
        def add(name):
            return f.user("add", name, "--root", winpath(f.root), stdin=b"pw of " +
                          name.encode() + b"\n")
        for n in range(10):
            names = ["a%d" % n, "b%d" % n]
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                results = list(pool.map(add, names))
            for rc, out, err in results:
                assert rc == 0, (n, rc, out, err)
            text = f.read_store()
            lost = [name for name in names if "[account %s]" % name not in text]
            assert not lost, "round %d lost %s" % (n, lost)
        assert not os.path.exists(f.store + ".lock")


def test_a_change_that_cannot_take_the_lock_says_so():
    """A lock held longer than a change takes (another process holding
    accounts.ini.lock, as a hung `mtserver user` would) ends the wait
    after 10 s with exit 6 and the reason, nothing changed; `user list`
    changes nothing and takes no lock."""
    import subprocess
    import time
    from harness import exe, read_pipe
    with Folder() as f:
        assert f.user("add", "alice", "--root", winpath(f.root), stdin=b"pw\n")[0] == 0
        before = f.read_store()
        open(f.store + ".lock", "w").close()
        holder = subprocess.Popen(RUN + [exe("holdfile.exe"), "share-none",
                                         winpath(f.store + ".lock")],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        try:
            assert read_pipe(holder.stdout, time.time() + 60).strip() == b"held"
            assert f.user("list")[0] == 0
            began = time.time()
            rc, out, err = f.user("disable", "alice")
            took = time.time() - began
            assert rc == 6, (rc, out, err)
            assert "another 'mtserver user' has been changing" in err, err
            assert "nothing was changed" in err, err
            assert 9 < took < 30, took
            assert f.read_store() == before
        finally:
            holder.stdin.close()
            holder.wait(30)
        assert f.user("disable", "alice")[0] == 0


def test_user_disable_and_enable():
    with Folder() as f:
        assert f.user("add", "alice", "--root", winpath(f.root), stdin=b"pw\n")[0] == 0
        before = f.read_store()
        rc, out, err = f.user("disable", "alice")
        assert rc == 0 and "account alice disabled" in out, (rc, out, err)
        assert f.read_store() == before.replace("enabled = yes", "enabled = no")
        assert " disabled max_sessions=0" in f.user("list")[1]
        rc, out, err = f.user("disable", "ALICE")
        assert rc == 0 and "disabled already; nothing was changed" in out, (rc, out, err)
        rc, out, err = f.user("enable", "alice")
        assert rc == 0 and "account alice enabled" in out, (rc, out, err)
        assert f.read_store() == before
        for action in ("disable", "enable"):
            rc, out, err = f.user(action, "bob")
            assert rc == 3 and "there is no account named 'bob'" in err, (action, rc, err)
        assert f.read_store() == before


def test_user_list_of_no_store_and_nothing_secret():
    with Folder() as f:
        rc, out, err = f.user("list")
        assert rc == 0 and out == "" and "no accounts in" in err and "does not exist yet" in err, \
            (rc, out, err)
        assert not os.path.exists(f.store)
        f.write_store("[account e]\r\nroot = C:\\e\x1b[31m\r\npassword_hash = %s\r\n"
                      "rate_limit = 1048576\r\n" % python_hash("e"))
        rc, out, err = f.user("list")
        assert rc == 0, (rc, out, err)
        # A control character in the root is shown escaped, never sent to the terminal.
        assert out.splitlines() == ['e "C:\\e\\x1b[31m" enabled max_sessions=0 rate_limit=1048576'], \
            out


def test_a_store_that_does_not_parse_is_refused_by_every_command():
    with Folder() as f:
        broken = "[account a]\r\nroot = C:\\a\r\npassword_hash = %s\r\n[account A]\r\n" \
                 "root = C:\\b\r\npassword_hash = %s\r\n" % (python_hash("a"), python_hash("b"))
        f.write_store(broken)
        for args in (("list",), ("add", "b", "--root", winpath(f.root)), ("remove", "a"),
                     ("passwd", "a"), ("disable", "a"), ("enable", "a")):
            rc, out, err = f.user(*args, stdin=b"pw\n")
            assert rc == 1, (args, rc, out, err)
            assert "%s line 4: account 'A' is given twice (first on line 1 as 'a')" \
                % winpath(f.store) in err, (args, err)
            assert f.read_store() == broken


def test_a_store_that_cannot_be_read_exits_5():
    """As passwd's test: a folder in the file's place cannot be read as a
    file, under Wine as on Windows (tests run as root, whom Unix permissions
    do not stop)."""
    with Folder() as f:
        os.mkdir(f.store)
        for args in (("list",), ("add", "b", "--root", winpath(f.root)), ("remove", "b")):
            rc, out, err = f.user(*args, stdin=b"pw\n")
            assert rc == 5 and "cannot read %s" % winpath(f.store) in err, (args, rc, out, err)


def test_a_store_another_user_owns_is_refused():
    """The store holds hashes, so it gets the configuration's owner rule:
    one another user owns is refused, never adopted. Wine reads a file whose
    Unix owner is not the wineserver's as owned by ANONYMOUS LOGON (WINE.md),
    so handing the store to `nobody` (as root) stands in for a store a user
    planted; every other owner case is Windows' (ADMIN.md's check list)."""
    if os.geteuid() != 0 or RUN[:1] != ["wine"]:
        import unittest
        raise unittest.SkipTest("needs root (chown) and Wine")
    with Folder() as f:
        f.write_store("[account a]\r\nroot = C:\\a\r\npassword_hash = %s\r\n" % python_hash("a"))
        before = f.read_store()
        os.chown(f.store, 65534, -1)  # nobody
        for args in (("list",), ("add", "b", "--root", winpath(f.root)), ("disable", "a")):
            rc, out, err = f.user(*args, stdin=b"pw\n")
            assert rc == 1 and "ANONYMOUS LOGON" in err, (args, rc, out, err)
            assert f.read_store() == before


def test_user_usage_errors():
    with Folder() as f:
        for args, why in ((("user",), "user needs an action"),
                          (("user", "rename", "a"), "unknown user action 'rename'"),
                          (("user", "remove"), "user remove needs an account name"),
                          (("user", "list", "a"), "unexpected argument 'a'"),
                          (("user", "enable", "a", "--root", "C:\\"), "--root goes with user add"),
                          (("user", "disable", "a", "--hash", "h"), "--hash goes with")):
            rc, out, err = mtserver(*args, "--config", winpath(f.config))
            assert rc == 2 and why in err, (args, rc, out, err)
        assert not os.path.exists(f.store)


def test_a_link_named_as_the_lock_is_refused_and_its_target_kept():
    """The lock is opened as itself, never through a link, and deleted on
    close only once it is known to be a file of its own (the audit of issue
    23 saw `user remove` delete a link's target): a link in its place is
    named, exit 5, the target and the store untouched."""
    import tempfile
    with Folder() as f:
        assert f.user("add", "alice", "--root", winpath(f.root), stdin=b"pw\n")[0] == 0
        before = f.read_store()
        elsewhere = tempfile.mkdtemp(prefix="mts-target-")
        target = os.path.join(elsewhere, "precious.txt")
        with open(target, "w") as t:
            t.write("keep me")
        os.symlink(target, f.store + ".lock")
        rc, out, err = f.user("disable", "alice")
        assert rc == 5, (rc, out, err)
        assert "is a link or a folder, not a lock file" in err, err
        with open(target) as t:
            assert t.read() == "keep me"
        assert f.read_store() == before
        os.remove(f.store + ".lock")
        assert f.user("disable", "alice")[0] == 0
        assert not os.path.exists(f.store + ".lock")  # our own lock goes with the change


def test_a_store_whose_folder_is_missing_is_exit_5_at_once():
    """No folder for the store is no right to write there (exit 5, with
    what to do), not a lock another change holds (6); said at once."""
    import time
    with Folder() as f:
        missing = os.path.join(f.dir, "nothere", "mtserver.ini")
        began = time.time()
        rc, out, err = mtserver("user", "add", "bob", "--root", winpath(f.root), "--config",
                                winpath(missing), stdin=b"pw\n")
        assert rc == 5, (rc, out, err)
        assert "its folder does not exist" in err, err
        assert time.time() - began < 5
