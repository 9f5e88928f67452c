"""The download rate limit on the TLS port (issue 23; docs/ADMIN.md,
"Download rate limit"): the sealed records of a file go out in the same
paced slices as TransmitFile's on the plain port. Needs server-side
Schannel (Wine 9 and later, Windows)."""
import os
import time

import tlskit
from tlskit import TlsConn, tls_server

MIB = 1 << 20


def test_a_paced_tls_download_keeps_the_rate_and_every_byte():
    data = os.urandom(2 * MIB)
    with tls_server(args=["--rate-limit", str(MIB)]) as srv:
        with open(os.path.join(srv.root, "two.bin"), "wb") as f:
            f.write(data)
        c = TlsConn(srv.tls_port, timeout=30).login()
        began = time.monotonic()
        c.send("REST 1\r\n")
        c.expect("#Restarting at 1.")
        c.send("GET two.bin\r\n")
        c.expect("#Sending %d bytes." % (len(data) - 1))
        assert c.exact(len(data) - 1) == data[1:]
        c.expect("#File two.bin sent successfully.")
        took = time.monotonic() - began
        # 1.9 s by the schedule; generous both ways, but never unpaced speed.
        assert 1.2 <= took <= 6.0, took
        assert " ok" in srv.wait_log('GET "two.bin" %d' % (len(data) - 1))


tlskit.needs_server_side_schannel(globals())
