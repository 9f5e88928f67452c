"""The graceful stop (docs/ADMIN.md, "Stopping"): on ESC the server stops
listening at once and closes the sessions waiting for a command, lets the
downloads in flight finish for up to stop_drain seconds, then cancels what
is left and logs each abort; a second ESC cancels at once.

A download is held in flight by a reader that stops reading a file far
bigger than the socket buffers, so the server is stuck in the middle of
sending it; whether it can finish is the reader's choice, not a clock's."""
import os
import re

from harness import Conn, Server

SIZE = 32 << 20
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z mtserver stopping: ")


def _stalled_download(srv):
    """A logged-in client in the middle of GET big.bin that reads nothing
    more after the first MiB."""
    with open(os.path.join(srv.root, "big.bin"), "wb") as f:
        f.write(b"\xcd" * SIZE)
    c = srv.connect(timeout=60).login()
    c.send("GET big.bin\r\n")
    c.expect("#Sending %d bytes." % SIZE)
    assert len(c.exact(1 << 20)) == 1 << 20
    return c


def _refused(port):
    try:
        Conn(port, timeout=10).close()
    except (ConnectionRefusedError, ConnectionResetError):
        return True
    return False


def test_a_download_that_can_finish_within_the_drain_finishes():
    srv = Server(args=["--stop-drain", "600", "--send-timeout", "600"])
    try:
        c = _stalled_download(srv)
        idle = srv.connect().login()
        srv.press_escape()
        # A life-cycle line, with the request lines' timestamp.
        assert STAMP.match(srv.wait_log("mtserver stopping: no longer accepting"))
        # The session between commands goes at once, with a line that says why.
        idle.expect("!Server is stopping.")
        assert idle.closed()
        assert _refused(srv.port)
        # The download in flight goes on: the reader takes the rest.
        assert len(c.exact(SIZE - (1 << 20))) == SIZE - (1 << 20)
        c.expect("#File big.bin sent successfully.")
        # ...and then its session is between commands: closed.
        c.expect("!Server is stopping.")
        assert srv.stop() == 0
        assert " ok" in srv.wait_log('GET "big.bin"')
        srv.wait_log(" server-stopping ")  # the idle session's last line
        assert "drain period is over" not in "\n".join(srv.log)
    finally:
        srv.stop()


def test_a_download_that_cannot_finish_is_aborted_at_the_end_of_the_drain():
    srv = Server(args=["--stop-drain", "2", "--send-timeout", "600"])
    try:
        c = _stalled_download(srv)
        srv.press_escape()
        # The reader never reads again, so only the end of the drain period
        # (not the 600 s send timeout) can end the transfer.
        srv.wait_log("mtserver stopping: the drain period is over; cancelling 1 client(s) still running", 60)
        assert " aborted" in srv.wait_log('GET "big.bin"')
        assert srv.stop() == 0
        assert "Stopped." in srv.log, srv.log[-5:]
        c.close()
    finally:
        srv.stop()


def test_a_second_escape_during_the_drain_stops_at_once():
    srv = Server(args=["--stop-drain", "3600", "--send-timeout", "3600"])
    try:
        c = _stalled_download(srv)
        srv.press_escape()
        srv.wait_log("mtserver stopping: no longer accepting")
        assert srv.proc.poll() is None  # draining: the stalled download holds it
        assert _refused(srv.port)
        # An hour's drain: only the second ESC can end it within stop()'s wait.
        assert srv.stop() == 0
        assert any("asked to stop at once; cancelling 1 client(s) still running" in l for l in srv.log), \
            srv.log[-5:]
        assert " aborted" in srv.wait_log('GET "big.bin"')
        c.close()
    finally:
        srv.stop()
