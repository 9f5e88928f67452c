"""The pool: hands a leg's items to its workers (worker.py), one at a time,
longest first, and collects their results in the order they finish.

Each worker has its own slot number, and with it its own Wine prefix and
port range (prefixes.py, harness.free_port): tests in different workers
share no services, registry, certificate stores or ports. A worker that
dies, or goes silent for a minute past its item's timeout, is ended (its
whole process group) and replaced; its item has failed, the rest go on.
Only the pool's own thread touches its state; one reader thread per
worker feeds it lines through a queue.
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


class Pool:
    """spawn(slot) starts a worker process (stdin and stdout pipes, its own
    process group); timeout_of(item) is the item's timeout in seconds;
    on_result(item, result, output_lines, slot) is called once per item;
    on_killed(slot) cleans up after a worker the pool ended."""

    def __init__(self, spawn, timeout_of, on_result, on_killed):
        self.spawn, self.timeout_of = spawn, timeout_of
        self.on_result, self.on_killed = on_result, on_killed
        self.todo, self.live, self.events = collections.deque(), {}, queue.Queue()

    def run(self, todo, jobs):
        """Runs every item of todo (in the order to start them)."""
        self.todo.extend(todo)
        try:
            for slot in range(min(jobs, len(self.todo))):
                self._start(slot)
            while self.live:
                self._step()
        finally:
            # Workers have process groups of their own, so an interrupt (^C)
            # reaches only this process: end them with it.
            for w in self.live.values():
                self._end(w)

    def _start(self, slot):
        w = _Worker(slot, self.spawn(slot))
        self.live[slot] = w

        def read():
            for raw in w.proc.stdout:
                self.events.put((w, raw.decode("utf-8", "replace")))
            self.events.put((w, None))
        threading.Thread(target=read, daemon=True).start()
        self._hand_out(w)

    def _hand_out(self, w):
        w.item = None
        if not self.todo:
            w.proc.stdin.close()
            return
        item = self.todo.popleft()
        try:
            w.proc.stdin.write((item + "\n").encode("utf-8"))
            w.proc.stdin.flush()
        except BrokenPipeError:
            self.todo.appendleft(item)  # the worker is gone; its end starts another
            return
        w.item, w.started, w.output = item, time.time(), []

    def _finish(self, w, result):
        self.on_result(w.item, result, w.output, w.slot)
        w.item = None

    def _end(self, w):
        try:
            os.killpg(w.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            w.proc.kill()
        self.on_killed(w.slot)

    def _step(self):
        try:
            w, line = self.events.get(timeout=5)
        except queue.Empty:
            w, line = None, None
        now = time.time()
        for other in list(self.live.values()):
            if other.item and now - other.started > self.timeout_of(other.item) + GRACE:
                self._end(other)
                self._finish(other, {"failed": 1, "seconds": now - other.started,
                                     "note": "its worker did not answer %d s past the item's "
                                             "timeout and was ended" % GRACE})
        if w is None or w.done:
            return
        if line is None:
            w.done = True
            code = w.proc.wait()
            del self.live[w.slot]
            if w.item:
                self._finish(w, {"failed": 1, "seconds": now - w.started,
                                 "note": "its worker ended (exit code %d) before the item "
                                         "did" % code})
            if self.todo:
                self._start(w.slot)
            return
        at = line.find(MARKER)
        if at < 0:
            w.output.append(line.rstrip("\n"))
            return
        if line[:at].strip():
            w.output.append(line[:at])
        result = json.loads(line[at + len(MARKER):])
        if w.item == result["item"]:
            self._finish(w, result)
            if not result.get("exiting"):  # a worker whose watchdog fired is ending
                self._hand_out(w)
