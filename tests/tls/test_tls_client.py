"""mtsclient --tls and --fingerprint against a TLS server nobody here wrote
(Python's ssl), under every Wine (client-side Schannel works in Wine 8 and
10), and against mtserver's own TLS port where the Wine can serve it."""
import os
import re
import socket
import threading

import tlskit
from tlskit import (PyTlsServer, TrustedTestCa, certs, mtsclient,
                    other_cert, tls_server)

BODY = b"over TLS\r\n" * 5000


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_right_fingerprint_downloads():
    with PyTlsServer({"a.bin": BODY}) as srv:
        rc, out, into = mtsclient(["-s", "localhost", "-p", str(srv.port), "--fingerprint",
                                   "SHA256:" + certs().sha256.lower(), "a.bin"])
        assert rc == 0, out
        assert read(os.path.join(into, "a.bin")) == BODY
        assert b"AUTH " in srv.received


def _wrong_pin_sends_nothing(form, what, wrong, right):
    with PyTlsServer({"a.bin": BODY}) as srv:
        rc, out, into = mtsclient(["-s", "localhost", "-p", str(srv.port), "--fingerprint",
                                   "%s:%s" % (form, wrong), "a.bin"])
        assert rc == 2, out
        lines = [l for l in out.splitlines() if l.strip()]
        assert len(lines) == 1 and ("the server's %s is %s:%s, not the pinned %s:%s"
                                    % (what, form, right, form, wrong)) in lines[0], out
        assert srv.received == b""  # not one byte of the protocol, so no password
        assert os.listdir(into) == []


def test_wrong_fingerprint_sends_nothing_and_exits_2():
    _wrong_pin_sends_nothing("SHA256", "certificate", "0" * 64, certs().sha256)


def test_wrong_key_pin_sends_nothing_and_exits_2():
    _wrong_pin_sends_nothing("SPKI-SHA256", "key", "A" * 64, tlskit.spki_sha256(certs().cert))


def test_key_pin_accepts_a_renewal_with_the_same_key_and_the_old_certificate_pin_not():
    """Issue 21 item 6: --fingerprint SPKI-SHA256: pins the key, which a
    renewal with the same key keeps; the certificate's own fingerprint does
    not survive it."""
    c = certs()
    pin = tlskit.spki_sha256(c.cert)
    renewed = tlskit.reissued_cert()
    assert tlskit.spki_sha256(renewed) == pin
    for cert in (c.cert, renewed):
        with PyTlsServer({"a.bin": BODY}, cert=cert) as srv:
            rc, out, into = mtsclient(["-s", "localhost", "-p", str(srv.port), "--fingerprint",
                                       "spki-sha256:" + pin.lower(), "a.bin"])
            assert rc == 0, (cert, out)
            assert read(os.path.join(into, "a.bin")) == BODY
    with PyTlsServer({"a.bin": BODY}, cert=renewed) as srv:
        rc, out, into = mtsclient(["-s", "localhost", "-p", str(srv.port), "--fingerprint",
                                   "SHA256:" + c.sha256, "a.bin"])
        assert rc == 2 and "not the pinned SHA256:" + c.sha256 in out, out
        assert srv.received == b""


def _one_connection(answer):
    """A loopback server for one connection: answer(conn) does the rest."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            answer(conn)
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def test_tls_to_a_plain_port_says_the_port_speaks_plain_text():
    """--tls aimed at a port that greets with a plain '#' line stops at once
    and says so, not 'no answer' after a timeout (issue 21 item 18)."""
    def answer(conn):
        conn.sendall(b"#Server Ready.\r\n")
        conn.settimeout(60)
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass

    port = _one_connection(answer)
    rc, out, into = mtsclient(["--tls", "-s", "127.0.0.1", "-p", str(port), "a.bin"])
    assert rc != 0, out
    assert "this port speaks plain text" in out and "leave out --tls" in out, out
    assert "no answer" not in out, out


def test_tls_server_closing_after_the_client_hello_reads_as_busy_or_refused():
    """A server that reads the whole ClientHello and closes without a TLS
    alert (mtserver when it is full or has banned the address) is named
    busy or refused, not 'is this its TLS port?' (issue 21 item 18)."""
    def answer(conn):
        conn.settimeout(30)
        head = b""
        while len(head) < 5:
            head += conn.recv(5 - len(head))
        left = int.from_bytes(head[3:5], "big")
        while left > 0:
            left -= len(conn.recv(left))

    port = _one_connection(answer)
    rc, out, into = mtsclient(["--tls", "-s", "127.0.0.1", "-p", str(port), "a.bin"])
    assert rc != 0, out
    assert "busy or refused this client" in out and "without a TLS alert" in out, out
    assert "is this its TLS port" not in out, out


def test_untrusted_ca_is_refused_and_trusted_test_ca_accepted():
    with PyTlsServer({"a.bin": BODY}) as srv:
        args = ["--tls", "-s", "localhost", "-p", str(srv.port), "a.bin"]
        rc, out, _ = mtsclient(args)
        assert rc == 2 and "does not chain to a trusted root for localhost" in out, out
        assert srv.received == b""
        with TrustedTestCa():
            rc, out, into = mtsclient(args)
            assert rc == 0, out
            assert read(os.path.join(into, "a.bin")) == BODY


def test_certificate_for_another_name_is_refused():
    cert, key = other_cert()
    with PyTlsServer({"a.bin": BODY}, cert=cert, key=key) as srv, TrustedTestCa():
        rc, out, _ = mtsclient(["--tls", "-s", "localhost", "-p", str(srv.port), "a.bin"])
        assert rc == 2 and "is not for localhost" in out, out
        assert len([l for l in out.splitlines() if l.strip()]) == 1, out
        assert srv.received == b""


def test_an_address_gets_no_server_name_but_its_certificate_is_checked_against_it():
    # RFC 6066 allows no IP literal as the server name (SNI), and Schannel
    # on the server side refuses the handshake over one (mtsclient --tls -s
    # ::1 failed, issue 21 item 4). The name check still uses the address:
    # the test certificate names 127.0.0.1 and ::1, other_cert() neither.
    with TrustedTestCa():
        for host in ("127.0.0.1", "::1"):
            with PyTlsServer({"a.bin": BODY}, host=host) as srv:
                rc, out, into = mtsclient(["--tls", "-s", host, "-p", str(srv.port), "a.bin"])
                assert rc == 0, (host, out)
                assert read(os.path.join(into, "a.bin")) == BODY
                assert srv.server_names == [None], (host, srv.server_names)
            cert, key = other_cert()
            with PyTlsServer({"a.bin": BODY}, cert=cert, key=key, host=host) as srv:
                rc, out, _ = mtsclient(["--tls", "-s", host, "-p", str(srv.port), "a.bin"])
                assert rc == 2 and "is not for %s" % host in out, (host, out)
                assert srv.received == b""
        # A name is still sent as the server name.
        with PyTlsServer({"a.bin": BODY}) as srv:
            rc, out, _ = mtsclient(["--tls", "-s", "localhost", "-p", str(srv.port), "a.bin"])
            assert rc == 0, out
            assert srv.server_names == ["localhost"], srv.server_names


def test_mtsclients_tls_to_mtserver_by_ipv4_and_ipv6_address():
    # Schannel as the server refused the handshake when the client hello
    # named "::1" (handshake-refused 0x80090304).
    for host in ("::1", "127.0.0.1"):
        with tls_server(bind=host) as srv, TrustedTestCa():
            with open(os.path.join(srv.root, "a.bin"), "wb") as f:
                f.write(BODY)
            # Pinned first: the handshake alone, whatever the name check says.
            for check in (["--fingerprint", "SHA256:" + certs().sha256], ["--tls"]):
                rc, out, into = mtsclient(check + ["-s", host, "-p", str(srv.tls_port), "a.bin"])
                assert rc == 0, (host, check, out, srv.log[-3:])
                assert read(os.path.join(into, "a.bin")) == BODY


def test_mtsclient_downloads_from_mtservers_tls_port():
    with tls_server() as srv:
        with open(os.path.join(srv.root, "a.bin"), "wb") as f:
            f.write(BODY)
        rc, out, into = mtsclient(["-s", "localhost", "-p", str(srv.tls_port), "--fingerprint",
                                   "SHA256:" + certs().sha256, "a.bin"])
        assert rc == 0, out
        assert read(os.path.join(into, "a.bin")) == BODY
        line = srv.wait_log('GET "a.bin" %d ok' % len(BODY))
        assert re.search(r" tls=TLSv1\.2/TLS_[A-Z0-9_]+\s*$", line), line


tlskit.needs_server_side_schannel(globals(), "test_mtsclient_downloads_from_mtservers_tls_port",
                                  "test_mtsclients_tls_to_mtserver_by_ipv4_and_ipv6_address")
