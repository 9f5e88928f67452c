"""Wrong ports, clear answers (issue 20 items 8 to 10): bytes that are not
TLS on the TLS port are turned away at once (text with one line saying the
port speaks TLS), a TLS ClientHello on the plain port is told where TLS is
and closed, and mtsclient --tls aimed at a plain port says at once which
port to try. Both kinds of refusal go into the access log's refusal
summary. The tests on a server without TLS run under any Wine; those with
a TLS port need server-side Schannel (tlskit.SERVER_SIDE_SCHANNEL)."""
import re
import socket
import time

from faultlib import client_from
import tlskit
from tlskit import Server, client_hello, mtsclient, tls_server, tls_still_answers

TLS_LINE = b"!This port speaks TLS: connect with TLS (mtsclient --tls).\r\n"
NO_TLS_LINE = b"!This port speaks plain text, and this server has no TLS port.\r\n"
# An SSLv2-framed ClientHello (a two-byte length with its top bit set), as
# old scanners send to find SSL 2.0.
SSLV2_HELLO = bytes.fromhex("802e0103010015000000100700c0050080030080010080080080060040040080"
                            "020080") + bytes(16)


def _answer(sock, limit=8):
    """All the server sends until it closes (a reset ends it too), and how
    long that took; fails when the connection is still open after limit
    seconds (the handshake timeout is 10 s, the idle timeout 300 s)."""
    began = time.time()
    sock.settimeout(limit)
    data = b""
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        raise AssertionError("still open after %s s, having sent %r" % (limit, data))
    return data, time.time() - began


def test_text_on_the_tls_port_is_told_the_port_speaks_tls_and_closed_at_once():
    """A person typing AUTH and an HTTP request each get one line in clear
    and the close, not ten seconds of silence holding a slot (item 8)."""
    with tls_server() as srv:
        for i, text in enumerate([b"AUTH yellow\r\n",
                                  b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", b"A"]):
            s = client_from(srv, "127.0.9.%d" % (1 + i), port=srv.tls_port)
            s.sendall(text)
            data, took = _answer(s)
            s.close()
            assert data == TLS_LINE, (text, data)
            assert took < 3, (text, took)
            srv.wait_log("127.0.9.%d:" % (1 + i))
        assert sum(" CONNECT - 0 not-tls" in l for l in srv.log) == 3, srv.log[-6:]
        tls_still_answers(srv)


def test_an_sslv2_hello_on_the_tls_port_is_closed_at_once_with_nothing_sent():
    """Bytes no person typed get no line (a binary client would misread
    it): the connection just closes, at once (item 8)."""
    with tls_server() as srv:
        for head in (SSLV2_HELLO, b"\x16\x03\x01\x00\x00", b"\x17\x03\x03\x00\x20"):
            s = client_from(srv, "127.0.9.10", port=srv.tls_port)
            s.sendall(head)
            data, took = _answer(s)
            s.close()
            assert data == b"", (head, data)
            assert took < 3, (head, took)
        srv.wait_log(" CONNECT - 0 not-tls")
        tls_still_answers(srv)


def test_not_tls_on_the_tls_port_goes_into_the_refusal_summary():
    """One address sending text to the TLS port four times: one access-log
    line in full, the other three counted and summarised (refusals.h)."""
    with tls_server() as srv:
        for _ in range(4):
            s = client_from(srv, "127.0.9.20", port=srv.tls_port)
            s.sendall(b"AUTH yellow\r\n")
            assert _answer(s)[0] == TLS_LINE
            s.close()
        srv.wait_log(" CONNECT - 0 not-tls")
        time.sleep(0.5)
        assert sum(re.search(r"127\.0\.9\.20:\d+ CONNECT - 0 not-tls", l) is not None
                   for l in srv.log) == 1, srv.log[-6:]
    assert any("refused: 127.0.9.20 not-tls 3 more time(s)" in l for l in srv.log), srv.log[-6:]


def test_a_client_hello_on_the_plain_port_is_told_the_tls_port_and_closed():
    """Item 9: one line naming the TLS port, then the close; before, three
    '!Invalid characters.' lines and the connection open for 300 s."""
    with tls_server() as srv:
        s = client_from(srv, "127.0.9.30")
        s.sendall(client_hello())
        data, took = _answer(s)
        s.close()
        assert data == (b"#Server Ready.\r\n!This port speaks plain text, not TLS: TLS is on "
                        b"port %d.\r\n" % srv.tls_port), data
        assert took < 3, took
        srv.wait_log(" CONNECT - 0 tls-on-plain")
        c = srv.connect()  # the plain port serves on
        c.expect("#Server Ready.")
        c.send("HELP\r\nQUIT\r\n")
        assert c.line().startswith("#Commands:")
        assert c.rest() == b""


def test_a_client_hello_on_a_server_without_tls_is_told_there_is_none():
    with Server() as srv:
        s = client_from(srv, "127.0.9.31")
        hello = client_hello()
        s.sendall(hello[:1])  # 22 alone cannot tell: the next byte does
        time.sleep(0.2)
        s.sendall(hello[1:])
        data, took = _answer(s)
        s.close()
        assert data == b"#Server Ready.\r\n" + NO_TLS_LINE, data
        assert took < 3, took
        srv.wait_log(" CONNECT - 0 tls-on-plain")


def test_mtsclient_tls_on_the_plain_port_is_told_the_tls_port_at_once():
    """Item 10: mtsclient --tls on the plain port stops as soon as the
    server answers in plain text, and names the port the server gave."""
    with tls_server() as srv:
        began = time.time()
        rc, out, _ = mtsclient(["--tls", "-s", "127.0.0.1", "-p", str(srv.port), "a.bin"])
        took = time.time() - began
        assert rc != 0, out
        assert ("this port speaks plain text, not TLS; the server says its TLS port is %d: "
                "give -p %d with --tls" % (srv.tls_port, srv.tls_port)) in out, out
        assert "no answer" not in out, out
        assert took < 15, took  # the client's timeout is 30 s


def test_mtsclient_tls_on_a_server_without_tls_says_leave_out_tls():
    with Server() as srv:
        rc, out, _ = mtsclient(["--tls", "-s", "127.0.0.1", "-p", str(srv.port), "a.bin"])
        assert rc != 0, out
        assert "the server says it has no TLS port: leave out --tls" in out, out


tlskit.needs_server_side_schannel(
    globals(), "test_text_on_the_tls_port_is_told_the_port_speaks_tls_and_closed_at_once",
    "test_an_sslv2_hello_on_the_tls_port_is_closed_at_once_with_nothing_sent",
    "test_not_tls_on_the_tls_port_goes_into_the_refusal_summary",
    "test_a_client_hello_on_the_plain_port_is_told_the_tls_port_and_closed",
    "test_mtsclient_tls_on_the_plain_port_is_told_the_tls_port_at_once")
