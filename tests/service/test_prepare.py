"""`mtserver prepare`, the MSI's first step (server/admin/datadir.c): the
configuration folder, its logs and files folders and the first
configuration, made without the service; the rollback mark it keeps in
HKLM for a folder it made and forgets for one it did not; folders it
refuses; and `prepare-rollback`, which removes only the known entries of
the very folder prepare made.

Wine cannot show the owner refusal (every file there is the Wine user's,
which is also the account running the command): tests/unit/test_ownerpol.c
tests that decision and docs/ADMIN.md's Windows check list has the step.
"""
import os
import re
import shutil
import subprocess

from configdir import ConfigFolder, first_configuration, mtserver
from harness import RUN, wine_drive, winpath

# The rollback mark of earlier versions, a file in the folder (datadir.h's
# DATADIR_OLD_MARK); the mark is now a value in HKLM, where users cannot write.
MARK = "install-rollback"
MARK_KEY = r"HKLM\Software\mtserver"


def prepare(folder, command="prepare"):
    return mtserver(command, "--config", winpath(os.path.join(folder, "mtserver.ini")))


def hklm_mark():
    """prepare's mark (datadir.c: PreparedFolder under HKLM\\SOFTWARE\\mtserver), or None."""
    proc = subprocess.run(RUN + ["reg", "query", MARK_KEY, "/v", "PreparedFolder"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    m = re.search(r"PreparedFolder\s+REG_SZ\s+(\S+)", proc.stdout.decode("utf-8", "replace"))
    return m.group(1) if m else None


def test_prepare_makes_the_folders_the_first_configuration_and_the_mark():
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        assert sorted(os.listdir(data)) == ["files", "logs", "mtserver.ini"]
        with open(os.path.join(data, "mtserver.ini"), encoding="utf-8", newline="") as ini:
            assert ini.read() == first_configuration(winpath(data))
        # The folder's ID, then its owner and DACL as read back (dirpol.h).
        assert re.match(r"^[0-9a-f]+:[0-9a-f]+:O:", hklm_mark() or ""), hklm_mark()
        rc, out, err = prepare(data, "prepare-keep")
        assert rc == 0 and hklm_mark() is None, out + err


def test_prepare_over_an_existing_folder_keeps_it_and_forgets_a_stale_mark():
    """An existing folder is not this run's: a mark an earlier run left
    (one that never finished) is forgotten, so that no rollback removes the
    folder, and the old versions' mark file goes; the configuration in it
    is kept byte for byte, the missing folders made."""
    with ConfigFolder() as f:
        rc, out, err = prepare(os.path.join(f.dir, "earlier"))
        assert rc == 0 and hklm_mark() is not None, out + err
        f.write("[mtserver]\r\nport = 1\r\n; mine\r\n")
        with open(os.path.join(f.dir, MARK), "w") as mark:
            mark.write("")
        rc, out, err = prepare(f.dir)
        assert rc == 0, out + err
        assert hklm_mark() is None
        assert "keeping the existing configuration" in out, out
        assert f.read() == "[mtserver]\r\nport = 1\r\n; mine\r\n"
        assert sorted(os.listdir(f.dir)) == ["earlier", "files", "logs", "mtserver.ini"]


def test_prepare_says_what_it_did_not_apply():
    """Settings given for an existing configuration are not applied (a
    repair keeps the administrator's file): prepare names them."""
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        assert "made the configuration folder" in out, out
        before = open(os.path.join(data, "mtserver.ini"), "rb").read()
        rc, out, err = mtserver("prepare", "--config", winpath(os.path.join(data, "mtserver.ini")),
                                "--port", "4321", "--bind", "127.0.0.1")
        assert rc == 0, out + err
        assert "keeping the existing configuration" in out, out
        assert "not applied to it: --bind, --port" in out, out
        assert "made the configuration folder" not in out, out
        assert open(os.path.join(data, "mtserver.ini"), "rb").read() == before


def test_rollback_removes_the_known_entries_of_the_folder_prepare_made():
    """The MSI's rollback (issue 19 item 1c): the first configuration, the
    log, logs\\ and files\\ when empty and the folder; something an
    administrator put in files\\ stays, and with it the folder."""
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        with open(os.path.join(data, "logs", "access.log"), "w") as log:
            log.write("a line\n")
        rc, out, err = prepare(data, "prepare-rollback")
        assert rc == 0 and "removed the configuration folder" in out, out + err
        assert not os.path.exists(data) and hklm_mark() is None

        rc, out, err = prepare(data)
        assert rc == 0, out + err
        with open(os.path.join(data, "files", "kept.txt"), "w") as kept:
            kept.write("kept")
        rc, out, err = prepare(data, "prepare-rollback")
        assert sorted(os.listdir(data)) == ["files"], os.listdir(data)
        assert os.listdir(os.path.join(data, "files")) == ["kept.txt"]
        assert hklm_mark() is None
        # Nothing marked: nothing to do.
        rc, out, err = prepare(data, "prepare-rollback")
        assert rc == 0 and "made no configuration folder" in out, out + err
        assert os.listdir(os.path.join(data, "files")) == ["kept.txt"]


def test_rollback_leaves_a_folder_that_is_not_the_one_prepare_made():
    """Another folder under the name (a different file ID), or a link put
    in its place, is left as it is: the rollback never follows the name
    alone, and never removes a tree."""
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        shutil.rmtree(data)
        os.makedirs(os.path.join(data, "logs"))
        with open(os.path.join(data, "mtserver.ini"), "w") as planted:
            planted.write("another's")
        rc, out, err = prepare(data, "prepare-rollback")
        # Another file ID; or, when the file system gave the new folder the
        # old one's number (ext4 under Wine may), other permissions.
        assert rc == 1 and ("not the folder prepare made" in err or
                            "owner or permissions of" in err), (rc, out, err)
        assert sorted(os.listdir(data)) == ["logs", "mtserver.ini"]
        assert hklm_mark() is None

        shutil.rmtree(data)
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        target = os.path.join(f.dir, "elsewhere")
        os.rename(data, target)
        os.symlink(target, data)
        rc, out, err = prepare(data, "prepare-rollback")
        assert rc == 1 and "is a link" in err, (rc, out, err)
        assert sorted(os.listdir(target)) == ["files", "logs", "mtserver.ini"]


def test_prepare_refuses_a_folder_that_is_a_link():
    """A link's owner would be read from its target (a system folder's is
    TrustedInstaller): a configuration folder that is a link is refused and
    nothing is written, or deleted, through it. prepare deleted an old
    rollback mark through the link before refusing it (issue 19 item 1a):
    on Windows, with a junction to \\RPC Control, SYSTEM deleting any file."""
    with ConfigFolder() as f:
        target = os.path.join(f.dir, "elsewhere")
        os.mkdir(target)
        for name in (MARK, "other"):
            with open(os.path.join(target, name), "w") as planted:
                planted.write(name)
        os.symlink(target, os.path.join(f.dir, "data"))
        rc, out, err = prepare(os.path.join(f.dir, "data"))
        assert rc == 1 and "is a link" in err, (rc, out, err)
        assert sorted(os.listdir(target)) == sorted([MARK, "other"])
        for name in (MARK, "other"):
            assert open(os.path.join(target, name)).read() == name


def test_prepare_refuses_a_logs_folder_that_is_a_link():
    """In a folder that was there (and may have inherited ProgramData's
    permissions, which let users make folders), logs\\ and files\\ are
    checked as the folder is: a link is refused, and the service's log
    never goes through it."""
    with ConfigFolder() as f:
        target = os.path.join(f.dir, "elsewhere")
        os.mkdir(target)
        data = os.path.join(f.dir, "data")
        os.mkdir(data)
        os.symlink(target, os.path.join(data, "logs"))
        rc, out, err = prepare(data)
        assert rc == 1 and "is a link" in err, (rc, out, err)
        assert os.listdir(target) == []
        assert sorted(os.listdir(data)) == ["logs"], os.listdir(data)


def test_prepare_counts_a_folder_as_made_only_when_it_made_it():
    """Something that appears between prepare's look and its
    CreateDirectoryW is not prepare's (issue 19 item 1b): it counted
    ERROR_ALREADY_EXISTS as made and went on to write its mark and the
    first configuration through it. A dangling link shows that moment
    under Wine: nothing there to look at, yet the name is taken."""
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        os.symlink(os.path.join(f.dir, "nowhere"), data)
        rc, out, err = prepare(data)
        assert rc == 1 and "appeared while prepare was making it" in err, (rc, out, err)
        assert os.path.islink(data) and not os.path.exists(os.path.join(f.dir, "nowhere"))
        assert hklm_mark() is None


def test_prepare_refuses_a_file_in_the_folders_place():
    with ConfigFolder() as f:
        with open(os.path.join(f.dir, "data"), "w") as planted:
            planted.write("x")
        rc, out, err = prepare(os.path.join(f.dir, "data"))
        assert rc == 1 and "is not a folder" in err, (rc, out, err)


def test_prepare_and_install_refuse_a_configuration_in_a_drive_root():
    # install refused "--config C:\x.ini" (the drive root's permissions are
    # not mtserver's to change) while prepare wrote the file and made
    # C:\files and C:\logs there (issue 21 item 3). One rule, both commands.
    with ConfigFolder() as f, wine_drive(f.dir) as drive:
        for command in ("prepare", "install"):
            rc, out, err = mtserver(command, "--config", drive + "\\x.ini")
            assert rc == 1, (command, rc, out, err)
            assert "is in the root folder of a drive or share" in err, (command, err)
            assert sorted(os.listdir(f.dir)) == [], (command, os.listdir(f.dir))
