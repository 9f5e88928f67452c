"""A Wine prefix for each worker of a leg, so that tests running at once
share no services, registry, certificate stores or installed MSIs.

The leg's own prefix (WINEPREFIX) is made or updated once (`wineboot -u`)
and let down; each worker's is a copy of it made afresh for every run:
"<prefix>-w<slot>". A prefix is about 700 MB, nearly all of it the DLLs of
drive_c/windows/system32 that nothing but `wineboot` ever writes, so those
are hard links; everything else (the registry files above all) is copied,
so that what a test changes stays in its worker's prefix. Each copy's
wineserver is started persistent and ended with the run (tests/lib/
wineserver.py says why); what it writes goes to "<prefix>.wineserver.log".
"""
import os
import shutil

import wineserver

# Folders written only by wineboot, linked rather than copied.
SHARED = ("drive_c/windows/system32", "drive_c/windows/syswow64", "drive_c/windows/winsxs")


def end(prefix):
    """Ends every process of the prefix and its wineserver (a worker ended
    by the pool, or the run's end)."""
    if os.path.isdir(prefix):
        wineserver.end(prefix)


def restart(prefix):
    """A worker's prefix after its worker was ended: its wineserver up
    again, persistent, with no process left from before."""
    end(prefix)
    wineserver.start_session(prefix)


# Written into every copy. A copy's DLLs are the same files as its
# original's and every other copy's, so `wineboot -u` there, which rewrites
# the DLLs in place, would rewrite them under every prefix at once: Wine
# processes starting in the others at that moment exit 1 with no word
# (seen in clean-clone runs, when the runner's own tests ran a nested
# run in a worker's prefix).
COPY_MARK = ".mts-prefix-copy"


def clone(src, dst):
    """A copy of the prefix src at dst: the SHARED folders as hard links,
    the rest copied (also for a test that needs a prefix of its own)."""
    os.makedirs(dst)
    with open(os.path.join(dst, COPY_MARK), "w", encoding="utf-8") as f:
        f.write("its DLLs are hard links: never update it (tests/runner/prefixes.py)\n")
    for top, dirs, files in os.walk(src):
        rel = os.path.relpath(top, src)
        shared = any(rel == s or rel.startswith(s + "/") for s in SHARED)
        for name in dirs + files:
            s = os.path.join(top, name)
            d = os.path.join(dst, rel, name)
            if os.path.islink(s):
                os.symlink(os.readlink(s), d)
            elif os.path.isdir(s):
                os.mkdir(d)
                shutil.copystat(s, d)
            elif shared:
                os.link(s, d)
            else:
                shutil.copy2(s, d)


def prepare(base, slots):
    """Makes the leg's prefix ready and a fresh copy of it for each slot;
    returns their paths."""
    # Not "wineboot -i": in a running session it starts a second
    # services.exe, and the two then answer the SCM's pipe in turn, each
    # with its own list of services (measured under Wine 8.0).
    # A copy is a worker's prefix lent to a run inside it (the runner's own
    # tests): its persistent wineserver serves that worker and never ends
    # by itself, so it is neither updated nor waited for.
    if not os.path.exists(os.path.join(base, COPY_MARK)):
        wineserver.run(["wineboot", "-u"], base)
        wineserver.run(["wineserver", "-w"], base, timeout=120)
    paths = []
    for slot in range(slots):
        path = "%s-w%d" % (base, slot)
        end(path)  # left running by an interrupted run
        shutil.rmtree(path, ignore_errors=True)
        if os.path.exists(wineserver.log_path(path)):
            os.remove(wineserver.log_path(path))  # an earlier run's
        clone(base, path)
        wineserver.start_session(path)
        paths.append(path)
    return paths
