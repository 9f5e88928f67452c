"""Starts the real mtserver.exe (under Wine on Linux) and talks to it over
real sockets with Python's socket module: a client nobody here wrote.

    with Server(root) as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
"""
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import wineserver

BUILD = os.environ.get("MTS_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
RUN = os.environ.get("MTS_RUN", "wine").split()
PASSWORD = "s3cret pass"
LISTENING = re.compile(r"listening on .*:(\d+),")
TLS_LISTENING = re.compile(r"listening for TLS on .*:(\d+),")


def exe(name):
    return os.path.join(BUILD, name)


def winpath(path):
    """The Windows name of a Linux path: Wine maps / to Z:."""
    path = os.path.abspath(path)
    if RUN[:1] == ["wine"]:
        return "Z:" + path.replace("/", "\\")
    return subprocess.check_output(["cygpath", "-w", path]).decode().strip()


@contextlib.contextmanager
def wine_drive(folder):
    """A Wine drive letter leading to folder, for as long as the with block
    runs; yields "M:" (or the first letter free). Under Wine a drive is a
    symbolic link in $WINEPREFIX/dosdevices, so a test can reach a volume's
    root ("M:\\") without owning a volume. Each worker has a prefix of its
    own (tests/runner/prefixes.py), so no other test sees the drive."""
    dosdevices = os.path.join(os.environ["WINEPREFIX"], "dosdevices")
    for letter in "mnopqrstuvwxy":
        link = os.path.join(dosdevices, letter + ":")
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(folder), link)
            break
    else:
        raise AssertionError("no free drive letter in " + dosdevices)
    try:
        yield letter.upper() + ":"
    finally:
        os.remove(link)


def free_port():
    """A loopback port nobody listens on at the moment: from this worker's
    own range when the runner gave one (MTS_PORTS, "first-last"), so that
    tests running at once never pick the same port."""
    span = os.environ.get("MTS_PORTS")
    if not span:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    first, last = (int(x) for x in span.split("-"))
    global _next_port
    for _ in range(last - first + 1):
        port = first + _next_port % (last - first + 1)
        _next_port += 1
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port left in %s" % span)


_next_port = 0
# The servers running now, for the runner's watchdog to show and end.
live_servers = set()


def dump_live_servers(out, lines=30):
    """The last lines each running server printed (a test that timed out)."""
    for srv in list(live_servers):
        seen = srv.banner + srv.log
        out.write("--- the last %d of %d lines of %s:\n" % (min(lines, len(seen)), len(seen),
                                                          " ".join(srv.cmd)))
        for text in seen[-lines:]:
            out.write("    %s\n" % text)
    out.flush()


def temp_root():
    """A fresh folder to serve, removed when the process ends."""
    root = tempfile.mkdtemp(prefix="mts-root-")
    import atexit
    atexit.register(shutil.rmtree, root, True)
    return root


# Linux's tcpi_state: the peer's FIN is in; the connection is gone.
TCP_CLOSE_WAIT, TCP_CLOSE = 8, 7


class Conn:
    """A protocol client over a plain socket."""

    def __init__(self, port, host="127.0.0.1", timeout=20, source=None, rcvbuf=None):
        """source: the address to connect from (loopback has all of
        127.0.0.0/8), as tlskit.TlsConn's; rcvbuf: a small receive buffer,
        for a reader that is to stall the server soon."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        if source is not None:
            self.sock.bind((source, 0))
        self.sock.connect((host, port))
        self.buf = b""

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed; unread: %r" % self.buf[:200])
        self.buf += chunk

    def line(self):
        """The next line without its CRLF, as str (bytes that are not UTF-8 kept as escapes)."""
        while b"\r\n" not in self.buf:
            self._fill()
        text, self.buf = self.buf.split(b"\r\n", 1)
        return text.decode("utf-8", "backslashreplace")

    def exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def skip(self, n):
        """Reads n bytes and drops them (a large file, where exact's copies of
        a growing buffer would cost more than the transfer); returns n."""
        left = n
        while True:
            take = min(left, len(self.buf))
            self.buf = self.buf[take:]
            left -= take
            if left == 0:
                return n
            self._fill()

    def expect(self, text):
        got = self.line()
        assert got == text, "expected %r, got %r" % (text, got)

    def rest(self):
        """Everything until the server closes the connection."""
        try:
            while True:
                self._fill()
        except EOFError:
            pass
        data, self.buf = self.buf, b""
        return data

    def closed(self, timeout=10):
        """True when the server closes (or resets) the connection within timeout."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def reset_after_a_byte(self, seconds):
        """Waits for the server's FIN (10 s at most: its absence fails),
        then sends one byte (on the TCP socket itself, under any TLS) and
        returns True when a reset answers within seconds: the server's
        socket is gone. A server that still holds the connection (a linger)
        reads the byte instead. A reset after the FIN makes no read fail
        (Linux reports the end of the stream first), so the socket's TCP
        state tells (Linux's TCP_INFO): CLOSE_WAIT once the FIN is in,
        CLOSE once reset."""

        def state():
            return self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]

        # Over TLS the close_notify comes before the FIN: a byte sent
        # between them could reach a server that has not closed yet.
        fin_by = time.time() + 10
        while state() not in (TCP_CLOSE_WAIT, TCP_CLOSE):
            assert time.time() < fin_by, "no FIN from the server"
            time.sleep(0.01)
        deadline = time.time() + seconds
        try:
            os.write(self.sock.fileno(), b"x")
        except (ConnectionResetError, BrokenPipeError):
            return True
        while time.time() < deadline:
            if state() == TCP_CLOSE:
                return True
            time.sleep(0.02)
        return state() == TCP_CLOSE

    def login(self):
        self.expect("#Server Ready.")
        self.send("AUTH %s\r\n" % PASSWORD)
        self.expect("#You are logged in.")
        return self

    def close(self):
        self.sock.close()


# mtserver built with its fault switches (the Makefile's FAULTS_EXE): the
# MTS_FAULT_* environment variables, which mtserver.exe does not read.
FAULTS_PROGRAM = "mtserver-faults.exe"


class Server:
    """mtserver.exe in console mode on a free loopback port. With cwd and
    no root, no --root is given: the server serves its current folder."""

    def __init__(self, root=None, args=(), password=PASSWORD, env=None, cwd=None,
                 bind="127.0.0.1", stderr=subprocess.PIPE, ports=("plain",),
                 program="mtserver.exe"):
        """ports: the listening lines to wait for, "plain" and/or "tls"
        (self.port and self.tls_port). program: FAULTS_PROGRAM for a test
        that sets an MTS_FAULT_* variable (only that build reads them)."""
        root_option = root is not None or cwd is None
        self.root = root or cwd or temp_root()
        self.log = []
        self.log_changed = threading.Condition()
        full_env = dict(os.environ)
        full_env.pop("MTS_PASSWORD", None)
        if password is not None:
            full_env["MTS_PASSWORD"] = password
        full_env.update(env or {})
        cmd = RUN + [exe(program), "console", "--port", "0"]
        cmd += ["--root", winpath(self.root)] if root_option else []
        cmd += ["--bind", bind] if bind else []
        cmd += list(args)
        self.cmd = cmd
        # The exit code a stop must give, checked on leaving the with block
        # with "Stopped." printed; None for a test that stops it otherwise.
        self.expect_exit = 0
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr, env=full_env, cwd=cwd)
        live_servers.add(self)
        self.banner = []
        self.port = self.tls_port = None
        self._ports = ports
        self._starting, self._eof = True, False
        # One reader from the start: the start-up deadline holds even when
        # the server prints nothing and does not end.
        self.reader = threading.Thread(target=self._read_log, daemon=True)
        self.reader.start()
        deadline = time.time() + 60
        with self.log_changed:
            while self._starting and not self._eof and time.time() < deadline:
                self.log_changed.wait(deadline - time.time())
            started = not self._starting
        if not started:
            self.proc.kill()
            code = self.proc.wait()
            self.reader.join(10)
            live_servers.discard(self)
            err = self.proc.stderr.read().decode("utf-8", "replace") if self.proc.stderr else ""
            # The exit code too: a Wine process that ends at once with no
            # output says no more. Exit code 1 (or 0) with nothing printed
            # is what a process gets when its session is ended from outside
            # (`wineserver -k`; tests/lib/prefixclaim.py).
            raise RuntimeError("server did not start within 60 s (%s, exit code %r): %r %s"
                               % ("it ended" if self._eof else "still running, killed", code,
                                  self.banner, err))

    def _read_log(self):
        for raw in self.proc.stdout:
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            with self.log_changed:
                if self._starting:
                    self.banner.append(text)
                    m = LISTENING.search(text)
                    if m:
                        self.port = int(m.group(1))
                    m = TLS_LISTENING.search(text)
                    if m:
                        self.tls_port = int(m.group(1))
                    self._starting = (("plain" in self._ports and self.port is None) or
                                      ("tls" in self._ports and self.tls_port is None))
                else:
                    self.log.append(text)
                self.log_changed.notify_all()
        with self.log_changed:
            self._eof = True
            self.log_changed.notify_all()

    def start_lines(self, needle, timeout=10):
        """Every line of the start with needle in it, once one has come.
        The server's own start lines (tls: ...) go through its console
        writer thread and may come after the banner it prints itself, so
        they are looked for in both."""
        if not any(needle in line for line in self.banner):
            self.wait_log(needle, timeout)
        with self.log_changed:
            return [line for line in self.banner + self.log if needle in line]

    def wait_log(self, needle, timeout=10):
        """The first log line containing needle, waiting for it to appear."""
        deadline = time.time() + timeout
        with self.log_changed:
            while True:
                for line in self.log:
                    if needle in line:
                        return line
                left = deadline - time.time()
                assert left > 0, "no log line with %r in %r" % (needle, self.log[-20:])
                self.log_changed.wait(left)

    def connect(self, **kw):
        return Conn(self.port, **kw)

    def press_escape(self):
        """Presses ESC (a 0x1b byte on the piped stdin) and returns at once:
        the first one begins a graceful stop, a second one ends its drain."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b"\x1b")
                self.proc.stdin.flush()
            except BrokenPipeError:
                pass

    def stop(self, timeout=30):
        """Presses ESC and returns the exit code, once every line the server
        printed is in self.log."""
        self.press_escape()
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            # The process can be gone before the reader has taken its last
            # lines from the pipe (a busy machine saw "Stopped." missing).
            self.reader.join(10)
            live_servers.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        code = self.stop()
        # A crash or a hang while stopping fails the test, unless the test
        # has failed already (its own error says more).
        if kind is None and self.expect_exit is not None:
            assert code == self.expect_exit, "the server stopped with exit code %r, not %r; " \
                "its last lines: %r" % (code, self.expect_exit, (self.banner + self.log)[-15:])
            assert "Stopped." in self.log, "no Stopped. line: %r" % self.log[-15:]
        return False


@contextlib.contextmanager
def wine_session(fresh=False, **server_args):
    """The one way a test keeps Windows up while it works with services.

    Wine ends a session when its last ordinary process exits, and then tells
    the services to stop; the next Wine process boots a new session, which
    starts every automatic-start service afresh. A test that installs,
    starts or removes a service therefore runs inside this: a console-mode
    mtserver (an empty folder on a loopback port, known to start and stop
    cleanly) is kept running as that last process, as a real machine stays
    up. It yields that keeper; server_args go to its Server (env, stderr).

    The session is new each time: under the runner, whose workers keep
    their wineserver up (tests/lib/wineserver.py), the running session is
    ended (`wineserver -k`) and a new one booted; with fresh=True the keeper
    is the new session's first process, whose stderr the services share,
    and that session is ended again after the test. Elsewhere the prefix is
    let down first (`wineserver -w`: a session still shutting down may
    answer the SCM with a second services.exe), and fresh=True ends a
    running session at once. On Windows there is no session to keep: the
    keeper still runs."""
    wine = RUN[:1] == ["wine"]
    if wine:
        if fresh and not wineserver.is_persistent():
            subprocess.run(["wineserver", "-k"], stderr=subprocess.DEVNULL)
        wineserver.new_session(booted=not fresh)
    keeper = Server(**server_args)
    try:
        yield keeper
    finally:
        keeper.stop()
        # The services keep the keeper's stderr while their session lasts:
        # a persistent one is ended, so that nothing holds it.
        if wine and fresh and wineserver.is_persistent():
            wineserver.new_session()


def read_until_closed(sock, pause=0.0, seconds=30):
    """Reads sock until its peer closes it, resets it or cuts a TLS record
    (any OSError), for `seconds` at most, pausing `pause` s between reads
    (a slow reader). Returns the seconds it took and the bytes read."""
    began, got = time.time(), 0
    try:
        while time.time() - began < seconds:
            data = sock.recv(65536)
            if not data:
                break
            got += len(data)
            time.sleep(pause)
    except OSError:
        pass
    return time.time() - began, got


def read_pipe(stream, deadline, line=True):
    """Reads a process's pipe (a Popen's stdout, say) until deadline
    (time.time() seconds): the next line with its newline when line is
    true, else everything to end of file. b"" or the part read at end of
    file. A process that stays alive and silent fails the test with
    TimeoutError instead of blocking it forever, as readline() would.

    Lines are read a byte at a time, so nothing after the line is taken
    from the pipe: the process's later output is still there for whoever
    reads next. Use it on a pipe whose Python buffer was never read from
    (readline() or read() on it first would hide bytes from it)."""
    import select
    fd = stream.fileno()
    data = b""
    while not (line and data.endswith(b"\n")):
        left = deadline - time.time()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("nothing more from the process in time; read so far: %r"
                               % data[-400:])
        chunk = os.read(fd, 1 if line else 65536)
        if not chunk:
            break
        data += chunk
    return data


def server_has_read(s, timeout=10):
    """Waits until the server has taken everything the socket s sent off its
    end of the loopback connection (rx_queue 0 in /proc/net/tcp for the
    socket from s's peer address to s's own), so that what the server does
    next comes from what it read, not from a race with the test. Over
    loopback the bytes are in that queue by the time sendall returns, and a
    connection not yet accepted has its bytes there too. Returns False
    where there is no /proc/net/tcp to look at (not Linux): the caller
    then has to show the order some other way."""
    if not os.path.exists("/proc/net/tcp"):
        return False

    def hexaddr(addr):
        packed = socket.inet_aton(addr[0])
        return "%08X:%04X" % (int.from_bytes(packed, "little"), addr[1])

    server_end = (hexaddr(s.getpeername()), hexaddr(s.getsockname()))
    deadline = time.time() + timeout
    while True:
        with open("/proc/net/tcp") as f:
            rows = [row.split() for row in f.readlines()[1:]]
        unread = [int(r[4].split(":")[1], 16) for r in rows if (r[1], r[2]) == server_end]
        assert unread, "no server end for %r in /proc/net/tcp" % (s.getsockname(),)
        if unread[0] == 0:
            return True
        assert time.time() < deadline, "the server left %d bytes unread" % unread[0]
        # Polling the kernel's table: nothing the server prints says it read.
        time.sleep(0.01)
