"""The MSI (build/mtserver.msi, made by wixl from installer/mtserver.wxs)
installed into the test Wine prefix as an administrator would do it:
msiexec /i ... /qn, then the files, the service and its event source, the
password step, an upgrade in place by a newer package (build/test/, one
patch version up) and msiexec /x.

Every test starts from and leaves a prefix without mtserver: what it
installed is removed in a finally block, even when an assertion failed, so
that the other tests (the service's own among them) never find a stray
mtserver service or configuration.

Under Wine only: on Windows these tests would install a service on the
machine that runs them.
"""
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import harness
from configdir import first_configuration, python_hash as password_hash
from harness import free_port

# The runner's timeout for each test here (tests/runner/items.py): a test
# runs up to four msiexec, each allowed 180 s below.
TIMEOUT = 900

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PRODUCT = "MT File Server"
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall"
SERVICE_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\mtserver"
EVENT_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\mtserver"
PROGRAM_DIR = r"C:\Program Files\mtserver"
PASSWORD = "installer test pass"
# A PASSWORD_HASH "mtserver passwd --hash" refuses, failing the install after
# the data folder is made. No blank in it: Wine 10's msiexec refuses a
# property value with blanks given unquoted (error 1639), before any action.
BAD_HASH = "PASSWORD_HASH=a-clear-password"
DATA_DIR = r"C:\ProgramData\mtserver"
# The first configuration prepare writes there: the template, root and
# log_file already pointing there, with CRLF line endings.
FIRST_INI = first_configuration(DATA_DIR).encode()
# The rollback mark of earlier versions, a file (server/admin/datadir.h's
# DATADIR_OLD_MARK); prepare's mark is now a value under MARK_KEY.
ROLLBACK_MARK = "install-rollback"
MARK_KEY = r"HKLM\Software\mtserver"


def make_var(name):
    # Not inside the running make's jobserver: a nested make only warns.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.check_output(["make", "-s", "--no-print-directory", "print-" + name],
                                  cwd=ROOT, env=env)
    return out.decode().strip()


def package(var):
    """make's MSI or NEXT_MSI, for the programs under test: the same path
    below their folder (harness.BUILD: build/ for the MinGW programs,
    build/msvc/Release for the MSVC-mode ones, which have MSIs of their own)."""
    return os.path.join(harness.BUILD, os.path.relpath(make_var(var), "build"))


PREFIX = os.environ.get("WINEPREFIX") or os.path.join(ROOT, "build", "wineprefix")


def drive_c(*parts):
    return os.path.join(PREFIX, "drive_c", *parts)


def program_path(*parts):
    return drive_c("Program Files", "mtserver", *parts)


def data_path(*parts):
    return drive_c("ProgramData", "mtserver", *parts)


def wine(args, stdin=None, timeout=180):
    """Runs a Windows program; returns (exit code, stdout + stderr as text)."""
    proc = subprocess.run(harness.RUN + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def require_wine():
    if harness.RUN[:1] != ["wine"]:
        raise unittest.SkipTest("installs a service: run under Wine only")


# Beside the prefix it installs into: tests running at once each have their
# own prefix (tests/runner/prefixes.py), and so their own log.
MSIEXEC_LOG = os.path.join(PREFIX, "msiexec.log")


def last_msiexec_log():
    """The verbose log of the last msiexec run, as text."""
    if not os.path.exists(MSIEXEC_LOG):
        return ""
    with open(MSIEXEC_LOG, "rb") as f:
        raw = f.read()
    return raw.decode("utf-16" if raw[:2] == b"\xff\xfe" else "utf-8", "replace")


# The line msiexec's log ends with, when the installation (or removal) is
# over, and the exit code each "Return value" stands for.
FINISHED = re.compile(r"^Action ended [\d:]+: INSTALL\. Return value (\d+)\.", re.M)
EXIT_CODE = {"1": 0, "2": 1602, "3": 1603}
# The line of a failed SetPasswordHash action (Wine's msi logs a failure as 0).
SET_PASSWORD_FAILED = re.compile(r"^Action ended [\d:]+: SetPasswordHash\. Return value [03]\.", re.M)


def msiexec(*args):
    """msiexec ... /qn with a verbose log; returns (exit code, log excerpt).
    Linux keeps only the low 8 bits of the exit code (1603 becomes 67).

    Wine's msiexec sometimes does not exit after its log says the
    installation is over (about one run in sixty, docs/WINE.md): 30 s after
    that last line it is ended, and the exit code is the one the log's
    "Return value" stands for; what the test then checks of the installed
    state is unchanged. Its output goes to a file, not a pipe, so that a
    process it started which outlives it cannot hold the run open."""
    os.makedirs(os.path.dirname(MSIEXEC_LOG), exist_ok=True)
    if os.path.exists(MSIEXEC_LOG):
        os.remove(MSIEXEC_LOG)
    cmd = harness.RUN + ["msiexec"] + list(args) + ["/qn", "/l*v", harness.winpath(MSIEXEC_LOG)]
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(cmd, stdout=output, stderr=subprocess.STDOUT)
        deadline, finished_at, code = time.time() + 180, None, None
        while code is None:
            try:
                code = proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                pass
            finished = FINISHED.search(last_msiexec_log())
            if finished and finished_at is None:
                finished_at = time.time()
            if finished and time.time() - finished_at > 30:
                proc.kill()
                proc.wait()
                code = EXIT_CODE.get(finished.group(1), 1603) & 0xFF
                print("  msiexec %s did not exit 30 s after its log ended (Wine); "
                      "exit code %d from the log" % (args[0], code))
            elif time.time() > deadline:
                proc.kill()
                proc.wait()
                raise AssertionError("msiexec %s did not finish; its log ends:\n%s" % (
                    " ".join(args), "\n".join(last_msiexec_log().splitlines()[-25:])))
        output.seek(0)
        out = output.read().decode("utf-8", "replace")
    text = last_msiexec_log()
    notes = [line for line in text.splitlines()
             if re.search(r"error|fail|return value 3", line, re.I)]
    return code, out + "\n".join(notes[-20:])


def install(msi, *props):
    code, notes = msiexec("/i", harness.winpath(msi), *props)
    assert code == 0, "msiexec /i %s: exit %d\n%s" % (os.path.basename(msi), code, notes)


def reg_values(key):
    """The values of a registry key as {name: text}, or None if it does not exist."""
    code, out = wine(["reg", "query", key])
    if code != 0:
        return None
    values = {}
    for line in out.splitlines():
        m = re.match(r"\s{4}(\S.*?)\s{4}(REG_\w+)\s{4}(.*)$", line)
        if m:
            values[m.group(1)] = m.group(3).strip()
    return values


def products():
    """{ProductCode: DisplayVersion} of every installed MT File Server."""
    code, out = wine(["reg", "query", UNINSTALL_KEY])
    found = {}
    for code_ in re.findall(r"\\(\{[0-9A-Fa-f-]{36}\})\s*$", out, re.M):
        values = reg_values(UNINSTALL_KEY + "\\" + code_) or {}
        if values.get("DisplayName") == PRODUCT:
            found[code_] = values.get("DisplayVersion")
    return found


def service_state():
    """The STATE word of "sc query mtserver" (RUNNING, STOPPED, ...), or None
    when there is no such service."""
    code, out = wine(["sc", "query", "mtserver"])
    m = re.search(r"STATE\s*:\s*\d+\s+(\w+)", out)
    if code != 0 or "SERVICE_NAME: mtserver" not in out or not m:
        return None
    return m.group(1)


def wait_state(wanted, timeout=60):
    deadline = time.time() + timeout
    state = service_state()
    while state != wanted and time.time() < deadline:
        time.sleep(0.5)
        state = service_state()
    return state


def cleanup():
    """Removes every trace of mtserver from the prefix: the products (by
    ProductCode, since every build of the MSI has its own), then whatever a
    failed test may have left behind."""
    for code in products():
        msiexec("/x", code)
    for _ in range(3):
        if service_state() is None:
            break
        wine(["sc", "stop", "mtserver"])
        wait_state("STOPPED", timeout=30)
        wine(["sc", "delete", "mtserver"])
    else:
        # Wine only marks a service for deletion while a handle to it is
        # open; if the prefix shuts down first, the registration survives.
        wine(["reg", "delete", SERVICE_KEY, "/f"])
    wine(["reg", "delete", EVENT_KEY, "/f"])
    wine(["reg", "delete", MARK_KEY, "/f"])
    shutil.rmtree(program_path(), ignore_errors=True)
    if os.path.islink(data_path()):
        os.unlink(data_path())
    shutil.rmtree(data_path(), ignore_errors=True)
    if products() or service_state() is not None:
        print("warning: could not remove mtserver from the Wine prefix")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_ini(port):
    """A configuration of our own, in place before the install (which must
    keep it): loopback only, on a free port."""
    os.makedirs(data_path("files"), exist_ok=True)
    text = ("[mtserver]\r\nport = %d\r\nbind = 127.0.0.1\r\n"
            "root = C:\\ProgramData\\mtserver\\files\r\n" % port)
    with open(data_path("mtserver.ini"), "w", newline="") as f:
        f.write(text)
    return text


def fetch(port, password, name):
    c = harness.Conn(port)
    try:
        c.expect("#Server Ready.")
        c.send("AUTH %s\r\n" % password)
        c.expect("#You are logged in.")
        c.send("FILE %s\r\n" % name)
        return c
    except Exception:
        c.close()
        raise


@contextlib.contextmanager
def clean_prefix():
    """The body of every test here: under Wine only, in a session of its
    own, with mtserver removed from the prefix before and after (also when
    an assertion failed)."""
    require_wine()
    with harness.wine_session():
        cleanup()
        try:
            yield
        finally:
            cleanup()


def uninstall():
    """msiexec /x of the one product installed; returns the log excerpt."""
    (code_,) = products()
    code, notes = msiexec("/x", code_)
    assert code == 0, "msiexec /x: exit %d\n%s" % (code, notes)
    return notes


def serves(port, name, body):
    """Puts body in the served folder as name and checks the service sends
    it back; returns the connection, after the file's bytes."""
    with open(data_path("files", name), "wb") as f:
        f.write(body)
    c = fetch(port, PASSWORD, name)
    assert c.exact(len(body)) == body
    return c


def install_running(msi, port):
    """An unattended install with our own configuration and a password
    hash, which starts the service; returns the hash."""
    write_ini(port)
    digest = password_hash(PASSWORD)
    install(msi, "PASSWORD_HASH=" + digest)
    assert wait_state("RUNNING") == "RUNNING"
    return digest


def assert_installed_files():
    exes = make_var("RELEASE_EXES").split()
    for exe in exes:
        name = os.path.basename(exe)
        assert read(program_path(name)) == read(harness.exe(name)), name
    assert read(program_path("LICENSE.txt")) == read(os.path.join(ROOT, "LICENSE"))
    assert read(program_path("README.md")) == read(os.path.join(ROOT, "README.md"))
    assert read(program_path("mtserver.sample.ini")) == read(
        os.path.join(ROOT, "installer", "mtserver.ini"))
    for doc in make_var("RELEASE_DOCS").split():
        assert read(program_path("docs", os.path.basename(doc))) == read(os.path.join(ROOT, doc)), doc


def test_msi_installs_service_and_uninstall_keeps_data():
    msi = package("MSI")
    with clean_prefix():
        install(msi)
        # "mtserver configure" ran and succeeded: recovery actions, SID
        # type and the data folders' permissions (their effect needs
        # Windows: Wine stores neither recovery actions nor DACLs).
        assert re.search(r"Action ended [\d:]+: ConfigureService\. Return value 1\.",
                         last_msiexec_log()), "ConfigureService did not run"

        assert_installed_files()
        # A first install writes the first configuration (what "mtserver
        # install" writes) and makes the folders; the rollback mark is gone.
        assert read(data_path("mtserver.ini")) == FIRST_INI
        assert sorted(os.listdir(data_path())) == ["files", "logs", "mtserver.ini"], \
            os.listdir(data_path())
        assert reg_values(MARK_KEY) is None, reg_values(MARK_KEY)

        # Registered as docs/ADMIN.md says; not running, since it has no
        # password yet. (Wine starts automatic services whenever it boots
        # the prefix, so the state may pass through START_PENDING first.)
        assert wait_state("STOPPED") == "STOPPED", service_state()
        svc = reg_values(SERVICE_KEY)
        assert svc["DisplayName"] == PRODUCT, svc
        assert svc["Start"] == "0x2", svc  # SERVICE_AUTO_START
        assert svc["Type"] == "0x10", svc  # SERVICE_WIN32_OWN_PROCESS
        assert svc["ObjectName"] == r"NT SERVICE\mtserver", svc
        assert PROGRAM_DIR + r"\mtserver.exe" in svc["ImagePath"], svc
        assert svc["ImagePath"].endswith(r'--config "C:\ProgramData\mtserver\mtserver.ini"'), svc
        assert svc["Description"].startswith("Serves the files of one folder"), svc
        event = reg_values(EVENT_KEY)
        assert event == {"EventMessageFile": PROGRAM_DIR + r"\mtserver.exe",
                         "TypesSupported": "0x7"}, event
        assert list(products().values()) == [make_var("VERSION")], products()

        # The administrator's data, which removal must keep.
        with open(data_path("files", "kept.txt"), "w") as f:
            f.write("data")

        uninstall()
        assert not os.path.exists(program_path()), os.listdir(program_path())
        assert service_state() is None
        assert reg_values(SERVICE_KEY) is None
        assert reg_values(EVENT_KEY) is None
        assert products() == {}
        assert read(data_path("mtserver.ini")) == FIRST_INI
        assert read(data_path("files", "kept.txt")) == b"data"
        assert os.path.isdir(data_path("logs"))


def test_msi_upgrade_in_place_keeps_edited_ini_and_refuses_downgrade():
    msi = package("MSI")
    next_msi = package("NEXT_MSI")
    with clean_prefix():
        install(msi)
        with open(data_path("mtserver.ini"), "rb") as f:
            edited = f.read().replace(b"port = 20248", b"port = 20249") + b"; edited by hand\r\n"
        assert b"port = 20249" in edited
        with open(data_path("mtserver.ini"), "wb") as f:
            f.write(edited)
        os.remove(program_path("mtserver.sample.ini"))  # a damaged install, mended by the upgrade

        install(next_msi)
        # One product, the newer one: the older was removed, not installed beside it.
        assert list(products().values()) == [make_var("NEXT_VERSION")], products()
        assert_installed_files()
        assert read(data_path("mtserver.ini")) == edited
        assert wait_state("STOPPED") == "STOPPED", service_state()
        assert reg_values(EVENT_KEY) is not None

        # The older package refuses to replace the newer one.
        code, notes = msiexec("/i", harness.winpath(msi))
        # 1603 (install failed), cut to its low 8 bits by Linux under Wine
        # (docs/ADMIN.md says so where it gives msiexec's exit codes).
        assert code == 1603 & 0xff, "downgrade was allowed or failed otherwise\n" + notes
        # The log line docs/ADMIN.md gives for a refused downgrade: the
        # newer product found by FindRelatedProducts, in the property list.
        # (Wine's log has no line with the DowngradeErrorMessage text.)
        assert re.search(r"^Property\(S\): WIX_DOWNGRADE_DETECTED = \{[0-9A-F-]{36}\}\r?$",
                         last_msiexec_log(), re.M), last_msiexec_log()[-3000:]
        assert list(products().values()) == [make_var("NEXT_VERSION")], products()
        assert read(data_path("mtserver.ini")) == edited


def test_msi_service_serves_a_file_after_passwd():
    msi = package("MSI")
    with clean_prefix():
        port = free_port()
        ini = write_ini(port)
        install(msi)
        assert read(data_path("mtserver.ini")).decode() == ini  # an existing one is kept
        assert wait_state("STOPPED") == "STOPPED", service_state()

        # The documented post-install step, then the start.
        code, out = wine([PROGRAM_DIR + r"\mtserver.exe", "passwd"],
                         stdin=(PASSWORD + "\r\n").encode())
        assert code == 0, out
        assert "password_hash = pbkdf2-sha256$" in read(data_path("mtserver.ini")).decode()
        assert PASSWORD not in read(data_path("mtserver.ini")).decode()
        code, out = wine([PROGRAM_DIR + r"\mtserver.exe", "start"])
        assert code == 0, out
        assert wait_state("RUNNING") == "RUNNING"

        body = b"served by the installed service\r\n" * 100
        c = serves(port, "hello.txt", body)
        c.expect("#File hello.txt sent successfully.")
        c.close()
        if any(e.endswith("mtsclient.exe") for e in make_var("RELEASE_EXES").split()):
            # And to the installed client, as a user would fetch it.
            into = harness.temp_root()
            env = dict(os.environ, MTS_PASSWORD=PASSWORD)
            proc = subprocess.run(harness.RUN + [PROGRAM_DIR + r"\mtsclient.exe", "-q", "-p",
                                                 str(port), "-o", harness.winpath(into),
                                                 "hello.txt"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                  timeout=120)
            assert proc.returncode == 0, proc.stdout
            assert read(os.path.join(into, "hello.txt")) == body

        uninstall()
        assert service_state() is None
        with socket.socket() as s:  # stopped, not just unregistered
            assert s.connect_ex(("127.0.0.1", port)) != 0


def test_msi_unattended_install_with_password_hash_starts_the_service():
    msi = package("MSI")
    with clean_prefix():
        port = free_port()
        digest = install_running(msi, port)
        assert "password_hash = " + digest in read(data_path("mtserver.ini")).decode()
        serves(port, "u.txt", b"unattended\r\n").close()
        # The hash stays out of the installer's log: not in the custom
        # action's command line. Wine's msi still prints it in its final
        # dump of properties, which Windows masks for the names listed
        # in MsiHiddenProperties; that line alone is let through here.
        log = last_msiexec_log()
        leaks = [line for line in log.splitlines() if digest in line
                 and not re.match(r"Property\(\w\): PASSWORD_HASH = ", line)]
        assert not leaks, leaks


def test_msi_bad_password_hash_fails_and_leaves_nothing():
    msi = package("MSI")
    with clean_prefix():
        code, notes = msiexec("/i", harness.winpath(msi), BAD_HASH)
        assert code != 0, "a bad PASSWORD_HASH was accepted\n" + notes
        assert SET_PASSWORD_FAILED.search(last_msiexec_log()), notes  # not an earlier failure
        # Rolled back: no product, no program files, no service, and no
        # data folder, which this install had made (issue 15).
        assert products() == {}
        assert not os.path.exists(program_path("mtserver.exe"))
        assert service_state() is None
        assert not os.path.exists(data_path()), os.listdir(data_path())
        assert reg_values(MARK_KEY) is None, reg_values(MARK_KEY)


def test_msi_failed_install_keeps_a_data_folder_it_did_not_make():
    """The rollback removes only a data folder the failed install made: an
    existing one stays as it was, configuration included; and a rollback
    mark found in it (from a run that never ended) does not make it go."""
    msi = package("MSI")
    with clean_prefix():
        ini = write_ini(free_port())
        with open(data_path(ROLLBACK_MARK), "w") as f:
            f.write("")
        code, notes = msiexec("/i", harness.winpath(msi), BAD_HASH)
        assert code != 0, "a bad PASSWORD_HASH was accepted\n" + notes
        assert SET_PASSWORD_FAILED.search(last_msiexec_log()), notes  # not an earlier failure
        assert products() == {}
        assert read(data_path("mtserver.ini")).decode() == ini
        assert sorted(os.listdir(data_path())) == ["files", "logs", "mtserver.ini"], \
            os.listdir(data_path())


def test_msi_refuses_a_data_folder_that_is_a_link_and_touches_nothing_in_it():
    """C:\\ProgramData\\mtserver made a link by a user before the install
    (issue 19 item 1): the install fails at prepare, and neither prepare
    nor the rollback, both LocalSystem, deletes or writes anything through
    the link. Before, prepare deleted install-rollback in the target."""
    msi = package("MSI")
    with clean_prefix():
        target = tempfile.mkdtemp(prefix="mts-msi-link-")
        try:
            for name in (ROLLBACK_MARK, "other"):
                with open(os.path.join(target, name), "w") as f:
                    f.write(name)
            os.symlink(target, data_path())
            code, notes = msiexec("/i", harness.winpath(msi))
            assert code != 0, "installed through a link\n" + notes
            assert re.search(r"Action ended [\d:]+: CreateConfig\. Return value [03]\.",
                             last_msiexec_log()), notes
            assert products() == {}
            assert sorted(os.listdir(target)) == sorted([ROLLBACK_MARK, "other"])
            for name in (ROLLBACK_MARK, "other"):
                assert read(os.path.join(target, name)) == name.encode()
            assert reg_values(MARK_KEY) is None, reg_values(MARK_KEY)
        finally:
            if os.path.islink(data_path()):
                os.unlink(data_path())
            shutil.rmtree(target, ignore_errors=True)


def test_msi_upgrade_brings_a_configured_service_back_running():
    msi = package("MSI")
    next_msi = package("NEXT_MSI")
    with clean_prefix():
        port = free_port()
        install_running(msi, port)
        configured = read(data_path("mtserver.ini"))

        # No PASSWORD_HASH this time: the kept configuration has one.
        install(next_msi)
        assert list(products().values()) == [make_var("NEXT_VERSION")], products()
        assert read(data_path("mtserver.ini")) == configured
        assert wait_state("RUNNING") == "RUNNING"
        serves(port, "v.txt", b"after the upgrade\r\n").close()
