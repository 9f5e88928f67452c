"""The TLS port as an outside scanner sees it (issue 20, "Tests from
outside"): nmap's ssl-enum-ciphers script, which tries every protocol
version and cipher suite it knows in turn, against the server on loopback.

What is asserted is what the server guarantees on every platform: TLS 1.2
(and TLS 1.3 where Schannel has it; Wine has none), never SSL 3.0, TLS 1.0
or 1.1 (the server asks Schannel for 1.2 and later, and refuses an older
handshake even when Schannel ignores that: transport_tls.c); no NULL,
anonymous, export, RC4, DES or 3DES suite (SCH_USE_STRONG_CRYPTO); no
compression. Which of the strong suites are offered is the platform's
policy and is not asserted here.

nmap is a required tool, like openssl and netcat: make deps installs it
(in the Wine 10 root too), and a run without it fails rather than skips."""
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import tlskit
from tlskit import tls_server

WEAK = ("NULL", "anon", "EXPORT", "RC4", "DES", "MD5")  # DES matches 3DES (_3DES_EDE_) too


def _scan(port):
    """Runs ssl-enum-ciphers on the port; returns {version: element}."""
    assert shutil.which("nmap"), "nmap is not installed: make deps installs it (tests/deps, " \
        "and tests/wine10/make-root for the Wine 10 root)"
    # -sT: a plain connect() scan, no raw sockets; -Pn -n: no discovery, no DNS.
    proc = subprocess.run(["nmap", "-sT", "-Pn", "-n", "-p", str(port), "--script",
                           "ssl-enum-ciphers", "-oX", "-", "127.0.0.1"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    doc = ET.fromstring(proc.stdout)
    script = doc.find(".//port[@portid='%d']/script[@id='ssl-enum-ciphers']" % port)
    assert script is not None, proc.stdout.decode("utf-8", "replace")[-2000:]
    return {t.get("key"): t for t in script.findall("table")}


def test_nmap_ssl_enum_ciphers_finds_tls_1_2_only_and_no_weak_suite():
    with tls_server() as srv:
        began = time.time()
        versions = _scan(srv.tls_port)
        took = time.time() - began
        # The server took every probe in its stride and still serves.
        tlskit.tls_still_answers(srv)
    assert "TLSv1.2" in versions, sorted(versions)
    assert set(versions) <= {"TLSv1.2", "TLSv1.3"}, sorted(versions)
    if tlskit.wine_major() is not None:
        assert set(versions) == {"TLSv1.2"}, sorted(versions)  # no TLS 1.3 in Wine
    for version, table in versions.items():
        names = [e.text for e in table.findall("./table[@key='ciphers']/table/elem[@key='name']")]
        assert names, (version, ET.tostring(table)[:500])
        weak = [n for n in names if any(w in n for w in WEAK)]
        assert not weak, (version, weak)
        compressors = [e.text for e in table.findall("./table[@key='compressors']/elem")]
        assert compressors in ([], ["NULL"]), (version, compressors)
    print("nmap ssl-enum-ciphers took %.1f s; %s" % (
        took, ", ".join("%s: %d suites" % (v, len(t.findall("./table[@key='ciphers']/table")))
                        for v, t in sorted(versions.items()))))


tlskit.needs_server_side_schannel(globals())
