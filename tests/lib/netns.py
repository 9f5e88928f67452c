"""A private network namespace for a test that needs an address other than
loopback: `unshare -n` gives a network of its own with nothing in it but
its own loopback device, which gets the address ADDRESS as well (in
198.18.0.0/24, the alias lo:1). Nothing
in it can reach or be reached from any other network, so no traffic leaves
the machine, whatever the programs inside try.

Under Wine the sockets are the wineserver's (Wine 6 and later make them
there), so the programs inside need a wineserver started inside: they run
in a copy of the worker's prefix (hard links for the big folders, as the
runner's copies are made), which no wineserver outside serves.

    result = netns.run_python(script, args, timeout)

runs `python3 script args...` inside (tests/lib on its path, ADDRESS up:
this file, run as a program in the new namespace, sets it up)
and returns the JSON object the script printed as its last line."""
import fcntl
import glob
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
import wineserver  # noqa: E402
from runner import prefixes  # noqa: E402  (tests/ is the runner's folder)

# From 198.18.0.0/15, set aside for testing networks (RFC 2544): on no
# network anywhere, and here only inside the namespace.
ADDRESS = "198.18.0.1"

# struct ifreq (40 bytes on Linux x86-64): the name, then flags or an address.
SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCSIFADDR, IFF_UP = 0x8913, 0x8914, 0x8916, 0x1
IFREQ_FLAGS = "16sh22x"
IFREQ_ADDR = "16sH2s4s16x"


def set_up_inside():
    """In the new namespace: its loopback device up (127.0.0.1 and ::1 come
    with it) and ADDRESS on it as well (as the alias lo:1). The ioctls of
    ifconfig, so that no `ip` command is needed (the Wine 10 root has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        got = fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack(IFREQ_FLAGS, b"lo", 0))
        flags = struct.unpack(IFREQ_FLAGS, got)[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack(IFREQ_FLAGS, b"lo", flags | IFF_UP))
        fcntl.ioctl(s, SIOCSIFADDR, struct.pack(IFREQ_ADDR, b"lo:1", socket.AF_INET, b"\0\0",
                                                socket.inet_aton(ADDRESS)))


def why_not():
    """Why a namespace cannot be had here, or None."""
    if harness.RUN[:1] != ["wine"]:
        return "needs Linux (unshare) and Wine"
    if os.geteuid() != 0:
        return "unshare -n needs root"
    if shutil.which("unshare") is None:
        return "no unshare command"
    proc = subprocess.run(["unshare", "-n", sys.executable, os.path.abspath(__file__), "--check"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    if proc.returncode != 0:
        return "unshare -n does not work here: %s" % proc.stdout.decode("utf-8", "replace")
    return None


def end_copy(work):
    """Ends the wineserver of a copy made in work (reached through its
    socket in /tmp, which any namespace sees), and with it every process of
    the copy, and removes the copy; what the wineserver wrote, returned."""
    prefix = os.path.join(work, "prefix")
    wineserver.end(prefix)
    said = wineserver.said_since(0, prefix)
    shutil.rmtree(work, ignore_errors=True)
    return said


def run_python(script, args=(), timeout=150):
    """Runs the script inside a fresh namespace and a copy of the prefix;
    its last stdout line is JSON, returned. Skips where no namespace can
    be had. timeout: short enough that the whole item stays within the
    runner's time for it, whose watchdog would end the worker's own prefix
    only."""
    why = why_not()
    if why:
        raise unittest.SkipTest(why)
    base = os.environ.get("WINEPREFIX") or os.path.expanduser("~/.wine")
    # A copy that an item cut short left (its wineserver persistent, see
    # the end of this file): this worker's alone, as its prefix is.
    for left in glob.glob(os.path.abspath(base) + "-netns-*"):
        end_copy(left)
    # Beside the prefix, not in /tmp: hard links need the same mount (the
    # Wine 10 root binds /tmp in separately).
    work = tempfile.mkdtemp(prefix=os.path.basename(base) + "-netns-",
                            dir=os.path.dirname(os.path.abspath(base)))
    prefix = os.path.join(work, "prefix")
    prefixes.clone(base, prefix)
    env = dict(os.environ, WINEPREFIX=prefix,
               PYTHONPATH=os.pathsep.join([HERE] + [p for p in [os.environ.get("PYTHONPATH")]
                                                    if p]))
    # The ports come from this worker's range, free outside; inside,
    # everything is free.
    cmd = ["unshare", "-n", sys.executable, os.path.abspath(__file__), script]
    try:
        proc = subprocess.run(cmd + list(args), env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    finally:
        said = end_copy(work)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    lines = out.strip().splitlines()
    assert proc.returncode == 0 and lines, (
        "inside the namespace: exit %d\n%s\n%s\nits wineserver said: %r" % (
            proc.returncode, out[-3000:], err[-3000:], said[-20:]))
    return json.loads(lines[-1])


if __name__ == "__main__":
    # Inside a new namespace: set it up, then become the script (or, with
    # --check, only say whether the set-up works).
    set_up_inside()
    if sys.argv[1] != "--check":
        # The copy's session, started by a first program whose output goes
        # nowhere (docs/WINE.md: Wine's background programs keep the first
        # program's output, and a test's captured stderr would wait for them
        # and get their dying words); its wineserver persistent until
        # end_copy, its errors in <prefix>.wineserver.log.
        wineserver.start_session()
        os.execv(sys.executable, [sys.executable] + sys.argv[1:])
