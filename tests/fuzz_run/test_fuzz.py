"""Each libFuzzer target (tests/fuzz/, built by the Makefile) runs briefly:
first over its committed seed corpus, so every seed is a regression test,
then for MTS_FUZZ_SECONDS of new inputs. One test per target; the targets
come from the Makefile (MTS_FUZZ_BINS), so adding one there adds it here.
Where no fuzzer can be built (MSVC, MSYS2), the list is empty."""
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINS = os.environ.get("MTS_FUZZ_BINS", "").split()
SECONDS = int(os.environ.get("MTS_FUZZ_SECONDS", "4"))


def _run(binary):
    name = os.path.basename(binary)[len("fuzz_"):]
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
    assert os.path.isdir(seeds) and os.listdir(seeds), "no seed corpus for %s" % name
    work = tempfile.mkdtemp(prefix="mts-fuzz-%s-" % name)
    try:
        cmd = [os.path.join(ROOT, binary), "-max_total_time=%d" % SECONDS,
               "-artifact_prefix=%s/" % work, "-print_final_stats=1", work, seeds]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=SECONDS + 120, cwd=ROOT)
        out = proc.stdout.decode("utf-8", "replace")
        crashes = [f for f in os.listdir(work) if f.startswith(("crash-", "leak-", "timeout-",
                                                                 "oom-"))]
        if proc.returncode != 0 or crashes:
            for f in crashes:
                shutil.copy(os.path.join(work, f), os.path.join(ROOT, "build", "fuzz"))
            raise AssertionError("fuzz_%s failed (exit %d, inputs kept in build/fuzz: %s):\n%s"
                                 % (name, proc.returncode, crashes, out[-3000:]))
        runs = [line for line in out.splitlines() if line.startswith("stat::number_of_executed")]
        print("  fuzz_%s: %s" % (name, runs[-1].split(":")[-1].strip() + " runs" if runs else "?"))
    finally:
        shutil.rmtree(work, True)


def _make(binary):
    def test():
        _run(binary)
    return test


for _b in BINS:
    globals()["test_fuzz_" + os.path.basename(_b)[len("fuzz_"):]] = _make(_b)
