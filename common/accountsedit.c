/* accountsedit.c - the account store's editors (see accounts.h):
 * accounts_add, accounts_remove and accounts_set change one account's
 * section and keep every other byte of the file, its comments, its line
 * endings and the sections of Windows accounts; what they write is parsed
 * again before it is handed back. */
#include "accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accountkey.h"
#include "iniline.h"
#include "mts_error.h"

/* Where an account's section lies in the text. */
struct span {
    size_t start;            /* the header line's first byte */
    size_t end;              /* just past the line ending of its last key line */
    struct iniline key_line; /* the line of the key asked for; text NULL: none */
};

/* Finds the section that starts on line `line` of a store that parses, and
 * in it the line of key `key` (-1: none wanted). */
static void find_span(const char *buf, size_t len, unsigned line, int key, struct span *sp)
{
    size_t at = iniline_skip_bom(buf, len);
    unsigned lineno = 0;
    int inside = 0;
    struct iniline l;

    memset(sp, 0, sizeof *sp);
    while (iniline_take(buf, len, &at, &l)) {
        const char *s = l.text;
        size_t n = l.len;

        lineno++;
        iniline_trim(&s, &n);
        if (lineno == line) {
            inside = 1;
            sp->start = (size_t)(l.text - buf);
        } else if (!inside || n == 0 || s[0] == ';' || s[0] == '#') {
            continue;
        } else if (s[0] == '[') {
            break;
        } else {
            const char *eq = memchr(s, '=', n);
            size_t klen = (size_t)(eq - s);
            iniline_trim(&s, &klen);
            if (key >= 0 && iniline_same_word(s, klen, accountkey_names[key]))
                sp->key_line = l;
        }
        sp->end = l.next;
    }
}

/* Parses the store an editor is given and finds the account; *found may be
 * NULL only for add. */
static int open_store(const char *buf, size_t len, const char *name, struct accounts **t,
                      const struct account **found, char *err, size_t errcap)
{
    char why[200];
    int rc;

    rc = accounts_parse(buf, len, t, why, sizeof why);
    if (rc != 0) {
        snprintf(err, errcap, "the account store does not parse: %s", why);
        return rc;
    }
    *found = accounts_find(*t, name, strlen(name));
    return 0;
}

/* The editors' last step: the length, and a check that what they wrote
 * parses (so an editor can never leave a store the server would refuse). */
static int finish_edit(char *out, size_t outcap, size_t used, size_t *outlen, char *err,
                       size_t errcap)
{
    struct accounts *t = NULL;
    char why[200];
    int rc;

    *outlen = used;
    if (used > outcap) {
        snprintf(err, errcap, "output buffer too small");
        return MTS_ENOSPC;
    }
    rc = accounts_parse(out, used, &t, why, sizeof why);
    accounts_free(t);
    if (rc != 0) {
        snprintf(err, errcap, "the edit would not parse: %s", why);
        return rc == MTS_ENOSPC ? MTS_EINVAL : rc;
    }
    return 0;
}

static int check_new_value(int key, const char *value, char *err, size_t errcap)
{
    size_t len = strlen(value);
    uint64_t n;

    if (!iniline_can_write(value, len)) {
        snprintf(err, errcap, "the value for '%s' cannot be written to the file as it is",
                 accountkey_names[key]);
        return MTS_EINVAL;
    }
    return accountkey_check(key, value, len, &n, err, errcap);
}

static void put_str(char *out, size_t cap, size_t *used, const char *s)
{
    iniline_put(out, cap, used, s, strlen(s));
}

static void put_key(char *out, size_t cap, size_t *used, int key, const char *value,
                    const char *eol)
{
    put_str(out, cap, used, accountkey_names[key]);
    put_str(out, cap, used, " = ");
    put_str(out, cap, used, value);
    put_str(out, cap, used, eol);
}

/* 1 when the text ends with an empty line (or holds nothing but a BOM). */
static int ends_blank(const char *buf, size_t len)
{
    size_t n = len;

    if (n <= iniline_skip_bom(buf, len))
        return 1;
    if (buf[n - 1] != '\n')
        return 0;
    n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    return n <= iniline_skip_bom(buf, len) || buf[n - 1] == '\n';
}

int accounts_add(const char *buf, size_t len, const struct account_new *a, char *out, size_t outcap,
                 size_t *outlen, char *err, size_t errcap)
{
    struct accounts *t = NULL;
    const struct account *old;
    const char *eol = iniline_ending(buf, len);
    char num[24];
    size_t used = 0;
    int rc;

    err[0] = '\0';
    *outlen = 0;
    rc = accounts_check_name(a->name, strlen(a->name), err, errcap);
    if (rc == 0)
        rc = check_new_value(KEY_HASH, a->password_hash, err, errcap);
    if (rc == 0)
        rc = check_new_value(KEY_ROOT, a->root, err, errcap);
    if (rc == 0 && (a->max_sessions > ACCOUNTS_MAX_SESSIONS || a->rate_limit > ACCOUNTS_MAX_RATE)) {
        snprintf(err, errcap, "max_sessions or rate_limit is out of range");
        rc = MTS_ERANGE;
    }
    if (rc == 0)
        rc = open_store(buf, len, a->name, &t, &old, err, errcap);
    if (rc == 0 && old != NULL) {
        snprintf(err, errcap, "an account named '%s' exists already (line %u)", old->name,
                 old->line);
        rc = MTS_EEXIST;
    }
    accounts_free(t);
    if (rc != 0)
        return rc;
    iniline_put_ended(out, outcap, &used, buf, len);
    if (!ends_blank(buf, len))
        put_str(out, outcap, &used, eol);
    put_str(out, outcap, &used, "[account ");
    put_str(out, outcap, &used, a->name);
    put_str(out, outcap, &used, "]");
    put_str(out, outcap, &used, eol);
    put_key(out, outcap, &used, KEY_HASH, a->password_hash, eol);
    put_key(out, outcap, &used, KEY_ROOT, a->root, eol);
    put_key(out, outcap, &used, KEY_ENABLED, a->enabled ? "yes" : "no", eol);
    snprintf(num, sizeof num, "%u", a->max_sessions);
    put_key(out, outcap, &used, KEY_MAX_SESSIONS, num, eol);
    snprintf(num, sizeof num, "%llu", (unsigned long long)a->rate_limit);
    put_key(out, outcap, &used, KEY_RATE, num, eol);
    return finish_edit(out, outcap, used, outlen, err, errcap);
}

/* Opens the store for remove and set: the account must exist. */
static int open_account(const char *buf, size_t len, const char *name, unsigned *line, char *err,
                        size_t errcap)
{
    struct accounts *t = NULL;
    const struct account *a = NULL;
    char shown[80];
    int rc;

    rc = open_store(buf, len, name, &t, &a, err, errcap);
    if (rc == 0 && a == NULL) {
        iniline_show(shown, sizeof shown, name, strlen(name));
        snprintf(err, errcap, "there is no account named '%s'", shown);
        rc = MTS_ENOTFOUND;
    }
    if (rc == 0)
        *line = a->line;
    accounts_free(t);
    return rc;
}

int accounts_remove(const char *buf, size_t len, const char *name, char *out, size_t outcap,
                    size_t *outlen, char *err, size_t errcap)
{
    struct span sp;
    unsigned line = 0;
    size_t used = 0;
    int rc;

    err[0] = '\0';
    *outlen = 0;
    rc = open_account(buf, len, name, &line, err, errcap);
    if (rc != 0)
        return rc;
    find_span(buf, len, line, -1, &sp);
    iniline_put(out, outcap, &used, buf, sp.start);
    iniline_put(out, outcap, &used, buf + sp.end, len - sp.end);
    return finish_edit(out, outcap, used, outlen, err, errcap);
}

int accounts_set(const char *buf, size_t len, const char *name, const char *key, const char *value,
                 char *out, size_t outcap, size_t *outlen, char *err, size_t errcap)
{
    int id = accountkey_by_name(key, strlen(key));
    struct span sp;
    unsigned line = 0;
    size_t used = 0;
    int rc;

    err[0] = '\0';
    *outlen = 0;
    if (id < 0) {
        snprintf(err, errcap, "unknown key '%s'", key);
        return MTS_EUNKNOWN;
    }
    rc = check_new_value(id, value, err, errcap);
    if (rc == 0)
        rc = open_account(buf, len, name, &line, err, errcap);
    if (rc != 0)
        return rc;
    find_span(buf, len, line, id, &sp);
    if (sp.key_line.text != NULL) {
        iniline_put_value(out, outcap, &used, buf, len, &sp.key_line, value);
    } else {
        /* After the section's last line that is not a comment; a last line
         * of the file without its ending gets one first. */
        iniline_put_ended(out, outcap, &used, buf, sp.end);
        put_key(out, outcap, &used, id, value, iniline_ending(buf, len));
        iniline_put(out, outcap, &used, buf + sp.end, len - sp.end);
    }
    return finish_edit(out, outcap, used, outlen, err, errcap);
}
