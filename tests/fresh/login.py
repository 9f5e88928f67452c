#!/usr/bin/env python3
"""Logs in to a running mtserver as the README's session does: waits for the
greeting, sends AUTH with the password, expects the logged-in line.

    tests/fresh/login.py PORT PASSWORD [SECONDS]

Exit 0 when both lines came; otherwise one line on stderr says what came
instead. Tries to connect until SECONDS (default 60) have passed, since the
server may print its password a moment before it answers."""
import socket
import sys
import time


def read_line(sock, deadline):
    data = b""
    while not data.endswith(b"\n"):
        sock.settimeout(max(0.1, deadline - time.time()))
        part = sock.recv(1)
        if not part:
            break
        data += part
    return data.decode("utf-8", "replace").rstrip("\r\n")


def main():
    port, password = int(sys.argv[1]), sys.argv[2]
    deadline = time.time() + (float(sys.argv[3]) if len(sys.argv) > 3 else 60)
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except OSError as why:
            if time.time() > deadline:
                print("login.py: cannot connect to 127.0.0.1:%d: %s" % (port, why), file=sys.stderr)
                return 1
            time.sleep(0.5)
    try:
        greeting = read_line(sock, deadline)
        if greeting != "#Server Ready.":
            print("login.py: the greeting was %r, not '#Server Ready.'" % greeting, file=sys.stderr)
            return 1
        sock.sendall(("AUTH %s\r\n" % password).encode())
        answer = read_line(sock, deadline)
        if answer != "#You are logged in.":
            print("login.py: AUTH answered %r, not '#You are logged in.'" % answer, file=sys.stderr)
            return 1
        sock.sendall(b"QUIT\r\n")
        print("%s / AUTH: %s" % (greeting, answer))
        return 0
    except OSError as why:
        print("login.py: %s" % why, file=sys.stderr)
        return 1
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
