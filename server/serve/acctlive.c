/* acctlive.c - the live account table and its sessions (see acctlive.h). */
#include "acctlive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct acctsnap *snap_new(struct accounts *table, struct winacct_table *windows)
{
    struct acctsnap *s = malloc(sizeof *s);
    char err[100];

    if (table == NULL && accounts_parse("", 0, &table, err, sizeof err) != 0)
        table = NULL;
    if (s == NULL || table == NULL) {
        free(s);
        accounts_free(table);
        winacct_free(windows);
        return NULL;
    }
    s->refs = 1; /* the holder's: struct acctlive's current */
    s->table = table;
    s->windows = windows;
    return s;
}

int acctlive_init(struct acctlive *l, struct accounts *table)
{
    memset(l, 0, sizeof *l);
    l->current = snap_new(table, NULL);
    if (l->current == NULL)
        return -1;
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
        winacct_free(s->windows);
        free(s);
    }
}

/* The account a session may go on with in table: there and enabled. */
static const struct account *usable(const struct accounts *table, const struct acctlive_session *s)
{
    const struct account *a = accounts_find(table, s->name, s->name_len);

    return a != NULL && a->enabled ? a : NULL;
}

/* A Windows account's session may go on while the section it logged in by
 * is there. */
static const struct winacct_entry *section_of(const struct acctsnap *snap,
                                              const struct acctlive_session *s)
{
    return winacct_find(snap->windows, s->section_kind, s->section, s->section_len);
}

/* Whether session s may go on under `after`, having logged in under
 * `before`: a Windows account's while its section is there with the values
 * it logged in by; a store
 * account's while it is there, enabled and giving the same access (a new
 * password, root or limits is access taken back or changed). */
static int goes_on(const struct acctsnap *before, const struct acctsnap *after,
                   const struct acctlive_session *s)
{
    const struct account *now, *was;

    if (s->sid != NULL) {
        const struct winacct_entry *e = section_of(after, s);
        return e != NULL && strcmp(e->root, s->section_root) == 0 &&
               e->rate_limit == s->section_rate && e->max_sessions == s->section_max;
    }
    now = usable(after->table, s);
    was = accounts_find(before->table, s->name, s->name_len);
    return now != NULL && was != NULL && accounts_same_access(was, now);
}

int acctlive_swap(struct acctlive *l, struct accounts *table, struct winacct_table *windows)
{
    struct acctsnap *fresh = snap_new(table, windows), *old;
    int ended = 0;

    if (fresh == NULL)
        return -1;
    EnterCriticalSection(&l->lock);
    old = l->current;
    l->current = fresh;
    for (struct acctlive_session *s = l->sessions; s != NULL; s = s->next) {
        if (!s->gone && !goes_on(old, fresh, s)) {
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

/* Whether two open sessions are of one account: a store account's as
 * above; a Windows account's by its SID, so that DOMAIN\name and
 * name@domain count as one; never one of each. */
static int same_account(const struct accounts *t, const struct acctlive_session *a,
                        const struct acctlive_session *b)
{
    const struct account *x;

    if ((a->sid == NULL) != (b->sid == NULL))
        return 0;
    if (a->sid != NULL)
        return strcmp(a->sid, b->sid) == 0;
    x = account_of(t, a);
    return x != NULL && x == account_of(t, b);
}

/* The max_sessions of s's account (or section) in the current table, 0
 * for max_per_account; -1 when it is no longer served. */
static long own_limit(const struct acctlive *l, const struct acctlive_session *s)
{
    const struct winacct_entry *e;
    const struct account *a;

    if (s->sid != NULL) {
        e = section_of(l->current, s);
        return e != NULL ? (long)e->max_sessions : -1;
    }
    a = usable(l->current->table, s);
    return a != NULL ? (long)a->max_sessions : -1;
}

enum acctlive_enter_result acctlive_enter(struct acctlive *l, struct acctlive_session *s,
                                          const struct account *seen, unsigned max_per_account)
{
    long own;
    unsigned limit, count = 0;
    enum acctlive_enter_result rc = ACCTLIVE_ENTERED;

    EnterCriticalSection(&l->lock);
    own = own_limit(l, s);
    /* A swap between the login's read and now compared tables this
     * session was not yet in: compare with what the login saw instead. */
    if (own < 0 || (s->sid == NULL && !accounts_same_access(usable(l->current->table, s), seen))) {
        rc = ACCTLIVE_GONE;
        goto out;
    }
    limit = own != 0 ? (unsigned)own : max_per_account;
    /* A walk over the open account sessions (at most max_clients), not
     * over the accounts: the count does not grow with the store. */
    for (struct acctlive_session *o = l->sessions; limit != 0 && o != NULL; o = o->next) {
        if (!o->gone && same_account(l->current->table, o, s))
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

/* The Windows accounts' part of acctlive_describe, under the lock: each
 * once, at its first session in the list, with its count. Windows sessions
 * are few beside a store's, and are counted against each other only. */
static unsigned describe_windows(const struct acctlive *l, char *out, size_t cap)
{
    size_t used = strlen(out);
    unsigned total = 0;

    for (const struct acctlive_session *s = l->sessions; s != NULL; s = s->next) {
        const struct acctlive_session *o;
        unsigned count = 0;
        int w;
        if (s->gone || s->sid == NULL)
            continue;
        total++;
        for (o = l->sessions; o != s; o = o->next) {
            if (!o->gone && o->sid != NULL && strcmp(o->sid, s->sid) == 0)
                break;
        }
        if (o != s)
            continue;
        for (o = s; o != NULL; o = o->next)
            count += !o->gone && o->sid != NULL && strcmp(o->sid, s->sid) == 0;
        w = snprintf(out + used, cap - used, "%s%.*s=%u", used > 0 ? " " : "", (int)s->name_len,
                     s->name, count);
        if (w < 0 || (size_t)w >= cap - used)
            out[used] = '\0'; /* cut short: the total still counts them */
        else
            used += (size_t)w;
    }
    return total;
}

unsigned acctlive_describe(struct acctlive *l, char *out, size_t cap)
{
    size_t *seen = NULL;
    struct acctsnap *snap;
    size_t room = 0, n = 0;
    char windows[512] = "";
    unsigned windows_total;

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
        const struct account *a = s->gone || s->sid != NULL ? NULL : account_of(l->current->table, s);
        if (a != NULL)
            seen[n++] = accounts_index_of(l->current->table, a);
    }
    windows_total = describe_windows(l, windows, sizeof windows);
    /* The names stay while this reference is held: the tally runs
     * outside the lock, and the client threads do not wait for it. */
    snap = l->current;
    InterlockedIncrement(&snap->refs);
    LeaveCriticalSection(&l->lock);
    accounts_tally(snap->table, seen, n, out, cap);
    acctlive_release(snap);
    free(seen);
    if (windows[0] != '\0' && cap > 0) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s%s", used > 0 ? " " : "", windows);
    }
    return (unsigned)n + windows_total;
}
