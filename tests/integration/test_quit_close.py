"""How a session ends after QUIT. When QUIT was the client's last byte the
server closes at once: no thread waits a round trip for the client's FIN.
When the client went on sending after it, the server lingers as after an
error line (reads and drops what comes, for up to a second, until the
client's FIN): closing over unread bytes would reset the connection, and a
reset destroys what is still on its way to the client. The checks are
quitclose.py's; tls/test_tls_quit_close.py runs them over TLS."""
import quitclose
from harness import Server


def test_quit_as_the_last_byte_closes_at_once_without_waiting_for_the_clients_fin():
    with Server() as srv:
        quitclose.closes_at_once(srv.connect())


def test_bytes_after_quit_in_the_same_read_keep_the_linger():
    with Server() as srv:
        quitclose.lingers_for_bytes_in_the_same_read(srv.connect())


def test_bytes_after_quit_that_come_during_a_download_do_not_cut_it():
    with Server() as srv:
        data = quitclose.big_file(srv.root)
        quitclose.download_survives_bytes_after_quit(
            srv.connect(rcvbuf=quitclose.SMALL_RCVBUF), data)
