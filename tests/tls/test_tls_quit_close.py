"""integration/test_quit_close.py over TLS: after a QUIT that was the
client's last record the server sends its close_notify and closes at once;
records after it, read with it or still in the socket, keep the linger."""
import quitclose
import tlskit


def test_tls_quit_as_the_last_record_closes_at_once():
    with tlskit.tls_server() as srv:
        quitclose.closes_at_once(tlskit.TlsConn(srv.tls_port))


def test_tls_a_record_after_quit_in_the_same_read_keeps_the_linger():
    with tlskit.tls_server() as srv:
        quitclose.lingers_for_bytes_in_the_same_read(tlskit.TlsConn(srv.tls_port))


def test_tls_a_record_after_quit_that_comes_during_a_download_does_not_cut_it():
    with tlskit.tls_server() as srv:
        data = quitclose.big_file(srv.root)
        quitclose.download_survives_bytes_after_quit(
            tlskit.TlsConn(srv.tls_port, rcvbuf=quitclose.SMALL_RCVBUF), data)


tlskit.needs_server_side_schannel(globals())
