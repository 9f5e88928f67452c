"""What the TLS tests share: certificates made with the openssl command (a
test CA, a server certificate it issued for localhost and 127.0.0.1, both as
PEM and the server's as a PFX file), TLS clients nobody here wrote (Python's
ssl module, openssl s_client), and the one fact that decides which tests run.

Server-side Schannel: Wine 8 has none (AcceptSecurityContext returns
SEC_E_UNSUPPORTED_FUNCTION); Wine 9 and later have it. The server tests run
where `wine --version` says 9 or later, or on Windows (no runner); where it
says 8, test_tls_start::test_start_fails_clearly_without_server_side_schannel
runs instead and shows the server refusing to start (docs/WINE.md).
"""
import functools
import os
import re
import socket
import ssl
import subprocess
import tempfile
import unittest

import harness
from harness import PASSWORD, Server, winpath

PFX_PASSWORD = "pfx pass"
_certs = None


def wine_major():
    """The major version of the Wine that runs the programs; None on Windows."""
    if harness.RUN[:1] != ["wine"]:
        return None
    out = subprocess.run(["wine", "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, timeout=60).stdout.decode()
    m = re.search(r"wine-(\d+)", out)
    assert m, "cannot tell the Wine version from %r" % out
    return int(m.group(1))


_major = wine_major()
SERVER_SIDE_SCHANNEL = _major is None or _major >= 9


def _skip(scope, names, skip, why):
    """Wraps the named tests of a module (all of them when none are named)
    so that they raise SkipTest where skip holds: the runner then counts
    and names them, where removing them would hide them."""
    for name in names or [n for n in scope if n.startswith("test_")]:
        fn = scope[name]

        def test(fn=fn):
            if skip:
                raise unittest.SkipTest(why)
            return fn()
        scope[name] = functools.wraps(fn)(test)


def needs_server_side_schannel(scope, *names):
    """The named tests need a Schannel that can serve (not Wine 8)."""
    _skip(scope, names, not SERVER_SIDE_SCHANNEL,
          "Wine %s has no server-side Schannel (docs/WINE.md)" % _major)


def needs_no_server_side_schannel(scope, *names):
    """The named tests show what happens where Schannel cannot serve."""
    _skip(scope, names, SERVER_SIDE_SCHANNEL,
          "this system's Schannel can serve; the test shows what happens where it cannot")


def openssl(*args, stdin=None):
    return subprocess.run(["openssl"] + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120, check=True).stdout


class Certs:
    """A test CA and a server certificate it issued, in a fresh folder."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="mts-tls-")
        p = lambda name: os.path.join(self.dir, name)  # noqa: E731
        self.ca_key, self.ca_cert = p("ca.key"), p("ca.pem")
        self.key, self.csr, self.cert, self.pfx = p("srv.key"), p("srv.csr"), p("srv.pem"), p(
            "srv.pfx")
        with open(p("ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1\n"
                    "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n")
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.ca_key,
                "-out", self.ca_cert, "-days", "30", "-subj", "/CN=mtserver test CA")
        rsa_key_wine_can_load(self.key)
        openssl("req", "-new", "-key", self.key, "-out", self.csr, "-subj", "/CN=localhost")
        openssl("x509", "-req", "-in", self.csr, "-CA", self.ca_cert, "-CAkey", self.ca_key,
                "-CAcreateserial", "-out", self.cert, "-days", "30", "-extfile", p("ext.cnf"))
        openssl("pkcs12", "-export", "-in", self.cert, "-inkey", self.key, "-out", self.pfx,
                "-passout", "pass:" + PFX_PASSWORD)
        der = openssl("x509", "-in", self.cert, "-outform", "DER")
        import hashlib
        self.sha1 = hashlib.sha1(der).hexdigest().upper()
        self.sha256 = hashlib.sha256(der).hexdigest().upper()

    def config(self, extra="", pfx=None):
        """An INI file naming the PFX file (this one's, or pfx) and its password."""
        path = os.path.join(self.dir, "tls-%d.ini" % len(os.listdir(self.dir)))
        with open(path, "w") as f:
            f.write("[mtserver]\ntls_certificate = %s\ntls_pfx_password = %s\n%s"
                    % (winpath(pfx or self.pfx), PFX_PASSWORD, extra))
        return path

    def expired_pfx(self):
        """A PFX with the server's key and a certificate from the test CA
        that was valid in January 2020 only (openssl ca sets the dates)."""
        p = lambda name: os.path.join(self.dir, name)  # noqa: E731
        if not os.path.exists(p("expired.pfx")):
            open(p("index.txt"), "w").close()
            with open(p("ca.cnf"), "w") as f:
                f.write("[ca]\ndefault_ca = test\n[test]\ndatabase = %s\nnew_certs_dir = %s\n"
                        "serial = %s\ndefault_md = sha256\npolicy = any\n"
                        "[any]\ncommonName = supplied\n"
                        % (p("index.txt"), self.dir, p("ca.srl")))
            openssl("ca", "-batch", "-config", p("ca.cnf"), "-cert", self.ca_cert, "-keyfile",
                    self.ca_key, "-in", self.csr, "-out", p("expired.pem"), "-notext",
                    "-startdate", "20200101000000Z", "-enddate", "20200201000000Z",
                    "-extfile", p("ext.cnf"))
            openssl("pkcs12", "-export", "-in", p("expired.pem"), "-inkey", self.key, "-out",
                    p("expired.pfx"), "-passout", "pass:" + PFX_PASSWORD)
        return p("expired.pfx")

    def keyless_pfx(self):
        """A PFX with the server's certificate and no private key."""
        path = os.path.join(self.dir, "keyless.pfx")
        if not os.path.exists(path):
            openssl("pkcs12", "-export", "-nokeys", "-in", self.cert, "-out", path,
                    "-passout", "pass:" + PFX_PASSWORD)
        return path


def _wine_can_load(key):
    """Whether Wine 10 can load the key (rsa_key_wine_can_load says what it
    cannot): each of d, dP, dQ and qInv, written as a signed big-endian
    number (a 0 byte before a top bit that is set), fills its whole field,
    the modulus's length for d and a prime's for the others. Read from
    openssl's text form of the key."""
    text = openssl("rsa", "-in", key, "-noout", "-text").decode()
    value = {}
    for name, body in re.findall(r"^(\w+):\n((?:    .*\n)+)", text, re.M):
        value[name] = bytes.fromhex(re.sub(r"[^0-9a-f]", "", body)).lstrip(b"\0")

    def signed_length(b):
        return len(b) + (1 if b and b[0] & 0x80 else 0)
    modulus, prime = len(value["modulus"]), len(value["prime1"])
    return (signed_length(value["privateExponent"]) >= modulus and
            all(signed_length(value[n]) >= prime
                for n in ("exponent1", "exponent2", "coefficient")))


def rsa_key_wine_can_load(path):
    """Writes an RSA 2048 key to path that Wine 10's Schannel can serve with.
    It cannot load a private key one of whose private numbers (d, dP, dQ,
    qInv) is shorter than its field even with a sign byte (a leading zero
    byte and the next top bit clear: about one key in 128):
    AcquireCredentialsHandle fails with SEC_E_INTERNAL_ERROR after GnuTLS's
    "The scanning of a large integer has failed" (docs/WINE.md has the
    reproduction). The tests draw such a key again, so that they show
    mtserver and not that defect."""
    for _ in range(20):
        openssl("genrsa", "-out", path, "2048")
        if _wine_can_load(path):
            return
    raise AssertionError("20 RSA keys in a row that Wine cannot load")


def certs():
    global _certs
    if _certs is None:
        _certs = Certs()
    return _certs


def tls_server(root=None, args=(), extra_config="", ports=("plain", "tls"), bind="127.0.0.1",
               env=None):
    """mtserver with the test certificate on a free TLS port; env: extra
    environment variables: MTS_FAULT_* ones run the build that reads them
    (harness.FAULTS_PROGRAM)."""
    c = certs()
    faults = any(k.startswith("MTS_FAULT_") for k in (env or {}))
    return Server(root=root, ports=ports, bind=bind, env=env,
                  program=harness.FAULTS_PROGRAM if faults else "mtserver.exe",
                  args=["--tls-port", "0", "--config", winpath(c.config(extra_config))]
                  + list(args))


def key_containers():
    """The CryptoAPI key containers of the Wine user (Wine's rsaenh keeps
    them under this registry key; Windows in files of the user's profile)."""
    proc = subprocess.run(harness.RUN + ["reg", "query", r"HKCU\Software\Wine\Crypto\RSA"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return {l.strip() for l in proc.stdout.decode("utf-8", "replace").splitlines()
            if "\\Crypto\\RSA\\" in l}


def client_context(verify=True):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify:
        ctx.load_verify_locations(certs().ca_cert)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class TlsConn(harness.Conn):
    """A protocol client over TLS (Python's ssl), as harness.Conn over TCP."""

    def __init__(self, port, host_name="localhost", verify=True, timeout=20, source=None,
                 rcvbuf=None):
        """source: the loopback address to connect from (the per-address
        limits count by it); rcvbuf: a small receive buffer, for a reader
        that is to stall the server soon."""
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if rcvbuf:
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            raw.settimeout(timeout)
            raw.bind((source or "127.0.0.1", 0))
            raw.connect(("127.0.0.1", port))
            self.sock = client_context(verify).wrap_socket(raw, server_hostname=host_name)
        except BaseException:
            raw.close()
            raise
        self.buf = b""

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except (ssl.SSLEOFError, ConnectionResetError):
            chunk = b""
        if not chunk:
            raise EOFError("connection closed; unread: %r" % self.buf[:200])
        self.buf += chunk


def tls_still_answers(srv, source="127.0.0.250"):
    """faultlib.still_answers over TLS: a full session from an address no
    fault used (pass as check_fault's answers)."""
    c = TlsConn(srv.tls_port, source=source).login()
    c.send("HELP\r\nQUIT\r\n")
    assert c.line().startswith("#Commands:")
    assert c.rest() == b""
    c.close()


def client_hello():
    """The bytes of a TLS ClientHello as Python's ssl would send it."""
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = client_context(verify=False).wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    data = out.read()
    assert data[:1] == b"\x16", data[:10]
    return data


def s_client(port, data, *args, timeout=30):
    """openssl s_client -quiet: sends data, returns (exit code, stdout, stderr)."""
    proc = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-quiet",
                           "-ign_eof"] + list(args),
                          input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


__all__ = ["PASSWORD", "PFX_PASSWORD", "SERVER_SIDE_SCHANNEL", "Certs", "certs", "tls_server",
           "key_containers", "TlsConn", "tls_still_answers", "client_hello", "s_client",
           "client_context", "Server", "winpath"]


def _listen_with_twin(host):
    """A listener on host and a free port, and the same port held on the
    other loopback without listening, so that a client of "localhost", which
    may try ::1 first, is refused there and comes to us, and never reaches
    another test's server that has the same port number on the other family
    (the likely cause of a CI run in which mtsclient, sent to "localhost",
    met a key that was neither the pinned one nor this server's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    other = (socket.AF_INET, "127.0.0.1") if ":" in host else (socket.AF_INET6, "::1")
    for _ in range(20):
        listener = socket.create_server((host, 0), family=family)
        twin = socket.socket(other[0], socket.SOCK_STREAM)
        try:
            twin.bind((other[1], listener.getsockname()[1]))
            return listener, twin
        except OSError:
            listener.close()
            twin.close()
    raise AssertionError("no loopback port free on both families in 20 tries")


class PyTlsServer:
    """A TLS server nobody here wrote (Python's ssl) that speaks enough of
    the protocol for mtsclient (greeting, AUTH, GET, QUIT), on a free
    loopback port, with the test certificate or another one. It records
    every byte it decrypted, so a test can tell that nothing was sent."""

    def __init__(self, files, cert=None, key=None, host="127.0.0.1"):
        """host: the loopback address to listen on ("::1" for IPv6). The
        server name each client hello asked for (None: no SNI) is kept in
        self.server_names."""
        import threading
        c = certs()
        self.files = files
        self.received = b""
        self.server_names = []
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert or c.cert, key or c.key)
        self.ctx.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
        self.listener, self.twin = _listen_with_twin(host)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            try:
                with self.ctx.wrap_socket(raw, server_side=True) as s:
                    self._session(s)
            except (OSError, ssl.SSLError):
                pass

    def _session(self, s):
        s.sendall(b"#Server Ready.\r\n")
        buf = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return
            self.received += chunk
            buf += chunk
            while b"\r\n" in buf:
                line, buf = buf.split(b"\r\n", 1)
                verb, _, arg = line.decode().partition(" ")
                if verb == "AUTH":
                    s.sendall(b"#You are logged in.\r\n" if arg == PASSWORD
                              else b"!Bad password.\r\n")
                elif verb == "GET" and arg in self.files:
                    data = self.files[arg]
                    s.sendall(b"#Sending %d bytes.\r\n" % len(data) + data +
                              b"#File %s sent successfully.\r\n" % arg.encode())
                elif verb == "QUIT":
                    return
                else:
                    s.sendall(b"!File %s could not be opened.\r\n" % arg.encode())

    def close(self):
        self.listener.close()
        self.twin.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def other_cert():
    """A certificate from the test CA for other.example only: (cert, key)."""
    c = certs()
    p = lambda name: os.path.join(c.dir, name)  # noqa: E731
    if not os.path.exists(p("other.pem")):
        with open(p("other.cnf"), "w") as f:
            f.write("subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("other.key"), "-out",
                p("other.csr"), "-subj", "/CN=other.example")
        openssl("x509", "-req", "-in", p("other.csr"), "-CA", c.ca_cert, "-CAkey", c.ca_key,
                "-CAcreateserial", "-out", p("other.pem"), "-days", "30", "-extfile",
                p("other.cnf"))
    return p("other.pem"), p("other.key")


def spki_sha256(pem):
    """The key pin of a PEM certificate: SHA-256 over its SubjectPublicKeyInfo
    (as openssl writes the public key in DER), upper-case hex."""
    import hashlib
    pub = openssl("x509", "-in", pem, "-pubkey", "-noout")
    return hashlib.sha256(openssl("pkey", "-pubin", "-outform", "DER", stdin=pub)).hexdigest().upper()


def reissued_cert():
    """The server certificate issued again by the test CA for the same key
    (a renewal that keeps the key): its PEM path."""
    c = certs()
    path = os.path.join(c.dir, "reissued.pem")
    if not os.path.exists(path):
        openssl("x509", "-req", "-in", c.csr, "-CA", c.ca_cert, "-CAkey", c.ca_key,
                "-CAcreateserial", "-out", path, "-days", "30", "-extfile",
                os.path.join(c.dir, "ext.cnf"))
    return path


def mtsclient(args, into=None, password=PASSWORD):
    """Runs mtsclient with the password (the test one unless given);
    returns (exit code, output, the folder it wrote into)."""
    into = into or harness.temp_root()
    proc = subprocess.run(harness.RUN + [harness.exe("mtsclient.exe"), "-o", winpath(into)]
                          + list(args),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=120,
                          env=dict(os.environ, MTS_PASSWORD=password))
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), into


class InStore:
    """A PEM certificate (no key) in a CurrentUser store of the Wine prefix
    while in the block (tests/tls/rootstore.c)."""

    def __init__(self, pem, store="Root"):
        self.pem, self.store = pem, store

    def __enter__(self):
        self.der = self.pem[:-4] + ".der"
        with open(self.der, "wb") as f:
            f.write(openssl("x509", "-in", self.pem, "-outform", "DER"))
        self._run("add")
        return self

    def _run(self, verb):
        proc = subprocess.run(harness.RUN + [harness.exe("rootstore.exe"), verb,
                                             winpath(self.der), self.store],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        assert proc.returncode == 0, proc.stdout

    def __exit__(self, *exc):
        self._run("remove")
        return False


def TrustedTestCa():  # noqa: N802 - used as a class
    """The test CA in CurrentUser\\Root while in the block."""
    return InStore(certs().ca_cert, "Root")
