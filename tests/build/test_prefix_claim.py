"""A second test run in a Wine prefix another run is using is refused at once,
naming the first, and starts nothing there (tests/lib/prefixclaim.py: two
runs in one prefix end each other's Wine processes). Runs no Windows
program: the refusal comes before Wine is asked for anything."""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import prefixclaim  # noqa: E402


def test_a_second_run_in_one_prefix_is_refused_naming_the_first():
    folder = tempfile.mkdtemp(prefix="mts-prefixclaim-")
    prefix = os.path.join(folder, "wineprefix")
    record = os.path.join(folder, "legs.txt")
    try:
        held, holder = prefixclaim.claim(prefix, "the first run")
        assert held is not None, holder
        env = dict(os.environ, WINEPREFIX=prefix, TESTS="no test has this name")
        proc = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "run.py"),
                               "--run", "wine", "--leg", "second", "--record", record],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=60)
        out = proc.stdout.decode("utf-8", "replace")
        assert proc.returncode == 1, out
        assert "is in use by another test run: process %d (the first run)" % os.getpid() in out, out
        assert out.rstrip().splitlines()[-1] == "leg second: 0 passed, 1 failed", out
        assert open(record, encoding="utf-8").read() == "second 0 1 0\n"
        # Refused before wineboot: the prefix was never made.
        assert not os.path.exists(prefix), os.listdir(prefix)
        # Once the first run has ended, the prefix can be claimed again.
        held.close()
        again, holder = prefixclaim.claim(prefix, "a later run")
        assert again is not None, holder
        again.close()
    finally:
        shutil.rmtree(folder, True)
