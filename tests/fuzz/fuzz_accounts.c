/* fuzz_accounts.c - the account store's parser over any text, its lookup,
 * and its three editors.
 *
 * Invariants: a parse fails with a negative code and a message, or gives a
 * table whose every account has a valid name, is found by that name in any
 * case, and has its numbers in range; adding an account, removing the first
 * one or changing its root gives a text that parses back with that change
 * and every other account as it was. */
#include <string.h>

#include "accounts.h"
#include "fuzz.h"

#define HASH                                                                                       \
    "pbkdf2-sha256$100000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

static char out[1 << 17];

static int same_account(const struct account *a, const struct account *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->root, b->root) == 0 &&
           strcmp(a->password_hash, b->password_hash) == 0 && a->enabled == b->enabled &&
           a->max_sessions == b->max_sessions && a->rate_limit == b->rate_limit;
}

/* Parses the edit in out[0..outlen) and checks that every account of t but
 * `skip` (NULL: none) is in it unchanged. */
static struct accounts *check_edit(const struct accounts *t, size_t outlen,
                                   const struct account *skip)
{
    struct accounts *u = NULL;
    char err[256];

    FUZZ_CHECK(accounts_parse(out, outlen, &u, err, sizeof err) == 0);
    for (size_t i = 0; i < accounts_count(t); i++) {
        const struct account *a = accounts_at(t, i), *b;
        if (a == skip)
            continue;
        b = accounts_find(u, a->name, strlen(a->name));
        FUZZ_CHECK(b != NULL && same_account(a, b));
    }
    return u;
}

static void check_editors(const char *buf, size_t size, const struct accounts *t)
{
    struct account_new n = {"fuzz-new", HASH, "C:\\fuzz", 1, 5, 7};
    struct accounts *u;
    const struct account *first = accounts_at(t, 0);
    char err[256];
    size_t outlen;
    int rc;

    if (size >= sizeof out - 512)
        return;
    rc = accounts_add(buf, size, &n, out, sizeof out, &outlen, err, sizeof err);
    FUZZ_CHECK(rc == 0 || accounts_find(t, n.name, strlen(n.name)) != NULL);
    if (rc == 0) {
        u = check_edit(t, outlen, NULL);
        FUZZ_CHECK(accounts_count(u) == accounts_count(t) + 1);
        FUZZ_CHECK(strcmp(accounts_find(u, "FUZZ-NEW", 8)->root, "C:\\fuzz") == 0);
        accounts_free(u);
    }
    if (first == NULL)
        return;
    FUZZ_CHECK(accounts_remove(buf, size, first->name, out, sizeof out, &outlen, err, sizeof err) ==
               0);
    u = check_edit(t, outlen, first);
    FUZZ_CHECK(accounts_count(u) == accounts_count(t) - 1);
    FUZZ_CHECK(accounts_find(u, first->name, strlen(first->name)) == NULL);
    accounts_free(u);
    FUZZ_CHECK(accounts_set(buf, size, first->name, "root", "E:\\set", out, sizeof out, &outlen,
                            err, sizeof err) == 0);
    u = check_edit(t, outlen, first);
    FUZZ_CHECK(accounts_count(u) == accounts_count(t));
    FUZZ_CHECK(strcmp(accounts_find(u, first->name, strlen(first->name))->root, "E:\\set") == 0);
    accounts_free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    struct accounts *t = NULL;
    char err[256];
    int rc;

    rc = accounts_parse(buf, size, &t, err, sizeof err);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && t == NULL && err[0] != '\0');
        return 0;
    }
    for (size_t i = 0; i < accounts_count(t); i++) {
        const struct account *a = accounts_at(t, i);
        char upper[ACCOUNTS_NAME_MAX + 1];
        size_t n = strlen(a->name);
        FUZZ_CHECK(accounts_check_name(a->name, n, err, sizeof err) == 0);
        for (size_t k = 0; k <= n; k++)
            upper[k] =
                (char)(a->name[k] >= 'a' && a->name[k] <= 'z' ? a->name[k] - 32 : a->name[k]);
        FUZZ_CHECK(accounts_find(t, upper, n) == a);
        FUZZ_CHECK(a->enabled == 0 || a->enabled == 1);
        FUZZ_CHECK(a->max_sessions <= ACCOUNTS_MAX_SESSIONS && a->rate_limit <= ACCOUNTS_MAX_RATE);
        FUZZ_CHECK(a->root[0] != '\0' && strlen(a->root) < ACCOUNTS_VALUE_MAX);
    }
    check_editors(buf, size, t);
    accounts_free(t);
    return 0;
}
