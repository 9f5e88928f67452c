/* winacct.h - Windows accounts (issue 23, windows_accounts = 1): the names
 * USER may give for one, and the table of roots in accounts.ini.
 *
 * The table is two kinds of section in accounts.ini, beside the store's
 * [account NAME] sections (which common/accounts.c reads; this module skips
 * them, and they skip these):
 *
 *     [windows CORP\alice]          one Windows account
 *     root = D:\share\alice          (required)
 *     max_sessions = 0               (0: the global setting)
 *     rate_limit = 0                 (bytes a second; 0: the global setting)
 *
 *     [windows-group CORP\Staff]     every member of a Windows group
 *     root = D:\share\staff
 *
 * An account's own section wins over its groups; among groups the first in
 * the file wins. Whether a section names the logged-on account or one of its
 * groups is Windows' answer (the SIDs), so winacct_pick() asks the caller
 * through a function pointer and only applies the order here.
 *
 * winacct_parse() makes an immutable table: once made nothing changes it,
 * so threads may share it without a lock. Nothing else here allocates. */
#ifndef MTS_WINACCT_H
#define MTS_WINACCT_H

#include <stddef.h>
#include <stdint.h>

/* A name's parts, without their NUL: a domain is a NetBIOS name or a DNS
 * name (at most 255), a user name is at most 104 characters of UTF-8 (the
 * sAMAccountName limit is 20, a user principal name's first part 64; both
 * fit), and the whole name as given at most WINACCT_NAME_MAX bytes. */
#define WINACCT_DOMAIN_MAX 255
#define WINACCT_USER_MAX 416
#define WINACCT_NAME_MAX 512
#define WINACCT_MAX_SESSIONS 100000u /* max_clients' largest */
#define WINACCT_MAX_RATE 4294967295u /* as the global rate_limit and [account]'s */

enum winacct_form {
    WINACCT_FORM_DOWNLEVEL, /* DOMAIN\name */
    WINACCT_FORM_UPN        /* name@domain */
};

/* A name split into its parts, each NUL-terminated. */
struct winacct_name {
    enum winacct_form form;
    char domain[WINACCT_DOMAIN_MAX + 1];
    char user[WINACCT_USER_MAX + 1];
};

/* Splits and checks name[0..len): DOMAIN\name or name@domain, exactly one
 * separator, neither part empty; the domain letters, digits, '.', '-' and
 * '_' ("." is this machine); the user name valid UTF-8 without control
 * characters or any of " / \ [ ] : ; | = , + * ? < > @ (the characters
 * Windows refuses in a logon name). Returns 0, or a negative mts_error with
 * the reason, which never echoes the name, in err. */
int winacct_split_name(const char *name, size_t len, struct winacct_name *out, char *err,
                       size_t errcap);

/* Where AUTH checks a USER name: a Windows logon when windows_accounts is
 * 1, the store has no account of that name, and the name has a '\' or an
 * '@' (the store's names may hold '@' too: its account comes first);
 * else the store, as without Windows accounts (an unknown name is refused
 * there after the same work as a wrong password). */
enum winacct_route {
    WINACCT_ROUTE_STORE,  /* the store's account, or an unknown name */
    WINACCT_ROUTE_WINDOWS /* winlogon_logon(), server/winlogon.h */
};
enum winacct_route winacct_route_name(int windows_accounts, int in_store, const char *name,
                                      size_t len);

/* The rule for USER's name, which the server's session and mtsclient
 * share: a name the store could have (accounts_check_name: 1 to 64
 * letters, digits, '.', '-', '_', '@'), or, when windows is 1, a Windows
 * account's name that winacct_split_name takes (at most WINACCT_NAME_MAX
 * bytes). Returns 0, or a negative mts_error with the reason in err (the
 * store's words for a name with neither '\' nor '@'); the name is never
 * repeated in err. */
int winacct_check_user_name(const char *name, size_t len, int windows, char *err, size_t errcap);

/* A SID as text, "S-1-5-21-...": the key a Windows account's sessions are
 * counted by (however USER spelled the name). sid[0..len) is the SID's
 * bytes as Windows lays them out (revision 1, the count of sub-authorities,
 * the 6-byte authority big-endian, then each sub-authority little-endian).
 * Returns the length written, or 0 when the bytes are no SID or cap is too
 * small (WINACCT_SID_TEXT_MAX always does). */
#define WINACCT_SID_TEXT_MAX 192
size_t winacct_sid_text(const unsigned char *sid, size_t len, char *out, size_t cap);

enum winacct_kind { WINACCT_USER, WINACCT_GROUP };

struct winacct_entry {
    enum winacct_kind kind;
    const char *name; /* as the section header spells it */
    const char *root;
    unsigned max_sessions; /* 0: the global setting */
    uint64_t rate_limit;   /* bytes a second; 0: the global setting */
    unsigned line;         /* the line of the section header */
};

struct winacct_table; /* opaque and immutable */

/* Parses the whole of accounts.ini, buf[0..len): its [windows NAME] and
 * [windows-group NAME] sections; [account NAME] sections are skipped with
 * their keys. Any other section, a key these sections do not know, a
 * missing root, a bad name (winacct_split_name) or the same section twice
 * (ASCII case folded; both lines named) is an error. Returns 0 with a new
 * table in *out (maybe empty), or a negative mts_error with "line N: ..."
 * in err and *out NULL; MTS_ENOSPC means out of memory. */
int winacct_parse(const char *buf, size_t len, struct winacct_table **out, char *err,
                  size_t errcap);

void winacct_free(struct winacct_table *t);

/* How many sections, and the i-th in the order of the file. */
size_t winacct_count(const struct winacct_table *t);
const struct winacct_entry *winacct_at(const struct winacct_table *t, size_t i);

/* Asks whether the logged-on account is the entry's user (kind USER) or a
 * member of its group (kind GROUP): 1 yes, 0 no, negative: it cannot be
 * told (the lookup failed), which never matches. */
typedef int (*winacct_match_fn)(void *ctx, const struct winacct_entry *e);

/* The section of that kind whose name is name (ASCII case folded, as
 * sections are told apart), or NULL: how a running session finds the
 * section it logged in by in a table read later. */
const struct winacct_entry *winacct_find(const struct winacct_table *t, enum winacct_kind kind,
                                         const char *name, size_t len);

/* The entry the logged-on account gets: the first USER section that
 * matches, else the first GROUP section that matches, else NULL. Each
 * section is asked at most once, users before groups. */
const struct winacct_entry *winacct_pick(const struct winacct_table *t, winacct_match_fn match,
                                         void *ctx);

/* The privileges the service is restricted to (SERVICE_CONFIG_REQUIRED_
 * PRIVILEGES_INFO's list), NULL-terminated: SeChangeNotifyPrivilege
 * always, SeImpersonatePrivilege only with windows_accounts (to open files
 * as the logged-on account). */
const char *const *winacct_service_privileges(int windows_accounts);

#endif
