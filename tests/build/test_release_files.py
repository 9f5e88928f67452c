"""installer/mtserver.wxs ships what the Makefile ships: wixl cannot take a
wildcard, so every document of RELEASE_DOCS (all of docs/) and every
program of RELEASE_EXES must be named in it, and nothing else from docs/."""
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WXS = os.path.join(ROOT, "installer", "mtserver.wxs")


def make_var(name):
    # Not inside the running make's jobserver: a nested make only warns.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.check_output(["make", "-s", "--no-print-directory", "print-" + name],
                                  cwd=ROOT, env=env)
    return out.decode().split()


def wxs_sources():
    text = open(WXS, encoding="utf-8").read()
    return re.findall(r'<File [^>]*Source="([^"]+)"', text)


def test_wxs_names_every_release_document():
    docs = {s for s in wxs_sources() if s.startswith("docs/")}
    wanted = set(make_var("RELEASE_DOCS"))
    assert wanted, "no documents in RELEASE_DOCS"
    assert docs == wanted, "installer/mtserver.wxs lacks %s, has extra %s" % (
        sorted(wanted - docs), sorted(docs - wanted))


def test_wxs_names_every_release_program():
    exes = {os.path.basename(s) for s in wxs_sources() if s.startswith("$(var.BuildDir)/")}
    wanted = {os.path.basename(e) for e in make_var("RELEASE_EXES")}
    assert wanted <= exes, "installer/mtserver.wxs lacks %s" % sorted(wanted - exes)


def test_wxs_names_the_readme():
    assert "README.md" in wxs_sources()


def test_wxs_sources_exist():
    for source in wxs_sources():
        if not source.startswith("$(var."):
            assert os.path.exists(os.path.join(ROOT, source)), source
