"""The GET, REST and HELP extension at the protocol level, over a plain socket."""
import os

from harness import Server

BODY = b"0123456789abcdef\r\n#File x sent successfully.\r\n\x00\x01\xff end"
HELP = ("#Commands: USER <name>, AUTH <password>, FILE <path>, GET <path>, REST <offset>, "
        "LIST [folder], HASH <path>, HELP, QUIT.")


def put(srv, name, data):
    with open(os.path.join(srv.root, name), "wb") as f:
        f.write(data)


def get(c, path, body):
    """Sends GET and checks the whole answer: size line, exact bytes, trailer."""
    c.send("GET %s\r\n" % path)
    c.expect("#Sending %d bytes." % len(body))
    assert c.exact(len(body)) == body
    c.expect("#File %s sent successfully." % path)


def test_get_sends_size_bytes_and_trailer():
    with Server() as srv:
        put(srv, "b.bin", BODY)
        put(srv, "empty", b"")
        c = srv.connect().login()
        get(c, "b.bin", BODY)
        get(c, "empty", b"")
        # The connection stays in step: a second request on it works as well.
        get(c, "b.bin", BODY)
        c.send("QUIT\r\n")
        assert c.rest() == b""
        srv.wait_log('GET "b.bin" %d ok' % len(BODY))


def test_get_missing_file_and_usage():
    with Server() as srv:
        c = srv.connect().login()
        c.send("GET nothing.here\r\n")
        c.expect("!File nothing.here could not be opened.")
        c.send("GET\r\n")
        c.expect("!Usage: FILE <path> or GET <path>.")
        c.send("GET ..\\outside\r\n")
        c.expect("!File ..\\outside could not be opened.")


def test_get_and_rest_need_login():
    with Server() as srv:
        put(srv, "b.bin", BODY)
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("GET b.bin\r\n")
        c.expect("!You are not logged in.")
        c.send("REST 3\r\n")
        c.expect("!You are not logged in.")


def test_rest_then_get_sends_the_tail():
    with Server() as srv:
        put(srv, "b.bin", BODY)
        c = srv.connect().login()
        c.send("REST 5\r\n")
        c.expect("#Restarting at 5.")
        get(c, "b.bin", BODY[5:])
        # REST is for the next transfer only.
        get(c, "b.bin", BODY)
        # An offset equal to the size is allowed: nothing is left to send.
        c.send("REST %d\r\n" % len(BODY))
        c.expect("#Restarting at %d." % len(BODY))
        get(c, "b.bin", b"")


def test_rest_then_file_streams_from_the_offset():
    with Server() as srv:
        put(srv, "b.bin", BODY)
        c = srv.connect().login()
        c.send("rest 10\r\n")
        c.expect("#Restarting at 10.")
        c.send("FILE b.bin\r\n")
        assert c.exact(len(BODY) - 10) == BODY[10:]
        c.expect("#File b.bin sent successfully.")


def test_rest_past_the_end_is_refused_and_forgotten():
    with Server() as srv:
        put(srv, "b.bin", BODY)
        c = srv.connect().login()
        c.send("REST %d\r\n" % (len(BODY) + 1))
        c.expect("#Restarting at %d." % (len(BODY) + 1))
        c.send("GET b.bin\r\n")
        c.expect("!Offset is past the end of the file.")
        get(c, "b.bin", BODY)
        c.send("REST 99999999999\r\n")
        c.expect("#Restarting at 99999999999.")
        c.send("FILE b.bin\r\n")
        c.expect("!Offset is past the end of the file.")
        # A failed open also uses up the offset.
        c.send("REST 4\r\n")
        c.expect("#Restarting at 4.")
        c.send("GET missing\r\n")
        c.expect("!File missing could not be opened.")
        get(c, "b.bin", BODY)


def test_rest_that_is_not_a_number():
    with Server() as srv:
        put(srv, "b.bin", BODY)
        c = srv.connect().login()
        for arg in ["abc", "-1", "+1", "1.5", "0x10", "1 2", "", "18446744073709551616"]:
            c.send(("REST %s\r\n" % arg) if arg else "REST\r\n")
            c.expect("!Invalid offset.")
        # None of them set an offset.
        get(c, "b.bin", BODY)
        c.send("REST 18446744073709551615\r\n")
        c.expect("#Restarting at 18446744073709551615.")
        c.send("GET b.bin\r\n")
        c.expect("!Offset is past the end of the file.")


def test_help_lists_the_commands_logged_in_or_not():
    with Server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("HELP\r\n")
        c.expect(HELP)
        c.send("AUTH s3cret pass\r\n")
        c.expect("#You are logged in.")
        c.send("help\r\n")
        c.expect(HELP)
        for verb in ["AUTH", "FILE", "GET", "REST", "LIST", "HASH", "HELP", "QUIT"]:
            assert verb in HELP


def _grow_or_shrink_while_sending(change):
    """The reader stops reading, so the server is stuck in the middle of the
    transfer (the file is far bigger than the socket buffers); the file then
    changes size, and only then does the reader take everything."""
    size = 32 << 20
    with Server() as srv:
        path = os.path.join(srv.root, "big.bin")
        with open(path, "wb") as f:
            f.write(b"\xab" * size)
        c = srv.connect().login()
        c.send("GET big.bin\r\n")
        c.expect("#Sending %d bytes." % size)
        assert len(c.exact(1 << 20)) == 1 << 20
        change(path, size)
        rest = c.rest()
        # Never the success line: the connection ends instead.
        assert b"sent successfully" not in rest
        srv.wait_log('GET "big.bin"')
        assert "aborted" in srv.wait_log('GET "big.bin"')
        return (1 << 20) + len(rest), size


def test_file_that_grows_while_sent_ends_the_connection():
    def grow(path, size):
        with open(path, "ab") as f:
            f.write(b"more")
    got, size = _grow_or_shrink_while_sending(grow)
    assert got == size


def test_file_that_shrinks_while_sent_ends_the_connection():
    def shrink(path, size):
        os.truncate(path, size // 2)
    got, size = _grow_or_shrink_while_sending(shrink)
    assert got < size


def test_offsets_and_sizes_past_4_gib():
    """A sparse 5 GiB file (no disk cost) whose last bytes are set: GET
    announces its 64-bit size, and REST past 2^32 followed by GET or FILE
    sends exactly the tail, so TransmitFile gets the offset's high half."""
    size = 5 << 30
    tail = b"the end, past four GiB"
    with Server() as srv:
        with open(os.path.join(srv.root, "huge.bin"), "wb") as f:
            f.truncate(size - len(tail))
            f.seek(size - len(tail))
            f.write(tail)
        c = srv.connect().login()
        c.send("REST %d\r\n" % (size - len(tail)))
        c.expect("#Restarting at %d." % (size - len(tail)))
        get(c, "huge.bin", tail)
        c.send("REST %d\r\n" % (size - 3))
        c.expect("#Restarting at %d." % (size - 3))
        c.send("FILE huge.bin\r\n")
        assert c.exact(3) == b"GiB"
        c.expect("#File huge.bin sent successfully.")
        # A GET from the start announces the whole 64-bit size.
        c.send("GET huge.bin\r\n")
        c.expect("#Sending %d bytes." % size)
        c.close()


def test_sizes_around_the_small_file_path_arrive_whole():
    # Up to 64 KiB a file goes by ReadFile and one send, beyond it by
    # TransmitFile (server/transfer.c, issue 24): both sides of the line,
    # whole and resumed across it, and FILE as well as GET.
    sizes = (1, 65535, 65536, 65537, 200000)
    with Server() as srv:
        for n in sizes:
            put(srv, "s%d.bin" % n, bytes((i * 7 + n) & 0xFF for i in range(n)))
        c = srv.connect().login()
        for n in sizes:
            data = bytes((i * 7 + n) & 0xFF for i in range(n))
            get(c, "s%d.bin" % n, data)
            c.send("FILE s%d.bin\r\n" % n)
            assert c.exact(n) == data
            c.expect("#File s%d.bin sent successfully." % n)
        for n, rest in ((65537, 1), (200000, 200000 - 65536), (200000, 3)):
            data = bytes((i * 7 + n) & 0xFF for i in range(n))
            c.send("REST %d\r\n" % rest)
            c.expect("#Restarting at %d." % rest)
            get(c, "s%d.bin" % n, data[rest:])
        c.send("QUIT\r\n")
        assert c.rest() == b""
        srv.wait_log('GET "s200000.bin" %d ok' % 199997)
