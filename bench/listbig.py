#!/usr/bin/env python3
"""bench/listbig.py - LIST of a very large folder (issue 19 item 4): the
seconds for the whole listing over a socket and the server's memory, for
folders of 100,000 and 1,000,000 empty files (made natively, once, under
build/bench/listbig/).

Memory is read from Linux (bench/README.md, "Memory"): the mtserver.exe
process's peak resident set (VmHWM of /proc/PID/status) at the end of the
LIST, against its resident set just before it; the difference is what the
LIST cost, Wine's own pages included.

Progress goes to stderr, the table to stdout and, with --record, to the end
of bench/RESULTS.md. `make bench-listbig` runs it with --record; --entries
picks the sizes (e.g. --entries 100000 for the quick one).
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
os.environ.setdefault("WINEPREFIX", os.path.join(TOP, "build", "wineprefix"))
os.environ.setdefault("WINEDEBUG", "-all")

import run  # noqa: E402  (bench/run.py: recording, find_process)
from harness import Server  # noqa: E402  (the tests' own way to start the server)

DATA = os.path.join(TOP, "build", "bench", "listbig")


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def prepare(entries):
    folder = os.path.join(DATA, "n%d" % entries)
    os.makedirs(folder, exist_ok=True)
    if len(os.listdir(folder)) != entries:
        progress("making %d files" % entries)
        for i in range(entries):
            # Descending: the listing has to sort them.
            open(os.path.join(folder, "f%07d" % (entries - 1 - i)), "wb").close()
    return os.path.basename(folder)


def kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def measure(srv, name, entries):
    pid = run.find_process(srv.proc.pid, "mtserver.exe")
    before = kib(pid, "VmRSS")
    c = srv.connect(timeout=3600).login()
    began = time.time()
    c.send("LIST %s\r\n" % name)
    head = c.line()
    first = time.time() - began
    lines = 0
    while not c.line().startswith("#End of listing"):
        lines += 1
    took = time.time() - began
    assert lines == entries, (lines, head)
    return first, took, before, kib(pid, "VmHWM")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--entries", default="100000,1000000")
    ap.add_argument("--note", default="")
    args = ap.parse_args()
    rows = []
    load = os.getloadavg()[0]
    for entries in [int(x) for x in args.entries.split(",")]:
        name = prepare(entries)
        with Server(root=DATA) as srv:
            progress("LIST of %d entries" % entries)
            first, took, before, peak = measure(srv, name, entries)
        rows.append("| LIST, %s entries | %.1f | %.1f | %.1f | %.1f |" % (
            format(entries, ","), first, took, before / 1024, peak / 1024))
    head = "### LIST of a large folder, %s, %d cores, load %.1f" % (
        run.utc_stamp(), os.cpu_count(), load)
    table = ["| figure | head line after (s) | whole listing (s) | RSS before (MiB) "
             "| peak RSS (MiB) |", "|---|---:|---:|---:|---:|"] + rows
    text = "\n".join([head, ""] + ([args.note, ""] if args.note else []) + table) + "\n"
    print(text)
    if args.record:
        run.record(text)


if __name__ == "__main__":
    main()
