"""What the tests that install the service share (tests/service,
tests/tls/test_tls_service.py): running Windows programs, the service's
state through `sc query`, removing it by every means, a folder with a
configuration, root and port, and with_service, which runs a test's body
inside harness.wine_session with the service removed before and after."""
import os
import re
import subprocess
import time

from configdir import ConfigFolder
from harness import Conn, RUN, exe, free_port, wine_session, winpath

PASSWORD = "service pass 1"
SERVICE_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\mtserver"
EVENT_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\mtserver"
STATE = re.compile(r"STATE\s*:\s*(\d+)")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")
CHECKPOINT = re.compile(r"CHECKPOINT\s*:\s*(0x[0-9a-fA-F]+|\d+)")
WAIT_HINT = re.compile(r"WAIT_HINT\s*:\s*(0x[0-9a-fA-F]+|\d+)")


def run(*args, stdin=None, timeout=120):
    """Runs a Windows program; returns (exit code, stdout + stderr as text)."""
    proc = subprocess.run(RUN + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def mtserver(*args, stdin=None):
    return run(exe("mtserver.exe"), *args, stdin=stdin)


def paramchange():
    """`sc control mtserver paramchange`. Wine's sc has no control command:
    there the test helper sccontrol.exe (tests/service/sccontrol.c) sends
    the same SERVICE_CONTROL_PARAMCHANGE through ControlService."""
    if RUN[:1] == ["wine"]:
        return run(exe("sccontrol.exe"), "mtserver", "paramchange")
    return run("sc", "control", "mtserver", "paramchange")


def wait_lines(path, needle, count, timeout=30):
    """The lines of the log file at path that hold needle, once there are
    count of them."""
    deadline = time.time() + timeout
    while True:
        found = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                found = [line for line in f if needle in line]
        if len(found) >= count:
            return found
        assert time.time() < deadline, "%d of %d %r lines in %s" % (len(found), count, needle,
                                                                     path)
        time.sleep(0.25)


def state():
    """The service's state number (1 stopped, 2 start pending, 3 stop pending,
    4 running), or None when no such service is installed."""
    rc, out = run("sc", "query", "mtserver")
    m = STATE.search(out)
    return int(m.group(1)) if rc == 0 and m else None


def wait_state(want, timeout=60):
    deadline = time.time() + timeout
    while True:
        got = state()
        if got == want:
            return
        assert time.time() < deadline, "service state %r, waited for %r" % (got, want)
        time.sleep(0.25)


def sc_query_text():
    return run("sc", "query", "mtserver")[1]


def remove_service():
    """Stops and deletes the service by every means there is; silent."""
    if state() is None:
        return
    mtserver("uninstall")
    if state() is not None:
        run("sc", "stop", "mtserver")
        run("sc", "delete", "mtserver")
    run("reg", "delete", EVENT_KEY, "/f")


class Setup(ConfigFolder):
    """A folder with a configuration file, a root to serve, and a port."""

    def __init__(self):
        super().__init__(prefix="mts-svc-")
        self.root = os.path.join(self.dir, "root")
        os.mkdir(self.root)
        self.port = free_port()
        self.data = os.urandom(300000)
        with open(os.path.join(self.root, "data.bin"), "wb") as f:
            f.write(self.data)

    def install(self, *extra):
        rc, out = mtserver("install", "--config", winpath(self.config), *extra)
        assert rc == 0, out
        return out

    def download(self):
        c = Conn(self.port)
        c.expect("#Server Ready.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("FILE data.bin\r\n")
        assert c.exact(len(self.data)) == self.data
        c.expect("#File data.bin sent successfully.")
        c.send("QUIT\r\n")
        c.close()



def with_service(body, fresh=False, **keeper_args):
    """Runs body(setup) with the service removed before and after, in a
    Wine session kept up for it (harness.wine_session, which fresh and
    keeper_args go to), so the service starts only when told to."""
    with wine_session(fresh=fresh, password="keeper", **keeper_args):
        setup = None
        try:
            remove_service()
            setup = Setup()
            body(setup)
        finally:
            remove_service()
            if setup is not None:
                setup.close()
    assert state() is None, "the service is still installed"


__all__ = ["PASSWORD", "SERVICE_KEY", "EVENT_KEY", "STATE", "STAMP", "CHECKPOINT", "WAIT_HINT",
           "run", "mtserver", "paramchange", "state", "wait_state", "sc_query_text", "remove_service", "Setup",
           "with_service", "winpath"]
