"""`mtserver cert` and `cert --renew`: positive serials and --days (issue
20 item 2), nothing made when the configuration cannot take the thumbprint
(issue 21 item 9), and a renewal that keeps the key, so that clients that
pin the key (`--fingerprint SPKI-SHA256:`) keep connecting while a pin of
the old certificate is refused (issue 21 item 6). The certificates land in
CurrentUser\\My under Wine (test_tls_cert.py says why); tests/tls/rootstore.c
counts them and shows their bytes."""
import datetime
import os
import re
import subprocess
import tempfile

import harness
import tlskit
from harness import winpath
from tlskit import mtsclient

try:
    from cryptography import x509
except ImportError:  # the test reads the serial itself then
    x509 = None


def new_ini(text="[mtserver]\r\n"):
    folder = tempfile.mkdtemp(prefix="mts-renew-")
    ini = os.path.join(folder, "mtserver.ini")
    with open(ini, "w", newline="") as f:
        f.write(text)
    return ini


def mtserver(*args):
    proc = subprocess.run(harness.RUN + [harness.exe("mtserver.exe")] + list(args),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def rootstore(*args):
    proc = subprocess.run(harness.RUN + [harness.exe("rootstore.exe")] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode().strip()


def my_count():
    return int(rootstore("count", "My"))


def my_certificates():
    """{thumbprint: DER} of CurrentUser\\My."""
    return {line.split()[0]: bytes.fromhex(line.split()[1])
            for line in rootstore("list", "My").splitlines() if line.strip()}


def der_of(thumb):
    return my_certificates()[thumb]


def pins(out):
    """(thumbprint, certificate fingerprint, key pin) as cert printed them."""
    return (re.search(r"thumbprint ([0-9A-F]{40}) written to", out).group(1),
            re.search(r"^SHA256:([0-9A-F]{64})\r?$", out, re.M).group(1),
            re.search(r"^SPKI-SHA256:([0-9A-F]{64})\r?$", out, re.M).group(1))


def der_element(der, pos):
    """(tag, content start, content end) of the DER element at pos."""
    tag, n = der[pos], der[pos + 1]
    pos += 2
    if n & 0x80:
        octets = n & 0x7F
        n = int.from_bytes(der[pos:pos + octets], "big")
        pos += octets
    return tag, pos, pos + n


def serial_octets(der):
    """The serial's content octets, read from the DER without a library."""
    _, start, _ = der_element(der, 0)          # Certificate
    _, start, _ = der_element(der, start)      # TBSCertificate
    tag, start, end = der_element(der, start)  # [0] version
    if tag == 0xA0:
        tag, start, end = der_element(der, end)
    assert tag == 0x02, tag
    return der[start:end]


def check_serial(der):
    octets = serial_octets(der)
    assert octets[0] < 0x80 and len(octets) <= 20, octets.hex()  # RFC 5280 4.1.2.2
    if x509 is not None:
        assert x509.load_der_x509_certificate(der).serial_number > 0
    return octets


def test_twenty_four_serials_are_positive():
    # One certificate, then 23 renewals (the same serial code, without 23
    # RSA keys to make): before, about half were negative, so 24 positive
    # ones by chance would be one run in 16 million.
    ini = new_ini()
    rc, out, err = mtserver("cert", "--config", winpath(ini))
    assert rc == 0, (out, err)
    thumbs = [pins(out)[0]]
    for _ in range(23):
        rc, out, err = mtserver("cert", "--renew", "--config", winpath(ini))
        assert rc == 0, (out, err)
        thumbs.append(pins(out)[0])
    store = my_certificates()
    serials = {check_serial(store[thumb]) for thumb in thumbs}
    assert len(serials) == 24 and all(len(s) == 16 for s in serials), serials


test_twenty_four_serials_are_positive.timeout = 600  # 24 Wine starts on a busy machine


def test_days_sets_the_validity_and_a_bad_number_makes_nothing():
    ini = new_ini()
    before = my_count()
    rc, out, err = mtserver("cert", "--days", "0", "--config", winpath(ini))
    assert rc == 2 and "--days wants a whole number of days from 1 to 3650, not '0'" in err, err
    assert my_count() == before
    rc, out, err = mtserver("cert", "--days", "30", "--config", winpath(ini))
    assert rc == 0, (out, err)
    der = der_of(pins(out)[0])
    if x509 is not None:
        cert = x509.load_der_x509_certificate(der)
        assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 30
    until = re.search(r"valid until (\d{4}-\d\d-\d\d)", out).group(1)
    days = (datetime.date.fromisoformat(until) - datetime.datetime.utcnow().date()).days
    assert 29 <= days <= 31, out


def test_cert_makes_nothing_the_configuration_cannot_name():
    # A folder that is not there (exit 5) and a file that does not parse
    # (exit 1): before, both came after the key and the certificate were
    # made, and left them in the store.
    missing = os.path.join(tempfile.mkdtemp(prefix="mts-renew-"), "gone", "mtserver.ini")
    bad = new_ini("[mtserver\r\n")
    before, keys = my_count(), tlskit.key_containers()
    for ini, code, why in ((missing, 5, "its folder does not exist"),
                           (bad, 1, "section header without its closing ']'")):
        rc, out, err = mtserver("cert", "--config", winpath(ini))
        assert rc == code and why in err and "nothing was made" in err, (rc, out, err)
        assert my_count() == before, (ini, err)
        assert tlskit.key_containers() == keys, (ini, err)
    with open(bad, newline="") as f:
        assert f.read() == "[mtserver\r\n"


def test_renew_keeps_the_key_and_names_the_new_certificate():
    ini = new_ini()
    rc, out, err = mtserver("cert", "--config", winpath(ini))
    assert rc == 0, (out, err)
    thumb, fingerprint, pin = pins(out)
    keys, count = tlskit.key_containers(), my_count()
    rc, out, err = mtserver("cert", "--renew", "--config", winpath(ini))
    assert rc == 0, (out, err)
    new_thumb, new_fingerprint, new_pin = pins(out)
    assert new_pin == pin and new_thumb != thumb and new_fingerprint != fingerprint, out
    assert "renewed certificate %s with the same key" % thumb in out, out
    assert "the key's pin: stays when mtserver cert --renew" in out, out
    assert my_count() == count + 1 and tlskit.key_containers() == keys
    with open(ini, newline="") as f:
        assert f.read() == "[mtserver]\r\ntls_certificate = %s\r\n" % new_thumb
    if x509 is not None:
        old, new = (x509.load_der_x509_certificate(der_of(t)) for t in (thumb, new_thumb))
        assert old.subject == new.subject and list(old.extensions) == list(new.extensions)
        assert old.public_key() == new.public_key()


def test_renew_without_a_thumbprint_to_renew_says_so():
    before = my_count()
    for text, why in (("[mtserver]\r\n", "sets no tls_certificate"),
                      ("[mtserver]\r\ntls_certificate = C:\\x.pfx\r\n",
                       "a PFX file is renewed where it was issued"),
                      ("[mtserver]\r\ntls_certificate = %s\r\n" % ("AB" * 20),
                       "no certificate with thumbprint " + "AB" * 20)):
        rc, out, err = mtserver("cert", "--renew", "--config", winpath(new_ini(text)))
        assert rc == 1 and why in err, (text, rc, out, err)
    assert my_count() == before


def test_key_pin_survives_renew_and_restart_and_the_old_fingerprint_not():
    ini = new_ini()
    rc, out, err = mtserver("cert", "--config", winpath(ini))
    assert rc == 0, (out, err)
    _, fingerprint, pin = pins(out)
    root = harness.temp_root()
    with open(os.path.join(root, "a.txt"), "wb") as f:
        f.write(b"pinned\r\n")
    args = ["--tls-port", "0", "--config", winpath(ini)]
    with harness.Server(root=root, ports=("plain", "tls"), args=args) as srv:
        for check in ("SHA256:" + fingerprint, "SPKI-SHA256:" + pin):
            rc, out, _ = mtsclient(["-p", str(srv.tls_port), "--fingerprint", check, "a.txt"])
            assert rc == 0, (check, out)
    rc, out, err = mtserver("cert", "--renew", "--config", winpath(ini))
    assert rc == 0, (out, err)
    _, new_fingerprint, new_pin = pins(out)
    assert new_pin == pin
    with harness.Server(root=root, ports=("plain", "tls"), args=args) as srv:
        rc, out, into = mtsclient(["-p", str(srv.tls_port), "--fingerprint",
                                   "SPKI-SHA256:" + pin, "a.txt"])
        assert rc == 0, out
        with open(os.path.join(into, "a.txt"), "rb") as f:
            assert f.read() == b"pinned\r\n"
        rc, out, into = mtsclient(["-p", str(srv.tls_port), "--fingerprint",
                                   "SHA256:" + fingerprint, "a.txt"])
        assert rc == 2 and "is SHA256:%s, not the pinned SHA256:%s" % (
            new_fingerprint, fingerprint) in out, out
        assert os.listdir(into) == []


tlskit.needs_server_side_schannel(
    globals(), "test_key_pin_survives_renew_and_restart_and_the_old_fingerprint_not")
