"""Console mode on a terminal, as an administrator runs it: stdin and stdout
on a pseudo-terminal, which Wine turns into a Windows console, so the ESC key
arrives as a key event (ReadConsoleInputW) and Ctrl+C as a console control
event, not as bytes on a pipe (test_article.py covers the pipe)."""
import fcntl
import os
import select
import subprocess
import termios
import time

import harness


class TerminalServer:
    """mtserver console with a pseudo-terminal as its controlling terminal."""

    def __init__(self):
        env = dict(os.environ)
        env["MTS_PASSWORD"] = harness.PASSWORD
        self.master, self.slave = os.openpty()
        self.shown = b""
        self.proc = subprocess.Popen(
            harness.RUN + [harness.exe("mtserver.exe"), "console", "--port", "0",
                           "--bind", "127.0.0.1", "--root", harness.temp_root()],
            env=env, stdin=self.slave, stdout=self.slave, stderr=self.slave,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))

    def _read(self, wait):
        if select.select([self.master], [], [], wait)[0]:
            try:
                self.shown += os.read(self.master, 65536)
            except OSError:
                pass

    def ready(self, timeout=60):
        """Waits for the ESC prompt and for Wine's console to read keys one
        by one (before that the line discipline would hold them for a
        newline); returns the port."""
        deadline = time.time() + timeout
        while (b"Press ESCAPE" not in self.shown
               or termios.tcgetattr(self.slave)[3] & termios.ICANON):
            assert time.time() < deadline and self.proc.poll() is None, self.shown[-400:]
            self._read(0.1)
        return int(self.shown.split(b"listening on 127.0.0.1:")[1].split(b",")[0])

    def press(self, key):
        os.write(self.master, key)

    def exit_code(self, timeout=30):
        deadline = time.time() + timeout
        while self.proc.poll() is None and time.time() < deadline:
            self._read(0.1)
        self._read(0)
        return self.proc.poll()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.slave)
        os.close(self.master)


def _stops_on(key):
    srv = TerminalServer()
    try:
        srv.ready()
        srv.press(key)
        code = srv.exit_code()
        assert code == 0 and b"Stopping..." in srv.shown and b"Stopped." in srv.shown, \
            (code, srv.shown[-400:])
    finally:
        srv.close()


def test_esc_key_on_a_console_stops_the_server():
    _stops_on(b"\x1b")


def test_ctrl_c_on_a_console_stops_the_server():
    _stops_on(b"\x03")


def test_other_keys_do_not_stop_it():
    """Only ESC (and Ctrl+C/Break) quit: a typed letter and Enter are
    ignored, and the server goes on serving until ESC comes."""
    srv = TerminalServer()
    try:
        port = srv.ready()
        srv.press(b"q\r")
        assert srv.exit_code(timeout=1) is None, srv.shown[-400:]
        c = harness.Conn(port)
        c.expect("#Server Ready.")
        c.close()
        srv.press(b"\x1b")
        assert srv.exit_code() == 0, srv.shown[-400:]
    finally:
        srv.close()
