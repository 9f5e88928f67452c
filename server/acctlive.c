/* acctlive.c - the live account table and its sessions (see acctlive.h). */
#include "acctlive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct acctsnap *snap_new(struct accounts *table)
{
    struct acctsnap *s = malloc(sizeof *s);
    char err[100];

    if (table == NULL && accounts_parse("", 0, &table, err, sizeof err) != 0)
        table = NULL;
    if (s == NULL || table == NULL) {
        free(s);
        accounts_free(table);
        return NULL;
    }
    s->refs = 1; /* the holder's: struct acctlive's current */
    s->table = table;
    return s;
}

int acctlive_init(struct acctlive *l, struct accounts *table, unsigned max_per_account)
{
    memset(l, 0, sizeof *l);
    l->current = snap_new(table);
    if (l->current == NULL)
        return -1;
    l->max_per_account = max_per_account;
    InitializeCriticalSection(&l->lock);
    return 0;
}

void acctlive_free(struct acctlive *l)
{
    if (l->current == NULL)
        return;
    acctlive_release(l->current);
    l->current = NULL;
    DeleteCriticalSection(&l->lock);
}

struct acctsnap *acctlive_take(struct acctlive *l)
{
    struct acctsnap *s;

    EnterCriticalSection(&l->lock);
    s = l->current;
    InterlockedIncrement(&s->refs);
    LeaveCriticalSection(&l->lock);
    return s;
}

void acctlive_release(struct acctsnap *s)
{
    if (s != NULL && InterlockedDecrement(&s->refs) == 0) {
        accounts_free(s->table);
        free(s);
    }
}

/* The account a session may go on with in table: there and enabled. */
static const struct account *usable(const struct accounts *table, const struct acctlive_session *s)
{
    const struct account *a = accounts_find(table, s->name, s->name_len);

    return a != NULL && a->enabled ? a : NULL;
}

/* Whether session s, of an account in table `before`, may go on under
 * `after`: its account there, enabled, and giving the same access (a new
 * password, root or limits is access taken back or changed). */
static int goes_on(const struct accounts *before, const struct accounts *after,
                   const struct acctlive_session *s)
{
    const struct account *now = usable(after, s);
    const struct account *was = accounts_find(before, s->name, s->name_len);

    return now != NULL && was != NULL && accounts_same_access(was, now);
}

int acctlive_swap(struct acctlive *l, struct accounts *table)
{
    struct acctsnap *fresh = snap_new(table), *old;
    int ended = 0;

    if (fresh == NULL)
        return -1;
    EnterCriticalSection(&l->lock);
    old = l->current;
    l->current = fresh;
    for (struct acctlive_session *s = l->sessions; s != NULL; s = s->next) {
        if (!s->gone && !goes_on(old->table, fresh->table, s)) {
            s->gone = 1;
            SetEvent(s->ended);
            ended++;
            l->changed = 1;
        }
    }
    LeaveCriticalSection(&l->lock);
    acctlive_release(old);
    return ended;
}

/* The account of session o in the table t, found as a login finds it
 * (accounts.c folds the case): two sessions are of one account when they
 * find the same entry. */
static const struct account *account_of(const struct accounts *t, const struct acctlive_session *o)
{
    return accounts_find(t, o->name, o->name_len);
}

enum acctlive_enter_result acctlive_enter(struct acctlive *l, struct acctlive_session *s,
                                          const struct account *seen)
{
    const struct account *a;
    unsigned limit, count = 0;
    enum acctlive_enter_result rc = ACCTLIVE_ENTERED;

    EnterCriticalSection(&l->lock);
    a = usable(l->current->table, s);
    /* A swap between the login's read and now compared tables this
     * session was not yet in: compare with what the login saw instead. */
    if (a == NULL || !accounts_same_access(a, seen)) {
        rc = ACCTLIVE_GONE;
        goto out;
    }
    limit = a->max_sessions != 0 ? a->max_sessions : l->max_per_account;
    /* A walk over the open account sessions (at most max_clients), not
     * over the accounts: the count does not grow with the store. */
    for (struct acctlive_session *o = l->sessions; limit != 0 && o != NULL; o = o->next) {
        if (!o->gone && account_of(l->current->table, o) == a)
            count++;
    }
    if (limit != 0 && count >= limit) {
        rc = ACCTLIVE_FULL;
        goto out;
    }
    s->gone = 0;
    s->prev = NULL;
    s->next = l->sessions;
    if (l->sessions != NULL)
        l->sessions->prev = s;
    l->sessions = s;
    l->open++;
    l->changed = 1;
out:
    LeaveCriticalSection(&l->lock);
    return rc;
}

void acctlive_leave(struct acctlive *l, struct acctlive_session *s)
{
    EnterCriticalSection(&l->lock);
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        l->sessions = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
    l->open--;
    l->changed = 1;
    LeaveCriticalSection(&l->lock);
}

unsigned acctlive_describe(struct acctlive *l, char *out, size_t cap)
{
    size_t *seen = NULL;
    struct acctsnap *snap;
    size_t room = 0, n = 0;

    if (cap > 0)
        out[0] = '\0';
    /* The array is made outside the lock, as large as the list was; a
     * list that grew meanwhile makes it again. */
    EnterCriticalSection(&l->lock);
    while (room < l->open) {
        room = l->open + 16;
        LeaveCriticalSection(&l->lock);
        free(seen);
        seen = malloc(room * sizeof seen[0]);
        EnterCriticalSection(&l->lock);
        if (seen == NULL)
            break; /* out of memory: nothing said, nothing counted */
    }
    l->changed = 0;
    for (struct acctlive_session *s = l->sessions; seen != NULL && s != NULL; s = s->next) {
        const struct account *a = s->gone ? NULL : account_of(l->current->table, s);
        if (a != NULL)
            seen[n++] = accounts_index_of(l->current->table, a);
    }
    /* The names stay while this reference is held: the tally runs
     * outside the lock, and the client threads do not wait for it. */
    snap = l->current;
    InterlockedIncrement(&snap->refs);
    LeaveCriticalSection(&l->lock);
    accounts_tally(snap->table, seen, n, out, cap);
    acctlive_release(snap);
    free(seen);
    return (unsigned)n;
}
