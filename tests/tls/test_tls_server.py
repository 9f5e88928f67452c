"""The TLS port over real sockets, with clients nobody here wrote (openssl
s_client, Python's ssl). These need server-side Schannel: they are the
module's tests only where the Wine has it (tlskit.SERVER_SIDE_SCHANNEL; Wine
9 and later, Windows); under Wine 8 test_tls_start.py shows the start
refused instead, and this module says on one line that it has no tests."""
import os
import re
import socket
import ssl
import subprocess
import time

from harness import read_pipe
import tlskit
from tlskit import (PASSWORD, Server, TlsConn, TrustedTestCa, certs, client_hello,
                    key_containers, mtsclient, s_client, tls_server, winpath)

CONFIG_SYS = b"DEVICE=C:\\WINDOWS\\HIMEM.SYS\r\nDEVICE=C:\\WINDOWS\\EMM386.EXE\r\n"


def test_openssl_s_client_replays_the_article_over_tls():
    with tls_server() as srv:
        with open(os.path.join(srv.root, "config.sys"), "wb") as f:
            f.write(CONFIG_SYS)
        script = ("file config.sys\r\nauth yellow\r\nauth %s\r\nfile config.sys\r\n"
                  "file d:\\g5.doc\r\nquit\r\n" % PASSWORD).encode()
        rc, out, err = s_client(srv.tls_port, script)
        assert out == (b"#Server Ready.\r\n!You are not logged in.\r\n!Bad password.\r\n"
                       b"#You are logged in.\r\n" + CONFIG_SYS +
                       b"#File config.sys sent successfully.\r\n"
                       b"!File d:\\g5.doc could not be opened.\r\n"), (out, err)
        line = srv.wait_log('FILE "config.sys" %d ok' % len(CONFIG_SYS))
        assert re.search(r" tls=TLSv1\.[23]/TLS_[A-Z0-9_]+\s*$", line), line


def test_python_ssl_verifies_the_certificate_and_downloads_over_several_records():
    data = os.urandom(200000) + b"end"  # more than a dozen 16 KiB records
    with tls_server() as srv:
        with open(os.path.join(srv.root, "big.bin"), "wb") as f:
            f.write(data)
        c = TlsConn(srv.tls_port, host_name="localhost").login()
        assert c.sock.version() in ("TLSv1.2", "TLSv1.3")
        c.send("GET big.bin\r\n")
        c.expect("#Sending %d bytes." % len(data))
        assert c.exact(len(data)) == data
        c.expect("#File big.bin sent successfully.")
        c.send("REST 199990\r\n")
        c.expect("#Restarting at 199990.")
        c.send("GET big.bin\r\n")
        c.expect("#Sending 13 bytes.")
        assert c.exact(13) == data[199990:]
        c.expect("#File big.bin sent successfully.")
        c.send("QUIT\r\n")
        assert c.rest() == b""


def test_downloads_at_the_edges_of_a_send_keep_every_byte_and_lines_follow():
    """A file goes 19 records of 16 KiB per send, in a buffer made for the
    file and given back after it (server/transport_tls.c): sizes one under,
    at and one over a send's worth, two sends and a byte, an empty file and
    a REST into the second send all arrive whole, and the lines after each
    (sealed in the small buffer made again) are intact."""
    send = 19 * 16384
    sizes = [0, 1, send - 1, send, send + 1, 2 * send + 1]
    data = os.urandom(2 * send + 1)
    with tls_server() as srv:
        for n in sizes:
            with open(os.path.join(srv.root, "f%d.bin" % n), "wb") as f:
                f.write(data[:n])
        c = TlsConn(srv.tls_port, host_name="localhost").login()
        for n in sizes:
            c.send("GET f%d.bin\r\n" % n)
            c.expect("#Sending %d bytes." % n)
            assert c.exact(n) == data[:n], n
            c.expect("#File f%d.bin sent successfully." % n)
        c.send("REST %d\r\n" % (send + 7))
        c.expect("#Restarting at %d." % (send + 7))
        c.send("GET f%d.bin\r\n" % (2 * send + 1))
        c.expect("#Sending %d bytes." % (send - 6))
        assert c.exact(send - 6) == data[send + 7:]
        c.expect("#File f%d.bin sent successfully." % (2 * send + 1))
        c.send("QUIT\r\n")
        assert c.rest() == b""


def test_mtsclient_refuses_mtservers_certificate_under_a_name_it_is_not_for():
    """mtsclient --tls checks the name it was given against the certificate
    mtserver serves (client/tlsclient.c, Schannel's SSL chain policy). The
    test certificate is for localhost and 127.0.0.1; the server listens on
    every address, so 127.0.0.2 reaches the same server under a name the
    certificate is not for: refused, before a byte of the protocol (so no
    password) goes to the server. The right name then downloads."""
    with Server(ports=("plain", "tls"), bind=None,
                args=["--tls-port", "0", "--config", winpath(certs().config())]) as srv, \
            TrustedTestCa():
        with open(os.path.join(srv.root, "a.bin"), "wb") as f:
            f.write(CONFIG_SYS)
        rc, out, into = mtsclient(["--tls", "-s", "127.0.0.2", "-p", str(srv.tls_port), "a.bin"])
        assert rc == 2 and "is not for 127.0.0.2" in out, (rc, out)
        assert os.listdir(into) == []
        rc, out, into = mtsclient(["--tls", "-s", "localhost", "-p", str(srv.tls_port), "a.bin"])
        assert rc == 0, out
        with open(os.path.join(into, "a.bin"), "rb") as f:
            assert f.read() == CONFIG_SYS
        srv.wait_log('GET "a.bin" %d ok' % len(CONFIG_SYS))
        # One login, the right name's: the refused session sent no AUTH.
        assert sum(" AUTH " in l for l in srv.log) == 1, srv.log


def test_tls_10_and_11_only_clients_are_refused():
    with tls_server() as srv:
        for flag in ("-tls1", "-tls1_1"):
            rc, out, err = s_client(srv.tls_port, b"HELP\r\n", flag, "-cipher",
                                    "DEFAULT:@SECLEVEL=0")
            assert rc != 0 and b"#" not in out, (flag, out, err)
        # The server saw both hellos and refused them itself.
        deadline = time.time() + 10
        while sum("handshake-refused" in l for l in srv.log) < 2:
            assert time.time() < deadline, srv.log[-10:]
            time.sleep(0.1)
        TlsConn(srv.tls_port).login()


def test_plain_text_on_the_tls_port_gets_one_fixed_line_in_clear():
    # Before issue 20 Schannel read "AUTH" as the start of a record far
    # longer than what followed and waited for the rest, until the
    # handshake timeout. Now the first byte tells it is not TLS: the only
    # thing in clear is one fixed line (PROTOCOL.md, "The wrong port"),
    # never the greeting or an answer to what was sent, and the AUTH line
    # is neither checked nor logged.
    with tls_server(args=["--tls-handshake-timeout", "3"]) as srv:
        s = socket.create_connection(("127.0.0.1", srv.tls_port), timeout=20)
        s.sendall(("AUTH %s\r\nHELP\r\n" % PASSWORD).encode())
        got = b""
        began = time.time()
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        except ConnectionResetError:
            pass
        assert time.time() - began < 2
        assert got == b"!This port speaks TLS: connect with TLS (mtsclient --tls).\r\n", got
        srv.wait_log(" CONNECT - 0 not-tls")
        assert not any(" AUTH " in l for l in srv.log), srv.log


def test_a_tls_client_hello_on_the_plain_port_gets_a_bang_line():
    with tls_server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send(client_hello())
        assert c.line().startswith("!")
        c.close()
        srv.connect().expect("#Server Ready.")  # the server lives on


def test_a_handshake_that_stops_half_way_is_cut_off_at_the_timeout():
    with tls_server(args=["--tls-handshake-timeout", "2"]) as srv:
        s = socket.create_connection(("127.0.0.1", srv.tls_port), timeout=30)
        s.sendall(client_hello()[:20])
        began = time.time()
        try:
            assert s.recv(4096) == b""
        except ConnectionResetError:
            pass
        took = time.time() - began
        assert 1.5 <= took < 10, took
        srv.wait_log("handshake-timeout")
        TlsConn(srv.tls_port).login()


def test_garbage_records_after_the_handshake_close_the_connection():
    with tls_server() as srv:
        c = TlsConn(srv.tls_port).login()
        raw = socket.socket(fileno=os.dup(c.sock.fileno()))
        raw.sendall(b"\x17\x03\x03\x00\x40" + os.urandom(64))
        raw.close()
        try:
            c.rest()
        except (ssl.SSLError, ConnectionResetError):
            pass
        assert " record-refused 0x" in srv.wait_log("tls: 127.0.0.1:")  # and why, in the log
        TlsConn(srv.tls_port).login()


def test_a_client_renegotiation_request_ends_the_connection():
    # openssl s_client's R command asks for a new TLS 1.2 handshake (Python's
    # ssl cannot). The server refuses by closing, logs why, and serves on.
    with tls_server() as srv:
        p = subprocess.Popen(["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.tls_port,
                              "-tls1_2", "-crlf"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        # Every read with a deadline: an s_client left waiting (a server
        # that neither answers nor closes) fails the test, not hangs it.
        deadline = time.time() + 60
        try:
            line = b""
            while not line.startswith(b"#Server Ready."):
                line = read_pipe(p.stdout, deadline)
                assert line, "no greeting"
            p.stdin.write(("AUTH %s\n" % PASSWORD).encode())
            p.stdin.flush()
            assert read_pipe(p.stdout, deadline).startswith(b"#You are logged in."), "no login"
            p.stdin.write(b"R\n")
            p.stdin.flush()
            # To the end: the server closes the connection and s_client exits.
            rest = read_pipe(p.stdout, deadline, line=False)
            assert p.wait(timeout=20) != 0
        finally:
            p.kill()
            p.wait()
        assert b"RENEGOTIATING" in rest and b"#" not in rest, rest
        srv.wait_log("tls: 127.0.0.1:")
        assert any(l.endswith(" renegotiation-refused") for l in srv.log), srv.log[-5:]
        TlsConn(srv.tls_port).login()


def test_auth_on_the_plain_port_is_refused_naming_the_tls_port():
    with tls_server() as srv:
        c = srv.connect()
        c.expect("#Server Ready.")
        for _ in range(5):  # never counted: no "too many failures", no delay
            c.send("AUTH %s\r\n" % PASSWORD)
            c.expect("!Passwords are not taken on this port: connect with TLS to port %d."
                     % srv.tls_port)
        c.send("FILE x\r\n")
        c.expect("!You are not logged in.")
        srv.wait_log("AUTH - 0 needs-tls")


def test_plain_logins_setting_allows_auth_on_the_plain_port():
    with tls_server(args=["--plain-logins", "1"]) as srv:
        srv.connect().login()


def test_plain_port_setting_leaves_only_the_tls_port():
    with tls_server(args=["--plain-port", "0"], ports=("tls",)) as srv:
        assert srv.port is None
        assert not any("listening on" in l for l in srv.banner), srv.banner
        TlsConn(srv.tls_port).login()


def test_certificate_thumbprint_matches_what_python_sees():
    with tls_server() as srv:
        c = TlsConn(srv.tls_port)
        import hashlib
        assert hashlib.sha256(c.sock.getpeercert(True)).hexdigest().upper() == certs().sha256


def test_the_log_names_the_versions_served_and_none_is_older_than_tls_12():
    # Wine takes SCH_CREDENTIALS but ignores its TLS parameters (it would
    # offer SSL 3 to TLS 1.1): the server sees that and asks with
    # SCHANNEL_CRED for TLS 1.2 instead; Windows 11 serves 1.2 and 1.3.
    with tls_server() as srv:
        line = srv.start_lines(" tls: certificate ")
        assert len(line) == 1, srv.banner + srv.log
        served = line[0].split(", serving ", 1)[1].split(" (", 1)[0]
        assert served in ("TLS 1.2", "TLS 1.2, TLS 1.3"), line
        if served == "TLS 1.2":
            assert "(SCHANNEL_CRED; " in line[0], line  # and why not SCH_CREDENTIALS
        rc, out, err = s_client(srv.tls_port, b"QUIT\r\n", "-tls1_2")
        assert out.startswith(b"#Server Ready."), (out, err)


def test_a_pfx_start_leaves_no_key_container_behind():
    """The PFX's key is imported persisted (Schannel serves with no other
    kind); the server deletes that container when the credential goes.
    Wine names the container after the user, Windows a new GUID per import."""
    before = key_containers()
    with tls_server() as srv:
        TlsConn(srv.tls_port).login()
        during = key_containers()
    assert len(during - before) == 1, (before, during)
    assert key_containers() == before


# Where Schannel cannot serve, test_tls_start.py shows the start refused.
tlskit.needs_server_side_schannel(globals())
