"""Run by test_client_plain.py inside a network namespace of its own
(tests/lib/netns.py), where netns.ADDRESS is an address of this machine
that is not loopback. One case per run (the first argument); prints one
JSON line with what happened.

  refused [ENV=VALUE...]  mtsclient, no TLS, no --plain, against a listener
                          that greets like mtserver and writes down every
                          byte it gets: did anything connect, did the
                          password arrive?
  allowed ARG|ENV=VALUE.. the same against the real mtserver, with --plain
                          or MTS_PLAIN=1: is the file saved?
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

import harness
import netns

GREETING = b"#Server Ready.\r\n"


def listener():
    """A socket on ADDRESS that greets each connection and keeps what it
    sends; returns (port, record, stop)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((netns.ADDRESS, 0))
    sock.listen(8)
    sock.settimeout(0.2)
    record = {"connections": 0, "received": b""}
    done = threading.Event()

    def serve():
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except socket.timeout:
                continue
            record["connections"] += 1
            with conn:
                conn.settimeout(5)
                try:
                    conn.sendall(GREETING)
                    while True:
                        data = conn.recv(4096)
                        if not data:
                            break
                        record["received"] += data
                        if b"\n" in record["received"]:
                            break
                except OSError:
                    pass
        sock.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def stop():
        done.set()
        thread.join(10)
    return sock.getsockname()[1], record, stop


def client(args, port, out, extra_env):
    env = dict(os.environ, MTS_PASSWORD=harness.PASSWORD)
    env.pop("MTS_PLAIN", None)
    env.update(extra_env)
    cmd = harness.RUN + [harness.exe("mtsclient.exe"), "-s", netns.ADDRESS, "-p", str(port),
                         "-t", "10", "-o", harness.winpath(out)] + args
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def main():
    case, rest = sys.argv[1], sys.argv[2:]
    args = [a for a in rest if "=" not in a]
    extra_env = dict(a.split("=", 1) for a in rest if "=" in a)
    out = tempfile.mkdtemp(prefix="mts-out-")
    result = {"case": case}
    if case == "refused":
        port, record, stop = listener()
        try:
            code, stdout, stderr = client(args + ["a.txt"], port, out, extra_env)
        finally:
            stop()
        result.update(connections=record["connections"],
                      password_seen=harness.PASSWORD.encode() in record["received"],
                      received=record["received"].decode("utf-8", "replace"))
    else:
        root = harness.temp_root()
        with open(os.path.join(root, "a.txt"), "wb") as f:
            f.write(b"hello from the other address\r\n")
        with harness.Server(root, bind=netns.ADDRESS) as srv:
            code, stdout, stderr = client(args + ["a.txt"], srv.port, out, extra_env)
        result["saved"] = None
        if os.path.exists(os.path.join(out, "a.txt")):
            with open(os.path.join(out, "a.txt"), "rb") as f:
                result["saved"] = f.read().decode("utf-8", "replace")
    result.update(code=code, stdout=stdout, stderr=stderr, files=sorted(os.listdir(out)))
    print(json.dumps(result))


main()
