"""Password checks against a password_hash (PBKDF2) are capped: at most
auth_concurrency run at once, the others wait their turn up to the idle
timeout and are then told the server is busy (issue 13 item 5). The rest
of the fault suite logs in with MTS_PASSWORD, a clear password; here the
server has only a hash, made in Python with hashlib."""
import base64
import hashlib
import os
import time

from faultlib import client_from, line
from harness import Server, temp_root, winpath

RIGHT = "the right one"
# About 2.7 s of BCrypt under Wine 8 on the test machine: long enough that a
# second AUTH arrives while the first is still being checked.
ITERATIONS = 2000000


def _b64(data):
    return base64.b64encode(data).decode().rstrip("=")


def _config_with_hash():
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", RIGHT.encode(), salt, ITERATIONS)
    path = os.path.join(temp_root(), "mtserver.ini")
    with open(path, "w") as f:
        f.write("password_hash = pbkdf2-sha256$%d$%s$%s\n" % (ITERATIONS, _b64(salt), _b64(key)))
    return winpath(path)


def test_one_check_at_a_time_and_the_next_waits_no_longer_than_the_idle_timeout():
    args = ["--config", _config_with_hash(), "--auth-concurrency", "1", "--idle-timeout", "1"]
    with Server(args=args, password=None) as srv:
        first = client_from(srv, "127.0.6.1", timeout=60)
        assert line(first) == "#Server Ready."
        first.sendall(b"AUTH wrong one\r\n")
        time.sleep(0.3)  # the first check is under way
        second = client_from(srv, "127.0.6.2", timeout=60)
        assert line(second) == "#Server Ready."
        second.sendall(b"AUTH also wrong\r\n")
        # Without the cap the second check ran beside the first and got its
        # "!Bad password."; with one slot it waits 1 s (the idle timeout).
        assert line(second) == "!Server busy."
        assert line(second) is None
        assert line(first) == "!Bad password."
        srv.wait_log("127.0.6.2:%d AUTH - 0 busy-auth" % second.getsockname()[1])
        # The slot was given back: the right password still logs in.
        third = client_from(srv, "127.0.6.3", timeout=60)
        assert line(third) == "#Server Ready."
        third.sendall(("AUTH %s\r\n" % RIGHT).encode())
        assert line(third) == "#You are logged in."
        for s in (first, second, third):
            s.close()


def test_by_default_checks_run_one_per_processor_and_all_are_answered():
    # Four wrong passwords at once from four addresses with the default cap
    # (one per processor, two here) and a generous idle timeout: each gets
    # its answer, none is refused as busy.
    with Server(args=["--config", _config_with_hash(), "--idle-timeout", "60"],
                password=None) as srv:
        socks = [client_from(srv, "127.0.6.%d" % (10 + i), timeout=120) for i in range(4)]
        for s in socks:
            assert line(s) == "#Server Ready."
            s.sendall(b"AUTH nope\r\n")
        assert [line(s) for s in socks] == ["!Bad password."] * 4
        for s in socks:
            s.close()
