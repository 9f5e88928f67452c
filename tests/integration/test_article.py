"""The article's telnet transcript, replayed byte for byte."""
import os

from harness import PASSWORD, Server

CONFIG_SYS = b"DEVICE=C:\\WINDOWS\\HIMEM.SYS\r\nDEVICE=C:\\WINDOWS\\EMM386.EXE\r\n"


def test_article_transcript():
    with Server() as srv:
        with open(os.path.join(srv.root, "config.sys"), "wb") as f:
            f.write(CONFIG_SYS)
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("file config.sys\r\n")
        c.expect("!You are not logged in.")
        c.send("auth yellow\r\n")
        c.expect("!Bad password.")
        c.send("auth %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("file config.sys\r\n")
        assert c.exact(len(CONFIG_SYS)) == CONFIG_SYS
        c.expect("#File config.sys sent successfully.")
        c.send("file d:\\g5.doc\r\n")
        c.expect("!File d:\\g5.doc could not be opened.")
        c.send("quit\r\n")
        assert c.rest() == b""
        srv.wait_log('FILE "config.sys" %d ok' % len(CONFIG_SYS))


def test_absolute_path_inside_root_is_served():
    with Server() as srv:
        with open(os.path.join(srv.root, "config.sys"), "wb") as f:
            f.write(CONFIG_SYS)
        from harness import winpath
        path = winpath(os.path.join(srv.root, "config.sys"))
        c = srv.connect().login()
        c.send("FILE %s\r\n" % path.lower())
        assert c.exact(len(CONFIG_SYS)) == CONFIG_SYS
        c.expect("#File %s sent successfully." % path.lower())


def test_esc_stops_server_with_exit_code_zero():
    srv = Server()
    c = srv.connect()
    c.expect("#Server Ready.")
    assert srv.stop() == 0
    assert c.closed()
