"""The wineserver of a test worker's prefix, kept up for the whole run.

A wineserver started by a Wine process ends its session 3 s after the last
ordinary process of the prefix exits: it tells the system processes
(services.exe and the rest) to exit, keeps its socket open 4 s more and then
exits. A process that connects in that window is taken into the dying
session and ends with it: exit code 1 (now and then 0), nothing printed,
whatever it runs (Wine's server/process.c, server_shutdown_timeout; the
`new_process` request refuses a child during the shutdown, but a process
started from Linux connects through the socket and is not refused). Tests
start programs one after another with pauses of any length, so under load
one of them now and then could land in that window (docs/WINE.md: the
suite's "silent exit 1" was seen again with persistent sessions, so that
window is not its only cause).

A worker's wineserver is therefore started persistent (`wineserver -p`):
it never ends the session by itself, as a Windows machine stays up between
two programs. The session ends only when a test asks for a new one
(harness.wine_session) or the worker ends. The runner says so to the tests
with PERSISTENT_ENV.

The session is booted at once by a program of its own whose standard
handles are /dev/null: the system processes a session starts (services.exe
and the rest) inherit the standard handles of the process that boots it,
and now live as long as the session. Booted by a test's program, they held
its stdout pipe open for good, and the test waited for the end of that
output until its timeout (seen: `mtserver cert`, the first program of a
worker under Wine 10, hung 120 s with all its output written).

A persistent wineserver writes its own complaints to the standard error it
was started with, and to nothing else: a process it ends for a protocol
error ("Protocol error: process 0020: ...", Wine's server/request.c)
exits 1 and prints nothing itself. Its standard error and output
therefore go to a log beside the prefix (log_path), and the worker shows
what the server wrote there during an item with that item (runner/
worker.py)."""
import os
import subprocess

PERSISTENT_ENV = "MTS_WINESERVER_PERSISTENT"


def run(args, prefix=None, timeout=300, output=subprocess.DEVNULL):
    """Runs a Wine command (wineboot, wineserver, a program) in the prefix
    (None: WINEPREFIX's), its standard input /dev/null and its output and
    errors to output (an open file; /dev/null unless given); its exit code."""
    env = dict(os.environ)
    if prefix:
        env["WINEPREFIX"] = prefix
    return subprocess.run(args, env=env, stdin=subprocess.DEVNULL, stdout=output,
                          stderr=output, timeout=timeout).returncode


def log_path(prefix=None):
    """The log of the prefix's (None: WINEPREFIX's) persistent wineserver:
    beside the prefix, as the run's claim on it is (prefixclaim.py)."""
    return os.path.abspath(prefix or os.environ["WINEPREFIX"]).rstrip("/") + ".wineserver.log"


def log_size(prefix=None):
    """How much the prefix's wineserver has written so far (0: nothing)."""
    try:
        return os.path.getsize(log_path(prefix))
    except OSError:
        return 0


def said_since(offset, prefix=None):
    """The lines the prefix's wineserver wrote past offset (log_size)."""
    try:
        with open(log_path(prefix), "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return []
    return text.splitlines()


def end(prefix=None, timeout=120):
    """Ends every process of the prefix (None: WINEPREFIX's) and waits for
    its wineserver to exit."""
    run(["wineserver", "-k"], prefix, 60)
    run(["wineserver", "-w"], prefix, timeout)


def start_persistent(prefix=None):
    """Starts the prefix's wineserver to stay up with no process running.
    None runs there yet (end() first): a second one would be refused.
    Its standard error and output are appended to log_path(prefix)."""
    with open(log_path(prefix), "ab") as log:
        rc = run(["wineserver", "-p"], prefix, 60, output=log)
    if rc != 0:
        raise RuntimeError("wineserver -p in %s exited %d" % (prefix or os.environ.get("WINEPREFIX"), rc))


def boot(prefix=None):
    """Boots the session of a wineserver just started: a program that
    does nothing, its standard handles /dev/null (see above)."""
    run(["wine", "cmd", "/c", "exit"], prefix, 180)


def start_session(prefix=None):
    """A persistent wineserver with its session booted (end() first)."""
    start_persistent(prefix)
    boot(prefix)


def is_persistent():
    """Whether this process runs under a worker whose wineserver is
    persistent (the runner's; a test run by hand has the usual one)."""
    return os.environ.get(PERSISTENT_ENV) == "1"


def new_session(booted=True):
    """Ends the session of WINEPREFIX and, under a persistent worker, starts
    its wineserver again, persistent, and boots the new session unless
    booted is false: then the next Wine process boots it, and the system
    processes share that process's standard handles for as long as the
    session lasts. Without a persistent worker, waits for the running
    session to end by itself (the next process boots the new one)."""
    if is_persistent():
        end()
        if booted:
            start_session()
        else:
            start_persistent()
    else:
        run(["wineserver", "-w"], None, 120)
