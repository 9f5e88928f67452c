"""The custom actions of the MSIs built are of the kinds installer/mtserver.wxs
declares. wixl 0.101 writes an Execute="rollback" action as an immediate one
(run during every install: a first install's rollback mark would then be
acted on at once); the Makefile's msibuild step mends its type. And the
rollback mark the package names is the one `mtserver prepare` writes."""
import glob
import os
import re
import subprocess
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WXS = os.path.join(ROOT, "installer", "mtserver.wxs")
# msidbCustomActionType bits
ROLLBACK, COMMIT, IN_SCRIPT = 0x100, 0x200, 0x400


def declared():
    """{action: Execute attribute} of every CustomAction of the .wxs."""
    text = open(WXS, encoding="utf-8").read()
    return {m.group(1): (re.search(r'Execute="(\w+)"', m.group(0)) or [None, "immediate"])[1]
            for m in re.finditer(r'<CustomAction Id="(\w+)"[^>]*>', text)}


def built_types(msi):
    out = subprocess.check_output(["msiinfo", "export", msi, "CustomAction"]).decode()
    rows = [line.split("\t") for line in out.splitlines()[3:] if line]
    return {row[0]: int(row[1]) for row in rows}


def packages():
    found = [p for p in [os.path.join(ROOT, "build", "mtserver.msi")] +
             glob.glob(os.path.join(ROOT, "build", "test", "mtserver-*.msi")) if os.path.exists(p)]
    if not found:
        raise unittest.SkipTest("no MSI built (make msi)")
    return found


def test_built_actions_run_when_the_wxs_says():
    kinds = declared()
    assert kinds.get("RollbackCreateConfig") == "rollback", kinds
    for msi in packages():
        types = built_types(msi)
        assert set(types) == set(kinds), (msi, sorted(types), sorted(kinds))
        for action, execute in kinds.items():
            bits = types[action] & (ROLLBACK | COMMIT | IN_SCRIPT)
            want = {"immediate": 0, "deferred": IN_SCRIPT, "rollback": IN_SCRIPT | ROLLBACK,
                    "commit": IN_SCRIPT | COMMIT}[execute]
            assert bits == want, "%s: %s is of type %d, not %s" % (msi, action, types[action],
                                                                   execute)


def test_the_package_names_the_mark_prepare_writes():
    header = open(os.path.join(ROOT, "server", "datadir.h"), encoding="utf-8").read()
    (mark,) = re.findall(r'#define DATADIR_ROLLBACK_MARK L"([^"]+)"', header)
    text = open(WXS, encoding="utf-8").read()
    for action in ("RollbackCreateConfig", "KeepCreatedConfig"):
        line = re.search(r'<CustomAction Id="%s"[^>]*>' % action, text).group(0)
        assert "[DataDir]%s&quot;" % mark in line, line
