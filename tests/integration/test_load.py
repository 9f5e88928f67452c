"""Many clients at once, clients that vanish, an active client and a stop under load.

The limits (max clients, per address) and the idle timeout, for silent and
trickling clients, are tested in tests/faults/test_load.py."""
import os
import socket
import struct
import threading
import time

from harness import PASSWORD, Server


def random_file(srv, name, size):
    data = os.urandom(size)
    with open(os.path.join(srv.root, name), "wb") as f:
        f.write(data)
    return data


def test_hundred_clients_download_a_binary_file_at_once():
    # All from 127.0.0.1, so above the default of 32 connections per address.
    with Server(args=["--max-per-address", "100"]) as srv:
        data = random_file(srv, "blob.bin", 256 * 1024)
        errors = []
        start = threading.Barrier(100)

        def client(i):
            try:
                c = srv.connect(timeout=120)
                start.wait(60)
                c.login()
                c.send("FILE blob.bin\r\n")
                got = c.exact(len(data))
                assert got == data, "client %d got different bytes" % i
                c.expect("#File blob.bin sent successfully.")
                c.send("QUIT\r\n")
                assert c.rest() == b""
            except Exception as e:  # collected and reported below
                errors.append("client %d: %r" % (i, e))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(100)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert not errors, errors[:5]
        # Everyone's request is in the access log.
        deadline = time.time() + 10
        while sum('"blob.bin" 262144 ok' in l for l in srv.log) < 100 and time.time() < deadline:
            time.sleep(0.1)
        assert sum('"blob.bin" 262144 ok' in l for l in srv.log) == 100


def test_clients_vanishing_mid_transfer_leave_the_server_serving():
    with Server() as srv:
        data = random_file(srv, "big.bin", 32 * 1024 * 1024)
        for i in range(20):
            c = srv.connect()
            c.login()
            c.send("FILE big.bin\r\n")
            c.exact(1000 * (i + 1))
            if i % 2:
                # RST instead of FIN: SO_LINGER with a zero timeout.
                c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
        srv.wait_log("aborted", timeout=30)
        c = srv.connect().login()
        c.send("FILE big.bin\r\n")
        assert c.exact(len(data)) == data
        c.expect("#File big.bin sent successfully.")
        # Under Wine a TransmitFile into a reset connection sometimes notices only
        # when the send timeout (60 s by default) cancels it: allow for that.
        deadline = time.time() + 90
        while sum(" aborted " in l for l in srv.log) < 20 and time.time() < deadline:
            time.sleep(0.2)
        assert sum(" aborted " in l for l in srv.log) == 20, [l for l in srv.log if "big.bin" in l]


# About 60 s on a loaded machine: a timeout of its own (tests/runner/items.py),
# which also starts it first in a fresh clone.
test_clients_vanishing_mid_transfer_leave_the_server_serving.timeout = 400


def test_active_client_is_not_timed_out():
    with Server(args=["--idle-timeout", "2"]) as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        for _ in range(5):
            time.sleep(1)
            c.send("HELP\r\n")
            assert c.line().startswith("#Commands:")


def test_stop_with_clients_connected_and_mid_transfer():
    """The stop is bounded by the drain period (1 s here) even with a client
    that stopped reading in the middle of a transfer: its transfer is then
    cancelled and logged as aborted; the idle client is told and closed."""
    srv = Server(args=["--stop-drain", "1"])
    random_file(srv, "big.bin", 64 * 1024 * 1024)
    idle = srv.connect()
    idle.expect("#Server Ready.")
    busy = srv.connect().login()
    busy.send("FILE big.bin\r\n")
    busy.exact(1024)  # the transfer is under way; this client now stops reading
    assert srv.stop() == 0
    idle.expect("!Server is stopping.")
    assert idle.closed()
    assert "Stopped." in "\n".join(srv.log), srv.log[-10:]
    assert " aborted" in srv.wait_log('FILE "big.bin"')
