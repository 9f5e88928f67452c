"""TLS beside plain, one server, one run: download rate of one large file
and the rate of sessions one after another (connect, TLS handshake,
greeting, QUIT), for the figures in bench/RESULTS.md. Run under the Wine
that can serve TLS, from the checkout:

    WINEPREFIX=$PWD/build/wineprefix-wine10 tests/wine10/enter python3 bench/tls/tlsbench.py [BYTES]

The client is Python (socket, ssl) in the same machine: its own cost is in
the figures, the same for both columns except TLS's client half."""
import os, socket, ssl, subprocess, sys, time, re
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "lib"))
os.environ.setdefault("MTS_RUN", "wine")
import harness, tlskit
size = int(sys.argv[1]) if len(sys.argv) > 1 else 256 << 20
root = harness.temp_root()
with open(os.path.join(root, "big.bin"), "wb") as f:
    f.write(os.urandom(1 << 20) * (size >> 20))
def get(sock_factory, port):
    s = sock_factory(port)
    f = s.makefile("rb")
    def line():
        return f.readline().rstrip(b"\r\n")
    assert line() == b"#Server Ready."
    s.sendall(b"AUTH %s\r\n" % harness.PASSWORD.encode()); assert line() == b"#You are logged in."
    t = time.time()
    s.sendall(b"GET big.bin\r\n"); n = int(re.match(rb"#Sending (\d+)", line()).group(1))
    left = n
    while left:
        b = f.read(min(left, 1 << 20)); left -= len(b)
    dt = time.time() - t
    s.close()
    return n / dt / 1e6
def plain(port): return socket.create_connection(("127.0.0.1", port))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def tls(port): return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
def sessions(factory, port, n=200):
    t = time.time()
    for _ in range(n):
        s = factory(port); f = s.makefile("rb"); f.readline()
        s.sendall(b"QUIT\r\n"); f.read(); s.close()
    return n / (time.time() - t)
with tlskit.tls_server(root=root, args=["--max-per-address", "0", "--plain-logins", "1"]) as srv:
    print("wine", subprocess.run(["wine", "--version"], stdout=subprocess.PIPE).stdout.decode().strip())
    for i in range(2):
        print("download %d MiB plain %.0f MB/s, TLS %.0f MB/s" % (size >> 20, get(plain, srv.port), get(tls, srv.tls_port)))
    print("sessions/s (connect, handshake, greeting, QUIT; one at a time) plain %.0f, TLS %.0f" % (sessions(plain, srv.port), sessions(tls, srv.tls_port)))
