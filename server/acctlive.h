/* acctlive.h - the accounts a running server serves, and their open
 * sessions.
 *
 * The table (common/accounts.h) is immutable; a new one is swapped in
 * whole when accounts.ini changes (acctwatch.c), as tlscred.c swaps
 * credentials. A login takes the current table with a reference
 * (acctlive_take), checks its password against it for as long as that
 * takes, and lets it go; a swap meanwhile frees the old table only when its
 * last reference goes.
 *
 * A logged-in account session is entered here (acctlive_enter) and left at
 * its end. Entering checks, under the same lock as a swap, that the account
 * is still there, enabled and unchanged (accounts_same_access) in the table
 * current now, and that it has fewer sessions than its limit; a swap ends
 * (sets `ended` of) every session whose account the new table no longer
 * has, has disabled, or gives another password, root or limits (access
 * taken back or changed: the session must log in again). So a login racing
 * a change either is ended by it or sees it.
 *
 * One lock guards the table pointer and the list of sessions. Sessions
 * belong to their client threads, which alone enter and leave them; the
 * watch thread only sets their events. */
#ifndef MTS_ACCTLIVE_H
#define MTS_ACCTLIVE_H

#include <stddef.h>
#include <windows.h>

#include "accounts.h"

/* A table shared by reference (acctlive_take, acctlive_release). */
struct acctsnap {
    volatile LONG refs;
    struct accounts *table; /* never NULL: an empty table when there are no accounts */
};

/* One logged-in account session, in its connection's memory. */
struct acctlive_session {
    struct acctlive_session *prev, *next;
    const char *name; /* the account's name (compared without case) */
    size_t name_len;
    HANDLE ended; /* manual reset, the session's own: set when its account goes */
    int gone;     /* set with ended, under the lock */
};

struct acctlive {
    CRITICAL_SECTION lock;
    struct acctsnap *current;
    struct acctlive_session *sessions; /* the list's head, or NULL */
    size_t open;                       /* how many sessions the list holds */
    unsigned max_per_account;          /* max_sessions_per_account; 0: no limit */
    volatile LONG changed;             /* 1 when sessions came or went since acctlive_describe */
};

enum acctlive_enter_result {
    ACCTLIVE_ENTERED = 0,
    ACCTLIVE_GONE = 1, /* removed, disabled or changed since the login read it */
    ACCTLIVE_FULL = 2, /* the account has as many sessions as it may */
};

/* Starts with table (taken over; NULL: no accounts). Returns 0, or -1 when
 * memory runs out (table is freed then). */
int acctlive_init(struct acctlive *l, struct accounts *table, unsigned max_per_account);
/* After the last client thread has ended. */
void acctlive_free(struct acctlive *l);

/* The current table, held until acctlive_release. */
struct acctsnap *acctlive_take(struct acctlive *l);
void acctlive_release(struct acctsnap *s);

/* Puts table (taken over) in place of the current one and ends the
 * sessions of accounts it does not have, has disabled or has changed
 * (accounts_same_access against the table before). Returns how many
 * sessions it ended, or -1 when memory runs out (table is freed, the old
 * one stays). */
int acctlive_swap(struct acctlive *l, struct accounts *table);

/* Enters s (name, name_len and ended set by the caller) as a session of
 * its account, within the account's max_sessions (0: max_per_account).
 * seen is the account as the login read it (from an earlier snapshot): a
 * current one that differs (accounts_same_access) is ACCTLIVE_GONE. */
enum acctlive_enter_result acctlive_enter(struct acctlive *l, struct acctlive_session *s,
                                          const struct account *seen);
void acctlive_leave(struct acctlive *l, struct acctlive_session *s);

/* "alice=2 bob=1": the accounts with sessions and how many (named as the
 * store spells them, in its order), cut short to fit cap; clears
 * `changed`. One walk over the open sessions under the lock (a lookup
 * each), then a sort outside it (accounts_tally): O(n log n) in the
 * sessions, not over the accounts. Returns the number of sessions. */
unsigned acctlive_describe(struct acctlive *l, char *out, size_t cap);

#endif
