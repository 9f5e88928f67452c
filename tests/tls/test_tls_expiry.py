"""Expiry warnings (issue 20 item 7): 30, 7 and 1 day before a serving
certificate expires, each once, in the access log (and the Event Log, which
Wine does not keep); the stage is looked at when the TLS port opens and
hourly (the console's R: now)."""
import datetime
import os
import tempfile

import tlskit
from tlskit import PFX_PASSWORD, certs, openssl


def soon_pfx(days):
    """A PFX with the server's key and a test-CA certificate that ends in
    `days` days (and began yesterday)."""
    c = certs()
    d = tempfile.mkdtemp(prefix="mts-soon-")
    p = lambda name: os.path.join(d, name)  # noqa: E731
    open(p("index.txt"), "w").close()
    with open(p("ca.cnf"), "w") as f:
        f.write("[ca]\ndefault_ca = test\n[test]\ndatabase = %s\nnew_certs_dir = %s\n"
                "serial = %s\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
                "[any]\ncommonName = supplied\n" % (p("index.txt"), d, p("ca.srl")))
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = lambda t: t.strftime("%Y%m%d%H%M%SZ")  # noqa: E731
    openssl("ca", "-batch", "-create_serial", "-config", p("ca.cnf"), "-cert", c.ca_cert,
            "-keyfile", c.ca_key, "-in", c.csr, "-out", p("soon.pem"), "-notext",
            "-startdate", stamp(now - datetime.timedelta(days=1)),
            "-enddate", stamp(now + datetime.timedelta(days=days)),
            "-extfile", os.path.join(c.dir, "ext.cnf"))
    openssl("pkcs12", "-export", "-in", p("soon.pem"), "-inkey", c.key, "-out", p("soon.pfx"),
            "-passout", "pass:" + PFX_PASSWORD)
    return p("soon.pfx")


def test_a_certificate_five_days_from_expiry_is_warned_of_once():
    pfx = soon_pfx(5)
    with tlskit.Server(ports=("plain", "tls"),
                       args=["--tls-port", "0", "--config",
                             tlskit.winpath(certs().config(pfx=pfx))]) as srv:
        # The first look is made as the port opens; R's answer comes after it.
        srv.proc.stdin.write(b"R")
        srv.proc.stdin.flush()
        srv.wait_log("tls: looked at the certificate again: ")
        lines = [l for l in srv.banner + srv.log if " expires on " in l]
        assert len(lines) == 1, srv.banner + srv.log
        assert "in 5 day(s): renew it (ADMIN.md, Renewing a certificate)" in lines[0], lines
        assert " expires on %s" % (datetime.datetime.now(datetime.timezone.utc)
                                   + datetime.timedelta(days=5)).strftime("%Y-%m-%d") \
            in lines[0], lines


tlskit.needs_server_side_schannel(globals())
