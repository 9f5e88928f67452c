/* accounts.h - the account store, accounts.ini, parsed and edited portably.
 *
 * The store sits beside mtserver.ini and holds one section an account:
 *
 *     [account alice]
 *     password_hash = pbkdf2-sha256$...   (required; pwhash.h's format)
 *     root = D:\share\alice                (required)
 *     enabled = yes                        (yes|no; yes when left out)
 *     max_sessions = 0                     (0: the global setting)
 *     rate_limit = 0                       (bytes a second; 0: the global setting)
 *
 * accounts_parse() turns the whole text into an immutable table: once made,
 * nothing changes it, so any number of threads may read it without a lock
 * (the server shares it as a reference-counted snapshot; that is the
 * server's business, not this module's). Lookup by name is a binary search
 * over the names folded to lower case, so it does not grow with the store.
 *
 * The editors (accounts_add, accounts_remove, accounts_set) write a copy of
 * the text with one account's section added, removed or changed, keeping
 * every other byte as it was, and only ever produce a text that parses.
 * Nothing here allocates except accounts_parse(). */
#ifndef MTS_ACCOUNTS_H
#define MTS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#define ACCOUNTS_NAME_MAX 64               /* characters of a name, without its NUL */
#define ACCOUNTS_VALUE_MAX 1024            /* bytes of a value, with its NUL */
#define ACCOUNTS_MAX_SESSIONS 100000u      /* the largest max_sessions (max_clients' largest) */
#define ACCOUNTS_MAX_RATE 4294967295u /* the largest rate_limit, as the global one's */
/* The largest store read: an account `user add` writes takes about 220
 * bytes, so this holds some 70,000 (mtserver.ini's 1 MiB would not hold
 * 10,000). */
#define ACCOUNTS_FILE_MAX (16u << 20)

struct account {
    const char *name;          /* as the section header spells it */
    const char *password_hash; /* the text, checked by pwhash_parse() */
    const char *root;
    int enabled;           /* 1 or 0 */
    unsigned max_sessions; /* 0: the global setting */
    uint64_t rate_limit;   /* bytes a second; 0: the global setting */
    unsigned line;         /* the line of the section header */
};

struct accounts; /* opaque and immutable */

/* Parses the whole store buf[0..len). Returns 0 with a new table in *out
 * (an empty text gives an empty table), or a negative mts_error with
 * "line N: problem" in err and *out NULL. A duplicate name, in any case,
 * names both lines. MTS_ENOSPC means out of memory. */
int accounts_parse(const char *buf, size_t len, struct accounts **out, char *err, size_t errcap);

/* Frees a table from accounts_parse(); NULL is fine. */
void accounts_free(struct accounts *a);

/* How many accounts, and the i-th in the order of the file. */
size_t accounts_count(const struct accounts *a);
const struct account *accounts_at(const struct accounts *a, size_t i);

/* The account named name[0..len), compared without ASCII case, or NULL. */
const struct account *accounts_find(const struct accounts *a, const char *name, size_t len);

/* 1 when a and b give the same access: the same password hash, root,
 * state and limits (the name's spelling aside). A session of an account
 * whose access changed is ended as one of a removed account is. */
int accounts_same_access(const struct account *a, const struct account *b);

/* What the PBKDF2 iteration counts of a store's hashes are. One count for
 * all is what keeps names from being probed: an unknown name's answer costs
 * a dummy check at the store's count (docs/SECURITY.md). */
enum accounts_iterations {
    ACCOUNTS_ITER_NONE = 0,  /* no account with a hash that parses */
    ACCOUNTS_ITER_ONE = 1,   /* every one the same */
    ACCOUNTS_ITER_MIXED = 2, /* two or more counts */
};

/* The count of t's hashes that parse, the account skip aside (NULL: none):
 * *iterations is the first account's count (0 when there is none), and,
 * when MIXED, *odd the first account with another count (may be NULL). */
enum accounts_iterations accounts_iterations(const struct accounts *t, const struct account *skip,
                                             unsigned long *iterations, const struct account **odd);

/* When t mixes counts, writes into out "PBKDF2 iteration counts differ:
 * N for [account a] (line L), M for [account b] (line K): ..." (the risk
 * and the remedy) and returns 1; else out is "" and 0. */
int accounts_describe_mix(const struct accounts *t, char *out, size_t cap);

/* The place of a (an account of table t) in the file's order, as
 * accounts_at counts it. */
size_t accounts_index_of(const struct accounts *t, const struct account *a);

/* Writes "alice=2 bob=1" into out (cut short, at a whole entry, to fit
 * cap): each account of t whose place (accounts_index_of) is in
 * seen[0..n) (an open session's account each, an account as often as it
 * has sessions) once, with how many times it is there, in the file's
 * order and named as the store spells it. Sorts seen in place: O(n log n),
 * not a count per session. */
void accounts_tally(const struct accounts *t, size_t *seen, size_t n, char *out, size_t cap);

/* Returns 0 when name[0..len) is a valid account name (1 to 64 letters,
 * digits, '.', '-', '_' or '@'), or a negative mts_error with the reason,
 * which never echoes the name, in err. */
int accounts_check_name(const char *name, size_t len, char *err, size_t errcap);

#define ACCOUNTS_FILE_NAME "accounts.ini"

/* The store's path: accounts.ini in the folder of the configuration file
 * config (the part up to its last '\\', '/' or drive colon; none: the
 * current folder). Returns 0, or MTS_ENOSPC when it does not fit in cap. */
int accounts_path_beside(const char *config, char *out, size_t cap);

/* The fields of a new account. NULL texts are not allowed. */
struct account_new {
    const char *name;
    const char *password_hash;
    const char *root;
    int enabled;
    unsigned max_sessions;
    uint64_t rate_limit;
};

/* The editors below write into out a copy of the store buf[0..len), which
 * must parse. They return 0 with the new length in *outlen, MTS_ENOSPC with
 * the length needed in *outlen when outcap is too small, MTS_EEXIST (add: the
 * name is taken, in any case), MTS_ENOTFOUND (remove, set: no such account),
 * or another negative mts_error; with a message in err. New lines take the
 * store's line ending (CRLF or LF). */

/* Appends a section for a new account, after a blank line. */
int accounts_add(const char *buf, size_t len, const struct account_new *a, char *out, size_t outcap,
                 size_t *outlen, char *err, size_t errcap);

/* Removes the account's section: its header and every line up to its last
 * key; comments and blank lines after that belong to what follows and stay. */
int accounts_remove(const char *buf, size_t len, const char *name, char *out, size_t outcap,
                    size_t *outlen, char *err, size_t errcap);

/* Sets one key (password_hash, root, enabled, max_sessions, rate_limit) of
 * the account to value: its line is changed in place, or a new line goes
 * after the section's last key. The value must be one the parser takes. */
int accounts_set(const char *buf, size_t len, const char *name, const char *key, const char *value,
                 char *out, size_t outcap, size_t *outlen, char *err, size_t errcap);

#endif
