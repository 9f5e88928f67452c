"""The custom actions of the MSIs built are of the kinds installer/mtserver.wxs
declares. wixl 0.101 writes an Execute="rollback" action as an immediate one
(run during every install: a first install's rollback mark would then be
acted on at once) and cannot write one that runs a program of the Binary
table; the Makefile's msibuild step mends its type and source. And the
rollback is mtserver's own, never a recursive delete by cmd.exe."""
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


def test_the_rollback_is_mtservers_own_from_the_binary_table():
    """`mtserver prepare-rollback` from the copy in the Binary table (Wine
    removes the installed files first), and no `rmdir /s` over a folder a
    user may control (issue 19 item 1c)."""
    text = open(WXS, encoding="utf-8").read()
    assert "rmdir" not in text and "cmd.exe" not in text
    for msi in packages():
        out = subprocess.check_output(["msiinfo", "export", msi, "CustomAction"]).decode()
        rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()[3:] if line}
        action, kind, source, target = rows["RollbackCreateConfig"][:4]
        assert int(kind) & 0x3f == 2 and source == "RollbackExe", (msi, rows[action])
        assert target.startswith("prepare-rollback --config "), (msi, target)
        assert rows["KeepCreatedConfig"][3] == "prepare-keep", (msi, rows["KeepCreatedConfig"])
        binaries = subprocess.check_output(["msiinfo", "export", msi, "Binary"]).decode()
        assert "\nRollbackExe\t" in binaries, (msi, binaries)
