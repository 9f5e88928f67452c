"""PARAMCHANGE takes the settings a running server can take per session
(SETTING_RELOAD in common/setting.h; issue 22): sessions that begin after
the reload serve with the file's new values, while a session opened before
it keeps the values it began with to its end (server/serve/settingsnap.h).
The log names what was taken. See test_service.py's header for how the
service is installed and removed."""
import os
import socket
import time

from configdir import python_hash
from harness import Conn, winpath
from svckit import PASSWORD, mtserver, paramchange, wait_lines, with_service

TAKEN = "mtserver paramchange: changed in the file, taken for new sessions: "


def session(s, user=None, password=PASSWORD, rcvbuf=None):
    """A session logged in: with the shared password, or as an account;
    rcvbuf: the socket's receive buffer, set before it connects."""
    if rcvbuf is None:
        c = Conn(s.port)
    else:
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        raw.settimeout(60)
        raw.connect(("127.0.0.1", s.port))
        c = Conn.__new__(Conn)
        c.sock, c.buf = raw, b""
    c.expect("#Server Ready.")
    if user is not None:
        c.send("USER %s\r\n" % user)
        c.expect("#User accepted; send AUTH <password>.")
    c.send("AUTH %s\r\n" % password)
    c.expect("#You are logged in.")
    return c


def listing(c):
    """The names LIST gives for the root."""
    c.send("LIST\r\n")
    head = c.line()
    assert head.startswith("#Listing "), head
    names = []
    while True:
        line = c.line()
        if line.startswith("#End of listing, "):
            return names
        names.append(line.split(" ", 3)[3])


def served(c, name, body):
    """1 when FILE name sends body, 0 when the file is refused (body must
    not begin with "!")."""
    c.send("FILE %s\r\n" % name)
    first = c.exact(1)
    if first == b"!":
        rest = c.line()
        assert rest == "File %s could not be opened." % name, rest
        return 0
    assert first + c.exact(len(body) - 1) == body
    c.expect("#File %s sent successfully." % name)
    return 1


def downloads(c, s):
    """The session still serves: data.bin, whole."""
    c.send("FILE data.bin\r\n")
    assert c.exact(len(s.data)) == s.data
    c.expect("#File data.bin sent successfully.")


def turned_away(s):
    """1 when a new connection is closed before the greeting."""
    c = Conn(s.port)
    try:
        return c.rest() == b""
    except ConnectionResetError:
        return 1
    finally:
        c.close()


def edit(s, drop=(), add=""):
    """The configuration without the lines that set the keys in drop, and
    with add at its end (CRLF, as install writes it)."""
    lines = s.read().split("\r\n")
    keep = [l for l in lines if l.split("=")[0].strip() not in drop]
    text = "\r\n".join(keep)
    if not text.endswith("\r\n"):
        text += "\r\n"
    with open(s.config, "w", encoding="utf-8", newline="") as f:
        f.write(text + add)


def reload(s, log, count, taken, drop=(), add=""):
    """Edits the configuration (edit), sends PARAMCHANGE and checks the
    count-th line that names what was taken: the keys in taken."""
    edit(s, drop, add)
    rc, out = paramchange()
    assert rc == 0, out
    line = wait_lines(log, TAKEN, count)[count - 1].rstrip()
    assert line.endswith(TAKEN + taken), line


def start(s, *extra):
    s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root), *extra)
    rc, out = mtserver("passwd", "--config", winpath(s.config), stdin=(PASSWORD + "\n").encode())
    assert rc == 0, out
    rc, out = mtserver("start")
    assert rc == 0, out
    return os.path.join(s.dir, "logs", "access.log")


def timed_download(c, s):
    """downloads(c, s) and the seconds it took."""
    began = time.monotonic()
    downloads(c, s)
    return time.monotonic() - began


def test_paramchange_gives_new_sessions_list_hidden_hard_links_rate_and_idle_timeout():
    """list_hidden 0 -> 1, refuse_hard_links 0 -> 1, rate_limit 0 -> 50000
    and idle_timeout 300 -> 2 are taken by a session begun after the
    PARAMCHANGE; one begun before it lists, serves and waits as it began
    to. Timing windows are generous: 300,000 bytes at 50,000 bytes/s take
    about 5 s (the first slice goes at once), unpaced a fraction of one."""
    def body(s):
        with open(os.path.join(s.root, ".dotfile"), "wb") as f:
            f.write(b"hidden")  # Wine marks dot files hidden
        with open(os.path.join(s.root, "one.txt"), "wb") as f:
            f.write(b"linked")
        os.link(os.path.join(s.root, "one.txt"), os.path.join(s.root, "two.txt"))
        log = start(s)
        old = session(s)
        assert ".dotfile" not in listing(old)
        reload(s, log, 1, "idle_timeout, refuse_hard_links, list_hidden, rate_limit",
               add="list_hidden = 1\r\nrefuse_hard_links = 1\r\nidle_timeout = 2\r\n"
                   "rate_limit = 50000\r\n")
        assert not any("taken at the next start" in l for l in wait_lines(log, "paramchange:", 1))
        new = session(s)
        assert ".dotfile" in listing(new)
        assert served(new, "two.txt", b"linked") == 0
        assert timed_download(new, s) >= 4.0
        began = time.time()
        assert new.line() == "!Idle timeout."  # 2 s of silence
        assert time.time() - began < 20
        # The session begun before the reload: as it began, and still open
        # although silent for longer than the new idle timeout.
        assert ".dotfile" not in listing(old)
        assert served(old, "two.txt", b"linked") == 1
        assert timed_download(old, s) < 4.0
        old.send("QUIT\r\n")
        old.close()
        new.close()
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def test_paramchange_takes_allow_and_deny_for_new_connections():
    """deny and allow, read again, decide on the connections accepted after
    the PARAMCHANGE (closed before the greeting, as at start); a session
    already open goes on; a list taken out of the file is gone again."""
    def body(s):
        log = start(s)
        old = session(s)
        reload(s, log, 1, "deny", add="deny = 127.0.0.0/8\r\n")
        assert turned_away(s)
        downloads(old, s)
        reload(s, log, 2, "allow, deny", drop=("deny",), add="allow = 10.0.0.0/8, ::1\r\n")
        assert turned_away(s)  # 127.0.0.1 is not in allow
        reload(s, log, 3, "allow", drop=("allow",))
        s.download()  # no list: everyone again
        old.close()
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def test_paramchange_takes_max_sessions_per_account_for_sessions_begun_after():
    """max_sessions_per_account read again bounds the logins of sessions
    begun after the PARAMCHANGE; sessions already logged in stay, and one
    connected before it logs in under the limit it began with (none)."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        with open(os.path.join(s.dir, "accounts.ini"), "w", encoding="utf-8", newline="") as f:
            f.write("[account alice]\r\npassword_hash = %s\r\nroot = %s\r\n"
                    % (python_hash("alice pw"), winpath(s.root)))
        rc, out = mtserver("start")
        assert rc == 0, out
        log = os.path.join(s.dir, "logs", "access.log")
        first = [session(s, "alice", "alice pw") for _ in range(2)]
        early = Conn(s.port)
        early.expect("#Server Ready.")
        reload(s, log, 1, "max_sessions_per_account", add="max_sessions_per_account = 2\r\n")
        c = Conn(s.port)
        c.expect("#Server Ready.")
        c.send("USER alice\r\nAUTH alice pw\r\n")
        c.expect("#User accepted; send AUTH <password>.")
        c.expect("!Too many sessions for this account.")
        c.close()
        early.send("USER alice\r\nAUTH alice pw\r\n")
        early.expect("#User accepted; send AUTH <password>.")
        early.expect("#You are logged in.")
        first.append(early)
        for old in first:
            downloads(old, s)
            old.close()
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def stalled_get(s, name):
    """A session logged in that asks for name with GET and reads no more
    (a small receive buffer, so the server's sends stall soon)."""
    c = session(s, rcvbuf=4096)
    c.send("GET %s\r\n" % name)
    return c


def test_paramchange_takes_send_timeout_for_new_sessions():
    """send_timeout 60 -> 2: a download begun after the PARAMCHANGE whose
    reader stops reading is cut off after about 2 s; one begun before it,
    stalled as long, goes on when its reader reads again."""
    size = 32 << 20

    def body(s):
        with open(os.path.join(s.root, "big.bin"), "wb") as f:
            f.truncate(size)  # zeros, no disk
        log = start(s)
        old = session(s)
        reload(s, log, 1, "send_timeout", add="send_timeout = 2\r\n")
        new = stalled_get(s, "big.bin")
        ended = wait_lines(log, 'GET "big.bin"', 1)[0]
        assert " aborted " in ended, ended
        new.close()
        # The session begun before: stalled for longer than 2 s, not cut off.
        old.send("GET big.bin\r\n")
        old.expect("#Sending %d bytes." % size)
        time.sleep(6)
        old.skip(size)
        old.expect("#File big.bin sent successfully.")
        old.close()
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def test_paramchange_without_a_tls_port_warns_only_of_a_certificate_asked_for():
    """A service without a TLS port: a PARAMCHANGE whose file names no
    certificate says so as information (a plain-only server reloading its
    settings has nothing to warn of); once the file names one, the reload
    warns that only a restart opens a TLS port, and the settings are taken
    either way."""
    def body(s):
        log = start(s)
        reload(s, log, 1, "list_hidden", add="list_hidden = 1\r\n")
        first = wait_lines(log, "paramchange:", 1)[0].rstrip()
        assert first.endswith(
            "mtserver paramchange: no TLS port is open and the file names no certificate"), first
        reload(s, log, 2, "idle_timeout",
               add="tls_certificate = 0123456789abcdef0123456789abcdef01234567\r\n"
                   "idle_timeout = 100\r\n")
        lines = wait_lines(log, "paramchange:", 4)
        warned = [l for l in lines if "the TLS certificate was not reloaded" in l]
        assert len(warned) == 1, lines
        assert "no TLS port is open (no tls_certificate when the server started): " \
               "restart it to turn TLS on" in warned[0], warned
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)
