#!/usr/bin/env python3
"""bench/ratelimit/ratelimit.py - the download rate limit (issue 23): the
rate a paced download delivers, and what it costs the server while it waits.

In one run, each server started fresh under Wine with its own setting:

- an idle server for the same span as a paced download: the floor of CPU
  time (stats, the server's look each second, Wine's own);
- an unpaced download (rate_limit 0) of the biggest file: the reference;
- 1 MiB/s over a 10 MiB file and 4 MiB/s over a 40 MiB file: about 10 s
  each. Delivered MiB/s is the file's size over the time from the request
  to its last byte (the first slice goes at once, so 9.9 s is on time:
  1.01 MiB/s).

CPU seconds come from Linux (/proc/PID/stat): mtserver.exe's process and
this prefix's wineserver, which serves every wait of mtserver under Wine.
Progress goes to stderr, the table to stdout and, with --record, to the end
of bench/RESULTS.md. `make bench-ratelimit` runs it with --record.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
os.environ.setdefault("WINEPREFIX", os.path.join(TOP, "build", "wineprefix"))
os.environ.setdefault("WINEDEBUG", "-all")

import run  # noqa: E402  (bench/run.py: files, the process, recording)
from harness import Server  # noqa: E402  (the tests' own way to start the server)

MIB = 1 << 20


def measure(rate, path, idle_seconds=None):
    """One fresh server with rate_limit rate: downloads path (or, with
    idle_seconds, only waits that long). Returns (bytes, seconds, server
    CPU s, wineserver CPU s, client CPU s)."""
    with Server(root=os.path.dirname(path), args=["--rate-limit", str(rate)]) as srv:
        c = srv.connect(timeout=120).login()
        pids = [run.find_process(srv.proc.pid, "mtserver.exe"), run.wineserver_pid()]
        time.sleep(1)  # let the start's work settle before the span
        began_cpu = [run.cpu_seconds(p) for p in pids] + [time.process_time()]
        began = time.monotonic()
        size = 0
        if idle_seconds is not None:
            time.sleep(idle_seconds)
        else:
            size = os.path.getsize(path)
            name = os.path.basename(path)
            c.send("GET %s\r\n" % name)
            c.expect("#Sending %d bytes." % size)
            c.skip(size)
            took = time.monotonic() - began
            c.expect("#File %s sent successfully." % name)
        if idle_seconds is not None:
            took = time.monotonic() - began
        ended_cpu = [run.cpu_seconds(p) for p in pids] + [time.process_time()]
        c.send("QUIT\r\n")
        c.close()
    used = [b - a for a, b in zip(began_cpu, ended_cpu)]
    return size, took, used[0], used[1], used[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="the length of each paced download (default 10)")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    small = run.make_file("rate%dm.bin" % int(args.seconds), int(args.seconds) * MIB)
    big = run.make_file("rate%dm.bin" % int(4 * args.seconds), int(4 * args.seconds) * MIB)
    # Warm the page cache, so every download reads cached bytes.
    for path in (small, big):
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
    cases = [
        ("idle server, %.0f s" % args.seconds, 0, small, args.seconds),
        ("unpaced (rate_limit 0), %d MiB" % (4 * args.seconds), 0, big, None),
        ("1 MiB/s, %d MiB" % args.seconds, MIB, small, None),
        ("4 MiB/s, %d MiB" % (4 * args.seconds), 4 * MIB, big, None),
    ]
    rows = []
    for label, rate, path, idle in cases:
        run.progress(label)
        size, took, server, wineserver, client = measure(rate, path, idle)
        rate_text = "%.3f" % (size / MIB / took) if size else "-"
        rows.append("| %s | %s | %.2f | %s | %.2f | %.2f | %.2f |" % (
            label, size // MIB if size else "-", took, rate_text, server, wineserver, client))
    table = ["| case | MiB | seconds | delivered MiB/s | mtserver CPU s | wineserver CPU s "
             "| client CPU s |",
             "|---|---:|---:|---:|---:|---:|---:|"] + rows
    head = "### Download rate limit, %s, %d cores, load %.1f at start, %.1f at end" % (
        run.utc_stamp(), os.cpu_count(), load, os.getloadavg()[0])
    text = "\n".join([head, ""] + table) + "\n"
    print(text)
    if args.record:
        run.record(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
