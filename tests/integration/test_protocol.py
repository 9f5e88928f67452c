"""The line protocol over real sockets: framing, pipelining, bad input."""
import os
import socket
import subprocess
import time

from harness import PASSWORD, Server


def make_file(srv, name, data):
    path = os.path.join(srv.root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def test_command_split_into_single_bytes():
    with Server() as srv:
        make_file(srv, "a.txt", b"hello")
        c = srv.connect()
        c.expect("#Server Ready.")
        for b in ("AUTH %s\r\nFILE a.txt\r\n" % PASSWORD).encode():
            c.send(bytes([b]))
            time.sleep(0.001)
        c.expect("#You are logged in.")
        assert c.exact(5) == b"hello"
        c.expect("#File a.txt sent successfully.")


def test_pipelined_commands_in_one_segment():
    with Server() as srv:
        make_file(srv, "a.txt", b"A" * 1000)
        make_file(srv, "b.txt", b"B" * 10)
        c = srv.connect()
        c.send("AUTH %s\nFILE a.txt\r\nfile b.txt\nBOGUS\r\nFILE nope\nQUIT\r\nFILE a.txt\r\n" % PASSWORD)
        c.expect("#Server Ready.")
        c.expect("#You are logged in.")
        assert c.exact(1000) == b"A" * 1000
        c.expect("#File a.txt sent successfully.")
        assert c.exact(10) == b"B" * 10
        c.expect("#File b.txt sent successfully.")
        c.expect("!Invalid command.")
        c.expect("!File nope could not be opened.")
        assert c.rest() == b""  # QUIT: nothing after it is answered


def test_lf_only_and_blank_lines_and_surrounding_blanks():
    with Server() as srv:
        make_file(srv, "my file.txt", b"x")
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("\n\r\n   \n\t AuTh %s \t\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("  fIlE   my file.txt  \n")
        assert c.exact(1) == b"x"
        c.expect("#File my file.txt sent successfully.")


def test_long_line_is_refused_and_session_goes_on():
    with Server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send(b"FILE " + b"a" * 8192 + b"\r\n")
        c.expect("!Line too long.")
        c.send(b"X" * 100000)
        c.expect("!Line too long.")
        c.send(b"Y" * 100000 + b"\r\nHELP\r\n")
        assert c.line().startswith("#Commands:")
        c.send(b"H" * 8186 + b"\r\n")  # 8,186 bytes: just under the limit
        c.expect("!Invalid command.")


def test_nul_bytes_and_invalid_utf8_get_a_bang_line():
    with Server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        for bad in (b"AUTH pa\x00ss\r\n", b"FILE \xff\xfe\r\n", b"\x00\x00\x00\r\n",
                    b"FILE \xc0\xaf..\r\n", b"\x1b[2J\r\n", b"FILE a\x7fb\r\n"):
            c.send(bad)
            c.expect("!Invalid characters.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")


def test_missing_arguments_and_unknown_commands():
    with Server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("AUTH\r\n")
        c.expect("!Usage: AUTH <password>.")
        c.send("FILE\r\n")
        c.expect("!You are not logged in.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        for cmd in ("FILE", "FILE   ", "GET"):
            c.send(cmd + "\r\n")
            c.expect("!Usage: FILE <path> or GET <path>.")
        # LIST and HASH are commands now (test_listhash.py); STOR is not.
        c.send("HASH\r\n")
        c.expect("!Usage: HASH <path>.")
        for cmd in ("STOR x", "LISTX", "QUITX", "DELETE x", "\xe9t\xe9"):
            c.send(cmd + "\r\n")
            c.expect("!Invalid command.")


def test_three_bad_passwords_close_the_connection():
    with Server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("AUTH a\r\n")
        c.expect("!Bad password.")
        c.send("AUTH b\r\n")
        c.expect("!Bad password.")
        c.send("AUTH c\r\n")
        c.expect("!Too many failures.")
        assert c.closed()
        line = srv.wait_log("too-many-failures")
        assert "AUTH - 0" in line and "a\r" not in line
        assert all(" c " not in l and "AUTH c" not in l for l in srv.log)


def test_password_never_reaches_the_log():
    with Server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("AUTH wrong-guess-xyz\r\n")
        c.expect("!Bad password.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("QUIT\r\n")
        srv.wait_log("QUIT")
        text = "\n".join(srv.log)
        assert "wrong-guess-xyz" not in text and PASSWORD not in text


def test_netcat_replays_the_article_session():
    with Server() as srv:
        make_file(srv, "setup.log", b"[InstallShield Silent]\r\nVersion=v6.00.000\r\n")
        script = "file setup.log\r\nauth %s\r\nfile setup.log\r\nquit\r\n" % PASSWORD
        out = subprocess.run(["nc", "-N", "127.0.0.1", str(srv.port)], input=script.encode(),
                             stdout=subprocess.PIPE, timeout=30).stdout
        assert out == (b"#Server Ready.\r\n!You are not logged in.\r\n#You are logged in.\r\n"
                       b"[InstallShield Silent]\r\nVersion=v6.00.000\r\n"
                       b"#File setup.log sent successfully.\r\n"), out


def test_dual_stack_listener_takes_ipv4_and_ipv6():
    with Server(bind=None) as srv:
        assert "[::]" in srv.banner[0], srv.banner
        for host in ("127.0.0.1", "::1"):
            c = srv.connect(host=host)
            c.expect("#Server Ready.")
            c.send("QUIT\r\n")
            assert c.closed()
        srv.wait_log("[::1]:")
        srv.wait_log(" 127.0.0.1:")


def test_bind_to_ipv6_loopback_only():
    with Server(bind="::1") as srv:
        c = srv.connect(host="::1")
        c.expect("#Server Ready.")
        s = socket.socket()
        s.settimeout(5)
        try:
            refused = s.connect_ex(("127.0.0.1", srv.port)) != 0
        finally:
            s.close()
        assert refused


def test_documented_auth_and_rest_details():
    """What PROTOCOL.md says of AUTH after a good one and of REST's digits:
    a wrong password then answers !Bad password. and the session stays
    logged in; leading zeros are allowed and dropped in the answer; a sign,
    an exponent or more than 64 bits are not a number."""
    with Server() as srv:
        make_file(srv, "a.txt", b"0123456789")
        c = srv.connect()
        c.expect("#Server Ready.")
        for _ in range(4):  # more than three: a bare AUTH is no wrong password
            c.send("AUTH\r\n")
            c.expect("!Usage: AUTH <password>.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("AUTH wrong\r\n")
        c.expect("!Bad password.")
        c.send("REST 0007\r\n")
        c.expect("#Restarting at 7.")
        c.send("GET a.txt\r\n")
        c.expect("#Sending 3 bytes.")
        assert c.exact(3) == b"789"
        c.expect("#File a.txt sent successfully.")
        c.send("REST 18446744073709551615\r\n")
        c.expect("#Restarting at 18446744073709551615.")
        for bad in ("+5", "-1", "1e3", "18446744073709551616", "0x10"):
            c.send("REST %s\r\n" % bad)
            c.expect("!Invalid offset.")
        # The wrong password after the login counted: the third one closes.
        c.send("AUTH wrong\r\n")
        c.expect("!Bad password.")
        c.send("AUTH wrong\r\n")
        c.expect("!Too many failures.")
        assert c.closed()
