"""How a session ends after QUIT. When QUIT was the client's last byte the
server closes at once: no thread waits a round trip for the client's FIN.
When the client went on sending after it, the server lingers as after an
error line (reads and drops what comes, for up to a second, until the
client's FIN): closing over unread bytes would reset the connection, and a
reset destroys what is still on its way to the client.
tls/test_tls_quit_close.py has the same over TLS."""
import time

from harness import Server

# Far more than the client's 64 KiB receive buffer and the sockets' queues
# hold, so that the server is still sending it when the bytes after QUIT
# arrive.
BIG = 16 << 20


def test_quit_as_the_last_byte_closes_at_once_without_waiting_for_the_clients_fin():
    with Server() as srv:
        c = srv.connect()
        c.login()
        c.send("QUIT\r\n")  # and no FIN of ours follows
        assert c.rest() == b""
        assert c.reset_after_a_byte(10), "the server still holds the connection after QUIT"
        c.close()


def test_bytes_after_quit_in_the_same_read_keep_the_linger():
    with Server() as srv:
        c = srv.connect()
        c.login()
        c.send("QUIT\r\nmore\r\n")
        assert c.rest() == b""
        assert not c.reset_after_a_byte(0.3), "the server closed over unread bytes (a reset)"
        c.close()


def test_bytes_after_quit_that_come_during_a_download_do_not_cut_it():
    """FILE and QUIT pipelined, then more bytes while the file is still
    going out: they wait unread in the server's socket when it reaches QUIT.
    Closing then would reset the connection and lose the file's tail."""
    with Server() as srv:
        data = bytes(range(256)) * (BIG // 256)
        with open("%s/big.bin" % srv.root, "wb") as f:
            f.write(data)
        c = srv.connect(rcvbuf=65536)
        c.login()
        c.send("FILE big.bin\r\nQUIT\r\n")
        time.sleep(0.5)  # the server is stalled in the file's send by now
        c.send("after the last word\r\n")
        assert c.exact(BIG) == data
        c.expect("#File big.bin sent successfully.")
        assert c.rest() == b""
        c.close()
