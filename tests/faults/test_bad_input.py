"""The foundation's bad-input list, sent on 50 connections at once."""
import os
import random

import faultlib
from faultlib import PASSWORD, client_from, line, parallel

NOT_OPENED = "!File %s could not be opened."

# (bytes to send after logging in, the line expected back; None: any "!" line)
CASES = [
    (b"A" * 9000 + b"\r\n", "!Line too long."),
    (b"FILE " + b"a/" * 5000 + b"x\r\n", "!Line too long."),
    (b"FILE a\x00b\r\n", "!Invalid characters."),
    (b"\x00\x00\x00\r\n", "!Invalid characters."),
    (b"FILE \xff\xfe.txt\r\n", "!Invalid characters."),
    (b"FILE \xc0\xaf\r\n", "!Invalid characters."),           # overlong '/'
    (b"FILE \xed\xa0\x80\r\n", "!Invalid characters."),       # a surrogate
    (b"AUTH \x1b[31m\r\n", "!Invalid characters."),
    (b"\x7f\r\n", "!Invalid characters."),
    (b"FROB x\r\n", "!Invalid command."),
    (b"AUTH\r\n", "!Usage: AUTH <password>."),
    (b"FILE\r\n", "!Usage: FILE <path> or GET <path>."),
    (b"GET   \r\n", "!Usage: FILE <path> or GET <path>."),
    (b"REST\r\n", "!Invalid offset."),
    (b"REST -1\r\n", "!Invalid offset."),
    (b"REST 99999999999999999999999\r\n", "!Invalid offset."),
    (b"FILE ..\\..\\windows\\win.ini\r\n", NOT_OPENED % "..\\..\\windows\\win.ini"),
    (b"FILE ../../../etc/passwd\r\n", NOT_OPENED % "../../../etc/passwd"),
    (b"GET C:\\windows\\win.ini\r\n", NOT_OPENED % "C:\\windows\\win.ini"),
    (b"FILE \\\\?\\C:\\windows\\win.ini\r\n", NOT_OPENED % "\\\\?\\C:\\windows\\win.ini"),
    (b"FILE \\\\localhost\\c$\\x\r\n", NOT_OPENED % "\\\\localhost\\c$\\x"),
    (b"FILE \\windows\\win.ini\r\n", NOT_OPENED % "\\windows\\win.ini"),
    (b"FILE C:win.ini\r\n", NOT_OPENED % "C:win.ini"),
    (b"FILE CON\r\n", NOT_OPENED % "CON"),
    (b"FILE nul.txt\r\n", NOT_OPENED % "nul.txt"),
    (b"FILE COM1\r\n", NOT_OPENED % "COM1"),
    (b"FILE a.txt:secret\r\n", NOT_OPENED % "a.txt:secret"),
    (b"FILE a.txt::$DATA\r\n", NOT_OPENED % "a.txt::$DATA"),
    (b"FILE *.txt\r\n", NOT_OPENED % "*.txt"),
    (b"FILE a.txt.\r\n", NOT_OPENED % "a.txt."),
    (b"FILE sub\\..\\..\\a.txt\r\n", NOT_OPENED % "sub\\..\\..\\a.txt"),
    (b"FILE .\r\n", NOT_OPENED % "."),
    (b"FILE sub\r\n", NOT_OPENED % "sub"),
]


def _garbage(seed):
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))


def test_bad_input_on_fifty_connections_at_once():
    def one(i):
        s = client_from(srv, "127.0.6.%d" % (1 + i % 25))
        try:
            assert line(s) == "#Server Ready."
            s.sendall(("AUTH %s\r\n" % PASSWORD).encode())
            assert line(s) == "#You are logged in."
            for data, want in CASES[i % len(CASES):] + CASES[:i % len(CASES)]:
                s.sendall(data)
                got = line(s)
                assert got == want, "%r: want %r, got %r" % (data[:40], want, got)
            # Garbage: whatever it is, each answer is a "!" or "#" line and
            # the session stays usable after a newline.
            s.sendall(_garbage(i) + b"\r\nHELP\r\n")
            while True:
                got = line(s)
                assert got is not None and got[:1] in ("!", "#"), got
                if got.startswith("#Commands:"):
                    break
            s.sendall(b"FILE a.txt\r\n")
            rest = b""
            while not rest.endswith(b"\r\n"):
                chunk = s.recv(256)
                # b"" is the end of the stream: no more will come, ever.
                assert chunk, "closed after %r" % rest
                rest += chunk
            assert rest == b"safe#File a.txt sent successfully.\r\n", rest
            s.sendall(b"QUIT\r\n")
            assert s.recv(16) == b""
        finally:
            s.close()

    def fault(_srv):
        parallel(50, one)

    with faultlib.start() as srv:
        with open(os.path.join(srv.root, "a.txt"), "wb") as f:
            f.write(b"safe")
        os.mkdir(os.path.join(srv.root, "sub"))
        faultlib.check_fault(srv, fault)


def test_bad_input_before_login_changes_nothing():
    with faultlib.start() as srv:
        s = client_from(srv, "127.0.6.100")
        assert line(s) == "#Server Ready."
        s.sendall(b"FILE a.txt\r\nREST 5\r\nGET a.txt\r\n\x00\r\n" + b"B" * 20000 + b"\n")
        assert line(s) == "!You are not logged in."
        assert line(s) == "!You are not logged in."
        assert line(s) == "!You are not logged in."
        assert line(s) == "!Invalid characters."
        assert line(s) == "!Line too long."
        s.close()
        faultlib.still_answers(srv)
