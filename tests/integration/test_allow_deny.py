"""allow and deny (issue 13 item 14): a connection from outside the allowed
set is closed before the greeting, logged and counted; the rest are served.
Loopback has all of 127.0.0.0/8, so source addresses are picked by bind."""
import socket
import time

from harness import Server


def _from(srv, source, family=socket.AF_INET, target="127.0.0.1"):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(20)
    s.bind((source, 0))
    s.connect((target, srv.port))
    return s


def _first_bytes(s):
    """What the server sends before it closes, or up to the first line."""
    data = b""
    try:
        while not data.endswith(b"\r\n"):
            chunk = s.recv(256)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    s.close()
    return data


def _wait_stats(srv, needle, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if any(needle in line for line in srv.log if line.startswith("stats") or " stats " in line):
            return
        time.sleep(0.2)
    raise AssertionError("no stats line with %r in %r" % (needle, srv.log[-10:]))


def test_allow_lets_in_only_the_listed_address():
    with Server(args=["--allow", "127.0.0.2", "--stats-interval", "1"]) as srv:
        assert _first_bytes(_from(srv, "127.0.0.2")) == b"#Server Ready.\r\n"
        for _ in range(3):
            assert _first_bytes(_from(srv, "127.0.0.1")) == b""
        line = srv.wait_log("denied")
        assert "127.0.0.1" in line, line
        _wait_stats(srv, "denied=3")
        # The allowed address is still served after the refusals.
        assert _first_bytes(_from(srv, "127.0.0.2")) == b"#Server Ready.\r\n"


def test_deny_wins_over_allow_and_takes_cidr():
    args = ["--allow", "127.0.0.0/8", "--deny", "127.0.5.0/24, 127.0.0.9"]
    with Server(args=args) as srv:
        assert _first_bytes(_from(srv, "127.0.5.77")) == b""
        assert _first_bytes(_from(srv, "127.0.0.9")) == b""
        assert _first_bytes(_from(srv, "127.0.6.1")) == b"#Server Ready.\r\n"
        assert _first_bytes(_from(srv, "127.0.0.1")) == b"#Server Ready.\r\n"


def test_ipv4_rules_hold_on_a_dual_stack_listener():
    # Listening on every address, IPv4 clients may arrive as ::ffff:a.b.c.d;
    # an IPv4 rule must judge them all the same, and IPv6 ::1 is outside it.
    with Server(args=["--allow", "127.0.0.2"], bind=None) as srv:
        assert _first_bytes(_from(srv, "127.0.0.2")) == b"#Server Ready.\r\n"
        assert _first_bytes(_from(srv, "127.0.0.1")) == b""
        try:
            s = _from(srv, "::1", socket.AF_INET6, "::1")
        except OSError:
            return  # no IPv6 loopback here; the IPv4 half above still ran
        assert _first_bytes(s) == b""


def test_a_bad_list_stops_the_server_from_starting():
    try:
        Server(args=["--allow", "127.0.0.1/8"])
    except RuntimeError as e:
        assert "127.0.0.1/8" in str(e), e
    else:
        raise AssertionError("the server started with a bad allow list")
