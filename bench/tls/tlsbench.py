#!/usr/bin/env python3
"""bench/tls/tlsbench.py - TLS beside plain under Wine 10 (issue 12's bench),
in one run, three columns side by side:

- mtserver plain: mtserver.exe's plain port (TransmitFile);
- mtserver TLS: the same server's TLS port (Schannel, EncryptMessage);
- osslref TLS: bench/tls/osslref.c, the native reference over OpenSSL with
  the same certificate and key (tests/lib/tlskit.py makes them as PEM and
  PFX), TLS 1.2 as Wine's Schannel;
- floor TLS: bench/tls/floor_tls.c, the plainest Schannel server of the same
  session and download under the same Wine 10: what a TLS session and a TLS
  download cost under Wine's Schannel whoever serves them.

Figures: the download of one file (1 GiB unless --mib says less; random
data, page cache warm; best of --rounds), and sessions one after another for
--seconds (connect, TLS handshake, greeting, QUIT, wait for the close). The
targets follow, met or missed: TLS download >= 0.5 of osslref (issue 12)
with <= 1.0 s of server CPU per GiB (issue 24), and the same ratio for the
TLS floor (what the plainest Schannel sender reaches), server CPU per TLS session
less the private-key operation (Nettle's, below) <= 0.6 ms (issue 24), and
TLS session rate >= 0.5 of mtserver's own plain rate (issue 12). The rows
under each figure say where the time goes: server CPU (mtserver.exe plus
this prefix's wineserver, from /proc), client CPU, a session's phases, the
client's wait for each of the server's two handshake flights (--flights
handshakes per round), and the RSA private-key operation alone in Wine's
crypto library and in OpenSSL (bench/tls/rsasign.c). Last, the wineserver
requests one session costs (WINEDEBUG=+server, as bench/wine_requests.py)
for mtserver's plain and TLS ports and the TLS floor, by request name, and
those one MiB of a download costs (--request-mib).

The figures are taken in turns (one round: every column's download, then
every column's sessions), so that all three meet the same moments of a busy
machine. The client is Python (socket, ssl) on the same machine: its cost is
in every figure, TLS's client half in the two TLS columns (the "client CPU"
rows). Run it inside the Wine 10 root, from the checkout (or `make
bench-tls`):

    WINEPREFIX=$PWD/build/wineprefix-wine10 tests/wine10/enter \\
        python3 bench/tls/tlsbench.py [--mib 256] [--record]

Progress goes to stderr, the table to stdout and, with --record, to the end
of bench/RESULTS.md.
"""
import argparse
import contextlib
import os
import socket
import ssl
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_DIR = os.path.dirname(HERE)
TOP = os.path.dirname(BENCH_DIR)
os.environ.setdefault("MTS_RUN", "wine")
os.environ.setdefault("WINEDEBUG", "-all")

import harness  # noqa: E402  (the tests' own way to start mtserver and talk to it)
import run  # noqa: E402  (bench/run.py: the data files, the process finder, the reference)
import tlskit  # noqa: E402
import wine_requests  # noqa: E402  (bench/wine_requests.py: the +server trace's tally)

COLUMNS = ("mtserver plain", "mtserver TLS", "osslref TLS", "floor TLS")
# mtserver's options here: all the load comes from 127.0.0.1.
MTS_ARGS = ["--max-per-address", "0", "--connect-rate", "0", "--plain-logins", "1"]


class OsslRef(run.RefServer):
    """bench/tls/osslref.c on a free port, with the tests' certificate."""

    label = "osslref"

    def command(self):
        c = tlskit.certs()
        return ([os.path.join(run.BENCH, "osslref"), run.DATA, harness.PASSWORD, c.cert, c.key,
                 "0"], None, {}, None)


class FloorTls(run.Server):
    """bench/tls/floor_tls.c under this Wine with the tests' PFX, serving
    run.DATA: the plainest Schannel server of the session and the download
    (issue 24, targets 3 and 4)."""

    label = "floor_tls"
    exe_name = "floor_tls.exe"

    def __init__(self, env=None):
        run.Server.__init__(self)
        self.env = env or {}

    def command(self):
        c = tlskit.certs()
        return (["wine", os.path.join(run.BENCH, "floor_tls.exe"), harness.winpath(run.DATA),
                 harness.winpath(c.pfx), tlskit.PFX_PASSWORD, harness.PASSWORD, "0"],
                None, self.env, None)


PROGRAM = ["mtserver.exe"]  # --mtserver-exe: another build in build/, for an A/B


def mtserver(env=None, stderr=subprocess.PIPE):
    """mtserver with the tests' certificate, plain and TLS ports."""
    return harness.Server(root=run.DATA, env=env, stderr=stderr, ports=("plain", "tls"),
                          program=PROGRAM[0],
                          args=MTS_ARGS + ["--tls-port", "0", "--config",
                                           harness.winpath(tlskit.certs().config())])


class Meter:
    """CPU seconds of the server's processes and of this client over a span."""

    def __init__(self, pids):
        self.pids = pids

    def __enter__(self):
        self.began = [run.cpu_seconds(p) for p in self.pids] + [time.process_time()]
        return self

    def __exit__(self, *exc):
        ended = [run.cpu_seconds(p) for p in self.pids] + [time.process_time()]
        used = [b - a for a, b in zip(self.began, ended)]
        self.server, self.client = used[:-1], used[-1]
        return False


def connect(port, tls):
    if tls:
        return tlskit.TlsConn(port, verify=False)
    return harness.Conn(port)


def wait_closed(conn):
    """Reads until the server ends the connection (its close_notify or FIN)."""
    try:
        while conn.sock.recv(4096):
            pass
    except (OSError, ssl.SSLError):
        pass
    conn.close()


def read_body(read_into, size):
    """Reads size bytes into one reused buffer (not a growing one)."""
    view = memoryview(bytearray(1 << 20))
    left = size
    while left > 0:
        got = read_into(view[:min(left, len(view))])
        if not got:
            raise EOFError("closed with %d bytes to come" % left)
        left -= got


def download(port, tls, name):
    """One GET: (bytes, seconds), the clock running from the GET to the last
    byte. Python's ssl is the TLS client for both TLS columns; `openssl
    s_client` piped to this script was tried and cost the client 4-5 s of
    CPU per GiB against Python's 1.3-1.5 (host, osslref, 256 MiB)."""
    conn = connect(port, tls).login()
    began = time.time()
    conn.send("GET %s\r\n" % name)
    size = int(conn.line().split()[1])
    early = min(size, len(conn.buf))
    conn.buf = conn.buf[early:]
    read_body(conn.sock.recv_into, size - early)
    took = time.time() - began
    conn.expect("#File %s sent successfully." % name)
    conn.send("QUIT\r\n")
    wait_closed(conn)
    return size, took


def sessions(port, tls, seconds):
    """Sessions one after another for `seconds`: the count, the wall time,
    and each session's phases (connect and handshake, greeting, QUIT to
    close) in seconds."""
    phases = []
    began = time.time()
    while time.time() - began < seconds:
        t0 = time.time()
        conn = connect(port, tls)
        t1 = time.time()
        conn.expect("#Server Ready.")
        t2 = time.time()
        conn.send("QUIT\r\n")
        wait_closed(conn)
        phases.append((t1 - t0, t2 - t1, time.time() - t2))
    return len(phases), time.time() - began, phases


def start_floor(env, stderr):
    f = FloorTls(env)
    f.stderr = stderr
    return f.start()


def traced_columns(n, work, warm=5, per=None):
    """mtserver plain, mtserver TLS and floor TLS, each traced as
    wine_requests.traced does (same arguments)."""
    def mtserver_ports(s):
        return [(COLUMNS[0], s.port, False), (COLUMNS[1], s.tls_port, True)]
    return (wine_requests.traced(mtserver, mtserver_ports, n, work, warm, per) +
            wine_requests.traced(start_floor, lambda s: [(COLUMNS[3], s.port, True)], n, work,
                                 warm, per))


def request_table(n):
    """Requests per session."""
    return wine_requests.lines(traced_columns(n, one_session))


def download_request_table(mib):
    """Requests per MiB of one download of mib MiB (after one not counted).
    Under Wine each send is several requests whatever its size, so this
    says how many sends a MiB took and how many waited."""
    name = "f%dm.bin" % mib
    run.make_file(name, mib << 20)

    def fetch(port, tls):
        download(port, tls, name)
    return wine_requests.lines(traced_columns(1, fetch, warm=1, per=mib), "MiB", "MiB counted")


def one_session(port, tls):
    """connect (and handshake), greeting, QUIT, the server's close."""
    conn = connect(port, tls)
    conn.expect("#Server Ready.")
    conn.send("QUIT\r\n")
    wait_closed(conn)


def handshake_flights(port):
    """One TLS 1.2 handshake driven through memory BIOs, so that the time the
    client waits for each of the server's two flights is seen apart from the
    client's own work: (first, second) in seconds. First: ServerHello to
    ServerHelloDone (the ECDHE key, signed with the RSA key: the private-key
    operation); second: ChangeCipherSpec and Finished (the shared secret and
    the keys)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=20)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = tlskit.client_context(verify=False).wrap_bio(incoming, outgoing,
                                                       server_hostname="localhost")
    # Each wait runs from just before a send to the end of the last receive
    # before the client's next send: the client's own work on a whole flight
    # comes after it, and a client preempted by the woken server loses
    # nothing of the server's time.
    waits = []
    sent = received = 0.0
    while True:
        try:
            tls.do_handshake()
            done = True
        except ssl.SSLWantReadError:
            done = False
        data = outgoing.read()
        if (data or done) and sent:
            waits.append(received - sent)
        if done:
            break
        if data:
            sent = time.perf_counter()
            raw.sendall(data)
        chunk = raw.recv(65536)
        received = time.perf_counter()
        if not chunk:
            raise EOFError("closed during the handshake")
        incoming.write(chunk)
    raw.close()
    return waits[0], waits[1]


class Column:
    """What one column gathers over the rounds."""

    def __init__(self, label, port, tls, pids):
        self.label, self.port, self.tls, self.pids = label, port, tls, pids
        self.mbps = []
        self.dl_bytes = 0
        self.dl_server = [0.0] * len(pids)
        self.dl_client = 0.0
        self.rates = []
        self.sessions = 0
        self.phases = []
        self.s_server = [0.0] * len(pids)
        self.s_client = 0.0
        self.cipher = "-"
        self.flights = []

    def run_download(self, name):
        with Meter(self.pids) as m:
            size, took = download(self.port, self.tls, name)
        self.mbps.append(size / took / 1e6)
        self.dl_bytes += size
        self.dl_server = [a + b for a, b in zip(self.dl_server, m.server)]
        self.dl_client += m.client

    def run_sessions(self, seconds):
        with Meter(self.pids) as m:
            n, took, phases = sessions(self.port, self.tls, seconds)
        self.rates.append(n / took)
        self.sessions += n
        self.phases += phases
        self.s_server = [a + b for a, b in zip(self.s_server, m.server)]
        self.s_client += m.client

    def run_flights(self, count):
        if self.tls:
            self.flights += [handshake_flights(self.port) for _ in range(count)]

    def note_cipher(self):
        if self.tls:
            conn = connect(self.port, True)
            self.cipher = "%s %s" % (conn.sock.version(), conn.sock.cipher()[0])
            conn.close()


def cpu_cell(parts, per):
    """Server CPU per unit; mtserver's as total (mtserver.exe + wineserver)."""
    total = sum(parts) / per
    if len(parts) == 1:
        return "%.2f" % total
    return "%.2f (%.2f + %.2f)" % (total, parts[0] / per, parts[1] / per)


def rsa_sign_ms():
    """bench/tls/rsasign on the test key: CPU ms of one RSA private-key
    operation in Nettle/GMP (what Wine's Schannel signs with, via GnuTLS)
    and in OpenSSL (osslref's), with the versions."""
    out = subprocess.run([os.path.join(run.BENCH, "rsasign"), tlskit.certs().key, "1"],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    return dict(line.split("=", 1) for line in out.splitlines())


def table(cols, args, size, rsa):
    gib = [c.dl_bytes / (1 << 30) for c in cols]
    rows = [
        ("%d MiB download, best of %d (MB/s)" % (size >> 20, args.rounds),
         ["%.0f" % max(c.mbps) if c.mbps else "-" for c in cols]),
        ("  server CPU per GiB (s) [Wine: exe + wineserver]",
         [cpu_cell(c.dl_server, g) if g else "-" for c, g in zip(cols, gib)]),
        ("  client CPU per GiB (s)",
         ["%.2f" % (c.dl_client / g) if g else "-" for c, g in zip(cols, gib)]),
        ("sessions/s, one client, best of %d x %g s" % (args.rounds, args.seconds),
         ["%.0f" % max(c.rates) for c in cols]),
        ("  server CPU per session (ms) [Wine: exe + wineserver]",
         [cpu_cell([x * 1000 for x in c.s_server], c.sessions) for c in cols]),
        ("  client CPU per session (ms)",
         ["%.2f" % (c.s_client * 1000 / c.sessions) for c in cols]),
    ]
    for i, what in enumerate(("connect + handshake", "greeting after it", "QUIT to close")):
        rows.append(("  %s, median (ms)" % what,
                     ["%.2f" % (statistics.median(p[i] for p in c.phases) * 1000)
                      for c in cols]))
    for i, what in enumerate(("first (key exchange signed)", "second (Finished)")):
        rows.append(("  wait for the server's %s flight, median (ms)" % what,
                     ["%.2f" % (statistics.median(f[i] for f in c.flights) * 1000)
                      if c.flights else "-" for c in cols]))
    rows.append(("  RSA-%s private-key operation alone, CPU (ms)" % rsa["bits"],
                 ["-", "%s (Nettle %s, GMP %s)" % (rsa["nettle_ms"], rsa["nettle"], rsa["gmp"]),
                  "%s (OpenSSL)" % rsa["openssl_ms"], "%s (Nettle)" % rsa["nettle_ms"]]))
    rows.append(("  protocol and cipher", [c.cipher for c in cols]))
    out = ["| figure | %s |" % " | ".join(COLUMNS), "|---|" + "---:|" * len(COLUMNS)]
    out += ["| %s | %s |" % (what, " | ".join(cells)) for what, cells in rows]
    return out


def targets(cols, rsa):
    plain, tls, ref, floor = cols
    dl = max(tls.mbps) / max(ref.mbps)
    floor_dl = max(floor.mbps) / max(ref.mbps)
    rate = max(tls.rates) / max(plain.rates)
    per_gib = sum(tls.dl_server) / (tls.dl_bytes / (1 << 30))
    per_session = sum(tls.s_server) * 1000 / tls.sessions
    beyond_key = per_session - float(rsa["nettle_ms"])
    floor_session = sum(floor.s_server) * 1000 / floor.sessions
    floor_beyond = floor_session - float(rsa["nettle_ms"])
    met = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    return [
        "| target | measured | met? |",
        "|---|---|---|",
        "| TLS download >= 0.5 of osslref | %.2f (%.0f vs %.0f MB/s) | %s |"
        % (dl, max(tls.mbps), max(ref.mbps), met(dl >= 0.5)),
        "| TLS download <= 1.0 s of server CPU per GiB (issue 24) | %.2f s | %s |"
        % (per_gib, met(per_gib <= 1.0)),
        "| the same for the TLS floor (floor_tls.exe, same Wine): what the plainest Schannel "
        "sender reaches | %.2f (%.0f vs %.0f MB/s); mtserver's download over the floor's: %.2f "
        "| %s |"
        % (floor_dl, max(floor.mbps), max(ref.mbps), max(tls.mbps) / max(floor.mbps),
           met(floor_dl >= 0.5)),
        "| TLS server CPU per session less the private-key operation <= 0.6 ms (issue 24) "
        "| %.2f ms (%.2f - %s) | %s |"
        % (beyond_key, per_session, rsa["nettle_ms"], met(beyond_key <= 0.6)),
        "| the same for the TLS floor (floor_tls.exe, same Wine): what Schannel under Wine "
        "costs | %.2f ms (%.2f - %s); mtserver's beyond the floor's: %.2f ms | %s |"
        % (floor_beyond, floor_session, rsa["nettle_ms"], beyond_key - floor_beyond,
           met(floor_beyond <= 0.6)),
        "| TLS session rate >= 0.5 of mtserver plain | %.2f (%.0f vs %.0f/s) | %s |"
        % (rate, max(tls.rates), max(plain.rates), met(rate >= 0.5)),
    ]


def busy_fraction(before, after):
    """The machine's share of non-idle CPU time between two /proc/stat reads."""
    delta = [b - a for a, b in zip(before, after)]
    idle = delta[3] + delta[4]
    return 1 - idle / sum(delta)


def proc_stat():
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=1024, help="download size (default 1024)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=4, help="per column and round")
    ap.add_argument("--flights", type=int, default=100,
                    help="timed handshakes per TLS column and round")
    ap.add_argument("--requests", type=int, default=100,
                    help="sessions per column traced for the request table (0: none)")
    ap.add_argument("--request-mib", type=int, default=64,
                    help="MiB of one download per column traced for the request table "
                    "per MiB (0: none)")
    ap.add_argument("--mtserver-exe", default=PROGRAM[0],
                    help="the server build to measure, a file in build/ (default mtserver.exe)")
    ap.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = ap.parse_args()
    PROGRAM[0] = args.mtserver_exe

    size = args.mib << 20
    name = "f1g.bin" if size == 1 << 30 else "f%dm.bin" % args.mib
    path = run.make_file(name, size)
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
    wine = subprocess.run(["wine", "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    load0, stat0, began = os.getloadavg()[0], proc_stat(), time.time()

    with contextlib.ExitStack() as stack:
        ref = OsslRef().start()
        stack.callback(ref.stop)
        srv = stack.enter_context(mtserver())
        floor = FloorTls().start()
        stack.callback(floor.stop)
        pids = [run.find_process(srv.proc.pid, PROGRAM[0]), run.wineserver_pid()]
        cols = [Column(COLUMNS[0], srv.port, False, pids),
                Column(COLUMNS[1], srv.tls_port, True, pids),
                Column(COLUMNS[2], ref.port, True, [ref.proc.pid]),
                Column(COLUMNS[3], floor.port, True, [floor.pid, pids[1]])]
        try:
            for c in cols:
                c.note_cipher()
            for r in range(args.rounds):
                for c in cols:
                    run.progress("round %d: %s, download of %d MiB" % (r + 1, c.label, args.mib))
                    c.run_download(name)
                for c in cols:
                    run.progress("round %d: %s, sessions for %g s" % (r + 1, c.label,
                                                                      args.seconds))
                    c.run_sessions(args.seconds)
                for c in cols:
                    c.run_flights(args.flights)
        except Exception:
            # A failed handshake or transfer is mtserver's to explain.
            run.progress("mtserver's last lines:\n  " + "\n  ".join(srv.log[-8:]))
            raise

    head = ("### %s, %d cores, load average %.2f at start and %.2f at end, machine "
            "%.0f%% busy during the run (%.0f s)"
            % (run.utc_stamp(), os.cpu_count(), load0, os.getloadavg()[0],
               100 * busy_fraction(stat0, proc_stat()), time.time() - began))
    osslref_version = subprocess.run([os.path.join(run.BENCH, "osslref"), "--version"],
                                     stdout=subprocess.PIPE).stdout.decode().strip()
    lines = [head, "", "%s; osslref with %s (static); client Python %s with %s; %s" % (
        wine, osslref_version, sys.version.split()[0], ssl.OPENSSL_VERSION, PROGRAM[0]), ""]
    rsa = rsa_sign_ms()
    lines += table(cols, args, size, rsa) + [""] + targets(cols, rsa)
    if args.requests:
        run.progress("wineserver requests per session (WINEDEBUG=+server, %d sessions each)"
                     % args.requests)
        lines += ["", "Wineserver requests per session (connect, handshake, greeting, QUIT, "
                  "close; load-independent):", ""] + request_table(args.requests)
    if args.request_mib:
        run.progress("wineserver requests per MiB of a %d MiB download (WINEDEBUG=+server)"
                     % args.request_mib)
        lines += ["", "Wineserver requests per MiB of a %d MiB download (fewer, larger sends "
                  "make fewer; sends that wait make more):" % args.request_mib, ""]
        lines += download_request_table(args.request_mib)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        run.record(text)


if __name__ == "__main__":
    main()
