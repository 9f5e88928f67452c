"""Windows accounts (issue 23, windows_accounts = 1): USER DOMAIN\\name or
name@domain, then AUTH, is a Windows logon (server/serve/winlogon.c), rooted by
accounts.ini's [windows] and [windows-group] sections.

Under Wine only the refusal can be shown: Wine's LogonUserW returns the fake
token 0xdeadbeef for any password, the server's token check refuses it,
and the client gets the wrong-password line (docs/WINE.md). A good logon,
NTFS denial and group mapping are on ADMIN.md's Windows check list."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from configdir import python_hash  # noqa: E402
from harness import winpath  # noqa: E402
from test_accounts import (ACCEPTED, BAD, Store, folder_with, log_in, logged_in,  # noqa: E402
                           mtsclient)

FAKE_TOKEN = "Windows logon: the token is not a real one (GetTokenInformation: error "
INVALID = "!Invalid user name."
ON = ("--windows-accounts", "1")


def windows_store(store, sections):
    """bob in the store, then the Windows sections given as (header, root)."""
    a = folder_with("a.txt", "a file\r\n")
    store.write([("bob", "bpw", a, [])])
    with open(store.path, "a", encoding="utf-8", newline="") as f:
        for header, root in sections:
            f.write("\r\n[%s]\r\nroot = %s\r\n" % (header, winpath(root)))
    return a


def test_a_windows_logon_under_wine_is_refused_as_a_wrong_password():
    """The fake token is refused: the wrong-password line for the client,
    the reason in the log, and the store's accounts served beside it."""
    with Store() as store:
        a = windows_store(store, [("windows WINEHOST\\someone", folder_with("s.txt", "s"))])
        with store.server(args=ON) as srv:
            assert srv.start_lines("1 account(s), 1 Windows section(s)")
            assert not any("does not log" in line for line in srv.banner + srv.log)
            c, said = log_in(srv, "WINEHOST\\someone", "any password")
            assert said == BAD, said
            c.send("FILE s.txt\r\n")
            c.expect("!You are not logged in.")
            c.close()
            srv.wait_log("accounts: WINEHOST\\someone@")
            srv.wait_log(FAKE_TOKEN)
            srv.wait_log('AUTH "WINEHOST\\someone" 0 bad-password')
            logged_in(srv, "bob", "bpw").close()
        assert os.path.exists(os.path.join(a, "a.txt"))


def test_the_name_at_domain_form_is_a_windows_logon_unless_the_store_has_it():
    with Store() as store:
        a = folder_with("a.txt", "a file\r\n")
        store.write([("bob@corp", "bpw", a, [])])
        with open(store.path, "a", encoding="utf-8", newline="") as f:
            f.write("\r\n[windows-group WINEHOST\\Users]\r\nroot = %s\r\n" % winpath(a))
        with store.server(args=ON) as srv:
            c, said = log_in(srv, "someone@winehost.example", "pw")
            assert said == BAD, said
            c.close()
            srv.wait_log("accounts: someone@winehost.example@")
            srv.wait_log(FAKE_TOKEN)
            # A store account's name holding '@' stays the store's.
            c = logged_in(srv, "bob@corp", "bpw")
            c.send("HASH a.txt\r\n")
            assert c.line().startswith("#SHA-256 ")
            c.close()
            assert sum(FAKE_TOKEN in line for line in srv.log) == 1, srv.log[-8:]


def test_a_refused_windows_logon_counts_toward_the_ban():
    """Three refused Windows logons from one address ban it, as three wrong
    passwords do (auth_ban_failures 3); each is its own connection."""
    with Store() as store:
        windows_store(store, [("windows WINEHOST\\someone", folder_with("s.txt", "s"))])
        with store.server(args=ON + ("--auth-free-failures", "1", "--auth-ban-failures",
                                     "3")) as srv:
            for _ in range(3):
                c, said = log_in(srv, "WINEHOST\\someone", "guess")
                assert said in (BAD, "!Too many failures."), said
                c.close()
            srv.wait_log(" banned")
            c = srv.connect()
            assert c.line() == "!Too many failures.", "the address was not banned"
            c.close()


def test_a_windows_logon_waits_its_turn_at_the_auth_gate():
    """The Windows logon takes a turn of auth_concurrency as a PBKDF2 does:
    with the one turn held by a slow password check, a Windows AUTH waits,
    and after the idle timeout is told the server is busy; it never ran
    beside the check."""
    with Store() as store:
        a = folder_with("a.txt", "a")
        # Several seconds of BCrypt under Wine: far past the 1 s idle timeout.
        store.hashes[("slow", "spw")] = python_hash("spw", 2000000)
        store.write([("slow", "spw", a, [])])
        with open(store.path, "a", encoding="utf-8", newline="") as f:
            f.write("\r\n[windows WINEHOST\\someone]\r\nroot = %s\r\n" % winpath(a))
        with store.server(args=ON + ("--auth-concurrency", "1", "--idle-timeout", "1")) as srv:
            first = srv.connect(timeout=60)
            first.send("USER slow\r\nAUTH wrong\r\n")
            first.expect("#Server Ready.")
            first.expect(ACCEPTED)
            time.sleep(0.3)
            second = srv.connect()
            second.send("USER WINEHOST\\someone\r\nAUTH pw\r\n")
            second.expect("#Server Ready.")
            second.expect(ACCEPTED)
            assert second.line() == "!Server busy."
            assert first.line() == BAD
            srv.wait_log("%s:%d AUTH - 0 busy-auth " % second.sock.getsockname())
            assert not any(FAKE_TOKEN in line for line in srv.log), srv.log[-8:]
            first.close()
            second.close()


def test_without_the_setting_a_windows_name_is_no_name():
    """windows_accounts = 0: a backslash is no name, and name@domain only
    the store's; the [windows] sections are still read (and checked)."""
    with Store() as store:
        windows_store(store, [("windows WINEHOST\\someone", folder_with("s.txt", "s"))])
        with store.server() as srv:
            assert srv.start_lines("1 account(s), 1 Windows section(s)")
            c = srv.connect()
            c.expect("#Server Ready.")
            c.send("USER WINEHOST\\someone\r\n")
            c.expect(INVALID)
            c.close()
            # name@domain is a store name the store does not have: no logon.
            c, said = log_in(srv, "someone@winehost.example", "pw")
            assert said == BAD, said
            c.close()
            srv.wait_log('AUTH "someone@winehost.example" 0 bad-password')
            assert not any("Windows logon" in line for line in srv.log), srv.log[-5:]


def test_windows_names_have_their_own_bounds():
    """A store name keeps its 64; a Windows name may have 512 bytes (a
    DNS domain and a 104-character user name fit), and one more, or a
    character Windows refuses, is a clear '!' line."""
    with Store() as store:
        windows_store(store, [])
        with store.server(args=ON) as srv:
            c = srv.connect()
            c.expect("#Server Ready.")
            c.send("USER %s\r\n" % ("n" * 65))
            c.expect(INVALID)
            longest = "d" * 95 + "\\" + "u" * 416
            assert len(longest) == 512
            c.send("USER %s\r\n" % longest)
            c.expect(ACCEPTED)
            c.send("USER %s\r\n" % (longest + "u"))
            c.expect(INVALID)
            c.send("USER %s@%s\r\n" % ("u" * 104, "d" * 256))
            c.expect(INVALID)
            c.send("USER WINEHOST\\so:meone\r\n")
            c.expect(INVALID)
            c.send("USER WINEHOST\\J\u00fcrgen Meier\r\n".encode("utf-8"))
            c.expect(ACCEPTED)
            c.send("AUTH pw\r\n")
            c.expect(BAD)
            c.close()
            srv.wait_log(FAKE_TOKEN)


def test_a_change_to_the_windows_sections_is_read_live():
    """accounts.ini's [windows] sections are read with the accounts, at the
    start and at each change; a bad one keeps what was read before."""
    with Store() as store:
        s = folder_with("s.txt", "s")
        windows_store(store, [("windows WINEHOST\\someone", s)])
        with store.server(args=ON) as srv:
            assert srv.start_lines("1 account(s), 1 Windows section(s)")
            windows_store(store, [("windows WINEHOST\\someone", s),
                                  ("windows-group WINEHOST\\Users", s)])
            srv.wait_log("1 account(s), 2 Windows section(s)")
            windows_store(store, [("windows WINEHOST\\no:one", s)])
            srv.wait_log("the accounts read before stay")
            logged_in(srv, "bob", "bpw").close()


def test_mtsclient_sends_a_windows_name_intact():
    with Store() as store:
        windows_store(store, [("windows WINEHOST\\someone", folder_with("s.txt", "s"))])
        with store.server(args=ON) as srv:
            rc, said, out = mtsclient(srv.port, ["-u", "WINEHOST\\someone", "s.txt"], "pw")
            assert rc == 2 and "bad password" in said, said
            srv.wait_log('USER "WINEHOST\\someone" ')
            srv.wait_log("accounts: WINEHOST\\someone@")
            rc, said, out = mtsclient(srv.port, ["s.txt"], "pw", user_env="someone@winehost")
            assert rc == 2 and "bad password" in said, said
            srv.wait_log('USER "someone@winehost" ')
            # Refused before anything is sent: a character Windows refuses.
            rc, said, out = mtsclient(srv.port, ["-u", "WINEHOST\\so:me", "s.txt"], "pw")
            assert rc == 2 and "-u: a Windows account's user name may not hold" in said, said
