"""One version number, from common/version.h, in every place it shows: the
VERSIONINFO resource of each shipped .exe (what Explorer, PowerShell and
Windows Installer read), "mtserver --version", the release names, and the
release zip's contents."""
import os
import re
import struct
import subprocess
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
import harness


def make_var(name):
    # Not inside the running make's jobserver: a nested make only warns.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.check_output(["make", "-s", "--no-print-directory", "print-" + name],
                                  cwd=ROOT, env=env)
    return out.decode().strip()


def header_version():
    text = open(os.path.join(ROOT, "common", "version.h"), encoding="utf-8").read()
    nums = [int(re.search(r"#define MTS_VERSION_%s\s+(\d+)" % f, text).group(1))
            for f in ("MAJOR", "MINOR", "PATCH")]
    string = re.search(r'#define MTS_VERSION\s+"([^"]*)"', text).group(1)
    return nums, string


def fixed_file_info(data):
    """(file version, product version) of VS_FIXEDFILEINFO, each as 4 numbers."""
    at = data.find(struct.pack("<I", 0xFEEF04BD))
    assert at >= 0, "no VS_FIXEDFILEINFO (no VERSIONINFO resource)"
    _sig, _struc, fms, fls, pms, pls = struct.unpack_from("<6I", data, at)
    split = lambda ms, ls: [ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF]
    return split(fms, fls), split(pms, pls)


def version_string(data, key):
    """The value of a String entry of the StringFileInfo block: the UTF-16
    key, its NUL, padding to 32 bits, then the UTF-16 value."""
    raw = key.encode("utf-16-le") + b"\0\0"
    at = data.find(raw)
    assert at >= 0, "no %s in the version resource" % key
    at += len(raw)
    at += (4 - at % 4) % 4
    end = at
    while data[end:end + 2] != b"\0\0":
        end += 2
    return data[at:end].decode("utf-16-le")


def test_version_header_is_consistent():
    nums, string = header_version()
    assert string == "%d.%d.%d" % tuple(nums)
    assert make_var("VERSION") == string


def test_every_shipped_exe_carries_the_version():
    nums, string = header_version()
    exes = make_var("RELEASE_EXES").split()
    assert exes and "build/mtserver.exe" in exes, exes
    for exe in exes:
        data = open(os.path.join(ROOT, exe), "rb").read()
        file_version, product_version = fixed_file_info(data)
        assert file_version == nums + [0], (exe, file_version)
        assert product_version == nums + [0], (exe, product_version)
        assert version_string(data, "FileVersion") == string, exe
        assert version_string(data, "ProductVersion") == string, exe
        assert version_string(data, "OriginalFilename") == os.path.basename(exe), exe
        assert "2026 mtserver contributors" in version_string(data, "LegalCopyright"), exe


def test_mtserver_version_option_prints_it():
    _nums, string = header_version()
    out = subprocess.run(harness.RUN + [harness.exe("mtserver.exe"), "--version"],
                         stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert out.strip() == "mtserver " + string, out


def test_dist_zip_holds_the_release():
    _nums, string = header_version()
    name = "mtserver-%s-win64" % string
    assert make_var("DIST_NAME") == name
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    subprocess.run(["make", "-s", "--no-print-directory", "dist"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env=env)
    assert os.path.exists(os.path.join(ROOT, "dist", name + ".msi"))
    with zipfile.ZipFile(os.path.join(ROOT, "dist", name + ".zip")) as z:
        names = set(z.namelist())
        wanted = {name + "/LICENSE.txt", name + "/mtserver.sample.ini", name + "/README.md"}
        wanted |= {name + "/" + os.path.basename(e) for e in make_var("RELEASE_EXES").split()}
        wanted |= {name + "/docs/" + os.path.basename(d) for d in make_var("RELEASE_DOCS").split()}
        assert wanted <= names, sorted(wanted - names)
        assert all(n.startswith(name + "/") for n in names), sorted(names)
        exe = z.read(name + "/mtserver.exe")
    assert exe == open(os.path.join(ROOT, "build", "mtserver.exe"), "rb").read()


def test_only_the_tests_build_reads_fault_switches():
    """The MTS_FAULT_* switches (accept errors, thread starts, slow handshakes, a failing
    flush behind the client's writing) are read only by mtserver-faults.exe
    and mtsclient-faults.exe, the tests' builds (issue 22: "fault switches
    out of production builds"); the shipped programs have not even their
    names."""
    with open(harness.exe("mtserver.exe"), "rb") as f:
        shipped = f.read()
    with open(harness.exe("mtserver-faults.exe"), "rb") as f:
        faults = f.read()
    for name in (b"MTS_FAULT_ACCEPT_ERROR", b"MTS_FAULT_THREAD_START_ERROR",
                 b"MTS_FAULT_HANDSHAKE_STEP_MS"):
        assert name not in shipped, name
        assert name in faults, name
    # The client's, the same way (client/writebehind.c).
    with open(harness.exe("mtsclient.exe"), "rb") as f:
        shipped = f.read()
    with open(harness.exe("mtsclient-faults.exe"), "rb") as f:
        faults = f.read()
    assert b"MTS_FAULT_FLUSH_BEHIND_ERROR" not in shipped
    assert b"MTS_FAULT_FLUSH_BEHIND_ERROR" in faults
