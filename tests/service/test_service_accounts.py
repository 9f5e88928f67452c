"""The service with accounts (issue 23): it starts with an accounts.ini
beside its configuration and no password_hash, serves accounts only, and
reads the store again on PARAMCHANGE (as well as within 5 s of a change);
`mtserver status` counts its sessions per account.
See test_service.py's header for how the service is installed and removed."""
import os
import time

from configdir import python_hash
from harness import Conn, winpath
from svckit import mtserver, paramchange, wait_lines, with_service


def test_service_serves_accounts_and_reads_them_again_on_paramchange():
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        store = os.path.join(s.dir, "accounts.ini")
        with open(store, "w", encoding="utf-8", newline="") as f:
            f.write("[account alice]\r\npassword_hash = %s\r\nroot = %s\r\n"
                    % (python_hash("alice pw"), winpath(s.root)))
        # No password_hash: the accounts stand in for it.
        rc, out = mtserver("start")
        assert rc == 0 and "RUNNING" in out, out
        c = Conn(s.port)
        c.expect("#Server Ready.")
        c.send("AUTH alice pw\r\n")
        c.expect("!Send USER <name> before AUTH.")
        c.send("USER alice\r\nAUTH alice pw\r\n")
        c.expect("#User accepted; send AUTH <password>.")
        c.expect("#You are logged in.")
        c.send("FILE data.bin\r\n")
        assert c.exact(len(s.data)) == s.data
        c.expect("#File data.bin sent successfully.")
        # mtserver status counts the sessions per account (published by the
        # service's account watch at most 2 s after they change).
        deadline = time.time() + 10
        while True:
            rc, out = mtserver("status")
            if "account sessions: alice=1" in out or time.time() > deadline:
                break
            time.sleep(0.5)
        assert rc == 0 and "mtserver: account sessions: alice=1\n" in out.replace("\r", ""), out
        log = os.path.join(s.dir, "logs", "access.log")
        first = wait_lines(log, "accounts: ", 1)[0]
        assert "1 account(s); no shared password" in first, first
        # Unchanged, and read again all the same when asked.
        rc, out = paramchange()
        assert rc == 0, out
        again = wait_lines(log, "accounts: ", 2)[1]
        assert "accounts.ini: 1 account(s)" in again, again
        # A store handed to another user since the start is not believed:
        # Wine reads a file of another Unix owner as ANONYMOUS LOGON's
        # (test_service.py's owner test), and the accounts read before stay.
        if os.geteuid() == 0:
            os.chown(store, 65534, -1)  # nobody
            try:
                rc, out = paramchange()
                assert rc == 0, out
                refused = wait_lines(log, "accounts: ", 3)[2]
                assert "ANONYMOUS LOGON" in refused, refused
                assert "the accounts read before stay" in refused, refused
            finally:
                os.chown(store, 0, -1)
            c.send("HASH data.bin\r\n")
            assert c.line().startswith("#SHA-256 ")
        c.send("QUIT\r\n")
        c.close()
        deadline = time.time() + 10
        while "account sessions: none" not in out and time.time() < deadline:
            time.sleep(0.5)
            rc, out = mtserver("status")
        assert "mtserver: account sessions: none" in out, out
        rc, out = mtserver("stop")
        assert rc == 0, out
    with_service(body)
