"""tests/wine10/debian-mirror, which finds the Debian archive in apt's sources
for debootstrap, run against sample apt folders: the layouts a new user's
machine may have (deb822 only, one-line only, both, none) and the sources
it must pass over (security, third-party, disabled, commented out)."""
import os
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "tests", "wine10", "debian-mirror")

KEYRING = "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
# A Debian 12 image's deb822 file, the security archive first.
DEBIAN_SOURCES = (
    "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"
    "Components: main\n" + KEYRING + "\n"
    "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n"
    "Components: main\n" + KEYRING)


def lookup(files):
    """Runs the script on an apt folder holding FILES ({relative path: text});
    returns (exit status, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as apt:
        os.makedirs(os.path.join(apt, "sources.list.d"))
        for name, text in files.items():
            with open(os.path.join(apt, name), "w", encoding="utf-8") as f:
                f.write(text)
        proc = subprocess.run([SCRIPT, apt], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=30)
        return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def mirror(files):
    rc, out, err = lookup(files)
    assert rc == 0, (rc, out, err)
    assert out.count("\n") == 1, "more than one line: %r" % out
    return out.strip()


def no_mirror(files):
    rc, out, err = lookup(files)
    assert rc == 1 and out == "", (rc, out, err)
    assert err.startswith("debian-mirror: "), err
    return err


def test_deb822_only():
    assert mirror({"sources.list.d/debian.sources": DEBIAN_SOURCES}) == "http://deb.debian.org/debian"


def test_one_line_only():
    assert mirror({"sources.list": (
        "deb http://deb.debian.org/debian-security bookworm-security main\n"
        "deb http://ftp.de.debian.org/debian/ bookworm main contrib\n")}) == \
        "http://ftp.de.debian.org/debian"


def test_both_forms_sources_list_first():
    assert mirror({
        "sources.list": "deb http://ftp.fr.debian.org/debian bookworm main\n",
        "sources.list.d/debian.sources": DEBIAN_SOURCES,
    }) == "http://ftp.fr.debian.org/debian"


def test_sources_list_d_in_name_order_across_both_forms():
    assert mirror({
        "sources.list.d/b.sources": DEBIAN_SOURCES,
        "sources.list.d/a-local.list": "deb http://mirror.lan/debian bookworm main\n",
    }) == "http://mirror.lan/debian"


def test_none_at_all():
    err = no_mirror({})
    assert "no sources" in err, err


def test_empty_sources_list_and_folder():
    err = no_mirror({"sources.list": ""})
    assert "no Debian archive" in err and "sources.list" in err, err


def test_third_party_first_is_passed_over():
    assert mirror({
        "sources.list.d/a-google.list":
            "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n",
        "sources.list.d/a-nodesource.sources":
            "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n"
            "Components: main\nArchitectures: amd64\n"
            "Signed-By: /usr/share/keyrings/nodesource.gpg\n",
        # Docker's archive ends in /debian too; it has no component main.
        "sources.list.d/a-docker.list":
            "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] "
            "https://download.docker.com/linux/debian bookworm stable\n",
        "sources.list.d/debian.sources": DEBIAN_SOURCES,
    }) == "http://deb.debian.org/debian"


def test_only_security_and_third_party_is_none():
    err = no_mirror({
        "sources.list": "deb http://security.debian.org/debian-security bookworm-security main\n"
                        "deb http://deb.debian.org/debian-ports unstable main\n"
                        "deb http://archive.debian.org/debian buster main\n",
        "sources.list.d/nodesource.sources":
            "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n"
            "Components: main\n",
    })
    assert "no Debian archive" in err and "nodesource.sources" in err, err


def test_security_suite_on_the_main_host_is_passed_over():
    # The old form of the security archive: a suite, not a path.
    assert mirror({"sources.list":
                   "deb http://mirror.example/debian bookworm-security main\n"
                   "deb http://mirror.example/debian bookworm/updates main\n"
                   "deb http://other.example/debian bookworm main\n"}) == \
        "http://other.example/debian"


def test_commented_out_lines():
    assert mirror({
        "sources.list": "# deb http://commented.example/debian bookworm main\n"
                        "#deb http://commented2.example/debian bookworm main\n"
                        "deb http://used.example/debian bookworm main # not this: a comment\n",
    }) == "http://used.example/debian"
    assert mirror({"sources.list.d/debian.sources":
                   "# Types: deb\n# URIs: http://commented.example/debian\n"
                   "# Suites: bookworm\n# Components: main\n\n"
                   "Types: deb\n"
                   "# http://snapshot.debian.org/archive/debian/20250520T000000Z\n"
                   "URIs: http://used.example/debian\nSuites: bookworm\nComponents: main\n"}) == \
        "http://used.example/debian"


def test_deb822_several_uris_and_continuation_lines():
    assert mirror({"sources.list.d/debian.sources":
                   "Types: deb\nURIs: http://deb.debian.org/debian-security\n"
                   " https://second.example/debian/   http://third.example/debian\n"
                   "Suites: bookworm\nComponents: main contrib\n"}) == \
        "https://second.example/debian"


def test_deb822_disabled_and_source_only_paragraphs():
    assert mirror({"sources.list.d/debian.sources":
                   "Types: deb\nURIs: http://disabled.example/debian\nSuites: bookworm\n"
                   "Components: main\nEnabled: no\n\n"
                   "Types: deb-src\nURIs: http://source.example/debian\nSuites: bookworm\n"
                   "Components: main\n\n"
                   "Types: deb deb-src\nURIs: http://both.example/debian\nSuites: bookworm\n"
                   "Components: main\n"}) == "http://both.example/debian"


def test_deb822_field_names_in_any_case_and_no_final_newline():
    assert mirror({"sources.list.d/x.sources":
                   "types: deb\nuris: http://lower.example/debian\nsuites: bookworm\n"
                   "components: main"}) == "http://lower.example/debian"


def test_one_line_options_and_deb_src():
    assert mirror({"sources.list":
                   "deb-src http://source.example/debian bookworm main\n"
                   "deb [ arch=amd64 signed-by=/k.gpg ] http://spaced.example/debian bookworm main\n"
                   }) == "http://spaced.example/debian"
    assert mirror({"sources.list":
                   "deb [arch=amd64,arm64 trusted=yes] file:/srv/mirror/debian bookworm main\n"}) == \
        "file:/srv/mirror/debian"


def test_disabled_files_are_ignored():
    assert mirror({
        "sources.list.d/a.list.disabled": "deb http://off.example/debian bookworm main\n",
        "sources.list.d/b.sources.disabled-by-farm":
            "Types: deb\nURIs: http://off2.example/debian\nSuites: bookworm\nComponents: main\n",
        "sources.list.d/c.list.save": "deb http://off3.example/debian bookworm main\n",
        "sources.list.d/debian.sources": DEBIAN_SOURCES,
    }) == "http://deb.debian.org/debian"


def test_other_schemes_are_passed_over():
    assert mirror({"sources.list":
                   "deb cdrom:[Debian GNU/Linux 12]/ bookworm main\n"
                   "deb mirror+file:/etc/apt/mirrors/debian.list bookworm main\n"
                   "deb tor+http://onion.example/debian bookworm main\n"
                   "deb https://secure.example/debian bookworm main\n"}) == \
        "https://secure.example/debian"


def test_this_machine():
    # Whatever this machine has, the answer is one line or one message.
    proc = subprocess.run([SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    out = proc.stdout.decode()
    if proc.returncode == 0:
        assert out.count("\n") == 1 and out.rstrip().endswith("/debian"), out
    else:
        assert proc.returncode == 1 and out == "" and proc.stderr.startswith(b"debian-mirror: ")
