/* acctlive.h - the accounts a running server serves, and their open
 * sessions.
 *
 * The table (common/accounts.h, with the Windows accounts' sections of
 * common/winacct.h beside it) is immutable; a new one is swapped in
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
 * A Windows account's session (windows_accounts) is the same but for its
 * key: it is counted by its SID (however USER spelled the name), its limit
 * is its [windows] or [windows-group] section's max_sessions, and it ends
 * when a new table no longer has that section.
 *
 * One lock guards the table pointer and the list of sessions. Sessions
 * belong to their client threads, which alone enter and leave them; the
 * watch thread only sets their events. */
#ifndef MTS_ACCTLIVE_H
#define MTS_ACCTLIVE_H

#include <stddef.h>
#include <windows.h>

#include "accounts.h"
#include "winacct.h"

/* A table shared by reference (acctlive_take, acctlive_release). */
struct acctsnap {
    volatile LONG refs;
    struct accounts *table; /* never NULL: an empty table when there are no accounts */
    struct winacct_table *windows; /* the [windows] sections; NULL: none */
};

/* One logged-in account session, in its connection's memory. */
struct acctlive_session {
    struct acctlive_session *prev, *next;
    const char *name; /* the account's name (compared without case) */
    size_t name_len;
    HANDLE ended; /* manual reset, the session's own: set when its account goes */
    int gone;     /* set with ended, under the lock */
    /* A Windows account's session: sid its key ("S-1-5-21-..."), section
     * the section it logged in by (section_len bytes; kind section_kind)
     * and the values it was served by; a table whose section gives others
     * ends it, as a changed store account is ended. sid NULL: a store
     * account's session. */
    const char *sid;
    const char *section;
    size_t section_len;
    enum winacct_kind section_kind;
    const char *section_root;
    uint64_t section_rate;
    unsigned section_max;
};

struct acctlive {
    CRITICAL_SECTION lock;
    struct acctsnap *current;
    struct acctlive_session *sessions; /* the list's head, or NULL */
    size_t open;                       /* how many sessions the list holds */
    volatile LONG changed;             /* 1 when sessions came or went since acctlive_describe */
};

enum acctlive_enter_result {
    ACCTLIVE_ENTERED = 0,
    ACCTLIVE_GONE = 1, /* removed, disabled or changed since the login read it */
    ACCTLIVE_FULL = 2, /* the account has as many sessions as it may */
};

/* Starts with table (taken over; NULL: no accounts). Returns 0, or -1 when
 * memory runs out (table is freed then). */
int acctlive_init(struct acctlive *l, struct accounts *table);
/* After the last client thread has ended. */
void acctlive_free(struct acctlive *l);

/* The current table, held until acctlive_release. */
struct acctsnap *acctlive_take(struct acctlive *l);
void acctlive_release(struct acctsnap *s);

/* Puts table and windows (both taken over; either may be NULL) in place of
 * the current ones and ends the sessions they no longer serve: of store
 * accounts they do not have, have disabled or have changed
 * (accounts_same_access against the table before), and of Windows
 * accounts whose section is gone. Returns how many sessions it ended, or
 * -1 when memory runs out (both are freed, the old ones stay). */
int acctlive_swap(struct acctlive *l, struct accounts *table, struct winacct_table *windows);

/* Enters s (name, name_len, ended, and for a Windows account sid and
 * section set by the caller) as a session of its account, within the
 * account's (or section's) max_sessions (0: max_per_account, the
 * session's own snapshot's max_sessions_per_account). seen is a
 * store account as the login read it (from an earlier snapshot): a current
 * one that differs (accounts_same_access) is ACCTLIVE_GONE; NULL for a
 * Windows account. */
enum acctlive_enter_result acctlive_enter(struct acctlive *l, struct acctlive_session *s,
                                          const struct account *seen, unsigned max_per_account);
void acctlive_leave(struct acctlive *l, struct acctlive_session *s);

/* "alice=2 bob=1 CORP\\carol=1": the accounts with sessions and how many,
 * cut short to fit cap; clears `changed`. The store's accounts first,
 * named as the store spells them and in its order: one walk over the open
 * sessions under the lock (a lookup each), then a sort outside it
 * (accounts_tally), O(n log n) in the sessions; then the Windows
 * accounts, counted by SID and named as USER named them in the most recent of
 * their sessions (under the lock; a Windows session is counted against
 * the other Windows sessions only). Returns the number of sessions. */
unsigned acctlive_describe(struct acctlive *l, char *out, size_t cap);

#endif
