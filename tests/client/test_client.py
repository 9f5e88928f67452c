"""mtsclient.exe (under Wine on Linux) against the real mtserver.exe."""
import hashlib
import os
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import harness
from harness import PASSWORD, Server

ARTICLE_USAGE = "Usage :- mtsclient [file1] [file2] [file3] ...."
TRICKY = b"line one\r\n#File x sent successfully.\r\n\x00\x00\x01binary\xff\xfe\x00" * 50


def out_dir():
    path = tempfile.mkdtemp(prefix="mts-out-")
    import atexit
    import shutil
    atexit.register(shutil.rmtree, path, True)
    return path


def client(args, port, out, password=PASSWORD, stdin=b"", timeout=180):
    """Runs mtsclient; returns (exit code, stdout, stderr) as text."""
    env = dict(os.environ)
    env.pop("MTS_PASSWORD", None)
    if password is not None:
        env["MTS_PASSWORD"] = password
    cmd = harness.RUN + [harness.exe("mtsclient.exe"), "-p", str(port)]
    if out is not None:
        cmd += ["-o", harness.winpath(out)]
    proc = subprocess.run(cmd + list(args), env=env, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def put(root, name, data):
    path = os.path.join(root, *name.split("\\"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_files_of_every_kind_arrive_byte_for_byte():
    files = {
        "text.txt": b"DEVICE=C:\\WINDOWS\\HIMEM.SYS\r\nplain text\n",
        "tricky.bin": TRICKY,
        "empty.dat": b"",
        "random.bin": os.urandom(5 << 20),
    }
    with Server() as srv:
        for name, data in files.items():
            put(srv.root, name, data)
        out = out_dir()
        code, stdout, stderr = client(list(files), srv.port, out)
        assert code == 0, (code, stdout, stderr)
        for name, data in files.items():
            assert read(out, name) == data, name
        assert sorted(os.listdir(out)) == sorted(files), os.listdir(out)
        assert stdout.splitlines() == ["%s has been saved." % n for n in files], stdout
        # stderr is a pipe here: no progress bar, not even a carriage return.
        assert stderr == "", repr(stderr)
        # One connection for all of them, each fetched with GET.
        for name, data in files.items():
            srv.wait_log('GET "%s" %d ok' % (name, len(data)))
        peers = {line.split()[1] for line in srv.log if ' GET "' in line}
        assert len(peers) == 1, peers


def test_name_with_spaces_and_non_ascii_letters():
    name = "Ünïcödé fïlé ώμέγα 名前.txt"
    data = "contents: ä ö ü\r\n".encode("utf-8")
    with Server() as srv:
        put(srv.root, "sub dir\\" + name, data)
        out = out_dir()
        code, stdout, stderr = client(["sub dir\\" + name], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert os.listdir(out) == [name]
        assert read(out, name) == data
        assert stdout.splitlines() == ["%s has been saved." % name], stdout


def test_missing_file_leaves_nothing_and_exits_1():
    with Server() as srv:
        put(srv.root, "here.txt", b"here")
        out = out_dir()
        code, stdout, stderr = client(["nope.txt"], srv.port, out)
        assert code == 1, (code, stdout, stderr)
        assert "File nope.txt not found on server" in stderr.splitlines(), stderr
        assert os.listdir(out) == []
        # The article's mixed case: the others are still saved.
        code, stdout, stderr = client(["c:\\ddd", "here.txt", "..\\secret"], srv.port, out)
        assert code == 1, (code, stdout, stderr)
        assert "File c:\\ddd not found on server" in stderr, stderr
        assert "File ..\\secret not found on server" in stderr, stderr
        assert stdout.splitlines() == ["here.txt has been saved."]
        assert os.listdir(out) == ["here.txt"]


def test_wrong_password_exits_2_and_saves_nothing():
    with Server() as srv:
        put(srv.root, "a.txt", b"a")
        out = out_dir()
        code, stdout, stderr = client(["a.txt"], srv.port, out, password="wrong")
        assert code == 2, (code, stdout, stderr)
        assert "bad password" in stderr, stderr
        assert os.listdir(out) == []
        assert stdout == ""


def test_password_from_redirected_stdin():
    with Server() as srv:
        put(srv.root, "a.txt", b"abc")
        out = out_dir()
        code, stdout, stderr = client(["a.txt"], srv.port, out, password=None,
                                      stdin=(PASSWORD + "\r\n").encode())
        assert code == 0, (code, stdout, stderr)
        assert read(out, "a.txt") == b"abc"
        code, stdout, stderr = client(["a.txt"], srv.port, out_dir(), password=None,
                                      stdin=b"")
        assert code == 2, (code, stdout, stderr)
        assert "password" in stderr, stderr


def test_no_server_exits_2():
    out = out_dir()
    port = free_port()
    code, stdout, stderr = client(["a.txt"], port, out)
    assert code == 2, (code, stdout, stderr)
    assert "cannot connect to 127.0.0.1 port %d" % port in stderr, stderr
    assert len(stderr.splitlines()) == 1, stderr
    assert os.listdir(out) == []


def test_silent_server_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        out = out_dir()
        code, stdout, stderr = client(["-t", "2", "a.txt"], listener.getsockname()[1], out,
                                      timeout=60)
        assert code == 2, (code, stdout, stderr)
        assert "no answer from the server within 2 s while waiting for the greeting" in stderr
        assert os.listdir(out) == []
    finally:
        listener.close()


def test_busy_server_is_reported():
    with Server(args=["--max-clients", "1"]) as srv:
        held = srv.connect()
        held.expect("#Server Ready.")
        out = out_dir()
        code, stdout, stderr = client(["a.txt"], srv.port, out)
        assert code == 2, (code, stdout, stderr)
        assert "the server is busy" in stderr, stderr
        held.close()


def test_banned_address_and_refused_address_are_told_as_such():
    # A banned address is greeted "!Too many failures." and closed; the
    # client took that for a foreign server (issue 21 item 2). An address
    # the allow/deny rules refuse is closed before any greeting.
    with Server(args=["--auth-free-failures", "10", "--auth-ban-failures", "2"]) as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("AUTH a\r\nAUTH b\r\n")
        c.expect("!Bad password.")
        c.expect("!Bad password.")
        c.close()
        srv.wait_log("throttle: 127.0.0.1 banned for")
        out = out_dir()
        code, stdout, stderr = client(["a.txt"], srv.port, out)
        assert code == 2, (code, stdout, stderr)
        assert ": too many failed passwords; the server turns this address away for a while" \
            in stderr, stderr
        assert len(stderr.splitlines()) == 1, stderr
    with Server(args=["--deny", "127.0.0.1"]) as srv:
        code, stdout, stderr = client(["a.txt"], srv.port, out_dir())
        assert code == 2, (code, stdout, stderr)
        assert "the server closed the connection before greeting" in stderr, stderr
        assert "allow/deny" in stderr, stderr


def test_usage_help_and_version():
    code, stdout, stderr = client([], 1, None)
    assert code == 2
    assert stderr.splitlines()[0] == ARTICLE_USAGE, stderr
    for opt in ["-s HOST", "-p PORT", "-o DIR", "-c", "-f", "-q", "--help", "--version"]:
        assert opt in stderr, opt
    code, stdout, stderr = client(["--help"], 1, None)
    assert code == 0 and stdout.splitlines()[0] == ARTICLE_USAGE
    # "/?" is the help, as Windows programs answer it, not a file name.
    code, stdout, stderr = client(["/?"], 1, None)
    assert code == 0 and stdout.splitlines()[0] == ARTICLE_USAGE, (stdout, stderr)
    code, stdout, stderr = client(["--version"], 1, None)
    assert code == 0 and stdout.startswith("mtsclient "), stdout
    code, stdout, stderr = client(["-p", "http", "a"], 1, None)
    assert code == 2 and "-p" in stderr, stderr


def test_existing_file_is_kept_without_f_and_replaced_with_it():
    with Server() as srv:
        put(srv.root, "a.txt", b"new contents")
        out = out_dir()
        put(out, "a.txt", b"old")
        code, stdout, stderr = client(["a.txt"], srv.port, out)
        assert code == 1, (code, stdout, stderr)
        assert "a.txt already exists" in stderr, stderr
        assert read(out, "a.txt") == b"old"
        assert os.listdir(out) == ["a.txt"]
        code, stdout, stderr = client(["-f", "a.txt"], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert read(out, "a.txt") == b"new contents"
    # Only the -f run asked for the file: counted once the server has stopped
    # and its every line is read (the GET line may come after the client's end).
    assert len([line for line in srv.log if ' GET "a.txt"' in line]) == 1, srv.log


def test_resume_with_c_fetches_only_the_rest():
    data = os.urandom(300000)
    with Server() as srv:
        put(srv.root, "r.bin", data)
        out = out_dir()
        put(out, "r.bin.mtspart", data[:123456])
        code, stdout, stderr = client(["-c", "r.bin"], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert read(out, "r.bin") == data
        assert os.listdir(out) == ["r.bin"]
        srv.wait_log('GET "r.bin" %d ok' % (len(data) - 123456))
        # A partial file longer than the server's starts over.
        os.remove(os.path.join(out, "r.bin"))
        put(out, "r.bin.mtspart", data + b"extra")
        code, stdout, stderr = client(["-c", "r.bin"], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert "starting again" in stderr, stderr
        assert read(out, "r.bin") == data
        # Without -c a stale partial file is not trusted.
        os.remove(os.path.join(out, "r.bin"))
        put(out, "r.bin.mtspart", b"X" * 1000)
        code, stdout, stderr = client(["r.bin"], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert read(out, "r.bin") == data


class Relay:
    """A TCP relay between the client and the server that stops passing the
    server's bytes on after `pause_at` of them, until resume() is called.
    While it is paused the server is stuck in the middle of a transfer, so
    the test can act at a known point of it."""

    def __init__(self, server_port, pause_at):
        self.server_port = server_port
        self.pause_at = pause_at
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.paused = threading.Event()
        self.resumed = threading.Event()
        self.forwarded = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _pump_up(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass

    def _run(self):
        down, _ = self.listener.accept()
        up = socket.create_connection(("127.0.0.1", self.server_port))
        threading.Thread(target=self._pump_up, args=(down, up), daemon=True).start()
        try:
            while True:
                if self.forwarded >= self.pause_at and not self.resumed.is_set():
                    self.paused.set()
                    self.resumed.wait()
                data = up.recv(65536)
                if not data:
                    break
                down.sendall(data)
                self.forwarded += len(data)
        except OSError:
            pass
        try:
            down.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client went first
        down.close()
        up.close()

    def resume(self):
        self.resumed.set()

    def close(self):
        self.resume()
        self.listener.close()


def start_client(args, port, out, exe="mtsclient.exe", wait_s=20, stderr=subprocess.PIPE,
                 **more_env):
    env = dict(os.environ, MTS_PASSWORD=PASSWORD, **more_env)
    cmd = harness.RUN + [harness.exe(exe), "-p", str(port), "-t", str(wait_s),
                         "-o", harness.winpath(out)] + args
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=stderr)


def test_server_killed_mid_download_leaves_no_file_and_resume_finishes_it():
    size = 48 << 20
    data = os.urandom(size)
    root = harness.temp_root()
    put(root, "big.bin", data)
    out = out_dir()
    srv = Server(root)
    relay = Relay(srv.port, 4 << 20)
    proc = start_client(["big.bin"], relay.port, out)
    try:
        assert relay.paused.wait(120), "the download never reached 4 MiB"
        srv.proc.kill()
        srv.proc.wait(30)
        relay.resume()
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        relay.close()
        srv.stop()
        if proc.poll() is None:
            proc.kill()
    stderr = stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, (proc.returncode, stdout, stderr)
    assert os.listdir(out) == ["big.bin.mtspart"], os.listdir(out)
    assert "run again with -c" in stderr, stderr
    partial = read(out, "big.bin.mtspart")
    assert 0 < len(partial) < size
    assert partial == data[:len(partial)]
    # A new server on the same folder: -c finishes what was left.
    with Server(root) as srv2:
        code, stdout, stderr = client(["-c", "big.bin"], srv2.port, out)
        assert code == 0, (code, stdout, stderr)
        assert os.listdir(out) == ["big.bin"]
        assert read(out, "big.bin") == data
        srv2.wait_log('GET "big.bin" %d ok' % (size - len(partial)))


def test_file_changed_while_sent_is_not_saved():
    size = 48 << 20
    with Server() as srv:
        put(srv.root, "grow.bin", b"\x5a" * size)
        relay = Relay(srv.port, 4 << 20)
        out = out_dir()
        proc = start_client(["grow.bin"], relay.port, out)
        try:
            assert relay.paused.wait(120), "the download never reached 4 MiB"
            with open(os.path.join(srv.root, "grow.bin"), "ab") as f:
                f.write(b"appended while the server was sending")
            relay.resume()
            stdout, stderr = proc.communicate(timeout=120)
        finally:
            relay.close()
            if proc.poll() is None:
                proc.kill()
        stderr = stderr.decode("utf-8", "replace")
        assert proc.returncode == 2, (proc.returncode, stdout, stderr)
        assert "not the confirmation" in stderr, stderr
        assert os.listdir(out) == [], os.listdir(out)


def under_wine_only():
    if harness.RUN[:1] != ["wine"]:
        raise unittest.SkipTest("mtsclient flushes behind its writing under Wine only")


class FlushTrace:
    """mtsclient under Wine's relay trace (WINEDEBUG=+relay, its stderr
    into a file), where each of its flushes shows as a FlushFileBuffers
    call: the client's write-behind (client/writebehind.h) seen from
    outside, as cachestat's dirty pages cannot show it (Linux writes such a
    file back on its own some of the time)."""

    DONE = b"Ret  KERNEL32.FlushFileBuffers() retval=00000001"
    BEGUN = b"Call KERNEL32.FlushFileBuffers("

    def __init__(self):
        self.path = os.path.join(out_dir(), "relay.txt")

    def start(self, name, port, out, exe="mtsclient.exe", **more_env):
        # The client's own wait (-t) outlasts wait_for_flushes'.
        with open(self.path, "wb") as trace:
            return start_client([name], port, out, exe=exe, wait_s=90, stderr=trace,
                                WINEDEBUG="+relay", **more_env)

    def text(self):
        with open(self.path, "rb") as f:
            return f.read()

    def flushes(self):
        return self.text().count(self.DONE)

    def wait_for_flushes(self, n, held_at):
        """Up to 60 s (a slow disk's flushes) for n flushes done."""
        deadline = time.time() + 60
        while self.flushes() < n and time.time() < deadline:
            time.sleep(0.05)
        # Calls without their Ret: a flush still under way (a slow disk).
        assert self.flushes() >= n, "%d flushes done, %d begun, with %s received" % (
            self.flushes(), self.text().count(self.BEGUN), held_at)

    def said(self):
        """The client's own lines among the trace's."""
        return [line for line in self.text().decode("utf-8", "replace").splitlines()
                if line.startswith("mtsclient: ")]


def test_a_large_download_is_flushed_to_disk_while_it_arrives():
    """The flush before the rename must not wait for the whole file: with
    80 of 90 MiB received and the rest held back, the client has already asked
    for the bytes written to go to disk, from its write-behind thread
    (client/writebehind.h: every 32 MiB). The file then arrives whole.
    Under Wine only: Windows writes behind on its own and mtsclient leaves
    it to it there."""
    under_wine_only()
    size, held_at = 90 << 20, 80 << 20  # no step ends at the last byte: three flushes in all
    data = os.urandom(size)
    trace = FlushTrace()
    with Server() as srv:
        put(srv.root, "wb.bin", data)
        relay = Relay(srv.port, held_at)
        out = out_dir()
        proc = trace.start("wb.bin", relay.port, out)
        try:
            assert relay.paused.wait(120), "the download never reached 80 MiB"
            trace.wait_for_flushes(2, "80 of 90 MiB")
            relay.resume()
            stdout, _ = proc.communicate(timeout=120)
        finally:
            relay.close()
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, (proc.returncode, stdout)
    assert trace.flushes() == 3, trace.flushes()  # the two behind, then the last before the rename
    assert os.listdir(out) == ["wb.bin"]
    assert read(out, "wb.bin") == data


# mtsclient-faults.exe: every flush behind the writing is made and then
# fails with this error (client/writebehind.c), as a failing disk's would.
FLUSH_BEHIND_FAILS = {"MTS_FAULT_FLUSH_BEHIND_ERROR": "112"}  # ERROR_DISK_FULL


def flush_behind_failed(name, cut_short):
    """A download through a relay held at 36 MiB (past the first 32 MiB
    step) until the flush behind the writing has been made, in Wine's relay
    trace, and has failed; then the rest comes, or, cut_short, the server is
    killed first. Returns (exit code, the client's lines, what is left in
    the folder). 96 MiB in all: far more than the sockets' buffers hold, so
    a kill does cut the download short."""
    root = harness.temp_root()
    put(root, name, os.urandom(96 << 20))
    out = out_dir()
    trace = FlushTrace()
    srv = Server(root)
    relay = Relay(srv.port, 36 << 20)
    proc = trace.start(name, relay.port, out, exe="mtsclient-faults.exe", **FLUSH_BEHIND_FAILS)
    try:
        assert relay.paused.wait(120), "the download never reached 36 MiB"
        trace.wait_for_flushes(1, "36 MiB")
        time.sleep(0.2)  # the fault's SetLastError and the helper's note of it
        if cut_short:
            srv.proc.kill()
            srv.proc.wait(30)
        relay.resume()
        proc.communicate(timeout=120)
    finally:
        relay.close()
        srv.stop()
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, trace.said(), os.listdir(out)


def test_a_failed_flush_behind_the_writing_fails_the_file_and_leaves_no_part():
    """All bytes came, but a flush behind the writing failed: the final
    flush may then succeed (a failed fsync is told once), so the error must
    not be lost. Not saved, and no part that -c would take for whole."""
    under_wine_only()
    code, said, left = flush_behind_failed("fb.bin", cut_short=False)
    assert code == 1, (code, said)
    assert said == ["mtsclient: cannot write fb.bin.mtspart: error 112: Disk full.; not saved, "
                    "and the part is removed"], said
    assert left == [], left


def test_a_part_whose_flush_behind_failed_is_not_kept_for_c():
    """The connection is lost after a flush behind the writing failed: the
    part that would be kept for -c may not hold what was received, so it is
    removed, and the client says so after the usual line."""
    under_wine_only()
    code, said, left = flush_behind_failed("fc.bin", cut_short=True)
    assert code == 2, (code, said)
    assert len(said) == 2 and "run again with -c" in said[0], said
    assert said[1].startswith("mtsclient: fc.bin.mtspart is removed after all: writing it to "
                              "disk failed (error 112: Disk full."), said
    assert left == [], left


def on_console(args, password=None, typed=None, timeout=60):
    """Runs mtsclient with stdin, stdout and stderr on a pseudo-terminal, which
    Wine turns into a Windows console. typed is sent once the password prompt
    is shown and Wine has switched the terminal's own echo off (before that,
    the Linux terminal would echo it, whatever the program asked for).
    Returns (exit code, everything the console showed)."""
    import select
    import termios
    env = dict(os.environ)
    env.pop("MTS_PASSWORD", None)
    if password is not None:
        env["MTS_PASSWORD"] = password
    master, slave = os.openpty()
    proc = subprocess.Popen(harness.RUN + [harness.exe("mtsclient.exe")] + args, env=env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    shown = b""
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            if (typed is not None and b"Password:" in shown and
                    not termios.tcgetattr(slave)[3] & termios.ECHO):
                os.write(master, typed)
                typed = None
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    shown += os.read(master, 65536)
                except OSError:
                    break
            elif proc.poll() is not None:
                break
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(slave)
        os.close(master)
    return proc.returncode, shown


def test_console_password_prompt_does_not_echo():
    with Server() as srv:
        put(srv.root, "a.txt", b"abc")
        out = out_dir()
        code, shown = on_console(["-p", str(srv.port), "-o", harness.winpath(out), "a.txt"],
                                 typed=(PASSWORD + "\r").encode())
        assert code == 0, (code, shown)
        assert b"Password:" in shown, shown
        assert PASSWORD.encode() not in shown, shown
        assert b"a.txt has been saved." in shown, shown
        assert read(out, "a.txt") == b"abc"


def test_progress_bar_on_a_console_only():
    data = os.urandom(8 << 20)
    with Server() as srv:
        put(srv.root, "big.bin", data)
        put(srv.root, "small.txt", b"small")
        out = out_dir()
        code, shown = on_console(["-p", str(srv.port), "-o", harness.winpath(out), "big.bin",
                                  "small.txt"], password=PASSWORD)
        assert code == 0, (code, shown)
        assert b"] 8.0 MiB of 8.0 MiB 100% " in shown, shown
        assert b"small.txt has been saved." in shown
        # Small files get no bar, and -q none at all.
        assert shown.count(b"100%") == 1, shown
        code, shown = on_console(["-q", "-f", "-p", str(srv.port), "-o", harness.winpath(out),
                                  "big.bin"], password=PASSWORD)
        assert code == 0, (code, shown)
        assert b"%" not in shown and b"saved" not in shown, shown
        assert read(out, "big.bin") == data


def test_ipv6_loopback():
    with Server(args=["--bind", "::1"]) as srv:
        put(srv.root, "six.txt", b"over IPv6")
        out = out_dir()
        code, stdout, stderr = client(["-s", "::1", "six.txt"], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert read(out, "six.txt") == b"over IPv6"
        assert "[::1]:" in srv.wait_log('GET "six.txt"')


def test_host_name_is_resolved():
    """-s takes a name; "localhost" may resolve to ::1 first while the
    server listens on 127.0.0.1 only, so each address is tried in turn."""
    with Server(bind="127.0.0.1") as srv:
        put(srv.root, "named.txt", b"by name")
        out = out_dir()
        code, stdout, stderr = client(["-s", "localhost", "named.txt"], srv.port, out)
        assert code == 0, (code, stdout, stderr)
        assert read(out, "named.txt") == b"by name"


def test_default_folder_is_the_current_one():
    with Server() as srv:
        put(srv.root, "here.txt", b"cwd")
        out = out_dir()
        env = dict(os.environ, MTS_PASSWORD=PASSWORD)
        proc = subprocess.run(harness.RUN + [harness.exe("mtsclient.exe"), "-p", str(srv.port),
                                             "here.txt"], env=env, cwd=out, timeout=120,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        assert proc.returncode == 0, proc
        assert read(out, "here.txt") == b"cwd"


def test_server_that_stalls_mid_file_times_out():
    with Server() as srv:
        put(srv.root, "stall.bin", b"\x01" * (16 << 20))
        relay = Relay(srv.port, 1 << 20)
        out = out_dir()
        try:
            code, stdout, stderr = client(["-t", "2", "stall.bin"], relay.port, out)
        finally:
            relay.close()
        assert code == 2, (code, stdout, stderr)
        assert "no answer from the server within 2 s after" in stderr, stderr
        assert os.listdir(out) == ["stall.bin.mtspart"]


def one_connection_server(talk):
    """A loopback server for one connection, handled by talk(conn) on a
    thread of its own; returns its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        with conn:
            talk(conn)
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def scripted_server(lines_after_auth, greeting=b"#Server Ready.\r\n"):
    """A one-connection server that greets, reads one line, answers with
    lines_after_auth and closes: for replies the real server only sends in
    situations a single client cannot bring about."""
    def talk(conn):
        conn.sendall(greeting)
        data = b""
        while b"\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        conn.sendall(lines_after_auth)

    return one_connection_server(talk)


def test_login_failures_get_one_clear_line():
    cases = [
        (b"!Too many failures.\r\n", b"#Server Ready.\r\n", "too many failed passwords"),
        (b"!Idle timeout.\r\n", b"#Server Ready.\r\n", "cannot log in: Idle timeout."),
        (b"", b"SSH-2.0-OpenSSH_9.2\r\n", "does not greet like an mtserver"),
        (b"", b"#Server Ready.\r\n", "the server closed the connection while waiting for the "
                                     "answer to the password"),
        (b"", b"!Server is stopping.\r\n", ": the server is stopping; try again later"),
        (b"!Server busy.\r\n", b"#Server Ready.\r\n", ": the server is busy; try again later"),
        (b"!Server is stopping.\r\n", b"#Server Ready.\r\n", ": the server is stopping"),
        (b"", b"!Not today.\r\n", ": the server refused the connection: Not today."),
    ]
    for reply, greeting, message in cases:
        port = scripted_server(reply, greeting)
        out = out_dir()
        code, stdout, stderr = client(["a.txt"], port, out)
        assert code == 2, (code, stdout, stderr)
        assert message in stderr, (message, stderr)
        assert len(stderr.splitlines()) == 1, stderr
        assert os.listdir(out) == []


def test_server_text_is_shown_with_controls_and_bidi_escaped():
    # A hostile server's refusal with a colour escape, a bell and a
    # right-to-left override: the client must show them as text, never pass
    # them to the terminal (issue 13 item 13).
    reply = b"!Idle \x1b[31mtime\x07out \xe2\x80\xaefdp.exe\r\n"
    port = scripted_server(reply)
    code, stdout, stderr = client(["a.txt"], port, out_dir())
    assert code == 2, (code, stdout, stderr)
    assert "Idle \\x1b[31mtime\\x07out \\u202efdp.exe" in stderr, stderr
    assert "\x1b" not in stderr and "\x07" not in stderr and "\u202e" not in stderr, stderr


def test_output_folder_that_does_not_exist_is_named_as_such():
    missing = os.path.join(out_dir(), "no such folder")
    code, stdout, stderr = client(["a.txt"], 1, missing)
    assert code == 2, (code, stdout, stderr)
    assert "the folder %s does not exist" % harness.winpath(missing) in stderr, stderr
    a_file = os.path.join(out_dir(), "a file")
    with open(a_file, "w") as f:
        f.write("x")
    code, stdout, stderr = client(["a.txt"], 1, a_file)
    assert code == 2 and "is not a folder" in stderr, (code, stdout, stderr)


# --- -l, -r and --verify (issue 14) ---

WHEN = 1796015323  # 2026-11-30T05:08:43Z


def test_list_table_and_names_for_scripts():
    with Server() as srv:
        names = ["a b.txt", "#hash", "!bang", "caf\u00e9.txt"]
        for i, name in enumerate(names):
            put(srv.root, name, b"x" * (i * 1000))
            os.utime(os.path.join(srv.root, name), (WHEN, WHEN))
        put(srv.root, "sub\\inner.txt", b"in")
        os.utime(os.path.join(srv.root, "sub"), (WHEN, WHEN))
        rc, out, err = client(["-l"], srv.port, None)
        assert rc == 0, err
        lines = out.splitlines()
        ordered = sorted(names + ["sub"], key=lambda n: n.encode("utf-8"))
        assert lines[-1] == "5 entries"
        for line, name in zip(lines, ordered):
            size = "<DIR>" if name == "sub" else str(names.index(name) * 1000)
            assert line == "2026-11-30 05:08:43 UTC  %15s  %s" % (size, name), line
        rc, out, err = client(["-l", "-q"], srv.port, None)
        assert rc == 0 and out.splitlines() == ordered, (out, err)
        rc, out, err = client(["-lq", "sub"], srv.port, None)
        assert rc == 0 and out.splitlines() == ["inner.txt"], (out, err)
        # One entry is "1 entry" (issue 21 item 19); several folders at once,
        # as the usage says ("-l [folder ...]").
        rc, out, err = client(["-l", "sub", "sub"], srv.port, None)
        assert rc == 0 and out.splitlines()[1::2] == ["1 entry", "1 entry"], (out, err)
        rc, out, err = client(["--help"], srv.port, None)
        assert "mtsclient -l [folder ...]" in out, out
        rc, out, err = client(["-l", "nothere"], srv.port, None)
        assert rc == 1 and out == "" and "Folder nothere not found on server" in err, (out, err)


def test_requests_cannot_carry_a_second_line():
    # -l put its folder into the LIST line as typed, so a line break in it
    # sent a second request of the user's making; and a password with a
    # control character went to the server to refuse. Every request is now
    # made by common/request.c, which refuses such an argument whole
    # (issue 22): a message, and nothing sent.
    with Server() as srv:
        put(srv.root, "secret.txt", b"secret")
        rc, out, err = client(["-l", "nothere\r\nHASH secret.txt"], srv.port, None)
        assert rc == 1 and out == "", (rc, out, err)
        assert "not a name the server can take" in err, err
        assert "not found on server" not in err, err
        rc, out, err = client(["-l", "  sub  "], srv.port, None)
        assert rc == 1 and "Folder   sub   not found on server" in err, (rc, out, err)
        srv.wait_log("LIST")
        rc, out, err = client(["secret.txt"], srv.port, out_dir(), password="pw\x1b[2J")
        assert rc == 2 and out == "", (rc, out, err)
        assert ("mtsclient: the password has a control character (tab, newline, ...), "
                "which AUTH refuses" in err), err
    assert not any("HASH" in line for line in srv.log), srv.log
    # Two logins, of the two -l runs: the third never connected.
    assert sum(" AUTH " in line for line in srv.log) == 2, srv.log


def tree_files():
    return {"top.txt": b"top", "a b\\one.bin": bytes(range(256)) * 273 + b"tail",
            "a b\\deeper\\#two.txt": b"two", "a b\\deeper\\empty": b"",
            "caf\u00e9\\\u00fc.txt": "\u00fc".encode("utf-8") * 10}


def test_tree_download_recreates_folders_under_o_and_resumes_with_c():
    outside = tempfile.mkdtemp(prefix="mts-outside-")
    put(outside, "secret.txt", b"secret")
    with Server() as srv:
        for name, data in tree_files().items():
            put(srv.root, "docs\\" + name, data)
        os.mkdir(os.path.join(srv.root, "docs", "empty folder"))
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(srv.root, "docs", "out"))
        out = out_dir()
        rc, stdout, err = client(["-r", "docs"], srv.port, out)
        assert rc == 0, err
        for name, data in tree_files().items():
            assert read(os.path.join(out, "docs"), os.path.join(*name.split("\\"))) == data
        assert os.path.isdir(os.path.join(out, "docs", "empty folder"))
        assert not os.path.exists(os.path.join(out, "docs", "out"))
        # Again with -c: the finished files are kept (they exist), a partial
        # one is continued from where it stopped.
        big = os.path.join(out, "docs", "a b", "one.bin")
        data = read(os.path.dirname(big), "one.bin")
        os.remove(big)
        with open(big + ".mtspart", "wb") as f:
            f.write(data[:30000])
        rc, stdout, err = client(["-r", "-c", "--verify", "docs"], srv.port, out)
        assert rc == 1, (stdout, err)  # the files already there are reported, not replaced
        assert "one.bin has been saved." in stdout
        assert read(os.path.dirname(big), "one.bin") == data
        srv.wait_log('REST')
        rc, stdout, err = client(["-r", "nothere"], srv.port, out)
        assert rc == 1 and "Folder nothere not found on server" in err, err


def test_tree_download_of_the_root_and_the_hidden_file_rule():
    # "-r ." and "-r \\" were refused as names that cannot be saved, so the
    # root could not be fetched whole (issue 21 item 15); now its files and
    # folders land straight in -o. -r takes what LIST shows: a hidden file
    # (under Wine a name starting with '.') only when the server's
    # list_hidden is 1, while asking for it by name still fetches it.
    with Server() as srv:
        put(srv.root, "top.txt", b"top")
        put(srv.root, "sub\\in.txt", b"in")
        put(srv.root, ".hidden", b"hid")
        for root in (".", "\\", "/"):
            out = out_dir()
            rc, stdout, err = client(["-r", root], srv.port, out)
            assert rc == 0, (root, stdout, err)
            assert sorted(os.listdir(out)) == ["sub", "top.txt"], (root, os.listdir(out))
            assert read(out, "top.txt") == b"top" and read(os.path.join(out, "sub"), "in.txt") == b"in"
        rc, stdout, err = client([".hidden"], srv.port, out)
        assert rc == 0 and read(out, ".hidden") == b"hid", (stdout, err)
    with Server(args=["--list-hidden", "1"]) as srv:
        put(srv.root, ".hidden", b"hid")
        out = out_dir()
        rc, stdout, err = client(["-r", "."], srv.port, out)
        assert rc == 0 and os.listdir(out) == [".hidden"], (stdout, err, os.listdir(out))


def test_verify_passes_with_the_real_server():
    with Server() as srv:
        body = os.urandom(2 * 1024 * 1024 + 5)
        put(srv.root, "v.bin", body)
        out = out_dir()
        rc, stdout, err = client(["--verify", "v.bin"], srv.port, out)
        assert rc == 0, err
        assert read(out, "v.bin") == body
        srv.wait_log('HASH "v.bin" %d ok' % len(body))


def lying_server(body, digest):
    """Logs anyone in, sends body for any GET and digest for any HASH."""
    def talk(conn):
        conn.sendall(b"#Server Ready.\r\n")
        data = b""
        while True:
            while b"\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            line, data = data.split(b"\n", 1)
            verb, _, arg = line.rstrip(b"\r").partition(b" ")
            if verb == b"AUTH":
                conn.sendall(b"#You are logged in.\r\n")
            elif verb == b"GET":
                conn.sendall(b"#Sending %d bytes.\r\n" % len(body) + body +
                             b"#File " + arg + b" sent successfully.\r\n")
            elif verb == b"HASH":
                conn.sendall(b"#SHA-256 " + digest.encode() + b" " + arg + b"\r\n")
            else:
                return

    return one_connection_server(talk)


def test_verify_mismatch_keeps_the_download_aside_and_exits_1():
    body = b"what arrived"
    wrong = hashlib.sha256(b"something else").hexdigest()
    out = out_dir()
    rc, stdout, err = client(["--verify", "f.txt"], lying_server(body, wrong), out)
    assert rc == 1, (stdout, err)
    assert "SHA-256 mismatch" in err and wrong in err, err
    assert hashlib.sha256(body).hexdigest() in err
    assert not os.path.exists(os.path.join(out, "f.txt"))
    assert read(out, "f.txt.mtspart") == body
    # The same server's digest, when right, lets the file through.
    rc, stdout, err = client(["--verify", "-f", "f.txt"],
                             lying_server(body, hashlib.sha256(body).hexdigest()), out)
    assert rc == 0 and read(out, "f.txt") == body, err
