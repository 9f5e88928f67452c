"""The download rate limit (issue 23; docs/ADMIN.md, "Download rate
limit"): rate_limit paces FILE and GET in slices around TransmitFile; 0
sends at full speed; LIST and HASH are not paced; a paced download stops as
any transfer in flight does. Timing windows are generous (a loaded machine
is slow, never fast): the exact rates are bench/ratelimit's to measure."""
import os
import socket
import time

from configdir import ConfigFolder, mtserver
from harness import Conn, Server, winpath

MIB = 1 << 20


def _file(srv, name, size):
    """A file of size bytes whose content shows any byte out of place."""
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    with open(os.path.join(srv.root, name), "wb") as f:
        f.write(data)
    return data


def _timed_get(c, name, data, offset=0):
    """GETs name (from offset, after REST) and checks every byte; the
    seconds from the request to the success line."""
    began = time.monotonic()
    if offset:
        c.send("REST %d\r\n" % offset)
        c.expect("#Restarting at %d." % offset)
    c.send("GET %s\r\n" % name)
    c.expect("#Sending %d bytes." % (len(data) - offset))
    assert c.exact(len(data) - offset) == data[offset:]
    c.expect("#File %s sent successfully." % name)
    return time.monotonic() - began


def test_a_1_mib_per_second_limit_sends_3_mib_in_about_3_seconds():
    with Server(args=["--rate-limit", str(MIB)]) as srv:
        data = _file(srv, "three.bin", 3 * MIB)
        c = srv.connect(timeout=30).login()
        took = _timed_get(c, "three.bin", data)
        # 2.9 s by the schedule (the first slice goes at once).
        assert 2.0 <= took <= 6.0, took
        assert " ok" in srv.wait_log('GET "three.bin" %d' % len(data))


def test_a_resumed_get_and_file_are_paced_too():
    with Server(args=["--rate-limit", str(MIB)]) as srv:
        data = _file(srv, "three.bin", 3 * MIB)
        c = srv.connect(timeout=30).login()
        # REST then GET is a download like any other: 2 MiB take about 2 s.
        took = _timed_get(c, "three.bin", data, offset=MIB)
        assert 1.2 <= took <= 5.0, took
        began = time.monotonic()
        c.send("FILE three.bin\r\n")
        assert c.exact(len(data)) == data
        c.expect("#File three.bin sent successfully.")
        took = time.monotonic() - began
        assert 2.0 <= took <= 6.0, took


def test_rate_limit_0_sends_at_full_speed():
    for args in ([], ["--rate-limit", "0"]):
        with Server(args=args) as srv:
            data = _file(srv, "three.bin", 3 * MIB)
            c = srv.connect(timeout=30).login()
            # Unpaced, 3 MiB over loopback take a few milliseconds; well
            # under the 2 s a 1 MiB/s limit could not beat.
            took = _timed_get(c, "three.bin", data)
            assert took < 2.0, (args, took)


def test_list_and_hash_are_not_paced():
    # One byte a second: a paced reply of any size would take minutes.
    with Server(args=["--rate-limit", "1"]) as srv:
        _file(srv, "three.bin", 3 * MIB)
        c = srv.connect(timeout=30).login()
        began = time.monotonic()
        c.send("HASH three.bin\r\n")
        assert c.line().startswith("#SHA-256 ")
        c.send("LIST\r\n")
        assert c.line().startswith("#Listing 1 ")
        assert "three.bin" in c.line()
        assert c.line().startswith("#End of listing")
        assert time.monotonic() - began < 20


def test_the_setting_is_read_from_the_file():
    with ConfigFolder() as f:
        f.write("[mtserver]\r\nrate_limit = 131072\r\n")
        with Server(args=["--config", winpath(f.config)]) as srv:
            data = _file(srv, "a.bin", 256 << 10)
            c = srv.connect(timeout=30).login()
            # 256 KiB at 128 KiB/s: 1.9 s by the schedule.
            took = _timed_get(c, "a.bin", data)
            assert 1.0 <= took <= 5.0, took


def test_bad_values_are_refused_naming_the_option_and_its_range():
    for bad in ("-1", "4294967296", "1k", ""):
        rc, out, err = mtserver("console", "--port", "0", "--rate-limit", bad)
        assert rc == 2, (bad, rc, out, err)
        assert "option --rate-limit wants a whole number from 0 to 4294967295" in out + err, \
            (bad, out, err)
    with ConfigFolder() as f:
        f.write("[mtserver]\r\nrate_limit = fast\r\n")
        rc, out, err = mtserver("console", "--port", "0", "--config", winpath(f.config))
        assert rc == 1, (rc, out, err)
        assert "rate_limit" in out + err and "0 to 4294967295" in out + err, (out, err)


def test_a_paced_download_that_finishes_within_the_drain_finishes():
    with Server(args=["--rate-limit", str(MIB), "--stop-drain", "600"]) as srv:
        data = _file(srv, "two.bin", 2 * MIB)
        c = srv.connect(timeout=30).login()
        c.send("GET two.bin\r\n")
        c.expect("#Sending %d bytes." % len(data))
        srv.press_escape()
        srv.wait_log("mtserver stopping: no longer accepting")
        # The pacing goes on through the drain, and every byte arrives.
        assert c.exact(len(data)) == data
        c.expect("#File two.bin sent successfully.")
        c.expect("!Server is stopping.")
        assert " ok" in srv.wait_log('GET "two.bin" %d' % len(data))


def test_a_paced_download_is_cancelled_promptly_at_the_end_of_the_drain():
    # 64 KiB/s: the 16 MiB would take four minutes, and the socket buffers
    # never fill, so the server is waiting between slices when the drain
    # period ends, and only the stop event can end that wait.
    with Server(args=["--rate-limit", str(64 << 10), "--stop-drain", "2",
                      "--send-timeout", "600"]) as srv:
        _file(srv, "big.bin", 16 * MIB)
        c = srv.connect(timeout=30).login()
        c.send("GET big.bin\r\n")
        c.expect("#Sending %d bytes." % (16 * MIB))
        began = time.monotonic()
        srv.press_escape()
        srv.wait_log("the drain period is over; cancelling 1 client(s) still running", 60)
        line = srv.wait_log('GET "big.bin"', 30)
        assert " aborted" in line, line
        code = srv.stop()
        took = time.monotonic() - began
        assert code == 0
        # Two seconds of drain and a prompt cancel, not four minutes.
        assert took < 30, took
        # What went out was paced: at most about 3 s worth of 64 KiB/s.
        sent = int(line.split('GET "big.bin" ')[1].split()[0])
        assert 0 < sent <= 8 * (64 << 10), line
        c.close()


def test_a_reader_that_stops_during_a_paced_download_is_cut_off_at_the_send_timeout():
    # A small receive buffer fills within a few slices; then one slice's
    # send waits for a reader that never comes, until send_timeout.
    with Server(args=["--rate-limit", str(4 * MIB), "--send-timeout", "2"]) as srv:
        _file(srv, "big.bin", 64 * MIB)
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 10)
        raw.settimeout(30)
        raw.connect(("127.0.0.1", srv.port))
        # A Conn over that socket (harness.Conn makes its own, before any
        # option could be set for the connect's window).
        c = Conn.__new__(Conn)
        c.sock, c.buf = raw, b""
        c.login()
        c.send("GET big.bin\r\n")
        c.expect("#Sending %d bytes." % (64 * MIB))
        line = srv.wait_log('GET "big.bin"', 60)
        assert " aborted" in line, line
        # The server goes on serving others.
        other = srv.connect().login()
        other.send("HELP\r\n")
        assert other.line().startswith("#Commands:")
        c.close()


def test_the_idle_timeout_starts_after_a_paced_download_not_during_it():
    with Server(args=["--rate-limit", str(MIB), "--idle-timeout", "2"]) as srv:
        data = _file(srv, "three.bin", 3 * MIB)
        c = srv.connect(timeout=30).login()
        took = _timed_get(c, "three.bin", data)
        assert took > 2.0, took  # longer than the idle timeout
        c.send("HELP\r\n")
        assert c.line().startswith("#Commands:")
