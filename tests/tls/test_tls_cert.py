"""`mtserver cert`: a self-signed certificate for this host, its thumbprint
written into the configuration, its SHA-256 fingerprint printed; then
served on the TLS port where the Wine has server-side Schannel, and refused
with the Schannel message (not "no certificate") where it has not."""
import datetime
import hashlib
import os
import re
import subprocess
import tempfile

import harness
import tlskit
from harness import winpath
from tlskit import TlsConn, openssl


def make_cert():
    folder = tempfile.mkdtemp(prefix="mts-cert-")
    ini = os.path.join(folder, "mtserver.ini")
    with open(ini, "w", newline="") as f:
        f.write("[mtserver]\r\nport = 20248\r\n")
    proc = subprocess.run(harness.RUN + [harness.exe("mtserver.exe"), "cert", "--config",
                                         winpath(ini)],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, (out, proc.stderr.decode("utf-8", "replace"))
    thumb = re.search(r"thumbprint ([0-9A-F]{40}) written to", out).group(1)
    fingerprint = re.search(r"^SHA256:([0-9A-F]{64})\r?$", out, re.M).group(1)
    assert "RSA 3072 bits" in out, out
    # LocalMachine\My for the service where that serves; else (Wine: the
    # machine key cannot be read back) CurrentUser\My, with the reason.
    err = proc.stderr.decode("utf-8", "replace")
    where = re.search(r" in (LocalMachine|CurrentUser)\\My\r?$", out, re.M).group(1)
    if where == "CurrentUser":
        assert "making it in CurrentUser\\My with this user's key instead" in err, err
    # Security codes in hex with their names, never as a long decimal
    # (issue 20 item 11: "error 2148081675: unknown error").
    assert not re.search(r"error \d{6,}", err), err
    if "private key cannot be read" in err:
        assert re.search(r"error 0x8[0-9A-F]{7} \([A-Z_]+\)", err), err
    with open(ini, newline="") as f:
        text = f.read()
    # The rest of the file is kept, and the new line has its line ending.
    assert text == "[mtserver]\r\nport = 20248\r\ntls_certificate = %s\r\n" % thumb, text
    return ini, thumb, fingerprint


def test_cert_is_served_with_the_printed_fingerprint():
    ini, thumb, fingerprint = make_cert()
    with harness.Server(ports=("plain", "tls"),
                        args=["--tls-port", "0", "--config", winpath(ini)]) as srv:
        c = TlsConn(srv.tls_port, verify=False).login()
        der = c.sock.getpeercert(True)
        assert hashlib.sha256(der).hexdigest().upper() == fingerprint
        assert hashlib.sha1(der).hexdigest().upper() == thumb
        text = openssl("x509", "-inform", "DER", "-noout", "-text", stdin=der).decode()
        assert "Public-Key: (3072 bit)" in text, text
        assert "DNS:localhost" in text and "TLS Web Server Authentication" in text, text
        after = re.search(r"Not After : (.*)", text).group(1).strip()
        until = datetime.datetime.strptime(after, "%b %d %H:%M:%S %Y %Z")
        days = (until - datetime.datetime.utcnow()).days
        assert 395 <= days <= 397, after  # 397 by default (issue 20 item 2)


def test_cert_thumbprint_is_found_where_schannel_has_no_server_side():
    ini, thumb, _ = make_cert()
    proc = subprocess.run(harness.RUN + [harness.exe("mtserver.exe"), "console", "--port", "0",
                                         "--tls-port", "0", "--config", winpath(ini), "--root",
                                         winpath(harness.temp_root())],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120,
                          env=dict(os.environ, MTS_PASSWORD=harness.PASSWORD))
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, err
    assert "no certificate with thumbprint" not in err and thumb in err, err
    assert "cannot act as a TLS server" in err, err


tlskit.needs_no_server_side_schannel(globals(), "test_cert_thumbprint_is_found_where_schannel_has_no_server_side")
tlskit.needs_server_side_schannel(globals(), "test_cert_is_served_with_the_printed_fingerprint")
