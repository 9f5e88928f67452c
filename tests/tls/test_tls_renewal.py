"""Certificates that survive renewal (issue 20 items 4-6): tls_certificate =
subject:NAME serves the newest valid certificate for NAME, and a thumbprint
follows its renewal chain (CERT_RENEWAL_PROP_ID); the choice is made again
hourly and on the console's R (the same look, made now), with the slot
reload: new connections get the new certificate, running ones keep theirs.
No configuration file is edited: `mtserver cert` writes its thumbprint into
a file of its own, which the server never reads."""
import hashlib
import os
import re
import subprocess
import tempfile
import time

import harness
import tlskit
from harness import winpath
from tlskit import TlsConn


def new_cert():
    """A certificate for this host (DNS:localhost among its names) from
    `mtserver cert`, into the store; its thumbprint."""
    ini = os.path.join(tempfile.mkdtemp(prefix="mts-renew-"), "cert.ini")
    with open(ini, "w", newline="") as f:
        f.write("[mtserver]\r\n")
    proc = subprocess.run(harness.RUN + [harness.exe("mtserver.exe"), "cert", "--config",
                                         winpath(ini)],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, (out, proc.stderr)
    return re.search(r"thumbprint ([0-9A-F]{40}) written to", out).group(1)


def served(srv):
    c = TlsConn(srv.tls_port, verify=False)
    return c, hashlib.sha1(c.sock.getpeercert(True)).hexdigest().upper()


def start_line(srv, needle):
    """The start's log line with needle in it."""
    lines = srv.start_lines(needle)
    assert len(lines) == 1, (needle, srv.banner + srv.log)
    return lines[0]


def press_r(srv):
    srv.proc.stdin.write(b"R")
    srv.proc.stdin.flush()


def test_subject_picks_up_a_renewal_by_mtserver_cert_without_an_edit():
    # Validity is written to the second (below): a localhost certificate
    # that an earlier test of this worker made in its prefix's store within
    # the second before `first` was as new, and was chosen instead (a CI
    # run, Wine 10 leg). Waiting a second first makes `first` the newest.
    time.sleep(1.1)
    first = new_cert()
    # A certificate's validity is written to the second (X.509 UTCTime):
    # two made within one second are equally new, and the look keeps the
    # one it found first. The renewal below must come at least a second
    # later to be the newer (the test failed now and then with "still
    # serves" when the second was made within the first's second).
    renewal_from = time.time() + 1.1
    with harness.Server(ports=("plain", "tls"),
                        args=["--tls-port", "0", "--tls-certificate", "subject:localhost"]) as srv:
        start_line(srv, "tls: subject:localhost chose %s, the newest valid one in " % first)
        old_conn, thumb = served(srv)
        assert thumb == first
        old_conn.login()
        # Nothing new: the look changes nothing, and says so when asked.
        press_r(srv)
        srv.wait_log("tls: looked at the certificate again: %s still serves" % first)
        time.sleep(max(0.0, renewal_from - time.time()))
        second = new_cert()
        press_r(srv)
        srv.wait_log("certificate %s replaces %s for new connections" % (second, first))
        line = srv.wait_log("replaces %s" % first)
        assert line.count(" replaces ") == 1, srv.log[-5:]
        assert "(subject:localhost chose %s" % second in line, line
        new_conn, thumb = served(srv)
        assert thumb == second
        new_conn.login()
        # The session from before keeps its certificate and still works.
        old_conn.send(b"HELP\r\n")
        assert old_conn.line().startswith("#"), "the old session stopped answering"


def test_subject_without_a_certificate_for_the_name_stops_the_start():
    proc = subprocess.run(harness.RUN + [harness.exe("mtserver.exe"), "console", "--port", "0",
                                         "--tls-port", "0", "--bind", "127.0.0.1", "--root",
                                         winpath(harness.temp_root()), "--tls-certificate",
                                         "subject:nothing-here.invalid"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120,
                          env=dict(os.environ, MTS_PASSWORD=harness.PASSWORD))
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, (proc.returncode, err)
    assert ("tls_certificate: subject:nothing-here.invalid: no certificate in LocalMachine\\My "
            "or CurrentUser\\My can serve it now: no certificate names it") in err, err


def test_a_thumbprint_follows_its_renewal_chain():
    """Where the store keeps CERT_RENEWAL_PROP_ID (Windows) the server
    follows it; Wine 10 takes the property and drops it (docs/WINE.md): the
    server then keeps the thumbprint's own certificate, and says nothing."""
    first = new_cert()
    with harness.Server(ports=("plain", "tls"),
                        args=["--tls-port", "0", "--tls-certificate", first]) as srv:
        assert served(srv)[1] == first
        second = new_cert()
        rc = subprocess.run(harness.RUN + [harness.exe("rootstore.exe"), "renew", first, second],
                            timeout=60).returncode
        assert rc in (0, 3), rc
        press_r(srv)
        if rc == 3:
            srv.wait_log("tls: looked at the certificate again: %s still serves" % first)
            assert not any(" replaces " in l for l in srv.log), srv.log[-5:]
            assert served(srv)[1] == first
            return
        line = srv.wait_log("certificate %s replaces %s" % (second, first))
        assert "thumbprint %s was renewed: following its renewal to %s" % (first, second) \
            in line, line
        assert served(srv)[1] == second


tlskit.needs_server_side_schannel(globals())
