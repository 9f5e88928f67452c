"""A worker: one process that runs the items its pool hands it, one at a
time, each under a watchdog.

Protocol (pool.py is the other end): the pool writes one item per line on
the worker's stdin; the worker moves that pipe off fd 0 at once, so no
program a test starts can read the pool's orders. Everything the item
prints goes to stdout as usual; the item ends with one line holding MARKER
and its result as JSON. A worker that dies without that line has failed
its item (pool.py says so).

The watchdog: an item that outlives its timeout is failed with its name,
every thread's stack and the last lines of each server it had running
(harness.live_servers); then the worker ends this Wine prefix's processes
(`wineserver -k`) and exits, and the pool starts a fresh worker for what
is left. A hang costs one test, never the leg.

Under a persistent wineserver (tests/lib/wineserver.py), the lines the
prefix's wineserver wrote while an item ran are printed with the item,
each after "wineserver: ": a process the server ends for a protocol error
exits 1 with no word of its own, and this is where the reason shows.
"""
import faulthandler
import json
import os
import re
import subprocess
import sys
import threading
import time
import traceback
import unittest

import wineserver
from runner import items

MARKER = "\x1eMTS-RESULT "
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed", re.M)
# How much the worker's wineserver had written when the item began (None:
# no persistent wineserver here).
server_log_start = None


def report(item, passed=0, failed=0, skipped=0, seconds=0.0, note="", exiting=False):
    if server_log_start is not None:
        for text in wineserver.said_since(server_log_start):
            print("wineserver: " + text)
    sys.stdout.flush()
    sys.stderr.flush()
    line = MARKER + json.dumps({"item": item, "passed": passed, "failed": failed,
                                "skipped": skipped, "seconds": round(seconds, 2),
                                "note": note, "exiting": exiting})
    os.write(1, (line + "\n").encode("utf-8"))


def run_unit(item, root):
    runner, exe = item[len("unit:"):].split("|", 1)
    began = time.time()
    try:
        proc = subprocess.run(runner.split() + [exe], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=items.DEFAULT_TIMEOUT, cwd=root)
    except subprocess.TimeoutExpired:
        return report(item, failed=1, seconds=time.time() - began,
                      note="timed out after %d s" % items.DEFAULT_TIMEOUT)
    out = proc.stdout.decode("utf-8", "replace")
    found = SUMMARY.findall(out)
    if not found:
        print(out)
        return report(item, failed=1, seconds=time.time() - began,
                      note="exit %d and no summary line" % proc.returncode)
    passed, failed = (int(x) for x in found[-1])
    note = ""
    if proc.returncode != 0 and failed == 0:
        failed, note = 1, "exit %d after its summary" % proc.returncode
    if failed:
        print(out)
    report(item, passed=passed, failed=failed, seconds=time.time() - began, note=note)


def run_python(item, tests_dir, wine):
    began = time.time()
    try:
        fn, timeout = items.resolve(tests_dir, item)
    except Exception:
        traceback.print_exc(file=sys.stdout)
        return report(item, failed=1, note="cannot be loaded")
    finished, fired = threading.Event(), threading.Event()

    def watch():
        if finished.wait(timeout):
            return
        fired.set()
        sys.stdout.flush()
        print("timed out after %d s; where each thread was:" % timeout)
        sys.stdout.flush()
        faulthandler.dump_traceback(file=sys.stdout, all_threads=True)
        harness = sys.modules.get("harness")
        if harness is not None:
            harness.dump_live_servers(sys.stdout)
        if wine:
            subprocess.run(["wineserver", "-k"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        report(item, failed=1, seconds=time.time() - began,
               note="timed out after %d s" % timeout, exiting=True)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()
    try:
        fn()
    except unittest.SkipTest as why:
        outcome = {"skipped": 1, "note": str(why)}
    except BaseException:
        outcome = {"failed": 1}
        if not fired.is_set():
            traceback.print_exc(file=sys.stdout)
    else:
        outcome = {"passed": 1}
    finished.set()
    if fired.is_set():
        # The watchdog has the item: what the test did as its processes
        # were ended is not its result. The watchdog ends this process.
        threading.Event().wait()
    report(item, seconds=time.time() - began, **outcome)


def main(tests_dir, root, run):
    # The pool's orders come on stdin; a test's programs get /dev/null there.
    orders = os.fdopen(os.dup(0), "r", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull, "r")
    wine = run.split()[:1] == ["wine"]
    global server_log_start
    for line in orders:
        item = line.strip()
        if not item:
            continue
        if wine and wineserver.is_persistent():
            server_log_start = wineserver.log_size()
        if item.startswith("unit:"):
            run_unit(item, root)
        else:
            run_python(item, tests_dir, wine)
    return 0
