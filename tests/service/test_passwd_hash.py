"""`mtserver passwd --hash HASH`: stores a hash made elsewhere (the MSI's
PASSWORD_HASH, a deployment script) after the same check the service makes,
so that an unattended install never handles the clear password."""
from configdir import ConfigFolder as Folder, login, mtserver, python_hash
from harness import Server, winpath


def test_passwd_hash_stores_a_foreign_hash_that_logs_in():
    digest = python_hash("made elsewhere")
    with Folder() as f:
        f.write("[mtserver]\r\nidle_timeout = 60\r\n")
        rc, out, err = mtserver("passwd", "--config", winpath(f.config), "--hash", digest)
        assert rc == 0, (rc, out, err)
        assert f.read() == "[mtserver]\r\nidle_timeout = 60\r\npassword_hash = %s\r\n" % digest
        srv = Server(args=["--config", winpath(f.config)], password=None)
        try:
            c, reply = login(srv, "made elsewhere")
            assert reply == "#You are logged in.", reply
            c.close()
        finally:
            srv.stop()


def test_passwd_hash_refuses_what_the_service_would_refuse():
    good = python_hash("x")
    bad = ["a clear password", good.replace("$100000$", "$1000$"),
           good[:-4], "scrypt$1$2$3"]
    with Folder() as f:
        f.write("[mtserver]\r\n")
        for value in bad:
            rc, out, err = mtserver("passwd", "--config", winpath(f.config), "--hash", value)
            assert rc == 2, (value, rc, out, err)
            assert "--hash" in err, err
            assert value not in err, err  # the message never echoes the value
        assert f.read() == "[mtserver]\r\n"
        rc, out, err = mtserver("console", "--hash", good)
        assert rc == 2 and "passwd" in err, (rc, err)
