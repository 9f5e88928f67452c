"""The article's telnet transcript, replayed byte for byte."""
import os
import re

from harness import PASSWORD, Server

CONFIG_SYS = b"DEVICE=C:\\WINDOWS\\HIMEM.SYS\r\nDEVICE=C:\\WINDOWS\\EMM386.EXE\r\n"


def test_article_transcript():
    with Server() as srv:
        with open(os.path.join(srv.root, "config.sys"), "wb") as f:
            f.write(CONFIG_SYS)
        c = srv.connect()
        c.expect("#Server Ready.")
        c.send("file config.sys\r\n")
        c.expect("!You are not logged in.")
        c.send("auth yellow\r\n")
        c.expect("!Bad password.")
        c.send("auth %s\r\n" % PASSWORD)
        c.expect("#You are logged in.")
        c.send("file config.sys\r\n")
        assert c.exact(len(CONFIG_SYS)) == CONFIG_SYS
        c.expect("#File config.sys sent successfully.")
        c.send("file d:\\g5.doc\r\n")
        c.expect("!File d:\\g5.doc could not be opened.")
        c.send("quit\r\n")
        assert c.rest() == b""
        srv.wait_log('FILE "config.sys" %d ok' % len(CONFIG_SYS))


def test_absolute_path_inside_root_is_served():
    with Server() as srv:
        with open(os.path.join(srv.root, "config.sys"), "wb") as f:
            f.write(CONFIG_SYS)
        from harness import winpath
        path = winpath(os.path.join(srv.root, "config.sys"))
        c = srv.connect().login()
        c.send("FILE %s\r\n" % path.lower())
        assert c.exact(len(CONFIG_SYS)) == CONFIG_SYS
        c.expect("#File %s sent successfully." % path.lower())


def test_esc_stops_server_with_exit_code_zero():
    srv = Server()
    c = srv.connect()
    c.expect("#Server Ready.")
    assert srv.stop() == 0
    c.expect("!Server is stopping.")
    assert c.closed()


def test_port_in_use_is_reported_with_its_reason():
    import subprocess
    from harness import RUN, exe, temp_root, winpath
    with Server() as srv:
        proc = subprocess.run(RUN + [exe("mtserver.exe"), "console", "--bind", "127.0.0.1",
                                     "--port", str(srv.port), "--root", winpath(temp_root())],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60)
        err = proc.stderr.decode()
        assert proc.returncode == 1
        assert ("bind 127.0.0.1:%d: error 10048: Only one usage of each socket address"
                % srv.port) in err, err
        # ...and says what to change: the port, and where it is set.
        assert "another program is using port %d" % srv.port in err, err
        assert "port in the configuration file, --port on the command line" in err, err


def test_missing_root_folder_is_refused_at_start():
    import subprocess
    from harness import RUN, exe
    proc = subprocess.run(RUN + [exe("mtserver.exe"), "console", "--port", "0",
                                 "--root", "Z:\\no\\such\\folder"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 1
    assert "root folder Z:\\no\\such\\folder: cannot open" in proc.stderr.decode()


def test_help_version_and_bad_options():
    import subprocess
    from harness import RUN, exe

    def run(*args):
        p = subprocess.run(RUN + [exe("mtserver.exe")] + list(args), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    code, out, _ = run("--help")
    assert code == 0 and "--idle-timeout" in out and "MTS_PASSWORD" in out
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("mtserver ")
    code, _, err = run("--bogus")
    assert code == 2 and "unknown option '--bogus'" in err
    code, _, err = run("console", "--port", "99999")
    assert code == 2 and "--port" in err


def test_access_log_file_gets_the_same_lines_as_the_console():
    import tempfile
    from harness import winpath
    log_dir = tempfile.mkdtemp(prefix="mts-log-")
    log_path = os.path.join(log_dir, "access.log")
    with Server(args=["--log", winpath(log_path)]) as srv:
        with open(os.path.join(srv.root, "config.sys"), "wb") as f:
            f.write(CONFIG_SYS)
        c = srv.connect().login()
        c.send("FILE config.sys\r\nFILE missing.txt\r\nQUIT\r\n")
        assert c.exact(len(CONFIG_SYS)) == CONFIG_SYS
        srv.wait_log("QUIT")
    with open(log_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    # The file has exactly the lines the console showed with a timestamp,
    # in the same order (the console has a few more of its own without one:
    # "Press ESCAPE ...", "Stopping...", "Stopped.").
    shown = [l for l in srv.log if re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", l)]
    assert lines == shown, (lines, srv.log)
    # The server's own lines (the stop's) carry the same timestamp; the
    # request lines are the rest.
    own = [l for l in lines if l.split()[1] == "mtserver"]
    assert own and all(l.split()[0].endswith("Z") for l in own), lines
    lines = [l for l in lines if l not in own]
    commands = [l.split()[2] + " " + l.split()[3] + " " + l.split()[5] for l in lines]
    assert commands == ["AUTH - ok", 'FILE "config.sys" ok', 'FILE "missing.txt" missing',
                        "QUIT - ok"], lines
    # time, peer, command, path, bytes, result, milliseconds
    fields = lines[1].split()
    assert fields[0].endswith("Z") and "T" in fields[0]
    assert fields[1].startswith("127.0.0.1:")
    assert fields[4] == str(len(CONFIG_SYS)) and fields[6].endswith("ms")
    assert PASSWORD not in "\n".join(lines)


def test_without_mts_password_a_random_one_is_printed_and_works():
    """The `make run` path: no password configured, so the console shows a
    fresh one (16 symbols, none of 0 O 1 l I) that then logs in; the next
    start shows another."""
    seen = []
    for _ in range(2):
        with Server(password=None) as srv:
            password = srv.wait_log("Password: ").split("Password: ", 1)[1]
            assert len(password) == 16 and not set(password) & set("0O1lI"), password
            c = srv.connect()
            c.expect("#Server Ready.")
            c.send("auth %s\r\n" % password.upper())
            c.expect("!Bad password.")
            c.send("auth %s\r\n" % password)
            c.expect("#You are logged in.")
            seen.append(password)
    assert seen[0] != seen[1]


def test_without_root_the_current_folder_is_served():
    """As the article's server read any path, ours serves the folder it was
    started in when --root is not given (the console default)."""
    from harness import temp_root, winpath
    here = temp_root()
    with open(os.path.join(here, "config.sys"), "wb") as f:
        f.write(CONFIG_SYS)
    with Server(cwd=here) as srv:
        assert any("serving %s" % winpath(here) in line for line in srv.banner), srv.banner
        c = srv.connect().login()
        c.send("FILE config.sys\r\n")
        assert c.exact(len(CONFIG_SYS)) == CONFIG_SYS
        c.expect("#File config.sys sent successfully.")


def test_an_mts_password_auth_could_never_match_stops_the_console_start():
    # AUTH trims blanks and refuses control characters: a server started
    # with such a password would run and nobody could log in.
    import os
    import subprocess
    from harness import RUN, exe
    for password, why in ((" secret", "begins or ends with a blank"),
                          ("secret ", "begins or ends with a blank"),
                          ("sec\tret", "has a control character")):
        env = dict(os.environ, MTS_PASSWORD=password)
        proc = subprocess.run(RUN + [exe("mtserver.exe"), "console", "--port", "0"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60, env=env)
        err = proc.stderr.decode()
        assert proc.returncode != 0, (password, err)
        assert "MTS_PASSWORD %s" % why in err and "nobody could log in" in err, err
        assert "listening" not in proc.stdout.decode()
