/* fuzz_winacct.c - accounts.ini's [windows] sections and Windows account
 * names over any bytes.
 *
 * Invariants: a refusal comes with a message and no table; an accepted
 * table's entries have names that split, non-empty roots, limits in range
 * and lines in order; the pick returns one of the table's entries; a name
 * that splits has non-empty parts within their limits. */
#include <string.h>

#include "fuzz.h"
#include "winacct.h"

static int match_odd_lines(void *ctx, const struct winacct_entry *e)
{
    (void)ctx;
    return (int)(e->line % 3) - 1; /* -1, 0 or 1: every answer is seen */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct winacct_table *t = NULL;
    struct winacct_name n;
    const struct winacct_entry *e, *picked;
    char err[300];
    unsigned last = 0;
    size_t i;
    int rc;

    rc = winacct_split_name((const char *)data, size, &n, err, sizeof err);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && err[0] != '\0');
    } else {
        FUZZ_CHECK(n.domain[0] != '\0' && strlen(n.domain) <= WINACCT_DOMAIN_MAX);
        FUZZ_CHECK(n.user[0] != '\0' && strlen(n.user) <= WINACCT_USER_MAX);
    }
    rc = winacct_parse((const char *)data, size, &t, err, sizeof err);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && t == NULL && err[0] != '\0' && memchr(err, '\0', sizeof err));
        return 0;
    }
    for (i = 0; i < winacct_count(t); i++) {
        e = winacct_at(t, i);
        FUZZ_CHECK(e != NULL && e->line > last);
        last = e->line;
        FUZZ_CHECK(winacct_split_name(e->name, strlen(e->name), &n, err, sizeof err) == 0);
        FUZZ_CHECK(e->root[0] != '\0');
        FUZZ_CHECK(e->max_sessions <= WINACCT_MAX_SESSIONS && e->rate_limit <= WINACCT_MAX_RATE);
    }
    FUZZ_CHECK(winacct_at(t, winacct_count(t)) == NULL);
    picked = winacct_pick(t, match_odd_lines, NULL);
    if (picked != NULL) {
        for (i = 0; i < winacct_count(t) && winacct_at(t, i) != picked; i++)
            ;
        FUZZ_CHECK(i < winacct_count(t) && match_odd_lines(NULL, picked) == 1);
    }
    winacct_free(t);
    return 0;
}
