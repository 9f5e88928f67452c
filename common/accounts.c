/* accounts.c - the account store, accounts.ini (see accounts.h).
 *
 * Grammar, line by line (iniline.h: LF or CRLF, a byte-order mark may open
 * the file): blank; a comment starting with ';' or '#'; a section header
 * [account NAME]; or key = value inside a section. Keys and the word
 * "account" are ASCII and case-insensitive; a value may be wrapped in double
 * quotes to keep its outer spaces; no inline comments (';' is legal in a
 * Windows path), as in mtserver.ini.
 *
 * A table is one allocation: the struct, the accounts in file order, the
 * pointers sorted by folded name for lookup, and a pool holding every text
 * with its NUL. Every text is a piece of a different line of the file, so
 * the file's length plus a NUL for each piece bounds the pool. */
#include "accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iniline.h"
#include "mts_error.h"
#include "numparse.h"
#include "pwhash.h"

enum key_id { KEY_HASH, KEY_ROOT, KEY_ENABLED, KEY_MAX_SESSIONS, KEY_RATE, KEY_COUNT };

static const char *const key_names[KEY_COUNT] = {"password_hash", "root", "enabled", "max_sessions",
                                                 "rate_limit"};

#define TEXTS_PER_ACCOUNT 3 /* name, password_hash, root */

/* An entry of the lookup array (a struct, so that its size is not a
 * pointer's size taken by accident). */
struct account_ref {
    const struct account *a;
};

struct accounts {
    size_t count;
    struct account *items;      /* file order */
    struct account_ref *sorted; /* by folded name, then line */
};

static int fold(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Orders a[0..alen) and b[0..blen) by their ASCII-folded bytes. */
static int compare_names(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;

    for (size_t i = 0; i < n; i++) {
        int d = fold((unsigned char)a[i]) - fold((unsigned char)b[i]);
        if (d != 0)
            return d;
    }
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int is_name_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-' || ch == '_' || ch == '@';
}

int accounts_check_name(const char *name, size_t len, char *err, size_t errcap)
{
    if (len == 0) {
        snprintf(err, errcap, "an account name cannot be empty");
        return MTS_EMISSING;
    }
    if (len > ACCOUNTS_NAME_MAX) {
        snprintf(err, errcap, "an account name has at most %u characters",
                 (unsigned)ACCOUNTS_NAME_MAX);
        return MTS_ETOOLONG;
    }
    for (size_t i = 0; i < len; i++) {
        if (!is_name_char((unsigned char)name[i])) {
            snprintf(err, errcap,
                     "an account name is letters, digits, '.', '-', '_' and '@' only "
                     "(character %u is not)",
                     (unsigned)(i + 1));
            return MTS_EBADCHAR;
        }
    }
    return 0;
}

/* What one line says, once its syntax is checked. */
enum line_kind { LINE_NOTHING, LINE_SECTION, LINE_KEY };
struct entry {
    enum line_kind kind;
    const char *text; /* the section's name, or the key's value */
    size_t text_len;
    int key;     /* LINE_KEY: a key_id */
    int skipped; /* LINE_SECTION: a Windows account's, not ours (common/winacct.h) */
};

static int parse_section(const char *s, size_t len, unsigned lineno, struct entry *e, char *err,
                         size_t errcap)
{
    const char *in;
    size_t in_len, word = 0;
    char shown[64], why[160];
    int rc;

    rc = iniline_section(s, len, lineno, &in, &in_len, err, errcap);
    if (rc != 0)
        return rc;
    while (word < in_len && !iniline_is_space(in[word]))
        word++;
    e->skipped = word < in_len && (iniline_same_word(in, word, "windows") ||
                                   iniline_same_word(in, word, "windows-group"));
    if (e->skipped) {
        /* Windows accounts' sections share the file; winacct.c reads and
         * checks them, and this parser passes over them and their keys. */
        e->kind = LINE_SECTION;
        return 0;
    }
    if (!iniline_same_word(in, word, "account") || word == in_len) {
        iniline_show(shown, sizeof shown, in, in_len);
        snprintf(err, errcap,
                 "line %u: unknown section [%s] (a section is [account NAME] or "
                 "[windows(-group) NAME])",
                 lineno, shown);
        return MTS_EUNKNOWN;
    }
    e->kind = LINE_SECTION;
    e->text = in + word;
    e->text_len = in_len - word;
    iniline_trim(&e->text, &e->text_len);
    rc = accounts_check_name(e->text, e->text_len, why, sizeof why);
    if (rc != 0)
        snprintf(err, errcap, "line %u: %s", lineno, why);
    return rc;
}

static int key_by_name(const char *s, size_t len)
{
    for (int k = 0; k < KEY_COUNT; k++) {
        if (iniline_same_word(s, len, key_names[k]))
            return k;
    }
    return -1;
}

/* One line; skipping: inside a section parse_section passed over, whose
 * keys are not ours to read. */
static int parse_line(const struct iniline *l, unsigned lineno, int skipping, struct entry *e,
                      char *err, size_t errcap)
{
    const char *s;
    size_t len;
    struct inikv kv;
    int rc;

    e->kind = LINE_NOTHING;
    e->skipped = 0;
    rc = iniline_content(l, lineno, &s, &len, err, errcap);
    if (rc != 0 || len == 0)
        return rc;
    if (s[0] == '[')
        return parse_section(s, len, lineno, e, err, errcap);
    if (skipping)
        return 0;
    rc = iniline_key(s, len, lineno, key_by_name, &kv, err, errcap);
    if (rc < 0)
        return rc;
    e->key = rc;
    rc = iniline_unquote(&kv, key_names[e->key], lineno, err, errcap);
    if (rc != 0)
        return rc;
    e->kind = LINE_KEY;
    e->text = kv.value;
    e->text_len = kv.value_len;
    return 0;
}

/* Checks a key's value; numbers and yes/no come back in *n. The reason,
 * without "line N", goes to err. */
static int check_value(int key, const char *v, size_t len, uint64_t *n, char *err, size_t errcap)
{
    struct pwhash h;
    char why[160];
    int rc;

    *n = 0;
    if (len >= ACCOUNTS_VALUE_MAX) {
        snprintf(err, errcap, "value of '%s' is too long (at most %u bytes)", key_names[key],
                 (unsigned)ACCOUNTS_VALUE_MAX - 1u);
        return MTS_ETOOLONG;
    }
    switch (key) {
    case KEY_HASH:
        rc = pwhash_parse(&h, v, len, why, sizeof why);
        if (rc != 0)
            snprintf(err, errcap, "key 'password_hash': %s", why);
        return rc;
    case KEY_ENABLED:
        if (iniline_same_word(v, len, "yes") || iniline_same_word(v, len, "no")) {
            *n = iniline_same_word(v, len, "yes");
            return 0;
        }
        snprintf(err, errcap, "key 'enabled' wants yes or no");
        return MTS_ERANGE;
    case KEY_MAX_SESSIONS:
    case KEY_RATE: {
        uint64_t max = key == KEY_RATE ? ACCOUNTS_MAX_RATE : ACCOUNTS_MAX_SESSIONS;
        rc = numparse_u64(v, len, max, n);
        if (rc != 0)
            snprintf(err, errcap, "key '%s' wants a number from 0 to %llu", key_names[key],
                     (unsigned long long)max);
        return rc;
    }
    default: return 0;
    }
}

/* The section being read. */
struct section {
    unsigned line; /* 0: none yet */
    const char *name;
    size_t name_len;
    unsigned key_line[KEY_COUNT];
    const char *value[KEY_COUNT];
    size_t value_len[KEY_COUNT];
    uint64_t number[KEY_COUNT];
};

/* Where a table being filled puts its texts. */
struct fill {
    struct accounts *table;
    char *pool;
};

static const char *keep(struct fill *f, const char *s, size_t len)
{
    char *at = f->pool;

    memcpy(at, s, len);
    at[len] = '\0';
    f->pool += len + 1;
    return at;
}

/* Ends the section *sec: checks that it has what an account needs and, when
 * filling, stores it as account *count. */
static int finish(const struct section *sec, struct fill *f, size_t *count, char *err,
                  size_t errcap)
{
    static const int required[] = {KEY_HASH, KEY_ROOT};
    char shown[80];

    if (sec->line == 0)
        return 0;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (sec->key_line[required[i]] == 0) {
            iniline_show(shown, sizeof shown, sec->name, sec->name_len);
            snprintf(err, errcap, "line %u: account '%s' has no %s", sec->line, shown,
                     key_names[required[i]]);
            return MTS_EMISSING;
        }
    }
    if (f != NULL) {
        struct account *a = &f->table->items[*count];
        a->name = keep(f, sec->name, sec->name_len);
        a->password_hash = keep(f, sec->value[KEY_HASH], sec->value_len[KEY_HASH]);
        a->root = keep(f, sec->value[KEY_ROOT], sec->value_len[KEY_ROOT]);
        a->enabled = sec->key_line[KEY_ENABLED] == 0 || sec->number[KEY_ENABLED] != 0;
        a->max_sessions = (unsigned)sec->number[KEY_MAX_SESSIONS];
        a->rate_limit = sec->number[KEY_RATE];
        a->line = sec->line;
    }
    (*count)++;
    return 0;
}

/* Checks every line of the store and counts its accounts in *count; fills
 * f's table when f is not NULL. */
static int walk(const char *buf, size_t len, struct fill *f, size_t *count, char *err,
                size_t errcap)
{
    struct section sec;
    unsigned lineno = 0;
    size_t at = iniline_skip_bom(buf, len);
    struct iniline l;
    char why[200];
    int rc;

    int skipping = 0;

    memset(&sec, 0, sizeof sec);
    *count = 0;
    while (iniline_take(buf, len, &at, &l)) {
        struct entry e;

        rc = parse_line(&l, ++lineno, skipping, &e, err, errcap);
        if (rc != 0)
            return rc;
        if (e.kind == LINE_SECTION) {
            rc = finish(&sec, f, count, err, errcap);
            if (rc != 0)
                return rc;
            memset(&sec, 0, sizeof sec);
            skipping = e.skipped;
            if (skipping)
                continue;
            sec.line = lineno;
            sec.name = e.text;
            sec.name_len = e.text_len;
        } else if (e.kind == LINE_KEY) {
            if (sec.line == 0) {
                snprintf(err, errcap, "line %u: key '%s' outside an [account NAME] section", lineno,
                         key_names[e.key]);
                return MTS_ESYNTAX;
            }
            if (sec.key_line[e.key] != 0) {
                snprintf(err, errcap, "line %u: key '%s' is given twice (first on line %u)", lineno,
                         key_names[e.key], sec.key_line[e.key]);
                return MTS_ESYNTAX;
            }
            rc = check_value(e.key, e.text, e.text_len, &sec.number[e.key], why, sizeof why);
            if (rc != 0) {
                snprintf(err, errcap, "line %u: %s", lineno, why);
                return rc;
            }
            sec.key_line[e.key] = lineno;
            sec.value[e.key] = e.text;
            sec.value_len[e.key] = e.text_len;
        }
    }
    return finish(&sec, f, count, err, errcap);
}

static int compare_accounts(const void *pa, const void *pb)
{
    const struct account *a = ((const struct account_ref *)pa)->a;
    const struct account *b = ((const struct account_ref *)pb)->a;
    int d = compare_names(a->name, strlen(a->name), b->name, strlen(b->name));

    if (d != 0)
        return d;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Sorts the lookup array and refuses a name given twice, naming the pair
 * whose second line comes first in the file. */
static int sort_names(struct accounts *t, char *err, size_t errcap)
{
    const struct account *first = NULL, *again = NULL;

    for (size_t i = 0; i < t->count; i++)
        t->sorted[i].a = &t->items[i];
    if (t->count > 1)
        qsort(t->sorted, t->count, sizeof t->sorted[0], compare_accounts);
    for (size_t i = 1; i < t->count; i++) {
        const struct account *a = t->sorted[i - 1].a, *b = t->sorted[i].a;
        if (compare_names(a->name, strlen(a->name), b->name, strlen(b->name)) != 0)
            continue;
        if (again == NULL || b->line < again->line) {
            first = a;
            again = b;
        }
    }
    if (again == NULL)
        return 0;
    snprintf(err, errcap, "line %u: account '%s' is given twice (first on line %u as '%s')",
             again->line, again->name, first->line, first->name);
    return MTS_ESYNTAX;
}

int accounts_parse(const char *buf, size_t len, struct accounts **out, char *err, size_t errcap)
{
    struct accounts *t;
    struct fill f;
    size_t count, filled, head, items, pool;
    int rc;

    *out = NULL;
    err[0] = '\0';
    rc = walk(buf, len, NULL, &count, err, errcap);
    if (rc != 0)
        return rc;
    /* Each section takes a line of at least "[account x]", so count is far
     * below len and none of these sums can wrap. */
    head = (sizeof *t + 15) / 16 * 16; /* the items after it stay aligned */
    items = count * sizeof t->items[0];
    pool = len + count * TEXTS_PER_ACCOUNT + 1;
    t = malloc(head + items + count * sizeof t->sorted[0] + pool);
    if (t == NULL) {
        snprintf(err, errcap, "out of memory for %lu accounts", (unsigned long)count);
        return MTS_ENOSPC;
    }
    t->count = count;
    t->items = (struct account *)(void *)((char *)t + head);
    t->sorted = (struct account_ref *)(void *)((char *)t->items + items);
    f.table = t;
    f.pool = (char *)(t->sorted + count);
    rc = walk(buf, len, &f, &filled, err, errcap);
    if (rc == 0)
        rc = sort_names(t, err, errcap);
    if (rc != 0) {
        free(t);
        return rc;
    }
    *out = t;
    return 0;
}

void accounts_free(struct accounts *a)
{
    free(a);
}

size_t accounts_count(const struct accounts *a)
{
    return a->count;
}

const struct account *accounts_at(const struct accounts *a, size_t i)
{
    return i < a->count ? &a->items[i] : NULL;
}

const struct account *accounts_find(const struct accounts *a, const char *name, size_t len)
{
    size_t lo = 0, hi = a->count;

    /* The sorted array puts a name's first line first, and a table that
     * parsed has no name twice, so the first match is the only one. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct account *m = a->sorted[mid].a;
        int d = compare_names(m->name, strlen(m->name), name, len);
        if (d == 0)
            return m;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int accounts_path_beside(const char *config, char *out, size_t cap)
{
    size_t folder = strlen(config);

    while (folder > 0 && config[folder - 1] != '\\' && config[folder - 1] != '/' &&
           config[folder - 1] != ':')
        folder--;
    if (folder + sizeof ACCOUNTS_FILE_NAME > cap)
        return MTS_ENOSPC;
    memcpy(out, config, folder);
    memcpy(out + folder, ACCOUNTS_FILE_NAME, sizeof ACCOUNTS_FILE_NAME);
    return 0;
}

/* --- the editors --- */

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
            if (key >= 0 && iniline_same_word(s, klen, key_names[key]))
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
                 key_names[key]);
        return MTS_EINVAL;
    }
    return check_value(key, value, len, &n, err, errcap);
}

static void put_str(char *out, size_t cap, size_t *used, const char *s)
{
    iniline_put(out, cap, used, s, strlen(s));
}

static void put_key(char *out, size_t cap, size_t *used, int key, const char *value,
                    const char *eol)
{
    put_str(out, cap, used, key_names[key]);
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
    int id = key_by_name(key, strlen(key));
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
