"""mtsclient sends its password without TLS only to a loopback address,
unless the user says otherwise (--plain, MTS_PLAIN=1): issue 19, item 9.

Each test runs both ends inside a network namespace of its own
(tests/lib/netns.py) where 198.18.0.1 is a second address of the machine
that is not loopback, so no traffic leaves the machine. The inside is
tests/client/plain_inside.py. Loopback without --plain (127.0.0.1,
localhost, ::1) is what test_client.py does throughout."""
import os

import netns

INSIDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plain_inside.py")


def refused(*args):
    r = netns.run_python(INSIDE, ("refused",) + args)
    # Stopped before connecting: nothing reached the listener, so the
    # password did not either; exit code 2 and one line naming both ways.
    assert r["code"] == 2, r
    assert r["connections"] == 0 and not r["password_seen"], r
    lines = r["stderr"].splitlines()
    assert len(lines) == 1, r
    assert lines[0].startswith("mtsclient: ") and netns.ADDRESS in lines[0], r
    assert "--tls" in lines[0] and "20249" in lines[0] and "--plain" in lines[0], r
    assert r["files"] == [] and r["stdout"] == "", r


def allowed(*args):
    r = netns.run_python(INSIDE, ("allowed",) + args)
    assert r["code"] == 0, r
    assert r["saved"] == "hello from the other address\r\n", r


def test_no_password_in_clear_to_an_address_off_loopback():
    refused()


def test_mts_plain_other_than_1_does_not_allow_it():
    refused("MTS_PLAIN=0")


def test_plain_option_sends_it_anyway():
    allowed("--plain")


def test_mts_plain_1_sends_it_anyway():
    allowed("MTS_PLAIN=1")
