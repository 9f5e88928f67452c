#!/usr/bin/env python3
"""Runs one leg of mtserver's tests and ends with one line:
"N passed, N failed" (", N skipped" when any were).

Unit-test programs (the portable core, natively under ASan+UBSan and as .exe
files under Wine) print their own closing line, which is added up here.
Python tests are the test_* functions in tests/*/test_*.py; each is one
test. TESTS=substring runs only the Python tests whose name contains it.

The items run at once in --jobs worker processes (tests/runner/), each with
its own Wine prefix and ports, each item under a timeout: a hang fails that
test, not the leg. A leg that runs no test fails; so does a full run that
gives fewer results than its floor (tests/runner/floors.txt).

`make test` runs several legs (the Makefile says which) with --record, then
--add-up, which prints each leg's line and the total as the last line.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
# The tests' shared library (harness, faultlib, ...): the one place it is
# put on the path, so a test imports it by name from any folder.
sys.path.insert(0, os.path.join(HERE, "lib"))

import fixedlayout  # noqa: E402
import prefixclaim  # noqa: E402
import wineserver  # noqa: E402
from runner import items, pool, prefixes, tally, worker  # noqa: E402

# Each leg's workers get ports of their own (harness.free_port), below
# Linux's ephemeral range, so that no client socket of another test takes
# a port between its choice and its use.
LEG_SLOTS = ("mingw", "msvc", "wine10", "msvc-wine10")
MAX_JOBS = 8
PORTS_PER_SLOT = 150
FIRST_PORT = 21000


def port_range(leg, slot):
    index = LEG_SLOTS.index(leg) if leg in LEG_SLOTS else len(LEG_SLOTS)
    first = FIRST_PORT + (index * MAX_JOBS + slot) * PORTS_PER_SLOT
    return "%d-%d" % (first, first + PORTS_PER_SLOT - 1)


def times_file(leg):
    return os.path.join(ROOT, "build", "test-times-%s.json" % leg)


def longest_first(todo, leg, timeouts):
    """The items, those that took longest last time first, so the slow ones
    do not start last. A fresh clone has no record: then those allowed the
    longest (a TIMEOUT of their own) go first, the rest in the order found."""
    try:
        with open(times_file(leg), encoding="utf-8") as f:
            seconds = json.load(f)
    except (OSError, ValueError):
        return sorted(todo, key=lambda item: -timeouts[item])
    return sorted(todo, key=lambda item: -seconds.get(item, 0.0))


def run_leg(args):
    leg = args.leg or "tests"
    if args.leg:
        print("=== leg %s: %s under %s, %d at a time ===" % (
            args.leg, os.environ.get("MTS_BUILD", "build"), wine_version(args.run), args.jobs))
        sys.stdout.flush()
    os.environ["MTS_RUN"] = args.run
    os.environ.setdefault("MTS_BUILD", os.path.join(ROOT, "build"))
    pattern = os.environ.get("TESTS", "")
    runner = args.run.split()
    wine = runner[:1] == ["wine"]

    if wine:
        # Before any Wine process: its heap must not land where Wine maps
        # the shared user data (fixedlayout.py; inherited by all we start).
        fixedlayout.keep_for_children()
        # The Makefile's prefix when none is given, never the user's ~/.wine.
        base = os.environ.setdefault("WINEPREFIX", os.path.join(ROOT, "build", "wineprefix"))
        # Claimed, with the workers' copies beside it, before anything runs
        # there: prefixclaim says why a second run must be refused.
        claimed, holder = prefixclaim.claim(base, "tests/run.py" +
                                            (" leg " + args.leg if args.leg else ""))
        if claimed is None:
            print("FAIL: the Wine prefix %s is in use by another test run: %s.\n"
                  "     Two runs in one prefix end each other's Wine processes (each exits at"
                  " once\n     with exit code 1 and no output); give this run its own WINEPREFIX."
                  % (base, holder))
            print("%s%s" % ("leg %s: " % args.leg if args.leg else "", tally.line(0, 1, 0)))
            if args.record:
                tally.record(args.record, leg, 0, 1, 0)
            return 1
    folders = args.folders.split(",") if args.folders else None
    todo = []
    if not pattern and not folders:
        todo += items.unit_items("", args.host_unit.split())
        todo += items.unit_items(args.run, args.win_unit.split())
    todo += items.python_tests(args.tests_dir, pattern, args.programs_only, folders)
    if not todo:
        print("FAIL: no test to run%s" % (" (no test name contains TESTS=%r)" % pattern
                                          if pattern else ""))
        print("%s%s" % ("leg %s: " % args.leg if args.leg else "", tally.line(0, 1, 0)))
        if args.record:
            tally.record(args.record, leg, 0, 1, 0)
        return 1
    timeouts = {}
    for item in todo:
        timeouts[item] = (items.resolve(args.tests_dir, item)[1] if item.startswith("py:")
                          else items.DEFAULT_TIMEOUT)
    jobs = max(1, min(args.jobs, MAX_JOBS, len(todo)))

    slots = [None] * jobs
    if wine:
        slots = prefixes.prepare(os.environ["WINEPREFIX"], jobs)

    def spawn(slot):
        env = dict(os.environ, MTS_WORKER=str(slot), MTS_PORTS=port_range(args.leg, slot))
        if slots[slot]:
            env["WINEPREFIX"] = slots[slot]
            env[wineserver.PERSISTENT_ENV] = "1"
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--run", args.run,
               "--tests-dir", args.tests_dir]
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                start_new_session=True)

    def killed(slot):
        if slots[slot]:
            prefixes.restart(slots[slot])

    counts = [0, 0, 0]
    skips, seconds = [], {}
    lock = threading.Lock()

    def on_result(item, result, output, slot):
        with lock:
            p, f, s = (result.get(k, 0) for k in ("passed", "failed", "skipped"))
            counts[0], counts[1], counts[2] = counts[0] + p, counts[1] + f, counts[2] + s
            seconds[item] = result.get("seconds", 0.0)
            name = items.label(item)
            note = result.get("note", "")
            # With the worker's slot, so that what ran before in its prefix
            # can be found.
            took = "(%.1fs, w%d)" % (seconds[item], slot)
            if f:
                print("FAIL %s %s%s" % (name, took, ": " + note if note else ""))
                for text in output:
                    print("     " + text)
            else:
                for text in output:
                    print(text)
                if s:
                    skips.append(name)
                    print("skip %s (w%d): %s" % (name, slot, note))
                elif item.startswith("unit:"):
                    print("ok   %s: %d passed, %d failed (w%d)" % (name, p, f, slot))
                else:
                    print("ok   %s %s" % (name, took))
            sys.stdout.flush()

    began = time.time()
    pool.Pool(spawn, timeouts.get, on_result, killed).run(longest_first(todo, args.leg, timeouts), jobs)
    for slot in slots:
        if slot:
            prefixes.end(slot)
    if args.leg and not pattern:
        with open(times_file(args.leg), "w", encoding="utf-8") as f:
            json.dump(seconds, f, indent=0, sort_keys=True)

    passed, failed, skipped = counts
    floor = args.floor
    if floor is None and wine:
        floor = tally.floor(leg)
    results = passed + failed + skipped
    if not pattern and floor is not None and results < floor:
        print("FAIL: leg %s gave %d results, fewer than its floor of %d "
              "(tests/runner/floors.txt): tests were lost" % (leg, results, floor))
        failed += 1
    if skipped:
        print("%d skipped: %s" % (skipped, ", ".join(skips)))
    print("leg took %.0f s with %d workers" % (time.time() - began, jobs))
    print("%s%s" % ("leg %s: " % args.leg if args.leg else "", tally.line(passed, failed, skipped)))
    if args.record:
        tally.record(args.record, leg, passed, failed, skipped)
    return 0 if failed == 0 else 1


def wine_version(run):
    if run.split()[:1] != ["wine"]:
        return "Windows"
    out = subprocess.run(["wine", "--version"], stdout=subprocess.PIPE).stdout
    return out.decode().strip() or "an unknown Wine"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host-unit", default="")
    ap.add_argument("--win-unit", default="")
    ap.add_argument("--run", default="")
    ap.add_argument("--leg", default="", help="this leg's name, said and recorded")
    ap.add_argument("--record", help="append '<leg> <passed> <failed> <skipped>' to this file")
    ap.add_argument("--programs-only", action="store_true",
                    help="leave out the tests that run no Windows program")
    ap.add_argument("--folders", help="only the Python tests of these folders of tests/ "
                    "(comma-separated): a leg of its own, held to its floor")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("MTS_JOBS", "3")),
                    help="items run at once (MTS_JOBS; 3 when not set)")
    ap.add_argument("--floor", type=int, help="the fewest results the leg may give "
                    "(default: its line in tests/runner/floors.txt)")
    ap.add_argument("--tests-dir", default=HERE, help=argparse.SUPPRESS)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--add-up", metavar="RECORD",
                    help="print the recorded legs (named after it) and their total")
    args, legs = ap.parse_known_args()
    if args.add_up:
        return tally.add_up(args.add_up, legs)
    if args.worker:
        return worker.main(args.tests_dir, ROOT, args.run)
    return run_leg(args)


if __name__ == "__main__":
    sys.exit(main())
