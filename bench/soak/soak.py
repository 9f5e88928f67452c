#!/usr/bin/env python3
"""Soak: 100,000 complete sessions against one mtserver (under Wine), and
its threads, handles and memory at the start, along the way and at the end.

Each session: connect, read the greeting, AUTH, FILE of a 4 KiB file (bytes
and trailer checked), QUIT, wait for the server's close. CLIENTS threads
share the work, all from 127.0.0.1 (below the 32-per-address limit).

The server's own numbers come from its stats line (server/serve/procstats.c:
Toolhelp threads, handle count, committed private bytes via VirtualQuery);
the Linux view of the Wine process (VmRSS) is printed beside them.

    python3 bench/soak/soak.py [--sessions N] [--clients N] [--record]

--record appends the result as a section of bench/RESULTS.md.
"""
import argparse
import datetime
import os
import re
import socket
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
os.environ.setdefault("WINEPREFIX", os.path.join(ROOT, "build", "wineprefix"))
os.environ.setdefault("WINEDEBUG", "-all")
os.environ.setdefault("WINEDLLOVERRIDES", "mscoree,mshtml=")
from harness import PASSWORD, Server  # noqa: E402

STATS = re.compile(r"stats threads=(\d+) handles=(\d+) private=(\d+) clients=(\d+)")
FILE_SIZE = 4096


def vmrss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def stats_after(srv, index):
    """The first stats line at or after log index; waits for it."""
    deadline = time.time() + 30
    with srv.log_changed:
        while True:
            for line in srv.log[index:]:
                m = STATS.search(line)
                if m:
                    t, h, p, c = (int(x) for x in m.groups())
                    return {"threads": t, "handles": h, "private": p, "clients": c,
                            "rss_kib": vmrss_kib(srv.proc.pid)}
            index = len(srv.log)
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError("no stats line")
            srv.log_changed.wait(left)


def settled(srv):
    """Stats once no client is left (two consecutive lines with clients=0)."""
    while True:
        s = stats_after(srv, len(srv.log))
        if s["clients"] == 0:
            return stats_after(srv, len(srv.log))


def session(port, expect):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        s.sendall(("AUTH %s\r\nFILE soak.bin\r\nQUIT\r\n" % PASSWORD).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        if data != expect:
            raise AssertionError("unexpected reply: %r" % data[:120])
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=100000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()

    srv = Server(args=["--stats-interval", "1", "--max-per-address", "64", "--connect-rate", "0"])
    body = os.urandom(FILE_SIZE)
    with open(os.path.join(srv.root, "soak.bin"), "wb") as f:
        f.write(body)
    expect = (b"#Server Ready.\r\n#You are logged in.\r\n" + body +
              b"#File soak.bin sent successfully.\r\n")
    samples = []
    done = [0]
    failures = []
    lock = threading.Lock()
    try:
        start = settled(srv)
        samples.append((0, start))
        print("start: %r" % start, file=sys.stderr)
        began = time.time()
        step = max(args.sessions // 10, 1)

        def worker():
            while True:
                with lock:
                    if done[0] >= args.sessions or len(failures) > 10:
                        return
                    done[0] += 1
                    n = done[0]
                try:
                    session(srv.port, expect)
                except Exception as e:  # counted and shown below
                    with lock:
                        failures.append(repr(e))
                if n % step == 0:
                    st = stats_after(srv, len(srv.log))
                    with lock:
                        samples.append((n, st))
                    print("%6d sessions, %.0f s: %r" % (n, time.time() - began, st),
                          file=sys.stderr)

        threads = [threading.Thread(target=worker) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.time() - began
        end = settled(srv)
        samples.append(("end, settled", end))
    finally:
        srv.stop()

    ok = args.sessions - len(failures)
    report = [
        "## Soak: %d sessions (bench/soak/soak.py)" % args.sessions,
        "",
        "%s, %d cores, load average at start %.1f; %d client threads; each session "
        "connect, AUTH, FILE of 4 KiB, QUIT. %d ok, %d failed; %.0f s (%.0f sessions/s)." % (
            datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            os.cpu_count(), os.getloadavg()[0], args.clients, ok, len(failures), took,
            args.sessions / took),
        "",
        "| sessions done | threads | handles | private bytes | VmRSS (KiB) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, st in samples:
        report.append("| %s | %d | %d | %d | %d |" % (n, st["threads"], st["handles"],
                                                       st["private"], st["rss_kib"]))
    report += [
        "",
        "Start and end are taken with no client connected. Threads, handles and "
        "private bytes come from the server's stats line; under Wine handles are "
        "probed and private bytes summed over VirtualQuery regions (docs/WINE.md). "
        "End minus start: threads %+d, handles %+d, private bytes %+d." % (
            end["threads"] - start["threads"], end["handles"] - start["handles"],
            end["private"] - start["private"]),
        "",
    ]
    if failures:
        report.insert(3, "First failures: %s" % "; ".join(failures[:3]))
    text = "\n".join(report)
    print(text)
    if args.record:
        with open(os.path.join(ROOT, "bench", "RESULTS.md"), "a", encoding="utf-8") as f:
            f.write("\n" + text + "\n")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
