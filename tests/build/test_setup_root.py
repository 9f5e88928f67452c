"""The Wine 10 root is checked, not trusted: tests/wine10/check-root against
fake roots (a shell, a fake wine and a fake dpkg-query), each broken one way,
and tests/wine10/make-root's refusals and its message when the mirror does
not answer. Building a real root takes minutes and 2 GB; make check-fresh
does that. These need root, as chroot and mount do."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHECK = os.path.join(ROOT, "tests", "wine10", "check-root")
MAKE_ROOT = os.path.join(ROOT, "tests", "wine10", "make-root")
PACKAGES = ["wine", "python3"]
STAMP = "trixie wine,python3"


def need_root():
    if os.geteuid() != 0:
        raise unittest.SkipTest("needs root for chroot and mount")


def fake_root(top, wine="wine-10.0 (fake)", status="ii ", stamp=STAMP):
    """A root enter can run: /bin/sh and the C library it needs, a wine that
    prints WINE, a dpkg-query that gives every package STATUS."""
    root = os.path.join(top, "root")
    for d in ("bin", "usr/bin", "etc", "proc", "dev", "sys", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shell = os.path.realpath("/bin/sh")
    shutil.copy(shell, os.path.join(root, "bin", "sh"))
    libs = subprocess.check_output(["ldd", shell]).decode()
    for word in libs.split():
        if word.startswith("/"):
            dest = os.path.join(root, word.lstrip("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copy(word, dest)

    def script(name, text):
        path = os.path.join(root, "usr", "bin", name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + text)
        os.chmod(path, 0o755)

    if wine is not None:
        script("wine", "echo '%s'\necho 'a note on stderr' >&2\n" % wine)
    # Called as: dpkg-query -W -f FORMAT PACKAGE...
    script("dpkg-query", 'shift 3\nfor p; do echo "$p %s"; done\n' % status)
    if stamp is not None:
        with open(os.path.join(root, "etc", "mtserver-wine10-root"), "w") as f:
            f.write(stamp + "\n")
    return root


def check(root):
    proc = subprocess.run([CHECK, root, STAMP] + PACKAGES, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)
    return proc.returncode, proc.stdout.decode()


def test_a_sound_root_passes_silently():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        assert check(fake_root(top)) == (0, "")


def test_no_root():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        rc, out = check(os.path.join(top, "none"))
        assert rc == 1 and out.startswith("there is no root at "), out


def test_no_stamp():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        rc, out = check(fake_root(top, stamp=None))
        assert rc == 1 and "has no stamp" in out, out


def test_another_package_list():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        rc, out = check(fake_root(top, stamp="trixie wine"))
        assert rc == 1 and "another package list" in out and "'trixie wine'" in out, out


def test_no_wine():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        rc, out = check(fake_root(top, wine=None))
        assert rc == 1 and "no usr/bin/wine" in out, out


def test_packages_left_unconfigured():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        rc, out = check(fake_root(top, status="iU "))
        assert rc == 1 and "not all installed: wine iU; python3 iU" in out, out


def test_wine_of_another_version():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        rc, out = check(fake_root(top, wine="wine-8.0 (Debian 8.0~repack-4)"))
        assert rc == 1 and "answered 'wine-8.0 (Debian 8.0~repack-4)' (exit 0)" in out, out


def make_root(env_extra):
    env = dict(os.environ, **env_extra)
    proc = subprocess.run([MAKE_ROOT], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=env, timeout=300)
    return proc.returncode, proc.stdout.decode()


def test_make_root_will_not_replace_a_folder_it_did_not_make():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        mine = os.path.join(top, "mine")
        os.makedirs(mine)
        open(os.path.join(mine, "keep.txt"), "w").close()
        rc, out = make_root({"MTS_WINE10_ROOT": mine,
                             "MTS_DEBIAN_MIRROR": "http://127.0.0.1:9/debian"})
        assert rc == 1 and "will not replace %s" % mine in out, out
        assert os.path.exists(os.path.join(mine, "keep.txt"))


def make_root_stamp():
    """The stamp make-root writes: its suite and package list."""
    text = open(MAKE_ROOT, encoding="utf-8").read()
    return "%s %s" % (re.search(r"^suite=(\S+)$", text, re.M).group(1),
                      re.search(r"^packages=(\S+)$", text, re.M).group(1))


def test_make_root_names_the_mirror_that_does_not_answer():
    need_root()
    if shutil.which("debootstrap") is None:
        raise unittest.SkipTest("no debootstrap (make deps installs it)")
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        # Its stamp and packages are right; its wine is not Wine 10.
        broken = fake_root(top, wine="wine-8.0", stamp=make_root_stamp())
        # Port 9 (discard) on loopback: nothing listens, the connection is refused.
        rc, out = make_root({"MTS_WINE10_ROOT": broken,
                             "MTS_DEBIAN_MIRROR": "http://127.0.0.1:9/debian"})
        assert rc == 1, out
        assert "is not usable (wine --version inside answered 'wine-8.0'" in out, out
        assert "debootstrap failed" in out, out
        assert "mirror: http://127.0.0.1:9/debian (from MTS_DEBIAN_MIRROR)" in out, out
        assert "did not answer" in out, out
        assert "log:    %s.log" % broken in out, out
        assert "MTS_DEBIAN_MIRROR=" in out, out
        # The broken root is left as it was; only a finished build replaces it.
        assert os.path.exists(os.path.join(broken, "usr", "bin", "wine"))
        assert not os.path.exists(broken + ".tmp")


def test_make_root_adds_packages_to_a_root_whose_list_grew():
    """A root made for fewer packages (before nmap came, issue 20) gets the
    missing ones with apt-get inside it and its stamp rewritten; it is not
    rebuilt (the mirror given here would refuse a rebuild)."""
    need_root()
    suite, packages = make_root_stamp().split(" ", 1)
    older = packages.split(",")[:-1]
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        root = fake_root(top, stamp="%s %s" % (suite, ",".join(older)))
        with open(os.path.join(root, "usr", "bin", "apt-get"), "w") as f:
            f.write('#!/bin/sh\necho "$@" >>/etc/apt-calls\n')
        os.chmod(os.path.join(root, "usr", "bin", "apt-get"), 0o755)
        rc, out = make_root({"MTS_WINE10_ROOT": root,
                             "MTS_DEBIAN_MIRROR": "http://127.0.0.1:9/debian"})
        assert rc == 0, out
        assert "adding packages to the Wine 10 root" in out and "is ready" in out, out
        assert "debootstrap" not in out, out
        calls = open(os.path.join(root, "etc", "apt-calls")).read().splitlines()
        assert calls[0] == "update -qq", calls
        assert calls[1].split()[-len(packages.split(",")):] == packages.split(","), calls
        assert open(os.path.join(root, "etc", "mtserver-wine10-root")).read().strip() == \
            make_root_stamp()
        # A list that lost a package is no growth: that root is rebuilt.
        with open(os.path.join(root, "etc", "mtserver-wine10-root"), "w") as f:
            f.write("%s %s,gone\n" % (suite, packages))
        rc, out = make_root({"MTS_WINE10_ROOT": root,
                             "MTS_DEBIAN_MIRROR": "http://127.0.0.1:9/debian"})
        assert rc == 1 and "adding packages" not in out and "debootstrap failed" in out, out


def test_a_root_that_cannot_be_entered():
    need_root()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as top:
        root = fake_root(top)
        os.remove(os.path.join(root, "bin", "sh"))
        rc, out = check(root)
        assert rc == 1 and out.startswith("tests/wine10/enter cannot enter it: "), out
