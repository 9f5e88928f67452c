"""PARAMCHANGE takes plain_logins and tls_handshake_timeout for the
sessions that begin after it (issue 22; tests/service/test_service_reload.py
has the others): a plain session begun before the reload is still told to
use TLS, one begun after may log in; a TLS connection begun after the
reload has the new, shorter time for its handshake. Needs server-side
Schannel (Wine 10); see test_service.py's header for how the service is
installed and removed."""
import os
import socket
import time

import tlskit
from harness import Conn, free_port, winpath
from svckit import PASSWORD, mtserver, paramchange, wait_lines, with_service

TAKEN = "mtserver paramchange: changed in the file, taken for new sessions: "


def test_paramchange_takes_plain_logins_and_the_handshake_timeout():
    def body(s):
        tls_port = free_port()
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root),
                  "--tls-port", str(tls_port), "--tls-handshake-timeout", "120",
                  "--self-signed", "--name", "localhost")
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        rc, out = mtserver("start")
        assert rc == 0, out
        needs_tls = ("!Passwords are not taken on this port: connect with TLS to port %d."
                     % tls_port)
        old = Conn(s.port)
        old.expect("#Server Ready.")
        text = s.read()
        assert "\r\ntls_handshake_timeout = 120\r\n" in text, text
        s.write(text.replace("tls_handshake_timeout = 120", "tls_handshake_timeout = 2")
                + "plain_logins = 1\r\n")
        rc, out = paramchange()
        assert rc == 0, out
        log = os.path.join(s.dir, "logs", "access.log")
        line = wait_lines(log, TAKEN, 1)[0].rstrip()
        assert line.endswith(TAKEN + "tls_handshake_timeout, plain_logins"), line
        new = Conn(s.port)
        new.expect("#Server Ready.")
        new.send("AUTH %s\r\n" % PASSWORD)
        new.expect("#You are logged in.")
        # Begun before the reload: as it began, without plain logins.
        old.send("AUTH %s\r\n" % PASSWORD)
        old.expect(needs_tls)
        # A TLS client that never says a word: closed after 2 s, not 120.
        silent = socket.create_connection(("127.0.0.1", tls_port), timeout=60)
        began = time.time()
        try:
            assert silent.recv(1) == b""
        except ConnectionResetError:
            pass
        assert time.time() - began < 60
        silent.close()
        old.close()
        new.close()
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


tlskit.needs_server_side_schannel(globals())
