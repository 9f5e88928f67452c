#!/usr/bin/env python3
"""bench/run.py - runs every figure of bench/README.md against four servers
side by side and prints one table: mtserver.exe under Wine, the native
reference server (bench/refserver.c, the loopback limit of this host), the
floor design (bench/floor_server.c under the same Wine: what Wine allows) and
the article's design (bench/article_server.c under Wine, the baseline). Then
the wineserver requests per session of mtserver and the floor
(wine_requests.py).

Progress goes to stderr; the table goes to stdout and, unless --no-record, is
appended with the date and the core count to bench/RESULTS.md.

    python3 bench/run.py                     # everything (make bench)
    python3 bench/run.py --figures 2 --servers mtserver,ref --rate-seconds 5
"""
import argparse
import datetime
import os
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BUILD = os.path.join(TOP, "build")
BENCH = os.path.join(BUILD, "bench")
DATA = os.path.join(BENCH, "data")
PASSWORD = "bench-pass"
ARTICLE_PASSWORD = "passwd"  # hard-coded in the article
BIG = ("f1g.bin", 1 << 30)
SMALL = ("f64k.bin", 64 << 10)
IDLE_N = 2000

WINE_ENV = {
    "WINEPREFIX": os.path.join(BUILD, "wineprefix"),
    "WINEDEBUG": "-all",
    "WINEDLLOVERRIDES": "mscoree,mshtml=",
}


def progress(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def utc_stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def record(text):
    """Appends a run's text to bench/RESULTS.md, after a blank line."""
    with open(os.path.join(HERE, "RESULTS.md"), "a") as f:
        f.write("\n" + text)
    progress("appended to bench/RESULTS.md")


def winpath(path):
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_file(name, size):
    path = os.path.join(DATA, name)
    if os.path.exists(path) and os.path.getsize(path) == size:
        return path
    progress("writing %s (%d bytes of random data)" % (name, size))
    os.makedirs(DATA, exist_ok=True)
    with open("/dev/urandom", "rb") as src, open(path + ".tmp", "wb") as dst:
        left = size
        while left > 0:
            chunk = src.read(min(left, 1 << 20))
            dst.write(chunk)
            left -= len(chunk)
    os.rename(path + ".tmp", path)
    return path


def find_process(root_pid, exe_name):
    """The pid running exe_name: root_pid itself or one of its descendants
    (the wine launcher may exec or fork the real process)."""
    deadline = time.time() + 10
    while time.time() < deadline:
        pids = [root_pid]
        seen = set()
        while pids:
            pid = pids.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    argv0 = f.read().split(b"\0")[0].decode("utf-8", "replace")
                if argv0.lower().endswith(exe_name.lower()):
                    return pid
                with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                    pids.extend(int(x) for x in f.read().split())
            except OSError:
                pass
        time.sleep(0.1)
    return root_pid


def cpu_seconds(pid):
    """User plus system CPU seconds of one process so far (/proc/PID/stat)."""
    if pid is None:
        return 0.0
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wineserver_pid():
    """This prefix's wineserver: every wait and handle operation of mtserver
    is a request to it, so its CPU is part of the server's cost."""
    want = b"WINEPREFIX=" + os.environ.get("WINEPREFIX", "").encode()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/comm" % name) as f:
                if not f.read().startswith("wineserver"):
                    continue
            with open("/proc/%s/environ" % name, "rb") as f:
                if want in f.read().split(b"\0"):
                    return int(name)
        except OSError:
            pass
    return None


def memory(pid):
    """Private resident bytes, resident bytes, virtual size and threads."""
    out = {}
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                out[parts[0][:-1]] = int(parts[1]) * 1024
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Threads:"):
                out["Threads"] = int(line.split()[1])
            if line.startswith("VmSize:"):
                out["VmSize"] = int(line.split()[1]) * 1024
    out["Private"] = out.get("Private_Clean", 0) + out.get("Private_Dirty", 0)
    return out


class Server:
    """One server under test, started fresh for each figure."""

    label = "?"
    password = PASSWORD
    exe_name = None
    stderr = subprocess.DEVNULL  # a file for a WINEDEBUG=+server trace

    def __init__(self):
        self.proc = None
        self.port = None
        self.pid = None

    def command(self):
        raise NotImplementedError

    def start(self):
        cmd, cwd, env, port = self.command()
        full_env = dict(os.environ)
        full_env.update(env)
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        deadline = time.time() + 60
        while True:
            raw = self.proc.stdout.readline()
            if not raw or time.time() > deadline:
                self.stop()
                raise RuntimeError("%s did not start" % self.label)
            text = raw.decode("utf-8", "replace")
            if "listening on" in text:
                self.port = port or int(text.split("listening on ")[1].split(",")[0]
                                        .strip().rsplit(":", 1)[1])
                break
        # Keep reading what the server prints (mtserver's access log) so that
        # it never blocks on a full pipe; the lines themselves are not kept.
        threading.Thread(target=self._drain, daemon=True).start()
        self.pid = find_process(self.proc.pid, self.exe_name) if self.exe_name else self.proc.pid
        return self

    def _drain(self):
        for _ in self.proc.stdout:
            pass

    def stop(self):
        if self.proc is None:
            return
        try:
            self.proc.stdin.write(b"\x1b")
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.pid and self.pid != self.proc.pid:
            try:
                os.kill(self.pid, 9)
            except OSError:
                pass
        self.proc = None


class RefServer(Server):
    label = "ref"

    def stop(self):
        # The reference has no console to press ESC on: end it at once.
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None

    def command(self):
        return [os.path.join(BENCH, "refserver"), DATA, self.password, "0"], None, {}, None


class MtServer(Server):
    label = "mtserver"
    exe_name = "mtserver.exe"

    def __init__(self, exe):
        Server.__init__(self)
        self.exe = exe

    def command(self):
        cmd = ["wine", self.exe, "console", "--port", "0", "--bind", "127.0.0.1",
               "--root", winpath(DATA), "--max-clients", str(IDLE_N + 100),
               # All the load comes from 127.0.0.1: lift the per-address
               # limits (32 at once by default since the hardening work; 20
               # new connections a second after 300 since issue 19's third
               # round).
               "--max-per-address", "0", "--connect-rate", "0"]
        env = dict(WINE_ENV)
        env["MTS_PASSWORD"] = self.password
        return cmd, None, env, None


class ArticleServer(Server):
    label = "article"
    password = ARTICLE_PASSWORD
    exe_name = "article_server.exe"

    def command(self):
        port = free_port()
        return (["wine", os.path.join(BENCH, "article_server.exe"), str(port)], DATA,
                dict(WINE_ENV), port)


class FloorServer(Server):
    """The floor (bench/floor_server.c): the plainest fast design under the
    same Wine, with the article's protocol and password."""
    label = "floor"
    password = ARTICLE_PASSWORD
    exe_name = "floor_server.exe"

    def command(self):
        return (["wine", os.path.join(BENCH, "floor_server.exe"), "0"], DATA, dict(WINE_ENV),
                None)


def loadgen(args, timeout=300, stdin_hold=False):
    cmd = [os.path.join(BENCH, "loadgen")] + [str(a) for a in args]
    out = subprocess.run(cmd, capture_output=True, timeout=timeout)
    result = {}
    for line in out.stdout.decode().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            result[k] = float(v)
    if out.returncode != 0 and not result:
        raise RuntimeError("loadgen %s failed: %s" % (args[0], out.stderr.decode()))
    return result


def fig_download(srv, runs):
    name, size = BIG
    r = loadgen(["download", "127.0.0.1", srv.port, srv.password, name, size, runs])
    return {"mbps": r["best_mbps"], "failed": r["failed"]}


def fig_rate(srv, seconds):
    """8 client threads (the target's figure), then 2: with few clients the
    backlog is often empty, where the accept thread of earlier builds lost
    the most to a missing wake-up (bench/RESULTS.md, issue 24)."""
    name, size = SMALL
    out = {}
    for threads, key in ((8, "rate"), (2, "rate2")):
        r = loadgen(["rate", "127.0.0.1", srv.port, srv.password, name, size, threads, seconds],
                    timeout=seconds + 200)
        out[key] = r["sessions_per_s"]
        out["failed"] = out.get("failed", 0) + r["failed"]
        out["ok"] = out.get("ok", 0) + r["ok"]
    return out


def fig_burst(srv):
    name, size = SMALL
    r = loadgen(["burst", "127.0.0.1", srv.port, srv.password, name, size, 1000])
    return r


def fig_idle(srv):
    before = memory(srv.pid)
    cmd = [os.path.join(BENCH, "loadgen"), "idle", "127.0.0.1", str(srv.port), str(IDLE_N)]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    held = refused = 0
    for raw in p.stdout:
        k, _, v = raw.decode().strip().partition("=")
        if k == "held":
            held = int(v)
        if k == "refused":
            refused = int(v)
            break
    time.sleep(2)  # let the server's threads settle into their waits
    after = memory(srv.pid)
    p.stdin.close()
    p.wait(timeout=60)
    n = max(held, 1)
    return {
        "held": held,
        "refused": refused,
        "private_per_conn": (after["Private"] - before["Private"]) / n,
        "rss_per_conn": (after["Rss"] - before["Rss"]) / n,
        "virtual_per_conn": (after["VmSize"] - before["VmSize"]) / n,
        "threads_per_conn": (after["Threads"] - before["Threads"]) / n,
        "threads": after["Threads"],
    }


def fig_wine_threads():
    """Wine's own share of an idle connection: bench/wine_threads.exe starts
    IDLE_N threads that only wait, made as mtserver makes a client thread,
    and is measured as fig_idle measures mtserver."""
    env = dict(os.environ)
    env.update(WINE_ENV)
    p = subprocess.Popen(["wine", os.path.join(BENCH, "wine_threads.exe"), str(IDLE_N)],
                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        if p.stdout.readline().strip() != b"ready":
            raise RuntimeError("wine_threads.exe did not start")
        pid = find_process(p.pid, "wine_threads.exe")
        time.sleep(1)  # as the servers have settled before fig_idle's "before"
        before = memory(pid)
        p.stdin.write(b"go\n")
        p.stdin.flush()
        held = int(p.stdout.readline().decode().strip().partition("=")[2] or 0)
        time.sleep(2)  # as fig_idle: let the threads settle into their waits
        after = memory(pid)
    finally:
        p.stdin.close()
        p.wait(timeout=60)
    n = max(held, 1)
    return {"held": held, "private_per_thread": (after["Private"] - before["Private"]) / n}


OUT_DIR = os.path.join(BENCH, "out")


def timed_to_disk(cmd, size, env=None):
    """MB/s of one command that writes the big file to OUT_DIR, timed from
    its start (no target file, nothing dirty) until the data is on disk."""
    target = os.path.join(OUT_DIR, BIG[0])
    if os.path.exists(target):
        os.remove(target)
    subprocess.run(["sync"])
    t0 = time.time()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)
    subprocess.run(["sync", target])  # the data on disk, not only in cache
    took = time.time() - t0
    ok = os.path.getsize(target) == size
    return size / 1e6 / took if ok else 0.0


def disk_clients(port, client=os.path.join(BUILD, "mtsclient.exe")):
    """The Wine commands of figure 5 for a server on port, by label:
    mtsclient (when built), the client floor (bench/floor_client.c) and the
    floor flushing behind its writing as mtsclient does (its "w")."""
    name = BIG[0]
    cmds = {}
    if os.path.exists(client):
        cmds["client"] = ["wine", client, "-s", "127.0.0.1", "-p", str(port), "-o",
                          winpath(OUT_DIR), "-f", "-q", name]
    floor = os.path.join(BENCH, "floor_client.exe")
    if os.path.exists(floor):
        cmds["floor"] = ["wine", floor, "127.0.0.1", str(port), name,
                         winpath(os.path.join(OUT_DIR, name))]
        cmds["floor_wb"] = cmds["floor"] + ["w"]
    return cmds


def fig_client(runs):
    """mtsclient.exe and the client floor (plain, and flushing behind)
    downloading the big file to disk, against cp."""
    name, size = BIG
    os.makedirs(OUT_DIR, exist_ok=True)
    target = os.path.join(OUT_DIR, name)
    cp_cmd = ["cp", os.path.join(DATA, name), target]
    # cp and the clients take turns, so that all meet the same moments of a
    # busy machine; each is the best of its runs. All start with the source
    # in the page cache (the server reads the same file cp does) and no
    # target file, and all are timed until the data is on disk.
    best = {"cp": [], "client": [], "floor": [], "floor_wb": []}
    srv = MtServer(os.path.join(BUILD, "mtserver.exe")).start()
    try:
        env = dict(os.environ)
        env.update(WINE_ENV)
        env["MTS_PASSWORD"] = srv.password
        cmds = disk_clients(srv.port)
        for _ in range(runs):
            best["cp"].append(timed_to_disk(cp_cmd, size))
            for key, cmd in cmds.items():
                best[key].append(timed_to_disk(cmd, size, env))
    finally:
        srv.stop()
        if os.path.exists(target):
            os.remove(target)
    return {k: max(v) if v else None for k, v in best.items()}


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float) and v >= 100:
        return "%.0f%s" % (v, unit)
    if isinstance(v, float):
        return "%.2f%s" % (v, unit)
    return "%s%s" % (v, unit)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return "%.2f" % (a / b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--figures", default="1,2,3,4,5")
    ap.add_argument("--servers", default="ref,mtserver,floor,article")
    ap.add_argument("--mtserver-exe", default=os.path.join(BUILD, "mtserver.exe"))
    ap.add_argument("--runs", type=int, default=3, help="best of N for figures 1 and 5")
    ap.add_argument("--rate-seconds", type=float, default=10)
    ap.add_argument("--note", default="", help="a line recorded with the table")
    ap.add_argument("--no-record", action="store_true")
    ap.add_argument("--no-requests", action="store_true",
                    help="leave out the wineserver request table (wine_requests.py)")
    opts = ap.parse_args()
    figures = set(int(x) for x in opts.figures.split(","))
    wanted = opts.servers.split(",")
    began = time.time()
    load = os.getloadavg()

    make_file(*SMALL)
    if 1 in figures or 5 in figures:
        make_file(*BIG)

    makers = {"ref": RefServer, "mtserver": lambda: MtServer(opts.mtserver_exe),
              "article": ArticleServer, "floor": FloorServer}
    results = {k: {} for k in wanted}
    for fig, name, fn in [
            # The article's 1 KiB loop moves about 20 MB/s under Wine: one
            # run of it takes most of a minute, so it gets one, not best of N.
            (1, "1 GiB download",
             lambda s: fig_download(s, 1 if s.label == "article" else opts.runs)),
            (2, "session rate", lambda s: fig_rate(s, opts.rate_seconds)),
            (3, "1,000 at once", fig_burst),
            (4, "2,000 idle", fig_idle)]:
        if fig not in figures:
            continue
        for key in wanted:
            progress("figure %d (%s): %s" % (fig, name, key))
            srv = makers[key]().start()
            try:
                results[key][fig] = fn(srv)
            except Exception as e:  # one server's failure must not hide the others
                progress("figure %d on %s failed: %s" % (fig, key, e))
                results[key][fig] = None
            finally:
                srv.stop()
    wine_threads = None
    if 4 in figures and "mtserver" in wanted:
        progress("figure 4: Wine's share (wine_threads.exe, %d waiting threads)" % IDLE_N)
        try:
            wine_threads = fig_wine_threads()
        except Exception as e:
            progress("wine_threads.exe failed: %s" % e)
    client = None
    if 5 in figures:
        progress("figure 5 (mtsclient to disk against cp)")
        client = fig_client(opts.runs)

    rows = []

    def row(label, unit, get, higher_better=True):
        vals = {}
        for key in wanted:
            try:
                vals[key] = get(results[key])
            except (KeyError, TypeError):
                vals[key] = None
        m, r, a = vals.get("mtserver"), vals.get("ref"), vals.get("article")
        f = vals.get("floor")
        rows.append([label, fmt(m, unit), fmt(r, unit), fmt(f, unit), fmt(a, unit), ratio(m, r),
                     ratio(m, f), ratio(m, a), ratio(a, r)])

    if 1 in figures:
        row("1. 1 GiB download, best of %d (article: 1 run) (MB/s)" % opts.runs, "",
            lambda d: d[1]["mbps"])
    if 2 in figures:
        row("2. session rate, 8 threads %gs (sessions/s)" % opts.rate_seconds, "",
            lambda d: d[2]["rate"])
        row("   2 threads %gs (sessions/s)" % opts.rate_seconds, "", lambda d: d[2]["rate2"])
        row("   failed sessions (both)", "", lambda d: int(d[2]["failed"]))
    if 3 in figures:
        row("3. 1,000 at once: succeeded", "", lambda d: int(d[3]["ok"]))
        row("   wall time (s)", "", lambda d: d[3]["wall_s"])
        row("   p50 latency (ms)", "", lambda d: d[3]["p50_ms"])
        row("   p99 latency (ms)", "", lambda d: d[3]["p99_ms"])
    if 4 in figures:
        row("4. 2,000 idle: held", "", lambda d: int(d[4]["held"]))
        row("   private resident KiB per conn", "", lambda d: d[4]["private_per_conn"] / 1024)
        row("   virtual KiB per conn", "", lambda d: d[4]["virtual_per_conn"] / 1024)
        row("   threads per conn", "", lambda d: d[4]["threads_per_conn"])
        if wine_threads is not None:
            # Wine's share: what a waiting thread costs in a program that does
            # nothing else; mtserver's own share is the rest of its figure.
            wine_kib = wine_threads["private_per_thread"] / 1024
            mts = (results.get("mtserver", {}).get(4) or {}).get("private_per_conn")
            own = None if mts is None else mts / 1024 - wine_kib
            rows.append(["   Wine's share: a waiting thread (KiB, wine_threads.exe)",
                         fmt(wine_kib), "-", "-", "-", "-", "-", "-", "-"])
            rows.append(["   mtserver's own share per conn (KiB)", fmt(own),
                         "-", "-", "-", "-", "-", "-", "-"])
    if 5 in figures:
        if client["client"] is None:
            rows.append(["5. mtsclient to disk (MB/s)", "not built", "cp %s" % fmt(client["cp"]),
                         "-", "-", "-", "-", "-", "-"])
        else:
            # The floor column is the client floor (floor_client.exe), the
            # ref column cp: mts/floor says how much of mts/ref is mtsclient's.
            rows.append(["5. mtsclient to disk vs cp (MB/s)", fmt(client["client"]),
                         "cp %s" % fmt(client["cp"]), fmt(client["floor"]), "-",
                         ratio(client["client"], client["cp"]),
                         ratio(client["client"], client["floor"]), "-",
                         "floor/cp %s" % ratio(client["floor"], client["cp"])])
            # The same floor with mtsclient's write-behind: what the plainest
            # client of mtsclient's design reaches in the same turns.
            rows.append(["   the client floor flushing behind as mtsclient does (MB/s)",
                         fmt(client["client"]), "cp %s" % fmt(client["cp"]),
                         fmt(client["floor_wb"]), "-", ratio(client["client"], client["cp"]),
                         ratio(client["client"], client["floor_wb"]), "-",
                         "floor/cp %s" % ratio(client["floor_wb"], client["cp"])])

    head = ["figure", "mtserver", "ref", "floor", "article", "mts/ref", "mts/floor",
            "mts/article", "article/ref"]
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(widths[i]) for i, c in enumerate(cells)) + " |"

    table = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    table += [line(r) for r in rows]
    took = time.time() - began
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    header = ("### %s, %d cores, load average at start %.2f, run took %.0f s" %
              (stamp, os.cpu_count(), load[0], took))
    text = "\n".join([header, ""] + ([opts.note, ""] if opts.note else []) + table) + "\n"
    if 5 in figures and client["client"] is None:
        text += "\nFigure 5: build/mtsclient.exe not built, so mtsclient was not measured.\n"
    if 4 in figures:
        short = [k for k in wanted
                 if (results.get(k, {}).get(4) or {}).get("held", IDLE_N) < IDLE_N]
        if short:
            text += ("\nFigure 4: %s held fewer than %d connections; the figures per "
                     "connection are over those held only.\n" % (", ".join(short), IDLE_N))
    if not opts.no_requests and "mtserver" in wanted:
        import wine_requests  # here: it imports this file
        progress("wineserver requests per session (WINEDEBUG=+server)")
        servers = [("mtserver", MtServer(opts.mtserver_exe))]
        if "floor" in wanted:
            servers.append(("floor", FloorServer()))
        text += ("\nWineserver requests per plain AUTH + FILE (64 KiB) + QUIT session "
                 "(load-independent):\n\n" + "\n".join(wine_requests.table(servers)) + "\n")
    print(text)
    if not opts.no_record:
        record(text)
    progress("done in %.0f s" % took)


if __name__ == "__main__":
    main()
