"""What a leg runs, as items a worker can run by name alone.

An item is a string: "unit:<runner>|<program>" for a unit-test program (it
prints its own "N passed, N failed"), or "py:<folder>/<file>::<function>"
for a Python test. Python tests are the test_* functions of
tests/<folder>/test_*.py; a module that cannot run somewhere raises
unittest.SkipTest from its tests (counted as skipped), never removes them.

A test may say how long it may take: a `timeout` attribute on the function,
or TIMEOUT at the top of its module, in seconds; DEFAULT_TIMEOUT otherwise.
"""
import importlib.util
import os

DEFAULT_TIMEOUT = 300
# Folders of tests/ that hold no tests of their own.
NOT_TESTS = ("unit", "fuzz", "lib", "msvc", "wine10", "runner")
# Folders whose tests run no Windows program: the same in every leg, so run
# in the first only (--programs-only leaves them out).
NO_PROGRAMS = ("build", "fuzz_run", "runner_test")

_modules = {}


def load_module(tests_dir, folder, filename):
    """The test module, imported once per process."""
    path = os.path.join(tests_dir, folder, filename)
    module = _modules.get(path)
    if module is None:
        spec = importlib.util.spec_from_file_location(filename[:-3], path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[path] = module
    return module


def python_tests(tests_dir, pattern, programs_only, folders=None):
    """The Python test items, in file and name order (of the named folders
    only, when folders is given)."""
    found = []
    for folder in sorted(os.listdir(tests_dir)):
        path = os.path.join(tests_dir, folder)
        if not os.path.isdir(path) or folder in NOT_TESTS or folder.startswith(("_", ".")):
            continue
        if programs_only and folder in NO_PROGRAMS:
            continue
        if folders and folder not in folders:
            continue
        for name in sorted(os.listdir(path)):
            if not (name.startswith("test_") and name.endswith(".py")):
                continue
            module = load_module(tests_dir, folder, name)
            for attr in sorted(vars(module)):
                full = "%s/%s::%s" % (folder, name, attr)
                if attr.startswith("test_") and callable(getattr(module, attr)):
                    if not pattern or pattern in full:
                        found.append("py:" + full)
    return found


def unit_items(runner, programs):
    """One item per unit-test program, run with the runner (e.g. "wine")."""
    return ["unit:%s|%s" % (runner, exe) for exe in programs]


def resolve(tests_dir, item):
    """The test function of a Python item, and its timeout."""
    where, function = item[len("py:"):].split("::")
    folder, filename = where.split("/")
    module = load_module(tests_dir, folder, filename)
    fn = getattr(module, function)
    timeout = getattr(fn, "timeout", getattr(module, "TIMEOUT", DEFAULT_TIMEOUT))
    return fn, timeout


def label(item):
    """How the item is named in the output."""
    if item.startswith("unit:"):
        runner, exe = item[len("unit:"):].split("|", 1)
        return "unit (%s) %s" % ("win" if exe.endswith(".exe") else "host", os.path.basename(exe))
    return item[len("py:"):]
