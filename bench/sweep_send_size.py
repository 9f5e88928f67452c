#!/usr/bin/env python3
"""bench/sweep_send_size.py - picks TransmitFile's nNumberOfBytesPerSend by
measurement: builds mtserver.exe variants that differ only in the default of
settings_for_server() (server/settings.c), and runs figure 1 (one 1 GiB
download, best of 3) on each next to the reference server. Prints one line
per size and round. Run `make bench-tools` first.

    python3 bench/sweep_send_size.py [--rounds 2] [SIZE ...]
"""
import argparse
import os
import re
import subprocess
import sys

import run  # noqa: E402

SIZES = [64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20]


def make_variant(size):
    """build/bench/sweep/mtserver-SIZE.exe: settings.c with another default."""
    out_dir = os.path.join(run.BENCH, "sweep")
    os.makedirs(out_dir, exist_ok=True)
    src = open(os.path.join(run.TOP, "server", "settings.c")).read()
    src, n = re.subn(r"s->bytes_per_send = [^;]+;", "s->bytes_per_send = %du;" % size, src)
    if n != 1:
        sys.exit("sweep: cannot find bytes_per_send in server/settings.c")
    c_file = os.path.join(out_dir, "settings-%d.c" % size)
    with open(c_file, "w") as f:
        f.write(src)

    def var(name):
        return subprocess.check_output(["make", "-s", "-C", run.TOP, "print-" + name]).decode().split()

    cc, cflags, ldflags, ldlibs = var("CC"), var("CFLAGS"), var("LDFLAGS"), var("LDLIBS")
    cflags += ["-I" + os.path.join(run.TOP, "server")]
    cflags = [f.replace("-Icommon", "-I" + os.path.join(run.TOP, "common")) for f in cflags]
    objs = [o for o in subprocess.check_output(["find", os.path.join(run.BUILD, "win", "common"),
                                                os.path.join(run.BUILD, "win", "server"),
                                                "-name", "*.o"]).decode().split()
            if not o.endswith("/settings.o")]
    obj = c_file[:-2] + ".o"
    exe = os.path.join(out_dir, "mtserver-%d.exe" % size)
    subprocess.check_call(cc + cflags + ["-c", c_file, "-o", obj])
    subprocess.check_call(cc + ldflags + ["-o", exe, obj] + objs + ldlibs)
    return exe


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("sizes", nargs="*", type=int, default=SIZES)
    opts = ap.parse_args()
    subprocess.check_call(["make", "-s", "-C", run.TOP, "all", "bench-tools"])
    run.make_file(*run.BIG)
    exes = {size: make_variant(size) for size in opts.sizes}
    for rnd in range(opts.rounds):
        for size in opts.sizes:
            srv = run.MtServer(exes[size]).start()
            try:
                mts = run.fig_download(srv, 3)["mbps"]
            finally:
                srv.stop()
            ref = run.RefServer().start()
            try:
                limit = run.fig_download(ref, 3)["mbps"]
            finally:
                ref.stop()
            print("round %d bytes_per_send %8d: mtserver %5.0f MB/s, ref %5.0f MB/s, ratio %.2f"
                  % (rnd + 1, size, mts, limit, mts / limit), flush=True)


if __name__ == "__main__":
    main()
