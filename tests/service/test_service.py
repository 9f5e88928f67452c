"""mtserver as a Windows service under Wine's Service Control Manager.

Each test installs the service `mtserver` into the test Wine prefix with its
own configuration file in a temporary folder (a Z:\\ path), drives it with
`sc`, `net` and mtserver's own commands, talks to it over a real socket, and
removes it again, also when the test fails. The service is installed with
automatic start, so one left behind would start with every later Wine
session of the prefix: hence the clean-up before and after every test.

On a real Windows host these tests take over the service name `mtserver`
and %ProgramData%\\mtserver (removed by the default-path test): run them on
a test machine, never next to a real installation.
"""
import os
import queue
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from configdir import first_configuration
from harness import RUN, Conn, exe, winpath
from svckit import (CHECKPOINT, EVENT_KEY, PASSWORD, SERVICE_KEY, STAMP, STATE, WAIT_HINT,
                    mtserver, paramchange, remove_service, run, sc_query_text, state,
                    wait_lines, wait_state, with_service)


def test_service_life_cycle():
    def body(s):
        rc, out = mtserver("configure", "--config", winpath(s.config))
        assert rc == 3 and "not installed" in out, (rc, out)
        out = s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root),
                        "--send-timeout", "30", "--max-per-address", "7")
        assert "wrote the configuration" in out, out
        text = s.read()
        # Every number is in the file: those given to install as settings,
        # the others as comments showing their defaults.
        for line in ("port = %d" % s.port, "send_timeout = 30", "max_per_address = 7",
                     "; max_clients = 1024", "; idle_timeout = 300", "; auth_window = 60",
                     "; auth_ban_time = 300", "; stats_interval = 3600", "; stop_drain = 10"):
            assert "\r\n%s\r\n" % line in text, (line, text)
        assert "root = %s\r\n" % winpath(s.root) in text, text
        assert "password_hash" not in text.replace("; password_hash", ""), text

        # What install registered (Wine's sc has no "qc": read the registry).
        rc, qc = run("reg", "query", SERVICE_KEY)
        assert rc == 0, qc
        assert re.search(r"Start\s+REG_DWORD\s+0x2\b", qc), qc  # automatic
        assert re.search(r"DisplayName\s+REG_SZ\s+MT File Server", qc), qc
        assert "Description" in qc, qc
        assert '--config "%s"' % winpath(s.config) in qc, qc
        assert re.search(r"ObjectName\s+REG_SZ\s+NT SERVICE\\mtserver", qc), qc
        rc, reg = run("reg", "query", EVENT_KEY)
        assert rc == 0 and "EventMessageFile" in reg and "0x7" in reg, reg
        # What the MSI runs after registering the service; again here, harmless.
        rc, out = mtserver("configure", "--config", winpath(s.config))
        assert rc == 0 and "configured the service mtserver" in out, out

        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\r\n").encode())
        assert rc == 0, out
        assert re.search(r"^password_hash = pbkdf2-sha256\$600000\$[A-Za-z0-9+/]{22}\$"
                         r"[A-Za-z0-9+/]{43}\r\n", s.read(), re.M), s.read()

        # The standard tools: sc start, poll until RUNNING, a real download.
        rc, out = run("sc", "start", "mtserver")
        assert rc == 0, out
        wait_state(4)
        s.download()
        rc, out = run("sc", "stop", "mtserver")
        assert rc == 0, out
        wait_state(1)
        assert "WIN32_EXIT_CODE    : 0" in sc_query_text()
        log = os.path.join(s.dir, "logs", "access.log")
        with open(log, encoding="utf-8") as f:
            lines = f.read()
        assert 'FILE "data.bin" %d ok' % len(s.data) in lines, lines
        assert "mtserver stopped" in lines, lines

        # net start returns at once under Wine: poll.
        rc, out = run("net", "start", "mtserver")
        wait_state(4)
        s.download()
        rc, out = mtserver("stop")
        assert rc == 0 and "STOPPED" in out, out
        assert state() == 1

        # mtserver's own commands wait for the state to settle.
        rc, out = mtserver("start")
        assert rc == 0 and "RUNNING" in out, out
        assert state() == 4
        rc, out = mtserver("status")
        assert rc == 0 and "RUNNING" in out, out
        s.download()

        # uninstall stops a running service first, then removes it.
        rc, out = mtserver("uninstall")
        assert rc == 0, out
        assert state() is None, sc_query_text()
        rc, reg = run("reg", "query", EVENT_KEY)
        assert rc != 0, reg
        try:
            Conn(s.port, timeout=2).line()
            raise AssertionError("something still answers on port %d" % s.port)
        except (ConnectionError, EOFError, socket.timeout):
            pass
        rc, out = mtserver("status")
        assert rc == 3 and "not installed" in out, out

    with_service(body)


def test_service_refuses_to_start_without_password_hash():
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("start")
        assert rc == 1, out
        assert "STOPPED" in out and "service-specific error 2" in out, out
        assert "has no password_hash: set one with 'mtserver passwd'" in out, out
        text = sc_query_text()
        assert "1066" in text and re.search(r"SERVICE_EXIT_CODE\s*:\s*2\b", text), text
        # Nothing listens: it did not fall back to some default password.
        with socket.socket() as c:
            c.settimeout(2)
            assert c.connect_ex(("127.0.0.1", s.port)) != 0

    with_service(body)


def test_service_refuses_bad_configuration_naming_the_line():
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        s.write(s.read() + "max_client = 5\r\n")
        lineno = s.read().count("\n")
        rc, out = mtserver("start")
        assert rc == 1 and "service-specific error 1" in out, out
        assert "%s line %d: unknown key 'max_client'" % (winpath(s.config), lineno) in out, out
        assert state() == 1

    with_service(body)


def test_service_refuses_missing_root():
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        mtserver("passwd", "--config", winpath(s.config), stdin=(PASSWORD + "\n").encode())
        shutil.rmtree(s.root)
        rc, out = mtserver("start")
        assert rc == 1 and "service-specific error 3" in out, out
        assert "the root folder %s does not exist" % winpath(s.root) in out, out

    with_service(body)


def test_install_applies_given_settings_to_an_existing_configuration():
    """install over an existing file: with no settings it keeps the file as
    it is; with --port it sets that line in place, every other line and
    comment kept; the next steps it prints fit the file (passwd only while
    no password_hash is set)."""
    def body(s):
        s.write("; my notes\r\n[mtserver]\r\nport = %d\r\n; keep me\r\nroot = %s\r\n"
                % (s.port, winpath(s.root)))
        before = s.read()
        out = s.install()
        assert "keeping the existing configuration" in out, out
        assert s.read() == before
        assert "Next: mtserver passwd" in out, out
        rc, out = mtserver("install", "--config", winpath(s.config))
        assert rc != 0 and "already installed" in out, out
        rc, out = mtserver("uninstall")
        assert rc == 0, out

        thumb = "AB" * 20
        out = s.install("--port", "1", "--stop-drain", "7", "--tls-certificate", thumb)
        assert "set 3 setting(s) in the existing configuration" in out, out
        assert s.read() == before.replace("\r\nport = %d\r\n" % s.port, "\r\nport = 1\r\n") \
            + "tls_certificate = %s\r\nstop_drain = 7\r\n" % thumb, s.read()
        rc, out = mtserver("uninstall")
        assert rc == 0, out

        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        out = s.install()
        assert "Next: mtserver start" in out and "passwd" not in out.split("Next:")[1], out

    with_service(body)


def test_install_makes_the_folders_it_is_given():
    """--root and --log name folders that do not exist yet: install makes
    them (and the folders above), and the service then starts and serves;
    the settings not given, log_max_bytes too, are comments."""
    def body(s):
        root = os.path.join(s.dir, "srv", "files")
        log = os.path.join(s.dir, "srv", "logs", "a.log")
        out = s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(root),
                        "--log", winpath(log))
        assert os.path.isdir(root) and os.path.isdir(os.path.dirname(log)), out
        assert "\r\n; log_max_bytes = 10485760\r\n" in s.read(), s.read()
        with open(os.path.join(root, "data.bin"), "wb") as f:
            f.write(s.data)
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        rc, out = mtserver("start")
        assert rc == 0, out
        s.download()
        rc, out = mtserver("uninstall")
        assert rc == 0, out

        # A root that cannot be a folder (a file has its name): refused, with
        # the reason, and nothing is left installed.
        blocker = os.path.join(s.dir, "blocker")
        with open(blocker, "w") as f:
            f.write("x")
        rc, out = mtserver("install", "--config", winpath(s.config), "--root",
                           winpath(os.path.join(blocker, "files")))
        assert rc != 0 and "the service was not installed" in out, out
        assert state() is None, sc_query_text()

    with_service(body)


def test_install_leaves_an_existing_folder_named_by_config_as_it_was():
    """--config names a file in a folder that exists and is not mtserver's
    default: install and configure keep that folder's permissions (and an
    existing logs folder's) and say so; only the file they write gets the
    configuration's permissions. Under Wine setting a DACL rewrites the
    Unix mode bits (a 755 folder given the configuration folder's DACL
    reads 775, measured), so "kept" shows as the mode unchanged. A file in a
    drive's root is refused: no service."""
    def body(s):
        share = os.path.join(s.dir, "share")
        logs = os.path.join(share, "logs")
        os.makedirs(logs)
        os.chmod(share, 0o755)
        os.chmod(logs, 0o755)
        config = os.path.join(share, "mtserver.ini")
        rc, out = mtserver("install", "--config", winpath(config), "--port", str(s.port))
        assert rc == 0, out
        assert "keeps its own permissions" in out, out
        if RUN[:1] == ["wine"]:
            # Asked for, refused by Wine's SCM as the SID type is (WINE.md).
            assert ("cannot set the privileges the service needs (SeChangeNotifyPrivilege): "
                    "error 124") in out, out
        assert os.stat(share).st_mode & 0o777 == 0o755
        assert os.stat(logs).st_mode & 0o777 == 0o755
        rc, out = mtserver("configure", "--config", winpath(config))
        assert rc == 0 and "keeps its own permissions" in out, out
        assert os.stat(share).st_mode & 0o777 == 0o755
        assert os.stat(logs).st_mode & 0o777 == 0o755
        rc, out = mtserver("uninstall")
        assert rc == 0, out

        for in_root in ("C:\\mtserver-test.ini", "C:mtserver-test.ini"):
            rc, out = mtserver("install", "--config", in_root)
            assert rc == 1 and "root folder of a drive or share" in out, out
            assert state() is None, sc_query_text()
            assert not os.path.exists(os.path.join(os.environ.get("WINEPREFIX", "/"),
                                                   "drive_c", "mtserver-test.ini"))

    with_service(body)


def program_data_folder():
    """%ProgramData%\\mtserver, the default configuration folder, as a path here."""
    if RUN[:1] == ["wine"]:
        return os.path.join(os.environ["WINEPREFIX"], "drive_c", "ProgramData", "mtserver")
    return os.path.join(os.environ["ProgramData"], "mtserver")


def test_install_and_configure_refuse_a_default_folder_that_is_a_link():
    """A user may make C:\\ProgramData\\mtserver a link before the
    administrator installs: install wrote mtserver.ini, logs\\ and files\\
    into the link's target and gave it the configuration's permissions
    (under Wine, the 755 target's mode changed; on Windows a protected
    DACL over a foreign tree), issue 19 item 2. Both commands refuse the
    link before changing anything, and no service is left."""
    folder = program_data_folder()

    def body(s):
        target = os.path.join(s.dir, "elsewhere")
        os.mkdir(target)
        os.chmod(target, 0o755)
        shutil.rmtree(folder, True)
        os.symlink(target, folder)
        try:
            for command in ("install", "configure"):
                rc, out = mtserver(command)
                assert rc == 1 and "is a link" in out, (command, rc, out)
                assert state() is None, sc_query_text()
                assert os.listdir(target) == [], (command, os.listdir(target))
                assert os.stat(target).st_mode & 0o777 == 0o755, command
        finally:
            os.unlink(folder)

    with_service(body)


def test_default_configuration_under_program_data():
    """Without --config: %ProgramData%\\mtserver\\mtserver.ini, as the service
    itself finds it (under Wine a service's ProgramData variable differs from
    a console program's, so this is not a given)."""
    folder = program_data_folder()

    def body(s):
        shutil.rmtree(folder, True)
        try:
            rc, out = mtserver("install")
            assert rc == 0, out
            config = os.path.join(folder, "mtserver.ini")
            with open(config, encoding="utf-8", newline="") as f:
                text = f.read()
            assert "root = C:\\ProgramData\\mtserver\\files\r\n" in text, text
            assert "log_file = C:\\ProgramData\\mtserver\\logs\\access.log\r\n" in text, text
            with open(config, "w", encoding="utf-8", newline="") as f:
                f.write(text.replace("; port = 20248", "port = %d" % s.port))
            rc, out = mtserver("passwd", stdin=(PASSWORD + "\n").encode())
            assert rc == 0, out
            shutil.copy(os.path.join(s.root, "data.bin"), os.path.join(folder, "files"))
            rc, out = mtserver("start")
            assert rc == 0 and "RUNNING" in out, out
            s.download()
            rc, out = mtserver("uninstall")
            assert rc == 0, out
            with open(os.path.join(folder, "logs", "access.log"), encoding="utf-8") as f:
                assert 'FILE "data.bin" %d ok' % len(s.data) in f.read()
        finally:
            remove_service()
            shutil.rmtree(folder, True)

    with_service(body)


def test_events_go_to_the_event_log():
    """Wine keeps no Event Log, but its ReportEventW prints each event on the
    eventlog debug channel of the service's process, whose stderr is that of
    the Wine session's first process. So the keeper starts a fresh session
    with that channel on, and the events of a failed start, a start, a
    brute-force alert, a paramchange with no TLS port and no certificate
    asked for (information, not a warning: a plain-only server reloading
    its settings) and a stop are read from its stderr, each with its level
    (err for errors, warn for warnings, trace for information)."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("start")
        assert rc == 1, out  # no password_hash yet
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        rc, out = mtserver("start")
        assert rc == 0, out
        c = Conn(s.port)
        c.expect("#Server Ready.")
        for _ in range(3):
            c.send("AUTH wrong\r\n")
        assert c.rest().endswith(b"!Too many failures.\r\n")
        # PARAMCHANGE without a TLS port and with no certificate in the file:
        # nothing of TLS to reload, and nothing to warn of.
        rc, out = paramchange()
        assert rc == 0, out
        rc, out = mtserver("stop")
        assert rc == 0, out

    trace = tempfile.NamedTemporaryFile(prefix="mts-eventlog-", suffix=".txt", delete=False)
    try:
        with_service(body, fresh=True, env={"WINEDEBUG": "-all,+eventlog"}, stderr=trace)
    finally:
        trace.close()
    with open(trace.name, encoding="utf-8", errors="replace") as f:
        text = f.read()
    os.unlink(trace.name)
    # Lines as "0144:err:eventlog:ReportEventW L"<the event's text>"".
    events = re.findall(r'^[0-9a-f]+:(err|warn|trace):eventlog:ReportEventW L"(.*)"$', text, re.M)
    expected = [("err", "mtserver could not start: "), ("trace", " started: listening on "),
                ("warn", " was disconnected after repeated wrong passwords."),
                ("trace", "paramchange: no TLS port is open and the file names no certificate"),
                ("trace", "mtserver stopped")]
    for level, words in expected:
        assert any(l == level and words in t for l, t in events), (level, words, events)
    assert [l for l, _ in events] == ["err", "trace", "warn", "trace", "trace"], events
    assert not any("was not reloaded" in t for _, t in events), events


def test_paramchange_checks_the_configurations_owner():
    """The service's start refuses a configuration that a user other than
    an administrator owns; PARAMCHANGE reads the file again, so it must
    refuse it too (issue 19, third round, item 3). Wine reports a file
    whose Unix owner is not the wineserver's as owned by ANONYMOUS LOGON,
    so handing the file to another Unix user (as root) is, to mtserver, a
    file some other account planted or took over after the start. The
    first PARAMCHANGE (the file still the service's) is read as usual: no
    TLS port to reload."""
    if os.geteuid() != 0 or RUN[:1] != ["wine"]:
        import unittest
        raise unittest.SkipTest("needs root (chown) and Wine")

    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        rc, out = mtserver("start")
        assert rc == 0, out
        log = os.path.join(s.dir, "logs", "access.log")
        rc, out = paramchange()
        assert rc == 0, out
        first = wait_lines(log, "paramchange:", 1)[0]
        assert first.rstrip().endswith(
            "mtserver paramchange: no TLS port is open and the file names no certificate"), first
        os.chown(s.config, 65534, -1)  # nobody
        try:
            rc, out = paramchange()
            assert rc == 0, out
            line = wait_lines(log, "paramchange:", 2)[1]
            # No TLS port: no certificate to speak of, only the file.
            assert "mtserver paramchange: the file was not read again: " in line, line
            assert "certificate" not in line, line
            assert "owned by NT AUTHORITY\\ANONYMOUS LOGON" in line, line
            assert "refusing it" in line, line
        finally:
            os.chown(s.config, 0, -1)
        s.download()  # the service serves on, as it did
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def test_paramchange_names_the_edits_that_wait_for_a_restart():
    """PARAMCHANGE takes a new certificate (and accounts) and the settings
    a session can take from the file (test_service_reload.py); every other
    setting waits for a restart (SETTING_RELOAD, issue 22). An edit that
    waits is said in the log, by its key, instead of seeming taken; a
    PARAMCHANGE with nothing so changed says nothing of it."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        rc, out = mtserver("start")
        assert rc == 0, out
        log = os.path.join(s.dir, "logs", "access.log")
        rc, out = paramchange()
        assert rc == 0, out
        wait_lines(log, "paramchange:", 1)
        with open(s.config, "a", newline="") as f:
            f.write("max_lists = 7\r\nmax_hashes = 3\r\n")
        rc, out = paramchange()
        assert rc == 0, out
        lines = [l.rstrip() for l in wait_lines(log, "paramchange:", 3)]
        assert not any("taken at the next start" in l for l in lines[:2]), lines
        assert lines[2].endswith("changed in the file, taken at the next start: "
                                 "max_hashes, max_lists"), lines
        s.download()  # the service serves on, with its old settings
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def test_service_waits_for_its_port_to_be_free():
    """At boot the address may not be up yet, and after a restart the old
    process may still hold the port: the service keeps trying to listen (in
    START_PENDING, for up to 30 s) instead of stopping for good."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        holder = socket.socket()
        holder.bind(("127.0.0.1", s.port))
        holder.listen(1)
        try:
            rc, out = run("sc", "start", "mtserver")
            assert rc == 0, out
            time.sleep(3)
            assert state() == 2, sc_query_text()  # START_PENDING while the port is taken
        finally:
            holder.close()
        wait_state(4)
        s.download()
        with open(os.path.join(s.dir, "logs", "access.log"), encoding="utf-8") as f:
            log = f.read()
        assert ("cannot listen yet (bind 127.0.0.1:%d: error 10048" % s.port) in log, log
        assert "trying again for 30 s" in log, log
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def _status_number(pattern, text):
    m = pattern.search(text)
    assert m, text
    return int(m.group(1), 0)


def test_stop_lets_a_download_finish_reporting_stop_pending():
    """`sc stop` during a download: the service stops listening, reports
    STOP_PENDING with a checkpoint that moves on and a wait hint while the
    transfer drains (stop_drain = 600 here), lets the download finish, and
    only then stops; the log has it as ok."""
    size = 32 << 20

    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root),
                  "--stop-drain", "600", "--send-timeout", "600")
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        with open(os.path.join(s.root, "big.bin"), "wb") as f:
            f.write(b"\xef" * size)
        rc, out = mtserver("start")
        assert rc == 0, out
        c = Conn(s.port, timeout=60)
        c.expect("#Server Ready.")
        c.send("AUTH %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("GET big.bin\r\n")
        c.expect("#Sending %d bytes." % size)
        assert len(c.exact(1 << 20)) == 1 << 20  # then it stops reading
        rc, out = run("sc", "stop", "mtserver")
        assert rc == 0, out
        # While the reader holds the transfer, the service stays STOP_PENDING
        # and keeps reporting: two different checkpoints, each with a hint.
        seen = set()
        deadline = time.time() + 60
        while len(seen) < 2:
            text = sc_query_text()
            assert _status_number(STATE, text) == 3, text
            assert _status_number(WAIT_HINT, text) > 0, text
            seen.add(_status_number(CHECKPOINT, text))
            assert time.time() < deadline, text
            time.sleep(0.5)
        # A new client is refused while it drains.
        with socket.socket() as n:
            n.settimeout(10)
            assert n.connect_ex(("127.0.0.1", s.port)) != 0
        assert len(c.exact(size - (1 << 20))) == size - (1 << 20)
        c.expect("#File big.bin sent successfully.")
        c.close()
        wait_state(1)
        with open(os.path.join(s.dir, "logs", "access.log"), encoding="utf-8") as f:
            log = f.read()
        assert 'GET "big.bin" %d ok' % size in log, log
        assert "mtserver stopping: no longer accepting" in log, log
        assert "drain period is over" not in log, log
        # Every line, the life-cycle ones ("started", "stopping", "stopped")
        # too, begins with the request lines' timestamp.
        assert "mtserver stopped" in log and "started: listening on" in log, log
        for line in log.splitlines():
            assert STAMP.match(line), line

    with_service(body)


def test_start_prints_the_cause_of_exit_codes_4_and_5():
    """A log file in a folder that does not exist (4), then an address that
    is not this machine's (5, error 10049, after the service's 30 s of
    trying): `mtserver start` names the real cause of each, not a guess."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root),
                  "--log", winpath(os.path.join(s.dir, "no such folder", "a.log")))
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        shutil.rmtree(os.path.join(s.dir, "no such folder"))  # install made it
        rc, out = mtserver("start")
        assert rc == 1 and "service-specific error 4" in out, out
        assert "no such folder" in out, out

        text = s.read().replace("\r\nbind = 127.0.0.1\r\n", "\r\nbind = 192.0.2.1\r\n")
        log = "\r\nlog_file = " + winpath(os.path.join(s.dir, "a.log"))
        text = re.sub(r"\r\nlog_file = [^\r]*", lambda m: log, text)
        s.write(text)
        rc, out = mtserver("start")
        assert rc == 1 and "service-specific error 5" in out, out
        assert "is the port in use" not in out, out
        assert "error 10049" in out and "not one of this machine's" in out, out

    with_service(body)


def test_start_gives_a_certificate_problem_its_own_exit_code_and_reason():
    """A tls_certificate the service cannot use is service-specific error 7,
    not 5 (listening), and `mtserver start` prints why (issue 21 item 10)."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root),
                  "--tls-certificate", "AB" * 20)
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        rc, out = mtserver("start")
        assert rc == 1 and "service-specific error 7 (the TLS certificate cannot be used)" in out, out
        assert "no certificate with thumbprint " + "AB" * 20 in out, out

    with_service(body)


def test_start_says_at_once_that_the_service_is_still_trying():
    """While the port is taken the service stays START_PENDING for up to
    30 s: `mtserver start` says so within seconds, not after 30 s of
    silence, and then reports RUNNING once the port is free (item 11)."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("passwd", "--config", winpath(s.config),
                           stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        holder = socket.socket()
        holder.bind(("127.0.0.1", s.port))
        holder.listen(1)
        lines = queue.Queue()
        proc = subprocess.Popen(RUN + [exe("mtserver.exe"), "start"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        reader = threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True)
        reader.start()
        first, until = None, time.monotonic() + 15
        try:
            while first is None and time.monotonic() < until:
                line = lines.get(timeout=max(0.1, until - time.monotonic()))
                if line.startswith(b"mtserver:"):  # not Wine's own notes
                    first = line.decode("utf-8", "replace")
        except queue.Empty:
            pass
        finally:
            holder.close()
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        reader.join(5)
        rest = b""
        while not lines.empty():
            rest += lines.get_nowait()
        assert first is not None, "no output within 15 s: " + rest.decode("utf-8", "replace")
        assert "START_PENDING" in first and "up to 30 s" in first, first
        assert proc.returncode == 0 and b"RUNNING" in rest, rest
        rc, out = mtserver("stop")
        assert rc == 0, out

    with_service(body)


def test_status_names_the_configuration_and_the_certificate():
    """`mtserver status` shows the configuration the service reads (its
    --config) and the certificate its tls_certificate names, found as the
    server finds it: subject, thumbprint, expiry and store (item 12)."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("status")
        assert "mtserver: configuration %s\r\n" % winpath(s.config) in out, out
        assert "certificate: none (no tls_certificate)" in out, out
        rc, out = mtserver("cert", "--config", winpath(s.config))
        assert rc == 0, out
        thumb = re.search(r"thumbprint ([0-9A-F]{40}) written to", out).group(1)
        rc, out = mtserver("status")
        assert re.search(r"mtserver: certificate CN=[^,\r\n]+, thumbprint %s, valid until "
                         r"\d{4}-\d\d-\d\d, in (LocalMachine|CurrentUser)\\My\r\n" % thumb,
                         out), out

    with_service(body)


def test_passwd_and_cert_edit_the_services_configuration():
    """After `install --config X`, passwd and cert with no --config write X,
    the file the service reads, and say so (item 5)."""
    def body(s):
        s.install("--port", str(s.port), "--bind", "127.0.0.1", "--root", winpath(s.root))
        rc, out = mtserver("passwd", stdin=(PASSWORD + "\n").encode())
        assert rc == 0, out
        assert "password_hash written to %s" % winpath(s.config) in out, out
        assert "password_hash = " in s.read(), s.read()
        rc, out = mtserver("cert")
        assert rc == 0, out
        thumb = re.search(r"thumbprint ([0-9A-F]{40}) written to (.*) as tls_certificate", out)
        assert thumb and thumb.group(2) == winpath(s.config), out
        assert "tls_certificate = %s" % thumb.group(1) in s.read(), s.read()

    with_service(body)


def test_install_writes_the_msi_sample_with_its_folders_and_settings():
    """The MSI's sample (installer/mtserver.ini) is the one template of the
    first configuration: `mtserver install` writes it byte for byte, with
    CRLF line endings, root and log_file next to the file, and the settings
    it was given in the places of their examples (issue 15)."""
    def body(s):
        s.install("--port", str(s.port), "--stop-drain", "7", "--bind", "127.0.0.1")
        expected = first_configuration(winpath(s.dir), (
            ("; port = 20248", "port = %d" % s.port), ("; stop_drain = 10", "stop_drain = 7"),
            ("; bind = 127.0.0.1", "bind = 127.0.0.1")))
        assert s.read() == expected, s.read()

        # Over an existing file, a setting whose example is there takes
        # the example's place too; one with no example goes to the end.
        rc, out = mtserver("uninstall")
        assert rc == 0, out
        s.write("[mtserver]\r\n; max_clients = 1024\r\n; mine\r\n")
        s.install("--max-clients", "9", "--idle-timeout", "30")
        assert s.read() == "[mtserver]\r\nmax_clients = 9\r\n; mine\r\nidle_timeout = 30\r\n", \
            s.read()

    with_service(body)
