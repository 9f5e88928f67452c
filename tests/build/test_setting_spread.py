"""A setting is named in few product files (issue 22: the table, its user,
and at most one more), so that adding or changing one is a small edit.
Named means read or set as a field of the settings (struct server_options
or struct config, through a variable of that type, `settings` or `opts`)
or tested with SETTING_BIT; common/setting.h's table is one of the three.

Four settings name the things the one-shot commands act on as well as the
running server, and are allowed more, each at most its count today so
that none grows: SPREAD_ALLOWED says why."""
import glob
import os
import re
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TABLE = "common/setting.h"
MOST = 3  # the table, the user, one more

SPREAD_ALLOWED = {
    # Which INI: every command that reads or writes it finds it through
    # settings.c; install writes --config into the service's command line,
    # status says whether it is the default, console mode loads it.
    "config": 6,
    # The folder served: the server opens it, install makes a given one,
    # the first INI writes it, `user add --root` takes it for an account.
    "root": 7,
    # Which certificate: the server serves it, cert --renew renews it,
    # install checks a PFX, status describes it.
    "tls_certificate": 8,
    # The log: console mode opens it, install makes its folder, the first
    # INI writes it.
    "log_file": 4,
}


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
    names = {}
    for path, text in texts.items():
        typed = set(re.findall(r"struct (?:server_options|config)\s*(?:const\s*)?\*?\s*(\w+)",
                               text))
        names[path] = sorted(typed | {"settings", "opts"})
    result = {}
    for field in settings(root):
        files = [TABLE]
        for path, text in texts.items():
            if path == TABLE:
                continue
            pat = r"(?:\b(?:%s)\s*(?:->|\.)\s*%s\b|SETTING_BIT\(\s*%s\s*\))" % (
                "|".join(names[path]), field, field)
            if re.search(pat, text):
                files.append(path)
        result[field] = files
    return result


def breaches(root=ROOT):
    found = []
    for field, files in sorted(spread(root).items()):
        most = SPREAD_ALLOWED.get(field, MOST)
        if len(files) > most:
            found.append("%s is named in %d product files (at most %d): %s"
                         % (field, len(files), most, ", ".join(files)))
    return found


def test_every_setting_is_named_in_few_files():
    problems = breaches()
    assert not problems, "\n".join(problems)


def test_the_allowed_ones_are_settings_still():
    assert set(SPREAD_ALLOWED) <= set(settings())


def test_check_sees_a_setting_spread_too_far():
    with tempfile.TemporaryDirectory() as root:
        def put(path, text):
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        put(TABLE, "#define SETTING_LIST(X) \\\n    X(port, NUM) \\\n    X(bind, TEXT)\n")
        put("server/a.c", "void a(const struct server_options *o) { use(o->port); }\n")
        put("server/b.c", "int b(void) { return settings->port; }\n")
        put("server/c.c", "int c(struct server_options *so) { return so->set & SETTING_BIT(port); }\n")
        put("client/d.c", "int d(struct clientopts *o) { return o->port + o->bind; }\n")
        assert spread(root) == {"port": [TABLE, "server/a.c", "server/b.c", "server/c.c"],
                                "bind": [TABLE]}
        assert breaches(root) == ["port is named in 4 product files (at most 3): "
                                  "common/setting.h, server/a.c, server/b.c, server/c.c"]
