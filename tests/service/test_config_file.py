"""The configuration file and `mtserver passwd`, seen from console mode.

Console mode reads the same INI file as the service when given --config,
so these tests exercise the parser's errors, the command line's precedence,
the stored password hash and log rotation without installing anything.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time

from configdir import ConfigFolder as Folder, login, mtserver
from harness import RUN, Conn, Server, exe, read_pipe, winpath

HASH_LINE = re.compile(r"^password_hash = pbkdf2-sha256\$600000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")


def passwd(folder, password):
    return mtserver("passwd", "--config", winpath(folder.config), stdin=password)


def test_passwd_round_trip_and_console_login():
    with Folder() as f:
        f.write("; my settings\r\n[mtserver]\r\nidle_timeout = 60\r\n")
        rc, out, err = passwd(f, b"first one\r\n")
        assert rc == 0, (rc, out, err)
        lines = f.read().split("\r\n")
        assert lines[:3] == ["; my settings", "[mtserver]", "idle_timeout = 60"], lines
        assert HASH_LINE.match(lines[3]), lines
        assert lines[4:] == [""], lines
        first = lines[3]

        # A second passwd replaces the line in place, with a fresh salt.
        rc, out, err = passwd(f, b"second pass\n")
        assert rc == 0, (rc, out, err)
        lines = f.read().split("\r\n")
        assert len(lines) == 5 and HASH_LINE.match(lines[3]) and lines[3] != first, lines
        assert "second pass" not in f.read()

        srv = Server(args=["--config", winpath(f.config)], password=None)
        try:
            assert not any(line.startswith("Password:") for line in srv.banner), srv.banner
            c, reply = login(srv, "second pass")
            assert reply == "#You are logged in.", reply
            c.close()
            c, reply = login(srv, "first one")
            assert reply == "!Bad password.", reply
            c.close()
        finally:
            srv.stop()


def test_mts_password_still_wins_in_console_mode():
    with Folder() as f:
        f.write("")
        assert passwd(f, b"from the file\n")[0] == 0
        srv = Server(args=["--config", winpath(f.config)], password="from the env")
        try:
            c, reply = login(srv, "from the env")
            assert reply == "#You are logged in.", reply
        finally:
            srv.stop()


def test_file_fills_in_what_the_command_line_leaves_out():
    with Folder() as f:
        # The harness gives --port, --bind and --root; max_clients comes from the file.
        f.write("port = 1\r\nmax_clients = 1\r\nroot = C:\\nowhere\r\n")
        srv = Server(args=["--config", winpath(f.config)])
        try:
            first = srv.connect().login()
            second = Conn(srv.port)
            assert second.line() == "!Server busy."
            first.close()
        finally:
            srv.stop()


def test_wrong_hash_format_is_refused_clearly():
    with Folder() as f:
        f.write("password_hash = hunter2\r\n")
        rc, out, err = mtserver("console", "--port", "0", "--config", winpath(f.config))
        assert rc == 1, (out, err)
        assert "password_hash has 1 field(s), not 4: expected pbkdf2-sha256$ITERATIONS$SALT$HASH" \
            in err, err
        assert "hunter2" not in err
        f.write("password_hash = pbkdf2-sha256$1000$c2FsdHNhbHQ$"
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\r\n")
        rc, out, err = mtserver("console", "--port", "0", "--config", winpath(f.config))
        assert rc == 1 and "iteration count must be a number from 100000" in err, (out, err)


def test_config_errors_name_the_file_and_line():
    with Folder() as f:
        f.write("[mtserver]\nport = 1\nprot = 2\n")
        rc, out, err = mtserver("console", "--config", winpath(f.config), env_password="x")
        assert rc == 1, (out, err)
        assert "mtserver: %s line 3: unknown key 'prot'" % winpath(f.config) in err, err
        rc, out, err = mtserver("console", "--config", winpath(f.config) + ".missing",
                                env_password="x")
        assert rc == 1 and "cannot read %s.missing" % winpath(f.config) in err, err


def test_passwd_refuses_a_broken_file_and_leaves_it_alone():
    with Folder() as f:
        f.write("port = x\r\n")
        rc, out, err = passwd(f, b"pw\n")
        assert rc == 1, (out, err)
        assert "%s line 1: key 'port' wants a whole number" % winpath(f.config) in err, err
        assert f.read() == "port = x\r\n"


def test_passwd_on_a_file_it_may_not_read_says_to_elevate():
    """The folder `mtserver install` makes is closed to non-administrators:
    passwd then exits 5 with the hint. Tests run as root, whom Unix
    permissions do not stop, so a folder in the file's place stands in for
    it: Windows (and Wine) deny reading a folder as a file the same way."""
    with Folder() as f:
        os.mkdir(f.config)
        rc, out, err = passwd(f, b"pw\n")
        assert rc == 5, (rc, out, err)
        assert "cannot read %s" % winpath(f.config) in err and "elevated prompt" in err, err


def test_passwd_refuses_an_empty_password():
    with Folder() as f:
        f.write("port = 1\n")
        rc, out, err = passwd(f, b"\n")
        assert rc == 2 and "is empty" in err, (out, err)
        assert f.read() == "port = 1\n"


def test_passwd_refuses_a_password_auth_could_never_match():
    # AUTH trims blanks around the password and refuses control characters:
    # storing such a password would lock everyone out (issue 13 item 3).
    with Folder() as f:
        f.write("port = 1\n")
        for typed, why in ((b" leading\n", "blank"), (b"trailing \n", "blank"),
                           (b"tab\there\n", "control character"), (b"bell\x07\n", "control")):
            rc, out, err = passwd(f, typed)
            assert rc == 2 and why in err and "nothing was changed" in err, (typed, out, err)
            assert f.read() == "port = 1\n"
        rc, out, err = passwd(f, b"inner blanks are fine\n")
        assert rc == 0, (rc, out, err)


def test_passwd_creates_a_missing_file():
    with Folder() as f:
        rc, out, err = passwd(f, b"new\n")
        assert rc == 0, (rc, out, err)
        assert HASH_LINE.match(f.read().rstrip("\n")), f.read()


def test_access_log_rotates_at_log_max_bytes():
    with Folder() as f:
        log = os.path.join(f.dir, "access.log")
        f.write("log_file = %s\nlog_max_bytes = 4096\nlog_keep = 2\n" % winpath(log))
        srv = Server(args=["--config", winpath(f.config)])
        try:
            c = srv.connect().login()
            for i in range(200):
                c.send("FILE missing-%03d.txt\r\n" % i)
                assert c.line().startswith("!File missing-%03d.txt" % i)
            c.send("QUIT\r\n")
            c.rest()
            srv.wait_log("missing-199")
        finally:
            srv.stop()
        with open(log, encoding="utf-8") as fh:
            current = fh.read()
        with open(log + ".1", encoding="utf-8") as fh:
            previous = fh.read()
        with open(log + ".2", encoding="utf-8") as fh:
            oldest = fh.read()
        for name in (log, log + ".1", log + ".2"):
            assert os.path.getsize(name) <= 4096, name
        assert "missing-199" in current and "missing-199" not in previous
        # log_keep = 2: two old files are kept (.2 the older), none beyond,
        # and nothing is lost from the newest three.
        assert not os.path.exists(log + ".3")
        numbers = [int(n) for n in re.findall(r"missing-(\d{3})", oldest + previous + current)]
        assert numbers == list(range(numbers[0], 200)), numbers
        assert numbers[0] > 0  # the oldest lines were rotated away


def test_plain_mtserver_from_a_console_runs_console_mode():
    """No command: StartServiceCtrlDispatcher fails with 1063 when no SCM
    started the process, and mtserver goes on in console mode. (With pipes
    for stdin and stdout, as here, mtserver does ask the dispatcher, which
    under Wine takes 10 s to give up; from a console it does not ask.)"""
    root = tempfile.mkdtemp(prefix="mts-plain-")
    env = dict(os.environ, MTS_PASSWORD="plain pw")
    proc = subprocess.Popen(RUN + [exe("mtserver.exe"), "--port", "0", "--bind", "127.0.0.1",
                                   "--root", winpath(root)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        # A deadline on the read itself: a server alive and silent (the
        # dispatcher never giving up, say) fails the test instead of hanging it.
        try:
            first = read_pipe(proc.stdout, time.time() + 60).decode("utf-8", "replace")
        except TimeoutError as e:
            first = str(e)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+), serving ", first)
        assert m, (first, proc.stderr.read() if proc.poll() is not None else b"")
        c = Conn(int(m.group(1)))
        c.expect("#Server Ready.")
        c.send("AUTH plain pw\r\n")
        c.expect("#You are logged in.")
        c.close()
        proc.stdin.write(b"\x1b")
        proc.stdin.flush()
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, True)


def test_passwd_on_a_read_only_file_says_so_not_to_elevate():
    """A read-only file is refused with exit 5 (ADMIN.md's table: the file
    cannot be written) and a hint about the attribute, not about rights."""
    with Folder() as f:
        f.write("port = 1\r\n")
        os.chmod(f.config, 0o444)
        try:
            rc, out, err = passwd(f, b"pw\n")
        finally:
            os.chmod(f.config, 0o644)
        assert rc == 5, (rc, out, err)
        assert "read-only" in err and "elevated" not in err, err
        assert f.read() == "port = 1\r\n"


def test_passwd_in_a_folder_that_does_not_exist_exits_5_saying_so():
    with Folder() as f:
        path = os.path.join(f.dir, "no such folder", "x.ini")
        rc, out, err = mtserver("passwd", "--config", winpath(path), stdin=b"pw\n")
        assert rc == 5, (rc, out, err)
        assert "folder does not exist" in err and "elevated" not in err, err


def test_console_names_the_file_in_a_password_hash_error():
    with Folder() as f:
        f.write("[mtserver]\r\npassword_hash = hunter2\r\n")
        rc, out, err = mtserver("console", "--port", "0", "--config", winpath(f.config))
        assert rc == 1, (out, err)
        assert "mtserver: %s: password_hash has 1 field(s), not 4" % winpath(f.config) in err, err


def test_a_host_name_as_bind_is_refused_naming_the_file_and_line():
    with Folder() as f:
        f.write("[mtserver]\r\nport = 0\r\nbind = localhost\r\n")
        rc, out, err = mtserver("console", "--config", winpath(f.config), env_password="x")
        assert rc == 1, (out, err)
        assert ("mtserver: %s line 3: bind = localhost is not a numeric IPv4 or IPv6 address"
                % winpath(f.config)) in err, err
        assert "host names are not resolved" in err, err
        # The command line's --bind says the same of itself.
        rc, out, err = mtserver("console", "--port", "0", "--bind", "localhost",
                                env_password="x")
        assert rc == 1 and "bind localhost is not a numeric" in err, (out, err)
