"""Client threads are kept for the next client (server/serve/workers.c): a thread
that served one client must serve the next one from a clean slate, several
clients at once still get a thread each, and parked threads must not hold up
stopping the server."""
import os
import threading

from harness import Server

DATA = bytes(range(256)) * 64


def test_reused_thread_starts_each_client_logged_out():
    with Server() as srv:
        with open(os.path.join(srv.root, "d.bin"), "wb") as f:
            f.write(DATA)
        for _ in range(20):
            c = srv.connect()
            c.expect("#Server Ready.")
            # The previous client on this thread logged in; this one has not.
            c.send("FILE d.bin\r\n")
            c.expect("!You are not logged in.")
            c.send("AUTH s3cret pass\r\n")
            c.expect("#You are logged in.")
            c.send("FILE d.bin\r\n")
            assert c.exact(len(DATA)) == DATA
            c.expect("#File d.bin sent successfully.")
            c.send("QUIT\r\n")
            assert c.rest() == b""


def test_clients_at_once_each_get_served_and_stop_is_clean():
    with Server() as srv:
        with open(os.path.join(srv.root, "d.bin"), "wb") as f:
            f.write(DATA)
        # Hold 12 clients at once: none may wait for another to finish.
        conns = [srv.connect().login() for _ in range(12)]
        errors = []

        def fetch(c):
            try:
                c.send("FILE d.bin\r\n")
                assert c.exact(len(DATA)) == DATA
                c.expect("#File d.bin sent successfully.")
                c.send("QUIT\r\n")
                assert c.rest() == b""
            except Exception as e:  # reported below, in the test's thread
                errors.append(e)

        threads = [threading.Thread(target=fetch, args=(c,)) for c in conns]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        # The 12 threads are parked now, waiting for clients; ESC must end them.
        assert srv.stop(timeout=20) == 0
        srv.wait_log("Stopped.")
        assert not [line for line in srv.log if "did not finish" in line]


def test_each_client_is_logged_with_its_own_address_and_port():
    """The address comes with the accept (AcceptEx's buffer,
    server/serve/acceptex.c): clients from three addresses, IPv4 and IPv6,
    connected at once, each logged under its own address and source port."""
    with Server(bind=None) as srv:
        conns = [srv.connect(source="127.0.0.7"), srv.connect(source="127.0.0.8"),
                 srv.connect(host="::1", source="::1")]
        for c in conns:
            c.login()
        for c in conns:
            host, port = c.sock.getsockname()[:2]
            shown = ("[%s]:%d " if ":" in host else "%s:%d ") % (host, port)
            c.send("QUIT\r\n")
            assert c.rest() == b""
            line = srv.wait_log(shown)
            assert " AUTH " in line or " QUIT " in line, line
