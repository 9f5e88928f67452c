"""Accounts on the TLS port (issue 23): a removed account's download in
flight ends within 5 s there too, however slowly its client reads (the
wait to send each batch of sealed records watches the account's end, as
TransmitFile's does on the plain port). Needs server-side Schannel (Wine 9
and later, Windows)."""
import os
import time

import tlskit
from configdir import ConfigFolder, python_hash
from harness import Server, read_until_closed, temp_root, winpath
from tlskit import TlsConn


def write_store(folder, accounts):
    """accounts.ini beside the configuration: (name, password, root) each."""
    text = "".join("[account %s]\r\npassword_hash = %s\r\nroot = %s\r\n\r\n"
                   % (name, python_hash(password), winpath(root))
                   for name, password, root in accounts)
    tmp = os.path.join(folder.dir, "accounts.ini.new")
    folder.write(text, tmp)
    os.replace(tmp, os.path.join(folder.dir, "accounts.ini"))


def test_removal_ends_an_unpaced_tls_download_within_5_s():
    size = 512 << 20
    certs = tlskit.certs()
    with ConfigFolder(prefix="mts-tls-acct-") as folder:
        a, b = temp_root(), temp_root()
        with open(os.path.join(a, "huge.bin"), "wb") as f:
            f.truncate(size)  # sparse: made at once
        folder.write("[mtserver]\r\ntls_certificate = %s\r\ntls_pfx_password = %s\r\n"
                     % (winpath(certs.pfx), tlskit.PFX_PASSWORD))
        write_store(folder, [("alice", "apw", a), ("bob", "bpw", b)])
        with Server(args=["--tls-port", "0", "--config", winpath(folder.config)], password=None,
                    ports=("plain", "tls")) as srv:
            c = TlsConn(srv.tls_port, timeout=10)
            c.expect("#Server Ready.")
            c.send("USER alice\r\n")
            c.expect("#User accepted; send AUTH <password>.")
            c.send("AUTH apw\r\n")
            c.expect("#You are logged in.")
            c.send("GET huge.bin\r\n")
            c.expect("#Sending %d bytes." % size)
            began = time.time()
            write_store(folder, [("bob", "bpw", b)])
            # A slow reader: the file would take 40 s or more. A cut
            # record or a reset ends the read as the close does.
            got = read_until_closed(c.sock, pause=0.005)[1]
            took = time.time() - began
            print("the TLS download ended %.2f s after the removal, %d bytes in" % (took, got))
            assert took < 5, "the download went on %.1f s after the removal" % took
            assert got < size, got
            assert "account-ended" in srv.wait_log('GET "huge.bin"')


tlskit.needs_server_side_schannel(globals())
