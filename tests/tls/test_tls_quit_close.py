"""integration/test_quit_close.py over TLS: after a QUIT that was the
client's last record the server sends its close_notify and closes at once;
records after it, read or still in the socket, keep the linger."""
import time

import tlskit

BIG = 16 << 20


def test_tls_quit_as_the_last_record_closes_at_once():
    with tlskit.tls_server() as srv:
        c = tlskit.TlsConn(srv.tls_port)
        c.login()
        c.send("QUIT\r\n")
        assert c.rest() == b""  # the server's close_notify, then its FIN
        assert c.reset_after_a_byte(10), "the server still holds the connection after QUIT"
        c.close()


def test_tls_a_record_after_quit_in_the_same_read_keeps_the_linger():
    with tlskit.tls_server() as srv:
        c = tlskit.TlsConn(srv.tls_port)
        c.login()
        c.send("QUIT\r\nmore\r\n")
        assert c.rest() == b""
        assert not c.reset_after_a_byte(0.3), "the server closed over unread bytes (a reset)"
        c.close()


def test_tls_a_record_after_quit_that_comes_during_a_download_does_not_cut_it():
    with tlskit.tls_server() as srv:
        data = bytes(range(256)) * (BIG // 256)
        with open("%s/big.bin" % srv.root, "wb") as f:
            f.write(data)
        c = tlskit.TlsConn(srv.tls_port, rcvbuf=65536)
        c.login()
        c.send("FILE big.bin\r\nQUIT\r\n")
        time.sleep(0.5)  # the server is stalled in the file's send by now
        c.send("after the last word\r\n")
        assert c.exact(BIG) == data
        c.expect("#File big.bin sent successfully.")
        assert c.rest() == b""
        c.close()
tlskit.needs_server_side_schannel(globals())
