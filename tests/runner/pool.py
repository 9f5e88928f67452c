"""The pool: hands a leg's items to its workers (worker.py), one at a time,
longest first, and collects their results in the order they finish.

Each worker has its own slot number, and with it its own Wine prefix and
port range (prefixes.py, harness.free_port): tests in different workers
share no services, registry, certificate stores or ports. A worker that
dies, or goes silent for a minute past its item's timeout, is ended (its
whole process group) and replaced; its item has failed, the rest go on.
"""
import collections
import json
import os
import queue
import signal
import threading
import time

from runner.worker import MARKER

# How long past an item's own timeout the pool waits for the worker's
# watchdog before it ends the worker itself.
GRACE = 60


class _Worker:
    def __init__(self, slot, proc):
        self.slot, self.proc = slot, proc
        self.item, self.started, self.output = None, 0.0, []
        self.done = False


def run(todo, jobs, spawn, timeout_of, on_result, on_killed=None):
    """Runs every item of todo (a list, in the order to start them).
    spawn(slot) starts a worker process (stdin and stdout pipes, its own
    process group); on_result(item, result, output_lines) is called once
    per item; on_killed(slot) cleans up after a worker the pool ended."""
    todo = collections.deque(todo)
    events = queue.Queue()
    live = {}

    def start(slot):
        w = _Worker(slot, spawn(slot))
        live[slot] = w

        def read():
            for raw in w.proc.stdout:
                events.put((w, raw.decode("utf-8", "replace")))
            events.put((w, None))
        threading.Thread(target=read, daemon=True).start()
        hand_out(w)

    def hand_out(w):
        w.item = None
        if not todo:
            w.proc.stdin.close()
            return
        item = todo.popleft()
        try:
            w.proc.stdin.write((item + "\n").encode("utf-8"))
            w.proc.stdin.flush()
        except BrokenPipeError:
            todo.appendleft(item)  # the worker is gone; its end starts another
            return
        w.item, w.started, w.output = item, time.time(), []

    def finish(w, result):
        on_result(w.item, result, w.output)
        w.item = None

    for slot in range(min(jobs, len(todo))):
        start(slot)
    while live:
        try:
            w, line = events.get(timeout=5)
        except queue.Empty:
            w, line = None, None
        now = time.time()
        for other in list(live.values()):
            if other.item and now - other.started > timeout_of(other.item) + GRACE:
                _end(other.proc)
                if on_killed:
                    on_killed(other.slot)
                finish(other, {"failed": 1, "seconds": now - other.started,
                               "note": "its worker did not answer %d s past the item's "
                                       "timeout and was ended" % GRACE})
        if w is None or w.done:
            continue
        if line is None:
            w.done = True
            code = w.proc.wait()
            del live[w.slot]
            if w.item:
                finish(w, {"failed": 1, "seconds": time.time() - w.started,
                           "note": "its worker ended (exit code %d) before the item did" % code})
            if todo:
                start(w.slot)
            continue
        at = line.find(MARKER)
        if at < 0:
            w.output.append(line.rstrip("\n"))
            continue
        if line[:at].strip():
            w.output.append(line[:at])
        result = json.loads(line[at + len(MARKER):])
        if w.item == result["item"]:
            finish(w, result)
            if not result.get("exiting"):  # a worker whose watchdog fired is ending
                hand_out(w)


def _end(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
