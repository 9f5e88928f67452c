"""The runner itself (tests/run.py, tests/runner/), run on the small test
folders in tests/runner/fixtures/: what it counts, and that a dying worker
or a hang costs one test and never the leg."""
import os
import subprocess
import sys
import tempfile
import unittest

from runner import tally

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_PY = os.path.join(os.path.dirname(HERE), "run.py")
FIXTURES = os.path.join(os.path.dirname(HERE), "runner", "fixtures")


def run(fixture, *args, env=None, windows=False):
    """run.py on a fixture folder; windows: its tests run Windows programs
    (under Wine here, so the workers get prefixes), otherwise none."""
    full_env = dict(os.environ)
    full_env.pop("TESTS", None)
    full_env.update(env or {})
    runner = os.environ.get("MTS_RUN", "") if windows else ""
    proc = subprocess.run([sys.executable, RUN_PY, "--tests-dir", os.path.join(FIXTURES, fixture),
                           "--run", runner] + list(args),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=full_env, timeout=240)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def test_skips_are_counted_and_named_on_the_closing_line():
    rc, out = run("counts", "--jobs", "2", "--floor", "3")
    assert rc == 0, out
    assert out.splitlines()[-1] == "2 passed, 0 failed, 1 skipped", out
    assert "skip demo/test_counts.py::test_is_skipped (w" in out, out
    assert ": not on this system" in out, out


def test_a_run_below_its_floor_fails():
    rc, out = run("counts", "--floor", "4")
    assert rc == 1, out
    assert "gave 3 results, fewer than its floor of 4" in out, out
    assert out.splitlines()[-1] == "2 passed, 1 failed, 1 skipped", out


def test_a_leg_that_runs_no_test_fails():
    rc, out = run("counts", env={"TESTS": "no_such_test"})
    assert rc == 1, out
    assert "no test name contains TESTS='no_such_test'" in out, out
    assert out.splitlines()[-1] == "0 passed, 1 failed", out


def test_a_worker_that_dies_fails_only_its_test():
    rc, out = run("dies", "--jobs", "1", "--floor", "3")
    assert rc == 1, out
    assert "FAIL demo/test_dies.py::test_b_ends_its_worker" in out, out
    assert "its worker ended (exit code 7) before the item did" in out, out
    assert "ok   demo/test_dies.py::test_c_passes" in out, out
    assert out.splitlines()[-1] == "2 passed, 1 failed", out


def test_a_hang_fails_its_test_with_the_servers_last_lines_and_the_leg_goes_on():
    # The nested run's base is this worker's prefix, a copy whose DLLs are
    # hard links shared with every prefix of the leg: it must not update
    # them (tests/runner/prefixes.py, COPY_MARK).
    dll = os.path.join(os.environ.get("WINEPREFIX", ""), "drive_c", "windows", "system32",
                       "kernel32.dll")
    before = os.stat(dll).st_mtime_ns if os.path.exists(dll) else None
    rc, out = run("hang", "--jobs", "1", "--floor", "3", windows=True)
    if before is not None:
        assert os.stat(dll).st_mtime_ns == before, "the nested run rewrote the shared DLLs"
    assert rc == 1, out
    assert "FAIL demo/test_hang.py::test_b_hangs_with_a_server" in out, out
    assert "timed out after 5 s" in out, out
    assert "in test_b_hangs_with_a_server" in out, out  # the test's own stack
    assert "#Server Ready" not in out  # (the server's log, not the client's)
    assert "last" in out and "listening on" in out, out
    assert "ok   demo/test_hang.py::test_c_passes" in out, out
    assert out.splitlines()[-1] == "2 passed, 1 failed", out


def test_what_a_workers_wineserver_writes_is_shown_with_the_item():
    # A process the wineserver ends for a protocol error exits 1 with no
    # word; the reason is on the server's standard error, which the
    # runner keeps (tests/lib/wineserver.py) and shows with the item.
    if os.environ.get("MTS_RUN", "").split()[:1] != ["wine"]:
        raise unittest.SkipTest("a wineserver is Wine's")
    rc, out = run("serverlog", "--jobs", "1", "--floor", "1", windows=True)
    assert rc == 0, out
    assert "wineserver: Protocol error: process " in out, out
    assert "partial recvmsg 3 for fd" in out, out
    assert out.splitlines()[-1] == "1 passed, 0 failed", out


def test_a_wine_program_starts_with_its_heap_below_wines_shared_user_data():
    # A heap placed at random over 0x7ffe0000 ended about one Wine start
    # in 8,000 with exit code 1 and no word (tests/lib/fixedlayout.py).
    if os.environ.get("MTS_RUN", "").split()[:1] != ["wine"] or \
            not os.path.exists("/proc/self/personality"):
        raise unittest.SkipTest("Wine on Linux only")
    import harness
    with harness.Server() as srv:
        with open("/proc/%d/personality" % srv.proc.pid, encoding="ascii") as f:
            personality = int(f.read(), 16)
        with open("/proc/%d/maps" % srv.proc.pid, encoding="utf-8") as f:
            heap = [line.split()[0] for line in f if line.rstrip().endswith("[heap]")]
    assert personality & 0x0040000, "ADDR_NO_RANDOMIZE is off: %#x" % personality
    # Wine keeps 0x7ff00000-0x7fff0000 for the shared user data and more;
    # the heap is below it (after a wine64 at 0x7d000000) or far above (a
    # wine64 built as PIE, as Wine 10's is).
    start, end = (int(x, 16) for x in heap[0].split("-"))
    assert end <= 0x7ff00000 or start >= 0x7fff0000, heap


def test_legs_add_up_with_their_skips_and_a_missing_leg_fails():
    record = tempfile.mktemp(prefix="mts-legs-")
    try:
        tally.record(record, "one", 5, 0, 2)
        tally.record(record, "two", 3, 0, 0)
        rc, out = run_add_up(record, "one", "two")
        assert rc == 0 and out.splitlines()[-1] == "8 passed, 0 failed, 2 skipped", out
        rc, out = run_add_up(record, "one", "two", "three")
        assert rc == 1, out
        assert "leg three: 0 passed, 1 failed (no result: the leg did not finish)" in out, out
    finally:
        os.unlink(record)


def run_add_up(record, *legs):
    proc = subprocess.run([sys.executable, RUN_PY, "--add-up", record] + list(legs),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return proc.returncode, proc.stdout.decode()
