"""tls_handshakes: the cap on TLS handshake steps computing at once.

Each call into Schannel's handshake (where the RSA private-key operation
happens) holds a slot; a step over the cap waits for one within the
handshake's deadline, and a handshake that is still waiting then is refused
(logged "busy-tls", summarised like every refused connection). A slow
processor is simulated with MTS_FAULT_HANDSHAKE_STEP_MS (tests only): each
step holds its slot that much longer. The stats line counts the steps that
had to wait (tls_waits=N).

These need server-side Schannel (tlskit.SERVER_SIDE_SCHANNEL: Wine 9 and
later, Windows)."""
import re
import threading
import time

import faultlib
from faultlib import client_from
from harness import server_has_read
import tlskit
from tlskit import TlsConn, client_hello, tls_server, tls_still_answers

STATS_WAITS = re.compile(r"stats .* tls_waits=(\d+)")


def _start(step_ms, args=()):
    return tls_server(args=["--stats-interval", "1"] + list(args),
                      env={"MTS_FAULT_HANDSHAKE_STEP_MS": str(step_ms)})


def _waits(srv, at_least, timeout=30):
    """The first stats line's tls_waits that is at least at_least."""
    def pick(entry):
        m = STATS_WAITS.search(entry)
        return int(m.group(1)) if m and int(m.group(1)) >= at_least else None

    return faultlib.wait_for(srv, pick, "a stats line with tls_waits>=%d" % at_least, 0, timeout)


def _plain_answers(srv, source="127.0.0.250"):
    """The plain port greets and says goodbye (with a certificate it takes
    no password, so no login here)."""
    s = client_from(srv, source)
    assert faultlib.line(s) == "#Server Ready."
    s.sendall(b"QUIT\r\n")
    assert s.recv(64) == b""
    s.close()


def _closed(s, timeout=30):
    """Waits for the server to close a raw socket; True when it did."""
    s.settimeout(timeout)
    try:
        while s.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except OSError:
        return False


def test_handshakes_beyond_the_cap_wait_their_turn_and_all_complete():
    # One slot, each step half a second: four clients at once take turns
    # (two steps each, four seconds in all, where four slots would take
    # one), all within their handshake timeout; meanwhile the plain port
    # answers at once, and the stats line counts the steps that waited.
    with _start(500, ["--tls-handshakes", "1", "--tls-handshake-timeout", "60"]) as srv:
        results, errors = [], []

        def client(i):
            try:
                c = TlsConn(srv.tls_port, source="127.0.8.%d" % (1 + i), timeout=60).login()
                c.send("QUIT\r\n")
                results.append(c.rest())
                c.close()
            except Exception as e:  # collected and reported below
                errors.append("client %d: %r" % (i, e))

        began = time.time()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        _plain_answers(srv)  # the plain port is not held up by the queue
        answered = time.time() - began
        for t in threads:
            t.join(120)
        took = time.time() - began
        assert not errors, errors
        assert len(results) == 4, results
        assert answered < took, (answered, took)
        assert took >= 4 * 2 * 0.5 * 0.9, took  # one handshake step at a time
        assert _waits(srv, 3) >= 3
        assert not any("busy-tls" in l for l in srv.log), srv.log[-5:]


def test_a_handshake_still_waiting_at_its_deadline_is_refused_and_summarised():
    # One slot held 3 s by a step; handshakes with a 1 s deadline that come
    # meanwhile are refused as busy-tls: the first logged in full, the rest
    # counted for the refusal summary. The plain port answers all along.
    with _start(3000, ["--tls-handshakes", "1", "--tls-handshake-timeout", "1"]) as srv:
        hello = client_hello()
        holder = client_from(srv, "127.0.8.20", port=srv.tls_port)
        holder.sendall(hello)
        server_has_read(holder, timeout=30)
        time.sleep(0.3)  # its step is under way, holding the slot
        waiting = [client_from(srv, "127.0.8.21", port=srv.tls_port) for _ in range(3)]
        for s in waiting:
            s.sendall(hello)
        _plain_answers(srv)
        for s in waiting:
            assert _closed(s), "a waiting handshake was not closed"
        srv.wait_log(" CONNECT - 0 busy-tls")
        assert sum(" busy-tls" in l for l in srv.log) == 1, srv.log[-8:]
        assert any(re.search(r"127\.0\.8\.21:\d+ CONNECT - 0 busy-tls", l) for l in srv.log)
        assert _waits(srv, 3) >= 3
        for s in waiting + [holder]:
            s.close()
    assert any(re.search(r"refused: 127\.0\.8\.21 busy-tls 2 more time\(s\)", l)
               for l in srv.log), srv.log[-8:]


def test_default_cap_lets_a_burst_of_handshakes_through():
    # With the default (two per processor) and no slowness, twenty clients
    # at once all complete and none is refused.
    with tls_server(args=["--stats-interval", "1"]) as srv:
        errors = []

        def client(i):
            try:
                tls_still_answers(srv, source="127.0.8.%d" % (40 + i))
            except Exception as e:  # collected and reported below
                errors.append("client %d: %r" % (i, e))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors[:3]
        assert not any("busy-tls" in l for l in srv.log), srv.log[-5:]


tlskit.needs_server_side_schannel(globals())
