"""Shared pieces of the fault suite: a server that writes a stats line every
second, reading those lines, and the check that after a fault the server's
threads, handles and private bytes come back to their idle level.

The stats line ("stats threads=N handles=N private=N clients=N") comes from
inside the server (server/serve/procstats.c): a Toolhelp thread count, the handle
count (probed under Wine, whose GetProcessHandleCount answers 0) and
committed private memory summed over VirtualQuery regions.

Tolerances, and why:
- clients must be back to 0 exactly, and threads to the idle count plus the
  parked ones plus at most THREAD_SLACK. Parked threads are client threads
  waiting for their next client (server/serve/workers.c: at least one and at
  most 64 per port, those beyond the first gone after 30 s without work);
  the stats line counts them, so they are allowed for exactly, not waited
  out. THREAD_SLACK: Wine may keep a helper thread or two it started on its
  own (the idle server has its main, look and stdin threads and one parked).
- handles: the idle count plus one per parked thread (each holds an event
  and the socket made for its next client) plus HANDLE_SLACK; a leak of one
  per connection would show as hundreds after the 1,000-connection fault.
- private bytes: the heap keeps freed blocks for reuse, so after a burst
  memory need not fall back to the start, and each newly parked thread keeps
  its stack. So rounds are compared with rounds, not with the idle level.
- Each fault runs round after round (at most MAX_ROUNDS) until the last round
  ends with no more parked threads, no more handles beyond one per parked
  thread, and no more than PRIVATE_SLACK of private bytes above the rounds
  before it. A leak grows every round and so never gets there; a heap that
  takes one step (seen: +42 MB once in the 1,000-connection fault) or a pool
  that fills only costs a round more. PRIVATE_SLACK is small (rounds of a
  clean server differ by at most 0.4 MiB): a 4 KiB leak per connection in
  the 1,000-connection fault is caught, and so is one handle a round.
- A fault whose heap settles in smaller and smaller steps may have more
  rounds (max_rounds): a thousand TLS handshakes at once reach Wine 10's
  plateau (about 244 MB) in 5 rounds on a quiet machine, but on one shared
  with the other test legs were still growing 1.4 MB at the 8th (steps of
  8.3, 5.0, 4.5, 2.3, 2.5 and 1.4 MB). A leak's steps do not shrink.
"""
import os
import re
import socket
import threading
import time

from harness import PASSWORD, Server, temp_root, winpath

STATS = re.compile(r"stats threads=(\d+) handles=(\d+) private=(\d+) clients=(\d+) parked=(\d+)")
THREAD_SLACK = 2
HANDLE_SLACK = 16
PRIVATE_SLACK = 1 << 20
MAX_ROUNDS = 8


class Stats:
    def __init__(self, m):
        (self.threads, self.handles, self.private, self.clients,
         self.parked) = (int(x) for x in m.groups())

    def __repr__(self):
        return "threads=%d handles=%d private=%d clients=%d parked=%d" % (
            self.threads, self.handles, self.private, self.clients, self.parked)


class TempLog:
    def __init__(self):
        self.path = os.path.join(temp_root(), "access.log")
        self.win = winpath(self.path)


def temp_log():
    """A log file path in a fresh folder, with its Windows name in .win."""
    return TempLog()


def start(root=None, args=()):
    return Server(root, args=["--stats-interval", "1"] + list(args))


def wait_for(srv, pick, what, since=0, timeout=15):
    """Waits for a log line, from index since on, for which pick(line)
    returns something other than None, and returns that. what: the failure
    message's subject."""
    deadline = time.time() + timeout
    with srv.log_changed:
        while True:
            for entry in srv.log[since:]:
                got = pick(entry)
                if got is not None:
                    return got
            since = len(srv.log)
            left = deadline - time.time()
            assert left > 0, "%s in %.0f s; last lines %r" % (what, timeout, srv.log[-10:])
            srv.log_changed.wait(left)


def next_stats(srv, timeout=15):
    """The first stats line written after this call."""
    with srv.log_changed:
        seen = len(srv.log)

    def pick(entry):
        m = STATS.search(entry)
        return Stats(m) if m else None

    return wait_for(srv, pick, "no stats line", seen, timeout)


def idle(srv):
    """The idle level: a stats line with no client, after things have settled."""
    next_stats(srv)
    return next_stats(srv)


def settle(srv, base, timeout=40):
    """Waits until clients are gone and threads and handles are back near
    base; returns the stats then. Fails with the last values otherwise."""
    deadline = time.time() + timeout
    while True:
        s = next_stats(srv)
        if (s.clients == 0 and s.threads <= base.threads + s.parked + THREAD_SLACK
                and s.handles <= base.handles + s.parked + HANDLE_SLACK):
            return s
        assert time.time() < deadline, "not back to idle: %r, idle was %r" % (s, base)


def line(s):
    """The next line from a raw socket, without CRLF; None at end of stream."""
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = s.recv(1)
        if not chunk:
            return None
        data += chunk
    return data.decode("utf-8", "replace")[:-2]


def still_answers(srv, source="127.0.0.250"):
    """A full session from an address no fault used."""
    s = client_from(srv, source)
    assert line(s) == "#Server Ready."
    s.sendall(("AUTH %s\r\nHELP\r\nQUIT\r\n" % PASSWORD).encode())
    assert line(s) == "#You are logged in."
    assert line(s).startswith("#Commands:")
    assert s.recv(16) == b""
    s.close()


def check_fault(srv, fault, rounds=2, answers=still_answers, max_rounds=MAX_ROUNDS):
    """Runs fault(srv) at least `rounds` times; after each the server must
    answer (answers(srv): a plain session; tlskit.tls_still_answers for a
    TLS one) and come back to idle. Rounds go on, up to max_rounds, until one
    has stopped growing (_stopped_growing); failing that, the test fails."""
    base = idle(srv)
    after = []
    while True:
        fault(srv)
        answers(srv)
        after.append(settle(srv, base))
        if len(after) >= max(rounds, 2) and _stopped_growing(after):
            break
        if len(after) >= max_rounds:
            break
    print("  idle %r; after each round: %s" % (base, "; ".join(repr(a) for a in after)))
    assert _stopped_growing(after), \
        "still growing after %d rounds (a leak?): %s (idle %r)" % (
            len(after), "; ".join(repr(a) for a in after), base)
    return base, after


def _stopped_growing(after):
    # Parked threads come and go (30 s without work ends one) and each keeps
    # its stack and its wake-up event, so the pool may shrink or hold but not
    # grow, handles are counted net of one event per parked thread, and
    # memory is compared with the highest round before, which covers a pool
    # that was larger then.
    last, before = after[-1], after[:-1]
    return (last.parked <= max(a.parked for a in before)
            and last.handles - last.parked <= max(a.handles - a.parked for a in before)
            and last.private <= max(a.private for a in before) + PRIVATE_SLACK)


def client_from(srv, source, timeout=20, port=None):
    """A raw socket connected from a chosen loopback source address, to the
    plain port or to port (srv.tls_port, say)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port or srv.port))
    return s


def sparse_file(root, name, size):
    """A file of size bytes that reads as zeros and costs no disk."""
    path = os.path.join(root, name)
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def wait_result(srv, name, since, timeout=40):
    """The result word and byte count of the first access-log line for
    FILE/GET name after log index since."""
    pat = re.compile(r' (?:GET|FILE) "%s" (\d+) (\S+) ' % re.escape(name))

    def pick(entry):
        m = pat.search(entry)
        return (m.group(2), int(m.group(1))) if m else None

    return wait_for(srv, pick, "no log line for %s" % name, since, timeout)


def cut_off_at_send_timeout(srv, name, size, since, send_timeout, who):
    """Waits for the GET of name (size bytes), asked for just now by a
    reader that reads no more, to end: aborted, not before send_timeout
    seconds and not much after. Prints what it measured."""
    began = time.time()
    result, sent = wait_result(srv, name, since)
    took = time.time() - began
    assert result == "aborted" and sent < size, (result, sent)
    assert send_timeout - 0.5 <= took <= 20, took
    print("  %s cut off after %.1f s with %d bytes sent" % (who, took, sent))


def parallel(n, fn):
    """Runs fn(i) for i in range(n) on n threads; re-raises the first error."""
    errors = []

    def run(i):
        try:
            fn(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


__all__ = ["PASSWORD", "start", "next_stats", "idle", "settle", "still_answers", "check_fault",
           "client_from", "sparse_file", "wait_for", "wait_result", "cut_off_at_send_timeout", "line", "parallel", "Stats", "temp_log"]
