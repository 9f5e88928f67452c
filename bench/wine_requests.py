#!/usr/bin/env python3
"""bench/wine_requests.py - counts the wineserver requests one session costs.

Under Wine almost every Win32 call that waits, creates or closes something is
a request to the wineserver process, a round trip over a pipe with two
context switches; counting them per session is a measurement that, unlike
timing, does not depend on how busy the machine is. It starts the server
with WINEDEBUG=+server (the trace comes from the wineserver, so no other
program may be using this Wine prefix at the time), runs one client in a loop
for 2 s, and prints requests per session by name: for mtserver and, beside
it, for the floor design (bench/floor_server.c). `make bench` (run.py)
prints the same table.

    python3 bench/wine_requests.py [EXE]     (default build/mtserver.exe)
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

import run  # noqa: E402

REQUEST = re.compile(rb"^[0-9a-f]+: ([a-z_]+)\(")


def count(srv):
    """Requests per session by name for one run.Server (not started), and the
    number of sessions they are over."""
    run.make_file(*run.SMALL)
    wine_env = dict(os.environ)
    wine_env.update(run.WINE_ENV)
    # The trace is written by the wineserver: it must be one started by us.
    subprocess.run(["wineserver", "-w"], env=wine_env, timeout=60)
    trace = tempfile.NamedTemporaryFile(prefix="wine-trace-", delete=False)
    cmd, cwd, env, port = srv.command()
    full_env = dict(os.environ)
    full_env.update(env)
    full_env["WINEDEBUG"] = "+server"
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=trace)
    while port is None:
        line = proc.stdout.readline().decode("utf-8", "replace")
        if not line:
            sys.exit("server did not start")
        if "listening on" in line:
            port = int(line.split("listening on ")[1].split(",")[0].strip().rsplit(":", 1)[1])
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    name, size = run.SMALL
    run.loadgen(["rate", "127.0.0.1", port, srv.password, name, size, 1, 1])  # warm up
    time.sleep(0.5)
    start = os.path.getsize(trace.name)
    r = run.loadgen(["rate", "127.0.0.1", port, srv.password, name, size, 1, 2])
    time.sleep(0.5)
    end = os.path.getsize(trace.name)
    proc.stdin.write(b"\x1b")
    proc.stdin.close()
    proc.wait(timeout=30)
    counts = tally(trace.name, start, end)
    os.unlink(trace.name)
    n = r["ok"]
    if not counts or not n:
        sys.exit("no trace: another program kept this prefix's wineserver running")
    return {k: v / n for k, v in counts.items()}, int(n)


def tally(path, start, end):
    """The requests by name in bytes start..end of a +server trace."""
    counts = collections.Counter()
    with open(path, "rb") as f:
        f.seek(start)
        for line in f.read(end - start).splitlines():
            m = REQUEST.match(line)
            # Reply lines ("name() = STATUS {...}") are left out.
            if m and b" = " not in line.split(b")", 1)[-1][:4]:
                counts[m.group(1).decode()] += 1
    return counts


def traced(start, ports, n, work, warm=5, per=None):
    """Wineserver requests per unit by name: start(env, stderr) starts a
    server with WINEDEBUG=+server and its trace to stderr, and returns it;
    ports(server) gives [(label, port, tls)]; work(port, tls) is one unit
    of what is counted, done n times on each after `warm` times not
    counted, the counts divided by per (n unless given). The trace is written by the wineserver, so it must be one
    started by this server: the prefix's is waited out first.
    Returns [(label, (counts per unit by name, per))]."""
    per = per or n
    subprocess.run(["wineserver", "-w"], timeout=120)
    out = []
    with tempfile.NamedTemporaryFile(prefix="wine-trace-") as trace:
        srv = start({"WINEDEBUG": "+server"}, trace)
        try:
            for label, port, tls in ports(srv):
                for _ in range(warm):
                    work(port, tls)
                time.sleep(0.5)
                began = os.path.getsize(trace.name)
                for _ in range(n):
                    work(port, tls)
                time.sleep(0.5)
                counts = tally(trace.name, began, os.path.getsize(trace.name))
                if not counts:
                    raise RuntimeError("no trace: another program kept the wineserver running")
                out.append((label, ({k: v / per for k, v in counts.items()}, per)))
        finally:
            srv.stop()
    subprocess.run(["wineserver", "-w"], timeout=120)
    return out


def table(servers):
    """servers: [(label, run.Server)]. The requests per session of each,
    side by side, as Markdown lines (lines())."""
    return lines([(label, count(srv)) for label, srv in servers])


def lines(results, unit="session", counted="sessions counted"):
    """results: [(label, (requests per session by name, sessions))]. Markdown
    lines: the total, the names that cost at least half a request a session
    in any, and the sessions counted (or per unit, and units counted)."""
    names = collections.Counter()
    for _, (per, _) in results:
        for k, v in per.items():
            names[k] = max(names[k], v)
    out = ["| request | " + " | ".join(label for label, _ in results) + " |",
           "|---|" + "---:|" * len(results)]
    out.append("| **total per %s** | " % unit +
               " | ".join("**%.1f**" % sum(per.values()) for _, (per, _) in results) + " |")
    for k, top in names.most_common():
        if top >= 0.5:
            out.append("| %s | " % k +
                       " | ".join("%.1f" % per.get(k, 0.0) for _, (per, _) in results) + " |")
    out.append("| (%s) | " % counted +
               " | ".join(str(n) for _, (_, n) in results) + " |")
    return out


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else os.path.join(run.BUILD, "mtserver.exe")
    servers = [(os.path.basename(exe), run.MtServer(exe))]
    if os.path.exists(os.path.join(run.BENCH, "floor_server.exe")):
        servers.append(("floor", run.FloorServer()))
    print("\n".join(table(servers)))


if __name__ == "__main__":
    main()
