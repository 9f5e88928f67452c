"""Files are served from the root and from nowhere else."""
import hashlib
import os
import shutil
import tempfile

from harness import Server, wine_drive, winpath

SECRET = b"outside the root\r\n"


def setup_tree(srv):
    outside = tempfile.mkdtemp(prefix="mts-outside-")
    with open(os.path.join(outside, "secret.txt"), "wb") as f:
        f.write(SECRET)
    os.makedirs(os.path.join(srv.root, "docs", "sub"))
    with open(os.path.join(srv.root, "docs", "sub", "ok.txt"), "wb") as f:
        f.write(b"fine")
    with open(os.path.join(srv.root, "caf\u00e9 \u65e5\u672c.txt"), "wb") as f:
        f.write(b"unicode")
    return outside


def refused(c, path):
    c.send(path.encode("utf-8") + b"\r\n" if path.startswith("FILE") else b"FILE " + path.encode("utf-8") + b"\r\n")
    line = c.line()
    return line == "!File %s could not be opened." % path


def test_every_escape_form_gets_the_missing_file_answer():
    with Server() as srv:
        outside = setup_tree(srv)
        out_win = winpath(os.path.join(outside, "secret.txt"))
        root_win = winpath(srv.root)
        c = srv.connect().login()
        forms = [
            "../" + os.path.basename(outside) + "/secret.txt",
            "..\\..\\..\\etc\\passwd",
            "docs/../../secret.txt",
            "docs\\sub\\..\\..\\..\\x",
            out_win,
            out_win.replace("\\", "/"),
            root_win + "\\..\\" + os.path.basename(outside) + "\\secret.txt",
            root_win + "x\\docs\\sub\\ok.txt",
            "C:\\windows\\win.ini",
            "c:win.ini",
            "\\windows\\win.ini",
            "/etc/passwd",
            "\\\\localhost\\c$\\windows\\win.ini",
            "//localhost/c$/windows/win.ini",
            "\\\\?\\" + out_win,
            "\\\\?\\" + root_win + "\\docs\\sub\\ok.txt",
            "\\\\.\\" + out_win,
            "\\\\.\\PhysicalDrive0",
            "CON", "nul", "docs\\sub\\NUL.txt", "COM1", "lpt1.log", "CONIN$", "AUX",
            "docs\\sub\\ok.txt:hidden", "docs\\sub\\ok.txt::$DATA", "docs\\sub\\ok.txt.",
            "docs\\sub\\*.txt", "docs\\sub\\ok?.txt",
            "docs", "docs\\sub", ".", root_win,
            "missing.txt",
        ]
        for form in forms:
            assert refused(c, form), form
        # And the session is still fine: a legitimate file in a subfolder comes back.
        c.send("FILE docs/sub/ok.txt\r\n")
        assert c.exact(4) == b"fine"
        c.expect("#File docs/sub/ok.txt sent successfully.")


def test_link_leading_outside_is_refused_and_inside_is_served():
    with Server() as srv:
        outside = setup_tree(srv)
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(srv.root, "link-out.txt"))
        os.symlink(outside, os.path.join(srv.root, "dir-out"))
        os.symlink(os.path.join(srv.root, "docs", "sub", "ok.txt"), os.path.join(srv.root, "link-in.txt"))
        c = srv.connect().login()
        assert refused(c, "link-out.txt")
        assert refused(c, "dir-out\\secret.txt")
        c.send("FILE link-in.txt\r\n")
        assert c.exact(4) == b"fine"
        c.expect("#File link-in.txt sent successfully.")
        srv.wait_log('"link-out.txt" 0 denied')


def test_links_to_lookalikes_of_the_root_next_to_it_are_refused():
    # Under Wine a file's name is made from its Unix path, which can hold
    # what a Windows name cannot: "<root>." loses its dot, "<root>\\x" is
    # read as two names, and "<ROOT>" differs from the root only in case,
    # so all three are named as if below the root. rootfs.c opens what
    # the name says again from the root and compares the files
    # (confirmed_below_root); a legitimate file is still served.
    with Server() as srv:
        setup_tree(srv)
        parent, base = os.path.split(srv.root.rstrip("/"))
        lookalikes = {"dot.txt": os.path.join(parent, base + "."),
                      "case.txt": os.path.join(parent, base.upper()),
                      "slash.txt": os.path.join(parent, base + "\\docs")}
        try:
            for link, folder in lookalikes.items():
                os.makedirs(folder)
                with open(os.path.join(folder, "secret.txt"), "wb") as f:
                    f.write(SECRET)
                os.symlink(os.path.join(folder, "secret.txt"), os.path.join(srv.root, link))
            # The same relative name inside the root, so that a name-only
            # check would find a file there.
            with open(os.path.join(srv.root, "secret.txt"), "wb") as f:
                f.write(b"inside")
            c = srv.connect().login()
            for link in lookalikes:
                assert refused(c, link), link
            c.send("FILE docs/sub/ok.txt\r\n")
            assert c.exact(4) == b"fine"
            c.expect("#File docs/sub/ok.txt sent successfully.")
            srv.wait_log('"slash.txt" 0 denied')
        finally:
            for folder in lookalikes.values():
                shutil.rmtree(folder, ignore_errors=True)


def test_hard_links_are_refused_when_asked_to():
    # A hard link inside the root to a file outside it: its final path is its
    # own name, inside the root, so only the link count can tell (issue 13
    # item 11). Served by default (and said so in SECURITY.md); refused with
    # --refuse-hard-links 1, together with every other multi-link file.
    for setting, served in (("0", True), ("1", False)):
        with Server(args=["--refuse-hard-links", setting]) as srv:
            outside = setup_tree(srv)
            os.link(os.path.join(outside, "secret.txt"), os.path.join(srv.root, "hard.txt"))
            c = srv.connect().login()
            if served:
                c.send("FILE hard.txt\r\n")
                assert c.exact(len(SECRET)) == SECRET
                c.expect("#File hard.txt sent successfully.")
            else:
                assert refused(c, "hard.txt")
                srv.wait_log('"hard.txt" 0 denied')
            # A file with one link is served either way.
            c.send("FILE docs/sub/ok.txt\r\n")
            assert c.exact(4) == b"fine"
            c.expect("#File docs/sub/ok.txt sent successfully.")


def test_long_and_device_forms_of_the_root_serve_or_are_refused_at_start():
    # "\\?\Z:\..." used to start fine and then serve nothing (it was taken
    # for a UNC name); now it and "\\.\Z:\..." serve the folder, and forms
    # with no plain folder behind them stop the start with a clear message
    # (issue 13 item 12). The later --root wins over the harness's own.
    from harness import temp_root
    root = temp_root()
    with open(os.path.join(root, "a.txt"), "wb") as f:
        f.write(b"here")
    for prefix in ("\\\\?\\", "\\\\.\\"):
        with Server(root=root, args=["--root", prefix + winpath(root)]) as srv:
            c = srv.connect().login()
            c.send("FILE a.txt\r\n")
            assert c.exact(4) == b"here", prefix
            c.expect("#File a.txt sent successfully.")
    for bad in ("\\\\?\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\srv",
                "\\\\.\\pipe\\srv"):
        try:
            Server(root=root, args=["--root", bad])
        except RuntimeError as e:
            assert "must name a folder on a drive" in str(e), e
        else:
            raise AssertionError("started with root %s" % bad)


def test_non_ascii_names_and_spaces():
    with Server() as srv:
        setup_tree(srv)
        c = srv.connect().login()
        name = "caf\u00e9 \u65e5\u672c.txt"
        c.send(("FILE %s\r\n" % name).encode("utf-8"))
        assert c.exact(7) == b"unicode"
        c.expect("#File %s sent successfully." % name)


def test_long_paths_beyond_max_path():
    with Server() as srv:
        parts = ["d%02d-%s" % (i, "x" * 40) for i in range(8)]  # about 370 characters deep
        folder = os.path.join(srv.root, *parts)
        os.makedirs(folder)
        with open(os.path.join(folder, "deep.bin"), "wb") as f:
            f.write(b"deep")
        rel = "\\".join(parts) + "\\deep.bin"
        assert len(winpath(srv.root)) + len(rel) > 260
        c = srv.connect().login()
        c.send("FILE %s\r\n" % rel)
        assert c.exact(4) == b"deep"
        c.expect("#File %s sent successfully." % rel)


def test_links_beyond_max_path_lead_outside_refused_and_inside_served():
    # Beyond MAX_PATH the root check by the file's NT object name still
    # answers (server/serve/ntname.c; Wine's GetFinalPathNameByHandleW,
    # which it replaced, gave up there): a link out of a deep folder is
    # refused, a deep link to a file inside is served.
    with Server() as srv:
        outside = setup_tree(srv)
        parts = ["d%02d-%s" % (i, "y" * 40) for i in range(8)]
        folder = os.path.join(srv.root, *parts)
        os.makedirs(folder)
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(folder, "out.txt"))
        os.symlink(os.path.join(srv.root, "docs", "sub", "ok.txt"), os.path.join(folder, "in.txt"))
        deep = "\\".join(parts)
        assert len(winpath(srv.root)) + len(deep) > 260
        c = srv.connect().login()
        assert refused(c, deep + "\\out.txt")
        c.send("FILE %s\\in.txt\r\n" % deep)
        assert c.exact(4) == b"fine"
        c.expect("#File %s\\in.txt sent successfully." % deep)
        srv.wait_log('out.txt" 0 denied')


def test_a_drive_root_lists_serves_and_hashes_and_keeps_dot_dot_out():
    # Serving "M:\": the root's name on its volume is "\" itself, so the
    # check that the root folder lies within the root must not insist on a
    # trailing '\' beyond it (issue 21 item 1: LIST of a drive root was
    # "!Folder . could not be listed.", logged as denied).
    from harness import temp_root
    root = temp_root()
    with open(os.path.join(root, "top.txt"), "wb") as f:
        f.write(b"at the top")
    os.mkdir(os.path.join(root, "sub"))
    outside = tempfile.mkdtemp(prefix="mts-outside-")
    with open(os.path.join(outside, "secret.txt"), "wb") as f:
        f.write(SECRET)
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(root, "link-out.txt"))
    with wine_drive(root) as drive, Server(root=root, args=["--root", drive + "\\"]) as srv:
        c = srv.connect().login()
        c.send("LIST\r\n")
        head = c.line()
        assert head == "#Listing 2 entries.", head
        names = sorted(c.line().split(" ", 3)[3] for _ in range(2))
        assert names == ["sub", "top.txt"], names
        c.expect("#End of listing, 2 entries.")
        c.send("LIST sub\r\n")
        c.expect("#Listing 0 entries.")
        c.expect("#End of listing, 0 entries.")
        c.send("FILE top.txt\r\n")
        assert c.exact(10) == b"at the top"
        c.expect("#File top.txt sent successfully.")
        c.send("GET top.txt\r\n")
        c.expect("#Sending 10 bytes.")
        assert c.exact(10) == b"at the top"
        c.expect("#File top.txt sent successfully.")
        c.send("HASH top.txt\r\n")
        c.expect("#SHA-256 %s top.txt" % hashlib.sha256(b"at the top").hexdigest())
        # Above a drive root there is nothing to reach, but the forms that
        # would climb are still refused, not taken for the root; and a link
        # out of the drive is refused too, though under Wine every drive on
        # one Unix file system has the same volume serial number.
        for form in ("..\\top.txt", "../top.txt", "sub\\..\\..\\top.txt", "link-out.txt"):
            assert refused(c, form), form
        c.send("LIST ..\r\n")
        c.expect("!Folder .. could not be listed.")
