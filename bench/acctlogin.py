#!/usr/bin/env python3
"""bench/acctlogin.py - what a login costs with 10 accounts and with 10,000
(issue 23): the lookup must not grow with the store.

Two servers in one run, each with an accounts.ini beside its configuration:
10 accounts and 10,000, all with the same password hash (PBKDF2-SHA256,
100,000 iterations: the least the store takes, so that the hash is as
small a part of the figure as it can be). For each: the median and p90 of
USER + AUTH to "#You are logged in." over the first, middle and last
account in turns, and of an unknown name's "!Bad password." (the dummy
check, which must cost the same); the server's start to its listening line
(which reads and parses the store); and the store's size.

Progress goes to stderr, the table to stdout and, with --record, to the end
of bench/RESULTS.md. `make bench-acctlogin` runs it with --record.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
os.environ.setdefault("WINEPREFIX", os.path.join(TOP, "build", "wineprefix"))
os.environ.setdefault("WINEDEBUG", "-all")

import run  # bench/run.py: recording in RESULTS.md (make puts bench/ on PYTHONPATH)
from configdir import python_hash  # tests/lib, on PYTHONPATH as for every bench
from harness import Server, winpath  # noqa: E402

PASSWORD = "bench password"
LOGINS = 30


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def make_store(folder, count, root, hashed):
    with open(os.path.join(folder, "mtserver.ini"), "w", newline="") as f:
        f.write("[mtserver]\r\n")
    lines = []
    for i in range(count):
        lines.append("[account user%05d]\r\npassword_hash = %s\r\nroot = %s\r\n\r\n"
                     % (i, hashed, winpath(root)))
    path = os.path.join(folder, "accounts.ini")
    with open(path, "w", newline="") as f:
        f.write("".join(lines))
    return os.path.getsize(path)


def login_ms(srv, name, expect):
    c = srv.connect()
    c.expect("#Server Ready.")
    began = time.perf_counter()
    c.send("USER %s\r\nAUTH %s\r\n" % (name, PASSWORD))
    c.expect("#User accepted; send AUTH <password>.")
    c.expect(expect)
    took = (time.perf_counter() - began) * 1000
    c.send("QUIT\r\n")
    c.close()
    return took


def measure(count, root, hashed):
    folder = tempfile.mkdtemp(prefix="mts-bench-acct-")
    try:
        size = make_store(folder, count, root, hashed)
        began = time.perf_counter()
        # The unknown names are wrong passwords to the throttle: it must not
        # slow them (auth_free_failures) for the figure to be the check's.
        srv = Server(root=root, password=None,
                     args=("--config", winpath(os.path.join(folder, "mtserver.ini")),
                           "--auth-free-failures", "1000", "--auth-ban-failures", "0"))
        started = time.perf_counter() - began
        names = ["user%05d" % i for i in (0, count // 2, count - 1)]
        with srv:
            login_ms(srv, names[0], "#You are logged in.")  # a first one, not counted
            known = [login_ms(srv, names[i % 3], "#You are logged in.") for i in range(LOGINS)]
            unknown = [login_ms(srv, "nobody%d" % i, "!Bad password.") for i in range(LOGINS)]
        return size, started, known, unknown
    finally:
        shutil.rmtree(folder, True)


def p90(values):
    return sorted(values)[int(len(values) * 0.9) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="mts-bench-root-")
    hashed = python_hash(PASSWORD)
    load = os.getloadavg()[0]
    results = {}
    # In turns, twice, so that a change of load falls on both alike.
    for rnd in range(2):
        for count in (10, 10000):
            progress("round %d: %d accounts" % (rnd + 1, count))
            size, started, known, unknown = measure(count, root, hashed)
            r = results.setdefault(count, {"known": [], "unknown": [], "start": []})
            r["size"] = size
            r["known"] += known
            r["unknown"] += unknown
            r["start"].append(started)
    shutil.rmtree(root, True)
    rows = []
    for count in (10, 10000):
        r = results[count]
        rows.append("| %d | %d | %.2f | %.1f | %.1f | %.1f | %.1f |" % (
            count, r["size"], min(r["start"]), statistics.median(r["known"]), p90(r["known"]),
            statistics.median(r["unknown"]), p90(r["unknown"])))
    ratio = statistics.median(results[10000]["known"]) / statistics.median(results[10]["known"])
    head = "### Account login, %s, %d cores, load %.1f (%.1f at the end)" % (
        run.utc_stamp(), os.cpu_count(), load, os.getloadavg()[0])
    table = ["| accounts | accounts.ini (bytes) | start to listening (s) | login, median (ms) "
             "| login, p90 (ms) | unknown name, median (ms) | unknown name, p90 (ms) |",
             "|---:|---:|---:|---:|---:|---:|---:|"] + rows
    text = "\n".join([head, ""] + table + [
        "", "%d logins of each kind per store (first, middle and last account in turns), "
        "PBKDF2-SHA256 with 100,000 iterations; login with 10,000 accounts / with 10: %.2f."
        % (2 * LOGINS, ratio)]) + "\n"
    print(text)
    if args.record:
        run.record(text)


if __name__ == "__main__":
    main()
