"""`mtserver install --tls-certificate FILE.pfx` (issue 21 item 8): the file
is checked before the service is registered (it opens with the password,
holds its private key, is valid now and for server authentication), its
fingerprint and key pin are printed, and --pfx-password reads the password
(one line from stdin here; a prompt at a console) into tls_pfx_password."""
import os

import tlskit
from harness import winpath
from svckit import mtserver, state, with_service
from tlskit import PFX_PASSWORD, certs


def install(s, pfx, *extra, stdin=None):
    """install with --tls-certificate pfx (a path here, else as given)."""
    return mtserver("install", "--config", winpath(s.config), "--port", str(s.port),
                    "--bind", "127.0.0.1", "--root", winpath(s.root), "--tls-certificate",
                    winpath(pfx) if "/" in pfx else pfx, *extra, stdin=stdin)


def test_install_checks_the_pfx_prints_its_pins_and_sets_its_password():
    def body(s):
        keys = tlskit.key_containers()
        rc, out = install(s, certs().pfx, "--pfx-password",
                          stdin=(PFX_PASSWORD + "\n").encode())
        assert rc == 0, out
        assert "--fingerprint SHA256:%s" % certs().sha256 in out, out
        assert "SPKI-SHA256:%s" % tlskit.spki_sha256(certs().cert) in out, out
        assert "tls_pfx_password set" in out, out
        text = s.read()
        assert "\r\ntls_pfx_password = %s\r\n" % PFX_PASSWORD in text, text
        assert "\r\ntls_certificate = %s\r\n" % winpath(certs().pfx) in text, text
        # The check kept no key of its own.
        assert tlskit.key_containers() == keys

    with_service(body)


def test_install_writes_a_relative_pfx_path_as_a_full_one():
    """The service starts in System32: a PFX named relative to the folder
    install ran in is written as the full path of the file install checked."""
    def body(s):
        folder, name = os.path.split(certs().pfx)
        here = os.getcwd()
        os.chdir(folder)
        try:
            rc, out = install(s, name, "--pfx-password", stdin=(PFX_PASSWORD + "\n").encode())
        finally:
            os.chdir(here)
        assert rc == 0, out
        text = s.read()
        assert "\r\ntls_certificate = %s\r\n" % winpath(certs().pfx) in text, text
        assert "TLS certificate: %s (checked" % winpath(certs().pfx) in out, out

    with_service(body)


def test_install_refuses_a_pfx_that_cannot_serve_before_registering():
    def body(s):
        c = certs()
        cases = [
            (c.pfx, ["--pfx-password"], "not it\n", "cannot be opened with the password given"),
            (c.pfx, [], None, "no password: give --pfx-password"),
            (c.cert, [], None, "is not a PFX (PKCS #12) file"),
            (c.expired_pfx(), ["--pfx-password"], PFX_PASSWORD + "\n", "is expired"),
            ("13a6" * 9 + "13a", [], None,
             "is neither a certificate thumbprint (40 hex digits) nor a PFX file that exists"),
        ]
        for pfx, extra, stdin, why in cases:
            rc, out = install(s, pfx, *extra, stdin=stdin.encode() if stdin else None)
            assert rc != 0 and why in out and "the service was not installed" in out, (why, out)
            assert state() is None, out

    with_service(body)
