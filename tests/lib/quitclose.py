"""The ends of a session after QUIT, checked the same way over plain TCP
(integration/test_quit_close.py) and TLS (tls/test_tls_quit_close.py).
Each takes a connected client that has not read the greeting yet."""
import time

# Far more than the client's 64 KiB receive buffer and the sockets' queues
# hold, so that the server is still sending it when the bytes after QUIT
# arrive.
BIG = 16 << 20
SMALL_RCVBUF = 64 << 10


def closes_at_once(c):
    """QUIT as the last byte (and no FIN of ours): the server's socket is
    gone once its FIN is in."""
    c.login()
    c.send("QUIT\r\n")
    assert c.rest() == b""
    assert c.reset_after_a_byte(10), "the server still holds the connection after QUIT"
    c.close()


def lingers(c):
    """After the server's FIN, it still reads what comes (within the 1 s
    linger): a byte meets no reset."""
    assert c.rest() == b""
    assert not c.reset_after_a_byte(0.2), "the server closed over unread bytes (a reset)"
    c.close()


def lingers_for_bytes_in_the_same_read(c):
    """Bytes after QUIT that the server read with it (one segment; under
    TLS one record)."""
    c.login()
    c.send("QUIT\r\nmore\r\n")
    lingers(c)


def big_file(root):
    data = bytes(range(256)) * (BIG // 256)
    with open("%s/big.bin" % root, "wb") as f:
        f.write(data)
    return data


def download_survives_bytes_after_quit(c, data):
    """FILE and QUIT pipelined, then more bytes while the file still goes
    out (c has a SMALL_RCVBUF): they wait unread in the server's socket
    when it reaches QUIT. Closing then would reset the connection and lose
    the file's tail."""
    c.login()
    c.send("FILE big.bin\r\nQUIT\r\n")
    time.sleep(0.5)  # the server is stalled in the file's send by now
    c.send("after the last word\r\n")
    assert c.exact(BIG) == data
    c.expect("#File big.bin sent successfully.")
    assert c.rest() == b""
    c.close()
