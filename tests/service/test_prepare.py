"""`mtserver prepare`, the MSI's first step (server/datadir.c): the
configuration folder, its logs and files folders and the first
configuration, made without the service; the rollback mark it leaves in a
folder it made and deletes from one it did not; folders it refuses.

Wine cannot show the owner refusal (every file there is the Wine user's,
which is also the account running the command): tests/unit/test_ownerpol.c
tests that decision and docs/ADMIN.md's Windows check list has the step.
"""
import os

from configdir import ConfigFolder, first_configuration, mtserver
from harness import wine_drive, winpath

MARK = "install-rollback"  # datadir.h's DATADIR_ROLLBACK_MARK


def prepare(folder):
    return mtserver("prepare", "--config", winpath(os.path.join(folder, "mtserver.ini")))


def test_prepare_makes_the_folders_the_first_configuration_and_the_mark():
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        assert sorted(os.listdir(data)) == ["files", MARK, "logs", "mtserver.ini"]
        with open(os.path.join(data, "mtserver.ini"), encoding="utf-8", newline="") as ini:
            assert ini.read() == first_configuration(winpath(data))


def test_prepare_over_an_existing_folder_keeps_it_and_deletes_a_stale_mark():
    """An existing folder is not this run's: a mark in it (an earlier run
    that never finished) goes, so that no rollback removes the folder; the
    configuration in it is kept byte for byte, the missing folders made."""
    with ConfigFolder() as f:
        f.write("[mtserver]\r\nport = 1\r\n; mine\r\n")
        with open(os.path.join(f.dir, MARK), "w") as mark:
            mark.write("")
        rc, out, err = prepare(f.dir)
        assert rc == 0, out + err
        assert "keeping the existing configuration" in out, out
        assert f.read() == "[mtserver]\r\nport = 1\r\n; mine\r\n"
        assert sorted(os.listdir(f.dir)) == ["files", "logs", "mtserver.ini"]


def test_prepare_says_what_it_did_not_apply_and_the_mark_it_left():
    """Settings given for an existing configuration are not applied (a
    repair keeps the administrator's file): prepare names them; and a
    folder it made holds the rollback mark, which it names (item 16)."""
    with ConfigFolder() as f:
        data = os.path.join(f.dir, "data")
        rc, out, err = prepare(data)
        assert rc == 0, out + err
        assert "left the mark %s in it" % MARK in out and "by hand" in out, out
        before = open(os.path.join(data, "mtserver.ini"), "rb").read()
        rc, out, err = mtserver("prepare", "--config", winpath(os.path.join(data, "mtserver.ini")),
                                "--port", "4321", "--bind", "127.0.0.1")
        assert rc == 0, out + err
        assert "keeping the existing configuration" in out, out
        assert "not applied to it: --bind, --port" in out, out
        assert "left the mark" not in out, out
        assert open(os.path.join(data, "mtserver.ini"), "rb").read() == before


def test_prepare_refuses_a_folder_that_is_a_link():
    """A link's owner would be read from its target (a system folder's is
    TrustedInstaller): a configuration folder that is a link is refused and
    nothing is written through it."""
    with ConfigFolder() as f:
        target = os.path.join(f.dir, "elsewhere")
        os.mkdir(target)
        os.symlink(target, os.path.join(f.dir, "data"))
        rc, out, err = prepare(os.path.join(f.dir, "data"))
        assert rc == 1 and "is a link" in err, (rc, out, err)
        assert os.listdir(target) == []


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
