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

#include "accountkey.h"
#include "iniline.h"
#include "mts_error.h"

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
    rc = iniline_key(s, len, lineno, accountkey_by_name, &kv, err, errcap);
    if (rc < 0)
        return rc;
    e->key = rc;
    rc = iniline_unquote(&kv, accountkey_names[e->key], lineno, err, errcap);
    if (rc != 0)
        return rc;
    e->kind = LINE_KEY;
    e->text = kv.value;
    e->text_len = kv.value_len;
    return 0;
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
                     accountkey_names[required[i]]);
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
                         accountkey_names[e.key]);
                return MTS_ESYNTAX;
            }
            if (sec.key_line[e.key] != 0) {
                snprintf(err, errcap, "line %u: key '%s' is given twice (first on line %u)", lineno,
                         accountkey_names[e.key], sec.key_line[e.key]);
                return MTS_ESYNTAX;
            }
            rc = accountkey_check(e.key, e.text, e.text_len, &sec.number[e.key], why, sizeof why);
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

int accounts_same_access(const struct account *a, const struct account *b)
{
    return strcmp(a->password_hash, b->password_hash) == 0 && strcmp(a->root, b->root) == 0 &&
           a->enabled == b->enabled && a->max_sessions == b->max_sessions &&
           a->rate_limit == b->rate_limit;
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
