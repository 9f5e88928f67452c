"""What the configuration-file tests share: a temporary folder holding an
mtserver.ini, mtserver run as a command, a login, and a password_hash made
by Python's hashlib (a second implementation the server must agree with).

    with ConfigFolder() as f:
        f.write("[mtserver]\\r\\n")
        rc, out, err = mtserver("passwd", "--config", winpath(f.config), stdin=b"pw\\n")
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import tempfile

from harness import RUN, exe


class ConfigFolder:
    """A fresh folder with the path of its mtserver.ini; removed on close."""

    def __init__(self, prefix="mts-cfg-"):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.config = os.path.join(self.dir, "mtserver.ini")

    def write(self, text, path=None):
        """Writes mtserver.ini, or another file (path) byte for byte."""
        with open(path or self.config, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def read(self, path=None):
        with open(path or self.config, encoding="utf-8", newline="") as f:
            return f.read()

    def close(self):
        shutil.rmtree(self.dir, True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


TEMPLATE = os.path.join(os.path.dirname(__file__), "..", "..", "installer", "mtserver.ini")


def first_configuration(folder, given=()):
    """The text of the first configuration `install` or `prepare` writes in
    folder (a Windows path): the one template, installer/mtserver.ini, with
    CRLF line endings, root and log_file in folder, and each (example line,
    setting) pair of given in the example's place."""
    with open(TEMPLATE, encoding="utf-8", newline="") as f:
        text = f.read()
    for example, setting in given:
        assert example + "\n" in text, example
        text = text.replace(example + "\n", setting + "\n", 1)
    text = re.sub(r"(?m)^root = .*$", lambda m: "root = %s\\files" % folder, text)
    text = re.sub(r"(?m)^log_file = .*$",
                  lambda m: "log_file = %s\\logs\\access.log" % folder, text)
    return text.replace("\n", "\r\n")


def mtserver(*args, stdin=b"", env_password=None):
    """Runs mtserver.exe with MTS_PASSWORD only when given; returns (exit
    code, stdout, stderr) as text."""
    env = dict(os.environ)
    env.pop("MTS_PASSWORD", None)
    if env_password is not None:
        env["MTS_PASSWORD"] = env_password
    proc = subprocess.run(RUN + [exe("mtserver.exe")] + list(args), input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def login(srv, password):
    """Connects, sends AUTH; returns the connection and the reply line."""
    c = srv.connect()
    c.expect("#Server Ready.")
    c.send("AUTH %s\r\n" % password)
    return c, c.line()


def python_hash(password, iterations=100000):
    """password_hash in the format of docs/ADMIN.md, made by hashlib."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = lambda b: base64.b64encode(b).decode().rstrip("=")
    return "pbkdf2-sha256$%d$%s$%s" % (iterations, b64(salt), b64(key))
