/* accountstat.c - what an account store says about itself: whether its
 * accounts share one PBKDF2 iteration count (a login's timing must not
 * tell names apart), and the sessions per account counted for `mtserver
 * status` (see accounts.h). Through accounts.h's public reading only. */
#include "accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pwhash.h"

/* The iteration count of a's hash, or 0 when it does not parse. */
static unsigned long iterations_of(const struct account *a)
{
    struct pwhash h;
    char why[120];

    return pwhash_parse(&h, a->password_hash, strlen(a->password_hash), why, sizeof why) == 0
               ? h.iterations
               : 0;
}

enum accounts_iterations accounts_iterations(const struct accounts *t, const struct account *skip,
                                             unsigned long *iterations, const struct account **odd)
{
    enum accounts_iterations kind = ACCOUNTS_ITER_NONE;

    *iterations = 0;
    if (odd != NULL)
        *odd = NULL;
    for (size_t i = 0; i < accounts_count(t); i++) {
        const struct account *a = accounts_at(t, i);
        unsigned long n = a == skip ? 0 : iterations_of(a);
        if (n == 0)
            continue;
        if (kind == ACCOUNTS_ITER_NONE) {
            *iterations = n;
            kind = ACCOUNTS_ITER_ONE;
        } else if (n != *iterations) {
            if (odd != NULL)
                *odd = a;
            return ACCOUNTS_ITER_MIXED;
        }
    }
    return kind;
}

int accounts_describe_mix(const struct accounts *t, char *out, size_t cap)
{
    const struct account *first = NULL, *odd = NULL;
    unsigned long n;

    if (cap > 0)
        out[0] = '\0';
    if (accounts_iterations(t, NULL, &n, &odd) != ACCOUNTS_ITER_MIXED)
        return 0;
    for (size_t i = 0; first == NULL && i < accounts_count(t); i++) {
        if (iterations_of(accounts_at(t, i)) == n)
            first = accounts_at(t, i);
    }
    if (first != NULL && odd != NULL && cap > 0)
        snprintf(out, cap,
                 "PBKDF2 iteration counts differ: %lu for [account %s] (line %u), %lu for "
                 "[account %s] (line %u): the time of an answer can tell names apart; "
                 "give every account one count (mtserver user passwd)",
                 n, first->name, first->line, iterations_of(odd), odd->name, odd->line);
    return 1;
}

size_t accounts_index_of(const struct accounts *t, const struct account *a)
{
    return (size_t)(a - accounts_at(t, 0)); /* the accounts are one array */
}

static int by_place(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;

    return a < b ? -1 : a > b ? 1 : 0;
}

void accounts_tally(const struct accounts *t, size_t *seen, size_t n, char *out, size_t cap)
{
    size_t used = 0, i = 0;

    if (cap == 0)
        return;
    out[0] = '\0';
    if (n == 0)
        return;
    qsort(seen, n, sizeof seen[0], by_place);
    while (i < n && seen[i] < accounts_count(t)) {
        size_t j = i;
        int w;
        while (j < n && seen[j] == seen[i])
            j++;
        w = snprintf(out + used, cap - used, "%s%s=%lu", used > 0 ? " " : "",
                     accounts_at(t, seen[i])->name, (unsigned long)(j - i));
        if (w < 0 || (size_t)w >= cap - used) {
            out[used] = '\0'; /* cut short at a whole entry */
            return;
        }
        used += (size_t)w;
        i = j;
    }
}
