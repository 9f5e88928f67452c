"""One test run per Wine prefix.

All Wine processes of one prefix share one wineserver, so two test runs in
the same prefix share one Wine session, and each can end the other's
processes: harness.wine_session(fresh=True) ends the session with
`wineserver -k`, which ends every process of the prefix, the other run's
servers and clients among them. Such a process exits at once with exit code
1 (now and then 0) and prints nothing, whatever program it runs (docs/
WINE.md, "Where Wine differs"); that was issue 18's "Wine process that ends
at once with exit code 1 and no output".

So a run claims its prefix before it starts anything in it, and a second run
in the same prefix is refused at once, naming the first, instead of killing
it or being killed. The claim is an exclusive flock on <prefix>.lock beside
the prefix (the prefix itself may not exist yet): the kernel lets it go when
the run ends, however it ends, and Python opens files non-inheritable, so no
Wine process started by the run keeps it. Runs in different prefixes never
touch each other (each prefix has its own wineserver)."""
import datetime
import fcntl
import os


def lock_path(prefix):
    return os.path.abspath(prefix).rstrip("/") + ".lock"


def claim(prefix, who):
    """Claims the prefix for this process. Returns (claim, None), where the
    caller keeps claim (an open file) for as long as the run lasts, or
    (None, holder) when another run has it: holder is what that run wrote,
    its process id, what it is and since when."""
    path = lock_path(prefix)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    f = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip() or "a process that has not said who it is"
        f.close()
        return None, holder
    f.seek(0)
    f.truncate()
    f.write("process %d (%s), since %s\n" % (
        os.getpid(), who,
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))
    f.flush()
    return f, None
