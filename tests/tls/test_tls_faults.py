"""The fault suite over TLS: handshakes that stop half way, a reader that
stalls a TLS download, a thousand handshakes at once, limits on the TLS
port, and stops during handshakes and transfers. After each fault the
fault suite's rule holds (tests/lib/faultlib.py): the server answers (here
over TLS) and its threads, handles and memory come back to their idle
level. A stop has its own form of the rule: "Stopped." is printed only when
every client thread has ended and everything was freed.

These need server-side Schannel, so they run where test_tls_server.py's
tests do (tlskit.SERVER_SIDE_SCHANNEL: Wine 9 and later, Windows)."""
import re
import ssl
import threading
import time

import faultlib
from faultlib import client_from, parallel, sparse_file
from harness import server_has_read
import tlskit
from tlskit import TlsConn, client_hello, tls_server, tls_still_answers

MIB = 1 << 20


def _start(args=()):
    return tls_server(args=["--stats-interval", "1"] + list(args))


def _closed(s, timeout=30):
    """Waits for the server to close a raw socket; True when it did."""
    s.settimeout(timeout)
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return True
            assert b"#" not in chunk and b"!" not in chunk, chunk  # nothing in clear
    except ConnectionResetError:
        return True
    except OSError:
        return False


def _count(srv, needle):
    with srv.log_changed:
        return sum(needle in entry for entry in srv.log)


def _wait_count(srv, needle, n, timeout=30):
    """Waits until n lines of the whole log contain needle."""
    seen = [0]

    def pick(entry):
        seen[0] += needle in entry
        return True if seen[0] >= n else None

    faultlib.wait_for(srv, pick, "fewer than %d lines with %r" % (n, needle), 0, timeout)


def test_handshakes_that_stop_half_way_are_cut_off_at_the_handshake_timeout():
    hello = client_hello()[:20]  # a ClientHello's first 20 bytes, then nothing

    def fault(srv):
        before = _count(srv, " handshake-timeout")
        socks = [client_from(srv, "127.0.6.%d" % (1 + i % 5), port=srv.tls_port)
                 for i in range(20)]
        try:
            began = time.time()
            for s in socks:
                s.sendall(hello)
            for s in socks:
                assert _closed(s), "a stopped handshake was not cut off"
            took = time.time() - began
            # Not before the handshake timeout (2 s), and not much after it.
            assert 1.5 <= took < 10, took
            _wait_count(srv, " handshake-timeout", before + 20)
        finally:
            for s in socks:
                s.close()

    with _start(["--tls-handshake-timeout", "2"]) as srv:
        faultlib.check_fault(srv, fault, answers=tls_still_answers)


def test_tls_reader_that_stops_reading_a_download_is_cut_off_at_the_send_timeout():
    def fault(srv):
        since = len(srv.log)
        c = TlsConn(srv.tls_port, source="127.0.6.20", rcvbuf=4096).login()
        try:
            c.send("GET big.bin\r\n")
            faultlib.cut_off_at_send_timeout(srv, "big.bin", 100 * MIB, since, 3,
                                             "stalled TLS reader")
        finally:
            c.close()

    with _start(["--send-timeout", "3"]) as srv:
        sparse_file(srv.root, "big.bin", 100 * MIB)
        faultlib.check_fault(srv, fault, answers=tls_still_answers)


def test_thousand_tls_handshakes_at_once():
    # 40 source addresses, 25 connections each (the per-address limit is
    # 32), max_clients above 1,000: every handshake is to complete and every
    # session to stay open until all have their greeting.
    def fault(srv):
        conns, lines, lock = [], [], threading.Lock()

        def one(i):
            c = TlsConn(srv.tls_port, source="127.0.7.%d" % (1 + i % 40), timeout=120)
            with lock:
                conns.append(c)
            greeting = c.line()
            with lock:
                lines.append(greeting)

        began = time.time()
        try:
            parallel(1000, one)
        finally:
            took = time.time() - began
            for c in conns:
                c.close()
        served = lines.count("#Server Ready.")
        print("  1000 TLS handshakes at once: %d greeted in %.1f s" % (served, took))
        assert served == 1000, "%d of 1000 not served, e.g. %r" % (
            1000 - served, [x for x in lines if x != "#Server Ready."][:3])

    # Its heap settles slowly on a loaded machine (faultlib's docstring).
    with _start(["--max-clients", "1024", "--tls-handshake-timeout", "120"]) as srv:
        faultlib.check_fault(srv, fault, answers=tls_still_answers, max_rounds=12)


# 30 to 115 s seen by load, and 457 s for 8 rounds beside the other legs:
# a timeout of its own (tests/runner/items.py), which also starts it first
# in a fresh clone.
test_thousand_tls_handshakes_at_once.timeout = 900


def test_max_clients_and_max_per_address_refuse_tls_clients_without_a_word():
    # A refusal comes before any handshake, and a TLS client can read no
    # "!Server busy." in clear: the TLS port closes without a word (and
    # logs the refusal as the plain port does).
    def refused(source):
        try:
            TlsConn(srv.tls_port, source=source, timeout=20)
        except (ssl.SSLEOFError, ConnectionResetError, ssl.SSLZeroReturnError):
            return True
        except ssl.SSLError as e:
            raise AssertionError("refused with something a TLS client cannot read: %r" % e)
        return False

    with _start(["--max-clients", "4", "--max-per-address", "3"]) as srv:
        a = [TlsConn(srv.tls_port, source="127.0.6.30").login() for _ in range(3)]
        assert refused("127.0.6.30")
        assert "127.0.6.30:" in srv.wait_log(" CONNECT - 0 busy-address")
        b = TlsConn(srv.tls_port, source="127.0.6.31").login()
        assert refused("127.0.6.32")
        _wait_count(srv, " CONNECT - 0 busy", 2)  # busy-address, then busy
        assert any(re.search(r"127\.0\.6\.32:\d+ CONNECT - 0 busy(?!-)", l) for l in srv.log), \
            srv.log[-5:]
        for c in a + [b]:
            c.close()


def test_stop_during_handshakes_ends_them_at_once():
    # Handshakes that would wait five minutes, and a drain of ten minutes:
    # a handshake is no transfer, so the stop need wait for neither.
    srv = _start(["--tls-handshake-timeout", "300", "--stop-drain", "600"])
    try:
        hello = client_hello()[:20]
        socks = [client_from(srv, "127.0.6.%d" % (40 + i % 5), port=srv.tls_port)
                 for i in range(50)]
        for s in socks:
            s.sendall(hello)
        # Every one in its handshake, waiting for the rest: the server has
        # read each hello's first bytes (where that can be seen).
        for s in socks:
            server_has_read(s, timeout=30)
        began = time.time()
        assert srv.stop(timeout=60) == 0
        took = time.time() - began
        assert took < 20, took
        assert "Stopped." in srv.log, srv.log[-5:]  # every client thread ended
        for s in socks:
            assert _closed(s, timeout=10)
            s.close()
        print("  stopped with 50 handshakes in flight in %.1f s" % took)
    finally:
        srv.stop()


def _get_results(srv, since):
    """The result words of the GET big.bin lines after log index since."""
    return sorted(l.split('"big.bin" ', 1)[1].split(" ")[1] for l in srv.log[since:]
                  if ' GET "big.bin" ' in l)


def test_stop_during_tls_transfers_lets_one_finish_and_cancels_the_stalled_one():
    # An hour's drain: the reader that goes on reading finishes within it
    # however slowly Schannel goes on a loaded machine, and the test waits
    # for that, not for a clock. The stalled one then still holds the stop,
    # and a second ESC cancels it (the drain's own end: the next test).
    size = 32 * MIB
    srv = _start(["--stop-drain", "3600", "--send-timeout", "3600"])
    try:
        sparse_file(srv.root, "big.bin", size)
        since = len(srv.log)
        fast = TlsConn(srv.tls_port, source="127.0.6.50", timeout=60).login()
        stalled = TlsConn(srv.tls_port, source="127.0.6.51", timeout=60, rcvbuf=4096).login()
        idle = TlsConn(srv.tls_port, source="127.0.6.52").login()
        for c in (fast, stalled):
            c.send("GET big.bin\r\n")
            c.expect("#Sending %d bytes." % size)
        assert len(fast.exact(MIB)) == MIB
        srv.press_escape()
        srv.wait_log("mtserver stopping: no longer accepting")
        idle.expect("!Server is stopping.")  # between commands: goes at once
        # The reader that goes on reading gets the whole file.
        assert fast.skip(size - MIB) == size - MIB
        fast.expect("#File big.bin sent successfully.")
        fast.expect("!Server is stopping.")
        srv.wait_log('GET "big.bin" %d ok' % size, 60)
        # The stalled one still holds the stop, and nothing was cancelled.
        assert srv.proc.poll() is None, srv.log[-5:]
        assert not any("cancelling" in l for l in srv.log), srv.log[-5:]
        # The sessions told to go may still be closing (a graceful TLS close
        # waits a moment for the client's side, and nothing logs its end),
        # so the count the cancelling line gives is not the test's; the
        # results in the log are.
        fast.close()
        idle.close()
        assert srv.stop() == 0  # the second ESC
        assert any(re.search(r"asked to stop at once; cancelling \d+ client\(s\) still running", l)
                   for l in srv.log), srv.log[-5:]
        assert "Stopped." in srv.log, srv.log[-5:]
        assert _get_results(srv, since) == ["aborted", "ok"], srv.log[since:]
        stalled.close()
    finally:
        srv.stop()


def test_stop_cancels_a_stalled_tls_transfer_at_the_end_of_the_drain():
    # The reader never reads again, so only the end of the drain (not the
    # hour's send timeout) can end its transfer: no race with the clock.
    size = 32 * MIB
    srv = _start(["--stop-drain", "2", "--send-timeout", "3600"])
    try:
        sparse_file(srv.root, "big.bin", size)
        since = len(srv.log)
        stalled = TlsConn(srv.tls_port, source="127.0.6.53", timeout=60, rcvbuf=4096).login()
        stalled.send("GET big.bin\r\n")
        stalled.expect("#Sending %d bytes." % size)
        srv.press_escape()
        srv.wait_log("the drain period is over; cancelling 1 client(s) still running", 60)
        assert srv.stop() == 0
        assert "Stopped." in srv.log, srv.log[-5:]
        assert _get_results(srv, since) == ["aborted"], srv.log[since:]
        stalled.close()
    finally:
        srv.stop()


tlskit.needs_server_side_schannel(globals())
