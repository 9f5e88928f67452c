/* winacct.c - Windows accounts' names and roots (see winacct.h).
 *
 * accounts.ini's grammar, line by line (LF or CRLF; a UTF-8 byte-order
 * mark may open it): blank; a comment starting with ';' or '#'; a section
 * header; or key = value inside a section. This module reads the same text
 * as common/accounts.c, through the same line pieces (iniline.c), and takes
 * only its own two kinds of section, so that each section of the file is
 * checked by exactly one of the two. */
#include "winacct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iniline.h"
#include "mts_error.h"
#include "numparse.h"

struct winacct_table {
    size_t count;
    struct winacct_entry *entries; /* in the order of the file */
    char *text;                    /* the names and roots, NUL-separated */
};

static unsigned char fold(char ch)
{
    unsigned char c = (unsigned char)ch;

    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int same_folded(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i;

    if (alen != blen)
        return 0;
    for (i = 0; i < alen; i++)
        if (fold(a[i]) != fold(b[i]))
            return 0;
    return 1;
}

/* --- the parser --- */

enum section_kind { SEC_NONE, SEC_ACCOUNT, SEC_USER, SEC_GROUP };

/* What a section header [WORD NAME] is; its name in *name. */
static int read_header(const char *s, size_t len, unsigned lineno, enum section_kind *kind,
                       const char **name, size_t *nlen, char *err, size_t errcap)
{
    size_t wlen;
    struct winacct_name parts;
    char why[200];
    int rc;

    rc = iniline_section(s, len, lineno, &s, &len, err, errcap);
    if (rc != 0)
        return rc;
    /* The word ends at a space or tab, as accounts.c reads it. */
    for (wlen = 0; wlen < len && !iniline_is_space(s[wlen]); wlen++)
        ;
    *name = s + wlen;
    *nlen = len - wlen;
    iniline_trim(name, nlen);
    if (iniline_same_word(s, wlen, "account")) {
        *kind = SEC_ACCOUNT; /* accounts.c's to check */
        return 0;
    }
    if (iniline_same_word(s, wlen, "windows"))
        *kind = SEC_USER;
    else if (iniline_same_word(s, wlen, "windows-group"))
        *kind = SEC_GROUP;
    else {
        snprintf(err, errcap,
                 "line %u: unknown section (a section is [account NAME], [windows "
                 "DOMAIN\\name] or [windows-group DOMAIN\\group])",
                 lineno);
        return MTS_EUNKNOWN;
    }
    rc = winacct_split_name(*name, *nlen, &parts, why, sizeof why);
    if (rc != 0)
        snprintf(err, errcap, "line %u: %s", lineno, why);
    return rc;
}

/* One section being read, then kept. */
struct pending {
    struct winacct_entry e;
    size_t name_len, root_len;
    int have_root, have_sessions, have_rate;
};

static int read_key(const char *s, size_t len, unsigned lineno, struct pending *p, char *err,
                    size_t errcap)
{
    struct inikv kv;
    uint64_t n;
    int *seen, rc;

    rc = iniline_split(s, len, lineno, &kv, err, errcap);
    if (rc != 0)
        return rc;
    if (iniline_same_word(kv.key, kv.key_len, "root")) {
        if (p->have_root) {
            snprintf(err, errcap, "line %u: root given twice in one section", lineno);
            return MTS_ESYNTAX;
        }
        /* Quoted as in [account] sections and mtserver.ini; never empty. */
        rc = iniline_unquote(&kv, "root", lineno, err, errcap);
        if (rc != 0)
            return rc;
        p->e.root = kv.value; /* copied when the section is kept */
        p->root_len = kv.value_len;
        p->have_root = 1;
        return 0;
    }
    if (iniline_same_word(kv.key, kv.key_len, "max_sessions"))
        seen = &p->have_sessions;
    else if (iniline_same_word(kv.key, kv.key_len, "rate_limit"))
        seen = &p->have_rate;
    else {
        snprintf(err, errcap,
                 "line %u: unknown key (a [windows] section takes root, max_sessions and "
                 "rate_limit)",
                 lineno);
        return MTS_EUNKNOWN;
    }
    if (*seen) {
        snprintf(err, errcap, "line %u: a key given twice in one section", lineno);
        return MTS_ESYNTAX;
    }
    *seen = 1;
    if (seen == &p->have_sessions) {
        if (numparse_u64(kv.value, kv.value_len, WINACCT_MAX_SESSIONS, &n) != 0) {
            snprintf(err, errcap, "line %u: max_sessions must be a whole number from 0 to %u",
                     lineno, WINACCT_MAX_SESSIONS);
            return MTS_ERANGE;
        }
        p->e.max_sessions = (unsigned)n;
    } else {
        if (numparse_u64(kv.value, kv.value_len, WINACCT_MAX_RATE, &n) != 0) {
            snprintf(err, errcap,
                     "line %u: rate_limit must be a whole number of bytes a second from 0 to "
                     "%u",
                     lineno, WINACCT_MAX_RATE);
            return MTS_ERANGE;
        }
        p->e.rate_limit = n;
    }
    return 0;
}

/* Ends section p (the kept ones are in out[0..*count)): it needs a root
 * and may not repeat an earlier section of its kind. */
static int keep(struct pending *p, struct pending *out, size_t *count, char *err, size_t errcap)
{
    size_t i;

    if (!p->have_root) {
        snprintf(err, errcap, "line %u: the section has no root", p->e.line);
        return MTS_EMISSING;
    }
    /* A table is a few sections: the check of each against the others
     * stays small, and no section is looked up by name at a login. */
    for (i = 0; i < *count; i++) {
        if (out[i].e.kind == p->e.kind &&
            same_folded(out[i].e.name, out[i].name_len, p->e.name, p->name_len)) {
            snprintf(err, errcap, "line %u: the same section as line %u", p->e.line,
                     out[i].e.line);
            return MTS_ESYNTAX;
        }
    }
    out[(*count)++] = *p;
    return 0;
}

/* Reads the text into out[] (room for every header); the texts still
 * point into buf. */
static int read_sections(const char *buf, size_t len, struct pending *out, size_t *count,
                         char *err, size_t errcap)
{
    struct pending cur;
    enum section_kind kind = SEC_NONE;
    struct iniline l;
    size_t at = iniline_skip_bom(buf, len);
    unsigned lineno = 0;
    const char *s;
    size_t n;
    int rc;

    *count = 0;
    memset(&cur, 0, sizeof cur);
    while (iniline_take(buf, len, &at, &l)) {
        lineno++;
        rc = iniline_content(&l, lineno, &s, &n, err, errcap);
        if (rc != 0)
            return rc;
        if (n == 0)
            continue; /* blank, or a comment */
        if (s[0] == '[') {
            const char *name;
            size_t nlen;

            if ((kind == SEC_USER || kind == SEC_GROUP) &&
                (rc = keep(&cur, out, count, err, errcap)) != 0)
                return rc;
            rc = read_header(s, n, lineno, &kind, &name, &nlen, err, errcap);
            if (rc != 0)
                return rc;
            memset(&cur, 0, sizeof cur);
            cur.e.kind = kind == SEC_GROUP ? WINACCT_GROUP : WINACCT_USER;
            cur.e.name = name;
            cur.name_len = nlen;
            cur.e.line = lineno;
            continue;
        }
        if (kind == SEC_ACCOUNT)
            continue; /* accounts.c's key */
        if (kind == SEC_NONE) {
            snprintf(err, errcap, "line %u: a key outside a section", lineno);
            return MTS_ESYNTAX;
        }
        rc = read_key(s, n, lineno, &cur, err, errcap);
        if (rc != 0)
            return rc;
    }
    if (kind == SEC_USER || kind == SEC_GROUP)
        return keep(&cur, out, count, err, errcap);
    return 0;
}

int winacct_parse(const char *buf, size_t len, struct winacct_table **out, char *err,
                  size_t errcap)
{
    struct pending *sec = NULL;
    struct winacct_table *t = NULL;
    size_t count = 0, cap = 1, bytes = 0, i, at;
    int rc;

    *out = NULL;
    if (errcap > 0)
        err[0] = '\0';
    /* Each header is a line of at least "[x]", so this bounds the sections. */
    for (i = 0; i < len; i++)
        cap += buf[i] == '[';
    sec = calloc(cap, sizeof *sec);
    if (sec == NULL) {
        snprintf(err, errcap, "out of memory");
        return MTS_ENOSPC;
    }
    rc = read_sections(buf, len, sec, &count, err, errcap);
    if (rc != 0)
        goto out;
    for (i = 0; i < count; i++)
        bytes += sec[i].name_len + 1 + sec[i].root_len + 1;
    t = calloc(1, sizeof *t);
    if (t != NULL) {
        t->entries = calloc(count > 0 ? count : 1, sizeof *t->entries);
        t->text = malloc(bytes > 0 ? bytes : 1);
    }
    if (t == NULL || t->entries == NULL || t->text == NULL) {
        winacct_free(t);
        t = NULL;
        snprintf(err, errcap, "out of memory");
        rc = MTS_ENOSPC;
        goto out;
    }
    for (i = 0, at = 0; i < count; i++) {
        t->entries[i] = sec[i].e;
        memcpy(t->text + at, sec[i].e.name, sec[i].name_len);
        t->text[at + sec[i].name_len] = '\0';
        t->entries[i].name = t->text + at;
        at += sec[i].name_len + 1;
        memcpy(t->text + at, sec[i].e.root, sec[i].root_len);
        t->text[at + sec[i].root_len] = '\0';
        t->entries[i].root = t->text + at;
        at += sec[i].root_len + 1;
    }
    t->count = count;
    *out = t;
out:
    free(sec);
    return rc;
}

void winacct_free(struct winacct_table *t)
{
    if (t == NULL)
        return;
    free(t->entries);
    free(t->text);
    free(t);
}

size_t winacct_count(const struct winacct_table *t)
{
    return t != NULL ? t->count : 0;
}

const struct winacct_entry *winacct_at(const struct winacct_table *t, size_t i)
{
    return t != NULL && i < t->count ? &t->entries[i] : NULL;
}

const struct winacct_entry *winacct_find(const struct winacct_table *t, enum winacct_kind kind,
                                         const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < winacct_count(t); i++) {
        const struct winacct_entry *e = &t->entries[i];
        if (e->kind == kind && same_folded(e->name, strlen(e->name), name, len))
            return e;
    }
    return NULL;
}

const struct winacct_entry *winacct_pick(const struct winacct_table *t, winacct_match_fn match,
                                         void *ctx)
{
    size_t i;
    int pass;

    /* Users first, whatever their place in the file; then groups in file
     * order. Only a plain yes matches: a lookup that failed picks nothing. */
    for (pass = 0; pass < 2; pass++) {
        enum winacct_kind want = pass == 0 ? WINACCT_USER : WINACCT_GROUP;
        for (i = 0; i < winacct_count(t); i++)
            if (t->entries[i].kind == want && match(ctx, &t->entries[i]) == 1)
                return &t->entries[i];
    }
    return NULL;
}

const char *const *winacct_service_privileges(int windows_accounts)
{
    /* Traversing folders is the one privilege a server that reads files
     * uses; opening them as the logged-on account (ImpersonateLoggedOnUser
     * of a LogonUserW token) needs SeImpersonatePrivilege as well. */
    static const char *const plain[] = {"SeChangeNotifyPrivilege", NULL};
    static const char *const impersonating[] = {"SeChangeNotifyPrivilege",
                                                "SeImpersonatePrivilege", NULL};

    return windows_accounts ? impersonating : plain;
}
