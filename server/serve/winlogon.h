/* winlogon.h - logging on as a Windows account (windows_accounts = 1) and
 * opening files as it.
 *
 * winlogon_logon() is the whole login of a USER name that
 * winacct_route_name() sends to Windows: LogonUserW (a network logon), then
 * the token is checked before anything trusts it: GetTokenInformation
 * (TokenUser) must read it, and its user SID must be the SID
 * LookupAccountNameW gives for the name (EqualSid). Wine's LogonUserW
 * returns success and the fake handle 0xdeadbeef for any password, so there
 * the check fails and every Windows logon is refused: fail closed. Then the
 * account's root is picked from accounts.ini's table (winacct_pick): its own
 * [windows] section, else the first [windows-group] it is a member of
 * (CheckTokenMembership); none is a refusal too.
 *
 * Every Win32 call goes through struct winlogon_ops, so that the unit tests
 * (tests/unit/test_winlogon.c, under Wine) drive each decision with fakes;
 * the server passes &winlogon_system_ops. Any thread may call these; they
 * keep no state. A token from winlogon_logon belongs to its caller (one
 * session) until winlogon_close. */
#ifndef MTS_WINLOGON_H
#define MTS_WINLOGON_H

#include <stddef.h>
#include <windows.h>

#include "winacct.h"

struct winlogon_ops {
    BOOL(WINAPI *logon_user)(LPCWSTR user, LPCWSTR domain, LPCWSTR password, DWORD type,
                             DWORD provider, PHANDLE token);
    BOOL(WINAPI *get_token_information)(HANDLE token, TOKEN_INFORMATION_CLASS cls, LPVOID buf,
                                        DWORD cap, PDWORD len);
    BOOL(WINAPI *lookup_account_name)(LPCWSTR system, LPCWSTR name, PSID sid, LPDWORD sid_cap,
                                      LPWSTR domain, LPDWORD domain_cap, PSID_NAME_USE use);
    BOOL(WINAPI *equal_sid)(PSID a, PSID b);
    BOOL(WINAPI *check_token_membership)(HANDLE token, PSID sid, PBOOL is_member);
    BOOL(WINAPI *impersonate_logged_on_user)(HANDLE token);
    BOOL(WINAPI *revert_to_self)(void);
    HANDLE(WINAPI *create_file)(LPCWSTR path, DWORD access, DWORD share,
                                LPSECURITY_ATTRIBUTES sa, DWORD disposition, DWORD flags,
                                HANDLE template_file);
    BOOL(WINAPI *close_handle)(HANDLE h);
    /* The thread could not go back to the service's own identity: the
     * process must not run on (the system's ends it at once). */
    void (*fatal)(const char *why);
};

extern const struct winlogon_ops winlogon_system_ops;

/* Why a Windows logon was refused (the client gets today's wrong-password
 * line for each; the reason is for the log). */
enum winlogon_result {
    WINLOGON_OK = 0,
    WINLOGON_BAD_NAME,     /* not DOMAIN\name or name@domain (winacct_split_name) */
    WINLOGON_LOGON_FAILED, /* LogonUserW said no: wrong password, unknown or disabled account */
    WINLOGON_NOT_A_TOKEN,  /* GetTokenInformation could not read it (Wine's fake token) */
    WINLOGON_NAME_UNKNOWN, /* LookupAccountNameW gave no user SID for the name */
    WINLOGON_SID_MISMATCH, /* the token's user is another account */
    WINLOGON_NO_ROOT       /* no [windows] section for the account or its groups */
};

struct winlogon_login {
    HANDLE token;                      /* NULL unless WINLOGON_OK */
    const struct winacct_entry *entry; /* its root and limits; points into the table */
    /* Copies a session keeps after the table it logged in by is gone (a
     * reload): the account's SID as text (its sessions' key), the picked
     * section's kind and name (malloc'd; the session ends when a later
     * table lacks it or gives it other values), its root (malloc'd),
     * rate_limit and max_sessions. */
    char sid[WINACCT_SID_TEXT_MAX];
    enum winacct_kind kind;
    char *section;
    char *root;
    uint64_t rate_limit;
    unsigned max_sessions;
};

/* Logs on as name[0..len) (UTF-8, DOMAIN\name or name@domain) with the
 * UTF-8 password, which must not be NULL. Returns WINLOGON_OK with the token
 * and the table's entry in *out, or the reason with a log line's text in
 * why ("Windows logon: the token is not a real one (GetTokenInformation:
 * error 6: ...)"), which never holds the password. */
enum winlogon_result winlogon_logon(const struct winlogon_ops *ops, const struct winacct_table *t,
                                    const char *name, size_t len, const char *password,
                                    struct winlogon_login *out, char *why, size_t whycap);

/* Closes a login's token (NULL is fine) and frees its copies. */
void winlogon_close(const struct winlogon_ops *ops, struct winlogon_login *login);

/* Runs fn(ctx) while the calling thread impersonates token, and reverts
 * whatever fn returns. Returns fn's value, or -1 with *err set when the
 * impersonation could not start (fn did not run). A failed revert calls
 * ops->fatal: the thread may not go on as the account. */
int winlogon_run_as(const struct winlogon_ops *ops, HANDLE token, int (*fn)(void *ctx), void *ctx,
                    DWORD *err);

/* CreateFileW(path, access, share, NULL, disposition, flags, NULL) as
 * token's account, so that the file's DACL judges that account (NTFS
 * permissions in addition to the root's jail). Returns the handle, or
 * INVALID_HANDLE_VALUE with the error (CreateFileW's or the impersonation's)
 * in *err. */
HANDLE winlogon_open_file(const struct winlogon_ops *ops, HANDLE token, const wchar_t *path,
                          DWORD access, DWORD share, DWORD disposition, DWORD flags, DWORD *err);

/* Whose files a session opens: rootfs.h's open_ctx for winlogon_open_as. */
struct winlogon_as {
    const struct winlogon_ops *ops;
    HANDLE token;
};

/* rootfs.h's open_as for a Windows account's session (ctx a struct
 * winlogon_as): winlogon_open_file with no security attributes, the last
 * error set as CreateFileW sets it, so that rootfs judges the failure as
 * it judges the service's own (ERROR_ACCESS_DENIED: denied). */
HANDLE winlogon_open_as(void *ctx, const wchar_t *path, DWORD access, DWORD share,
                        DWORD disposition, DWORD flags);

#endif
