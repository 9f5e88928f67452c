#!/usr/bin/env python3
"""bench/listhash.py - LIST and HASH (issue 14) in one run:

- LIST of a folder of 10,000 files: seconds for the whole listing, over a
  socket, against mtserver.exe under Wine (and the same folder listed
  natively with os.scandir plus sorting, as the floor of this host);
- HASH of a 1 GiB file: MB/s of the server's BCrypt SHA-256 under Wine,
  against the native `sha256sum` on the same file (target: ratio >= 0.5),
  then the second HASH of the same file (answered from the cache).

Progress goes to stderr, the table to stdout and, with --record, to the end
of bench/RESULTS.md. `make bench-listhash` runs it with --record.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
os.environ.setdefault("WINEPREFIX", os.path.join(TOP, "build", "wineprefix"))
os.environ.setdefault("WINEDEBUG", "-all")

import run  # noqa: E402  (bench/run.py: recording in RESULTS.md)
from harness import Server  # noqa: E402  (the tests' own way to start the server)

DATA = os.path.join(TOP, "build", "bench", "listhash")
ENTRIES = 10000
BIG = 1 << 30


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def prepare():
    folder = os.path.join(DATA, "many")
    os.makedirs(folder, exist_ok=True)
    if len(os.listdir(folder)) != ENTRIES:
        for i in range(ENTRIES):
            open(os.path.join(folder, "file %05d.txt" % (ENTRIES - 1 - i)), "wb").close()
    big = os.path.join(DATA, "f1g.bin")
    if not os.path.exists(big) or os.path.getsize(big) != BIG:
        progress("writing a 1 GiB file")
        block = os.urandom(1 << 20)
        with open(big, "wb") as f:
            for _ in range(BIG >> 20):
                f.write(block)
    return folder, big


def list_seconds(srv):
    c = srv.connect(timeout=600).login()
    began = time.time()
    c.send("LIST many\r\n")
    lines = 0
    while not c.line().startswith("#End of listing"):
        lines += 1
    took = time.time() - began
    assert lines == ENTRIES + 1, lines
    return took


def hash_seconds(srv):
    c = srv.connect(timeout=600).login()
    began = time.time()
    c.send("HASH f1g.bin\r\n")
    line = c.line()
    took = time.time() - began
    assert line.startswith("#SHA-256 "), line
    return took, line.split()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    folder, big = prepare()
    # Warm the page cache so both sides read the same cached bytes.
    subprocess.run(["cat", big], stdout=subprocess.DEVNULL, check=True)
    began = time.time()
    native = sorted(e.name.encode() for e in os.scandir(folder))
    native_list = time.time() - began
    assert len(native) == ENTRIES
    began = time.time()
    out = subprocess.run(["sha256sum", big], stdout=subprocess.PIPE, check=True).stdout
    native_hash = time.time() - began
    with Server(root=DATA) as srv:
        progress("LIST of %d entries" % ENTRIES)
        listed = list_seconds(srv)
        progress("HASH of 1 GiB")
        hashed, digest = hash_seconds(srv)
        again, digest2 = hash_seconds(srv)
    assert digest == digest2 == out.split()[0].decode(), (digest, out)
    mb = BIG / 1e6
    load = os.getloadavg()[0]
    rows = [
        ("LIST, 10,000 entries (s)", "%.2f" % listed, "%.3f (scandir+sort)" % native_list, ""),
        ("HASH, 1 GiB (MB/s)", "%.0f" % (mb / hashed), "%.0f (sha256sum)" % (mb / native_hash),
         "%.2f" % (native_hash / hashed)),
        ("HASH again, cached (s)", "%.3f" % again, "", ""),
    ]
    table = ["| figure | mtserver under Wine | native | ratio |", "|---|---:|---:|---:|"]
    table += ["| %s | %s | %s | %s |" % r for r in rows]
    head = "### LIST and HASH, %s, %d cores, load %.1f" % (run.utc_stamp(), os.cpu_count(), load)
    text = "\n".join([head, ""] + table) + "\n"
    print(text)
    if args.record:
        run.record(text)


if __name__ == "__main__":
    main()
