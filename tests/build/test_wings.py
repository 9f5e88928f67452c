"""The server is housed in wings by lifetime (docs/ARCHITECTURE.md, "The
wings"), and which wing may include which is a rule this test holds, as
test_vcxproj_sync holds the source lists:

  server/                 the process (main, console, service, host): may
                          include every wing, since it starts them
  server/admin/           the one-shot commands: admin/, shared/, common/ and
                          of the process only its interface (WINGS_ADMIN_MAY)
  server/serve/           the running server: serve/, its transport/,
                          shared/ and common/; never admin/ nor the process
  server/serve/transport/ the transports under the seam: transport/,
                          shared/, common/ and the auth gate (a TLS handshake
                          waits its turn there)
  server/shared/          what more than one wing uses: shared/ and common/

A quoted include is found as the compiler finds it: beside the file, then in
the server's folders (the Makefile's SERVER_DIRS), then common/ and
common/win/."""
import glob
import os
import re
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Searched in this order after the including file's own folder.
SEARCH = ["server", "server/shared", "server/serve", "server/serve/transport", "server/admin",
          "common", "common/win"]

WING_OF_FOLDER = {
    "server": "process",
    "server/admin": "admin",
    "server/serve": "serve",
    "server/serve/transport": "transport",
    "server/shared": "shared",
    "common": "common",
    "common/win": "common",
}

# What each wing may include: wings, and single headers of other wings.
MAY = {
    "process": {"process", "admin", "serve", "transport", "shared", "common"},
    "admin": {"admin", "shared", "common", "server/host.h", "server/service.h"},
    "serve": {"serve", "transport", "shared", "common"},
    "transport": {"transport", "shared", "common", "server/serve/authgate.h"},
    "shared": {"shared", "common"},
}
WINGS_ADMIN_MAY = sorted(h for h in MAY["admin"] if h.endswith(".h"))


def server_files(root=ROOT):
    return sorted(os.path.relpath(p, root)
                  for p in glob.glob(os.path.join(root, "server", "**", "*.[ch]"), recursive=True))


def resolve(root, including, name):
    for folder in [os.path.dirname(including)] + SEARCH:
        path = os.path.normpath(os.path.join(folder, name))
        if os.path.exists(os.path.join(root, path)):
            return path
    return None


def breaches(root=ROOT, files=None):
    found = []
    for path in files if files is not None else server_files(root):
        folder = os.path.dirname(path)
        wing = WING_OF_FOLDER.get(folder)
        if wing is None or wing == "common":
            found.append("%s: in no wing (a folder the rule does not know)" % path)
            continue
        text = open(os.path.join(root, path), encoding="utf-8").read()
        for name in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            header = resolve(root, path, name)
            if header is None:
                continue  # made by the build (messages.h) or not ours
            theirs = WING_OF_FOLDER.get(os.path.dirname(header))
            if theirs in MAY[wing] or header in MAY[wing]:
                continue
            found.append("%s (%s) includes %s (%s)" % (path, wing, header, theirs))
    return found


def test_every_server_file_keeps_to_its_wings_includes():
    problems = breaches()
    assert not problems, "\n".join(problems)


def test_every_wing_has_files():
    wings = {WING_OF_FOLDER[os.path.dirname(p)] for p in server_files()
             if os.path.dirname(p) in WING_OF_FOLDER}
    assert wings == set(MAY), wings


def test_check_sees_a_breach_and_a_stray_folder():
    # A copy of three files in a scratch tree: serve including admin, admin
    # including a process file outside its interface, and a file in a
    # folder that is no wing.
    with tempfile.TemporaryDirectory() as root:
        def put(path, text):
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        put("server/admin/tool.h", "")
        put("server/console.h", "")
        put("server/host.h", "")
        put("server/serve/conn.c", '#include "tool.h"\n')
        put("server/admin/cmd.c", '#include "console.h"\n#include "host.h"\n')
        put("server/odd/x.c", "")
        problems = breaches(root)
    assert problems == [
        "server/admin/cmd.c (admin) includes server/console.h (process)",
        "server/odd/x.c: in no wing (a folder the rule does not know)",
        "server/serve/conn.c (serve) includes server/admin/tool.h (admin)",
    ], problems
