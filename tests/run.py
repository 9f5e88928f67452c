#!/usr/bin/env python3
"""Runs one leg of mtserver's tests and ends with one line: "N passed, N failed".

Unit-test programs (the portable core, natively under ASan+UBSan and as .exe
files under Wine) print their own closing line, which is added up here.
Integration tests are the test_* functions in tests/*/test_*.py; each is one
test. TESTS=substring runs only the integration tests whose name contains it.

`make test` runs several legs (the Makefile says which) with --record, then
--add-up, which prints each leg's line and the total as the last line.

Under Wine a run owns its WINEPREFIX (build/wineprefix when none is given)
while it lasts: a second run in the same prefix is refused at once
(tests/lib/prefixclaim.py says why). Runs side by side need prefixes of
their own.
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed", re.M)
# Folders whose tests run no Windows program: the same in every leg, so run
# in the first only (--programs-only leaves them out).
NO_PROGRAMS = ("build", "fuzz_run")


def run_unit(cmd, label):
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=300, cwd=ROOT)
        out = proc.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        print("FAIL %s: timed out" % label)
        return 0, 1
    found = SUMMARY.findall(out)
    if not found:
        print(out)
        print("FAIL %s: exit %d and no summary line" % (label, proc.returncode))
        return 0, 1
    passed, failed = (int(x) for x in found[-1])
    if proc.returncode != 0 and failed == 0:
        failed = 1  # a crash after the summary, or a sanitizer report at exit
    if failed:
        print(out)
    print("%s %s: %d passed, %d failed" % ("FAIL" if failed else "ok  ", label, passed, failed))
    return passed, failed


def discover(pattern, programs_only):
    tests = []
    for folder in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, folder)
        if not os.path.isdir(path) or folder in ("unit", "fuzz", "lib", "msvc", "wine10"):
            continue
        if programs_only and folder in NO_PROGRAMS:
            continue
        for name in sorted(os.listdir(path)):
            if not (name.startswith("test_") and name.endswith(".py")):
                continue
            spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(path, name))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            for attr in sorted(vars(module)):
                full = "%s/%s::%s" % (folder, name, attr)
                if attr.startswith("test_") and callable(getattr(module, attr)):
                    if not pattern or pattern in full:
                        tests.append((full, getattr(module, attr)))
    return tests


def add_up(record, legs):
    """Each leg's line as recorded, then the total; a leg that recorded
    nothing (it stopped before its summary) counts as one failure."""
    found = {}
    if os.path.exists(record):
        for line in open(record, encoding="utf-8"):
            name, passed, failed = line.split()
            found[name] = (int(passed), int(failed))
    passed = failed = 0
    for leg in legs:
        p, f = found.get(leg, (0, 1))
        note = "" if leg in found else " (no result: the leg did not finish)"
        print("leg %s: %d passed, %d failed%s" % (leg, p, f, note))
        passed, failed = passed + p, failed + f
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


def main():
    # The tests' shared library (harness, faultlib, ...): the one place it is
    # put on the path, so a test imports it by name from any folder.
    sys.path.insert(0, os.path.join(HERE, "lib"))
    ap = argparse.ArgumentParser()
    ap.add_argument("--host-unit", default="")
    ap.add_argument("--win-unit", default="")
    ap.add_argument("--run", default="")
    ap.add_argument("--leg", default="", help="this leg's name, said and recorded")
    ap.add_argument("--record", help="append '<leg> <passed> <failed>' to this file")
    ap.add_argument("--programs-only", action="store_true",
                    help="leave out the tests that run no Windows program")
    ap.add_argument("--add-up", metavar="RECORD",
                    help="print the recorded legs (named after it) and their total")
    args, legs = ap.parse_known_args()
    if args.add_up:
        return add_up(args.add_up, legs)
    runner = args.run.split()
    claimed = None
    if runner[:1] == ["wine"]:
        # The Makefile's prefix when none is given (test_msi looks there),
        # never the user's ~/.wine, which every other run would share.
        prefix = os.environ.setdefault("WINEPREFIX", os.path.join(ROOT, "build", "wineprefix"))
        # Claimed before anything runs in it: prefixclaim says why a second
        # run in one prefix must be refused rather than let in.
        import prefixclaim
        claimed, holder = prefixclaim.claim(prefix, "tests/run.py" +
                                            (" leg " + args.leg if args.leg else ""))
        if claimed is None:
            print("FAIL the Wine prefix %s is in use by another test run: %s.\n"
                  "     Two runs in one prefix end each other's Wine processes (each exits at"
                  " once\n     with exit code 1 and no output); give this run its own WINEPREFIX."
                  % (prefix, holder))
            print("%s0 passed, 1 failed" % ("leg %s: " % args.leg if args.leg else ""))
            if args.record:
                with open(args.record, "a", encoding="utf-8") as f:
                    f.write("%s 0 1\n" % (args.leg or "tests"))
            return 1
    if args.leg:
        print("=== leg %s: %s under %s ===" % (args.leg, os.environ.get("MTS_BUILD", "build"),
                                             wine_version(args.run)))
        sys.stdout.flush()
    os.environ["MTS_RUN"] = args.run
    os.environ.setdefault("MTS_BUILD", os.path.join(ROOT, "build"))
    pattern = os.environ.get("TESTS", "")
    passed = failed = skipped = 0

    if runner[:1] == ["wine"]:
        # Make the Wine prefix before anything is timed; the first start builds it.
        # Not "wineboot -i": in a running session it starts a second
        # services.exe, and the two then answer the SCM's pipe in turn, each
        # with its own list of services (measured under Wine 8.0).
        subprocess.run(["wineboot", "-u"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)

    if not pattern:
        for exe in args.host_unit.split():
            p, f = run_unit([exe], "unit (host) " + os.path.basename(exe))
            passed, failed = passed + p, failed + f
        for exe in args.win_unit.split():
            p, f = run_unit(runner + [exe], "unit (win) " + os.path.basename(exe))
            passed, failed = passed + p, failed + f

    for name, fn in discover(pattern, args.programs_only):
        began = time.time()
        try:
            fn()
        except unittest.SkipTest as why:
            # Not run here (a feature not merged yet, a platform it cannot
            # run on): said on its own line, and counted neither way.
            skipped += 1
            print("skip %s: %s" % (name, why))
        except Exception:
            failed += 1
            print("FAIL %s (%.1fs)" % (name, time.time() - began))
            traceback.print_exc()
        else:
            passed += 1
            print("ok   %s (%.1fs)" % (name, time.time() - began))
        sys.stdout.flush()

    if skipped:
        print("%d skipped (see the skip lines above)" % skipped)
    print("%s%d passed, %d failed" % ("leg %s: " % args.leg if args.leg else "", passed, failed))
    if args.record:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write("%s %d %d\n" % (args.leg or "tests", passed, failed))
    return 0 if failed == 0 else 1


def wine_version(run):
    if run.split()[:1] != ["wine"]:
        return "Windows"
    out = subprocess.run(["wine", "--version"], stdout=subprocess.PIPE).stdout
    return out.decode().strip() or "an unknown Wine"


if __name__ == "__main__":
    sys.exit(main())
