"""A setting is named in few product files (issue 22: the table, its user,
and at most one more), so that adding or changing one is a small edit.
Named means read or set as a field of the settings (struct server_options
or struct config, through a variable of that type, `settings` or `opts`),
tested with SETTING_BIT, or numbered with SETTING_ID_<field>;
common/setting.h's table is one of the three. Product files are the C files
of server/, common/ and client/. installer/mtserver.ini (the INI template,
which documents every key and is embedded in mtserver.exe as a resource)
and docs/ describe the settings rather than use them, and are not counted.

No setting has an exception: where several commands act on one (root,
log_file, tls_certificate, config), they ask the one file that knows it
(docs/ARCHITECTURE.md, "A new setting")."""
import glob
import os
import re
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TABLE = "common/setting.h"
MOST = 3  # the table, the user, one more


def settings(root=ROOT):
    return re.findall(r"^\s*X\((\w+),", open(os.path.join(root, TABLE)).read(), re.M)


def product_files(root=ROOT):
    found = []
    for pattern in ("server/**/*.[ch]", "common/**/*.[ch]", "client/*.[ch]"):
        found += glob.glob(os.path.join(root, pattern), recursive=True)
    return sorted(os.path.relpath(p, root) for p in found)


def spread(root=ROOT):
    """{setting: [files naming it]}, the table counted as one."""
    texts = {p: open(os.path.join(root, p), encoding="utf-8").read() for p in product_files(root)}
    names, snaps = {}, {}
    for path, text in texts.items():
        typed = set(re.findall(r"struct (?:server_options|config)\s*(?:const\s*)?\*?\s*(\w+)",
                               text))
        names[path] = sorted(typed | {"settings", "opts"})
        # A settings snapshot (settingsnap.h) holds its options as `s`.
        snaps[path] = sorted(set(re.findall(r"struct settingsnap\s*\*\s*(\w+)", text)) | {"snap"})
    result = {}
    for field in settings(root):
        files = [TABLE]
        for path, text in texts.items():
            if path == TABLE:
                continue
            pat = (r"(?:\b(?:%s)\s*(?:->|\.)\s*%s\b|\b(?:%s)\s*(?:->|\.)\s*s\s*\.\s*%s\b"
                   r"|SETTING_BIT\(\s*%s\s*\)|\bSETTING_ID_%s\b)"
                   % ("|".join(names[path]), field, "|".join(snaps[path]), field, field, field))
            if re.search(pat, text):
                files.append(path)
        result[field] = files
    return result


def breaches(root=ROOT):
    found = []
    for field, files in sorted(spread(root).items()):
        if len(files) > MOST:
            found.append("%s is named in %d product files (at most %d): %s"
                         % (field, len(files), MOST, ", ".join(files)))
    return found


def put(root, path, text):
    """Writes a file of a made-up tree, for the check's own tests."""
    os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
    with open(os.path.join(root, path), "w") as f:
        f.write(text)


def test_every_setting_is_named_in_few_files():
    problems = breaches()
    assert not problems, "\n".join(problems)


def test_check_sees_a_setting_spread_too_far():
    with tempfile.TemporaryDirectory() as root:
        put(root, TABLE, "#define SETTING_LIST(X) \\\n    X(port, NUM) \\\n    X(bind, TEXT)\n")
        put(root, "server/a.c", "void a(const struct server_options *o) { use(o->port); }\n")
        put(root, "server/b.c", "int b(void) { return settings->port; }\n")
        put(root, "server/c.c", "int c(struct server_options *so) { return so->set & SETTING_BIT(port); }\n")
        put(root, "client/d.c", "int d(struct clientopts *o) { return o->port + o->bind; }\n")
        put(root, "server/e.c", "int e(struct settingsnap *start) { return start->s.bind != 0; }\n")
        assert spread(root) == {"port": [TABLE, "server/a.c", "server/b.c", "server/c.c"],
                                "bind": [TABLE, "server/e.c"]}
        assert breaches(root) == ["port is named in 4 product files (at most 3): "
                                  "common/setting.h, server/a.c, server/b.c, server/c.c"]


def test_check_sees_a_setting_numbered():
    """SETTING_ID_<field> names the setting as much as a field does, and
    installer/mtserver.ini is no product file."""
    with tempfile.TemporaryDirectory() as root:
        put(root, TABLE, "#define SETTING_LIST(X) \\\n    X(root, TEXT) \\\n    X(root_extra, TEXT)\n")
        put(root, "server/a.c", "int a(int id) { return id == SETTING_ID_root; }\n")
        put(root, "server/b.c", "int b(void) { return SETTING_ID_root_extra + SETTING_ID_BIT(0); }\n")
        put(root, "common/c.c", "const char *c(const struct config *k) { return k->root; }\n")
        put(root, "installer/mtserver.ini", "; root = C:\\files\n")
        assert spread(root) == {"root": [TABLE, "common/c.c", "server/a.c"],
                                "root_extra": [TABLE, "server/b.c"]}
        put(root, "client/d.c", "int d(void) { return SETTING_ID_root; }\n")
        assert breaches(root) == ["root is named in 4 product files (at most 3): "
                                  "common/setting.h, client/d.c, common/c.c, server/a.c"]
