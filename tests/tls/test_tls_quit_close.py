"""integration/test_quit_close.py over TLS: after a QUIT that was the
client's last record the server sends its close_notify and closes at once;
bytes after it keep the linger: in QUIT's own record, in a record that
came in the same read, or still in the socket."""
import socket

import quitclose
import tlskit


def test_tls_quit_as_the_last_record_closes_at_once():
    with tlskit.tls_server() as srv:
        quitclose.closes_at_once(tlskit.TlsConn(srv.tls_port))


def test_tls_bytes_after_quit_in_its_record_keep_the_linger():
    with tlskit.tls_server() as srv:
        quitclose.lingers_for_bytes_in_the_same_read(tlskit.TlsConn(srv.tls_port))


def test_tls_a_second_record_in_the_same_read_keeps_the_linger():
    """QUIT's record and one more in one TCP segment: the server decrypts
    the first and finds QUIT; the second stays buffered, undecrypted."""
    with tlskit.tls_server() as srv:
        c = tlskit.TlsConn(srv.tls_port)
        c.login()
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        c.send("QUIT\r\n")
        c.send("more\r\n")
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
        quitclose.lingers(c)


def test_tls_a_record_after_quit_that_comes_during_a_download_does_not_cut_it():
    with tlskit.tls_server() as srv:
        data = quitclose.big_file(srv.root)
        quitclose.download_survives_bytes_after_quit(
            tlskit.TlsConn(srv.tls_port, rcvbuf=quitclose.SMALL_RCVBUF), data)


tlskit.needs_server_side_schannel(globals())
