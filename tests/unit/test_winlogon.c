/* test_winlogon.c - a Windows account's logon and its checks, each decision
 * driven through struct winlogon_ops with fakes; what a session keeps of
 * it and how its sessions are counted and ended (acctlive.c); its files
 * opened as the account through rootfs.c; then the real LogonUserW path,
 * which under Wine must be refused (Wine's LogonUserW returns the fake
 * token 0xdeadbeef for any password). Windows only (Win32 types and SIDs). */
#include <stdio.h>
#include <string.h>

#include "acctlive.h"
#include "check.h"
#include "rootfs.h"
#include "underwine.h"
#include "winacct.h"
#include "winlogon.h"

#define TOKEN ((HANDLE)(ULONG_PTR)0x1234)
#define FILE_H ((HANDLE)(ULONG_PTR)0x5678)

/* The fake system: accounts by name with a RID under one domain SID, the
 * logged-on token's user and groups, and a record of what was called. */
struct fake_name {
    const wchar_t *name;
    DWORD rid;
    SID_NAME_USE use;
};

static struct {
    BOOL logon_ok, token_readable, impersonate_ok, revert_ok, membership_ok;
    DWORD logon_err, create_err;
    DWORD user_rid;
    DWORD groups[4];
    wchar_t logon_user[128], logon_domain[128], logon_password[64];
    int logon_domain_null, logons, closes, impersonating, reverts, fatals, creates;
    int created_while_impersonating;
    wchar_t last_lookup[128];
} fk;

static const struct fake_name names[] = {
    {L"CORP\\alice", 1001, SidTypeUser},   {L"alice@corp.example", 1001, SidTypeUser},
    {L"CORP\\dave", 1002, SidTypeUser},    {L"CORP\\mallory", 1003, SidTypeUser},
    {L"CORP\\Staff", 2001, SidTypeGroup},  {L"CORP\\Everyone", 2002, SidTypeAlias},
    {L"CORP\\nobody", 1004, SidTypeUser},  {L"CORP\\printers", 2003, SidTypeDomain},
    {L"frank", 1005, SidTypeUser},
};

static void make_sid(DWORD rid, void *out)
{
    SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
    PSID sid = out;

    InitializeSid(sid, &nt, 5);
    *GetSidSubAuthority(sid, 0) = 21;
    *GetSidSubAuthority(sid, 1) = 11;
    *GetSidSubAuthority(sid, 2) = 22;
    *GetSidSubAuthority(sid, 3) = 33;
    *GetSidSubAuthority(sid, 4) = rid;
}

static DWORD sid_rid(PSID sid)
{
    return *GetSidSubAuthority(sid, 4);
}

static BOOL WINAPI fake_logon(LPCWSTR user, LPCWSTR domain, LPCWSTR password, DWORD type,
                              DWORD provider, PHANDLE token)
{
    fk.logons++;
    wcsncpy(fk.logon_user, user, 127);
    fk.logon_domain_null = domain == NULL;
    if (domain != NULL)
        wcsncpy(fk.logon_domain, domain, 127);
    wcsncpy(fk.logon_password, password, 63);
    if (type != LOGON32_LOGON_NETWORK || provider != LOGON32_PROVIDER_DEFAULT)
        return FALSE;
    if (!fk.logon_ok) {
        SetLastError(fk.logon_err);
        return FALSE;
    }
    *token = TOKEN;
    return TRUE;
}

static BOOL WINAPI fake_token_info(HANDLE token, TOKEN_INFORMATION_CLASS cls, LPVOID buf,
                                   DWORD cap, PDWORD len)
{
    TOKEN_USER *tu = buf;

    if (token != TOKEN || cls != TokenUser || !fk.token_readable) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *len = sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE;
    if (cap < *len) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    tu->User.Sid = (BYTE *)buf + sizeof(TOKEN_USER);
    tu->User.Attributes = 0;
    make_sid(fk.user_rid, tu->User.Sid);
    return TRUE;
}

static BOOL WINAPI fake_lookup(LPCWSTR system, LPCWSTR name, PSID sid, LPDWORD sid_cap,
                               LPWSTR domain, LPDWORD domain_cap, PSID_NAME_USE use)
{
    size_t i;

    (void)domain;
    (void)domain_cap;
    wcsncpy(fk.last_lookup, name, 127);
    if (system != NULL || *sid_cap < SECURITY_MAX_SID_SIZE)
        return FALSE;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (_wcsicmp(names[i].name, name) == 0) {
            make_sid(names[i].rid, sid);
            *use = names[i].use;
            return TRUE;
        }
    }
    SetLastError(ERROR_NONE_MAPPED);
    return FALSE;
}

static BOOL WINAPI fake_membership(HANDLE token, PSID sid, PBOOL member)
{
    size_t i;

    if (token != TOKEN || !fk.membership_ok) {
        SetLastError(ERROR_NO_IMPERSONATION_TOKEN);
        return FALSE;
    }
    *member = FALSE;
    for (i = 0; i < 4 && fk.groups[i] != 0; i++)
        if (fk.groups[i] == sid_rid(sid))
            *member = TRUE;
    return TRUE;
}

static BOOL WINAPI fake_impersonate(HANDLE token)
{
    if (token != TOKEN || !fk.impersonate_ok) {
        SetLastError(ERROR_CANNOT_IMPERSONATE);
        return FALSE;
    }
    fk.impersonating = 1;
    return TRUE;
}

static BOOL WINAPI fake_revert(void)
{
    fk.reverts++;
    if (!fk.revert_ok)
        return FALSE;
    fk.impersonating = 0;
    return TRUE;
}

static HANDLE WINAPI fake_create(LPCWSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                                 DWORD disposition, DWORD flags, HANDLE template_file)
{
    (void)access;
    (void)share;
    (void)sa;
    (void)disposition;
    (void)flags;
    (void)template_file;
    fk.creates++;
    fk.created_while_impersonating = fk.impersonating;
    if (fk.create_err != 0 || wcscmp(path, L"D:\\share\\alice\\a.txt") != 0) {
        SetLastError(fk.create_err != 0 ? fk.create_err : ERROR_FILE_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    return FILE_H;
}

static BOOL WINAPI fake_close(HANDLE h)
{
    (void)h;
    fk.closes++;
    return TRUE;
}

static void fake_fatal(const char *why)
{
    (void)why;
    fk.fatals++;
}

static const struct winlogon_ops fake_ops = {
    fake_logon,       fake_token_info, fake_lookup, EqualSid, fake_membership,
    fake_impersonate, fake_revert,     fake_create, fake_close, fake_fatal,
};

static const char table_text[] = "[account bob]\n"
                                 "root = D:\\share\\bob\n"
                                 "[windows-group CORP\\Staff]\n"
                                 "root = D:\\share\\staff\n"
                                 "[windows-group CORP\\printers]\n"
                                 "root = D:\\share\\printers\n"
                                 "[windows-group CORP\\Everyone]\n"
                                 "root = D:\\share\\all\n"
                                 "[windows CORP\\alice]\n"
                                 "root = D:\\share\\alice\n"
                                 "max_sessions = 2\n"
                                 "rate_limit = 1048576\n"
                                 "[windows .\\frank]\n"
                                 "root = D:\\share\\frank\n";

static struct winacct_table *table;
static char why[400];

/* A fresh fake system where alice's logon works, and the table. */
static void reset(DWORD user_rid)
{
    char err[200];

    memset(&fk, 0, sizeof fk);
    fk.logon_ok = fk.token_readable = fk.impersonate_ok = fk.revert_ok = fk.membership_ok = TRUE;
    fk.user_rid = user_rid;
    why[0] = '\0';
    if (table == NULL && winacct_parse(table_text, strlen(table_text), &table, err, sizeof err))
        fprintf(stderr, "the table does not parse: %s\n", err);
}

static enum winlogon_result logon(const char *name, struct winlogon_login *l)
{
    return winlogon_logon(&fake_ops, table, name, strlen(name), "s3cret pw", l, why, sizeof why);
}

static void test_a_real_looking_token_of_the_account_is_accepted(void)
{
    struct winlogon_login l;

    reset(1001);
    CHECK_INT(logon("CORP\\alice", &l), WINLOGON_OK);
    CHECK(l.token == TOKEN);
    CHECK(l.entry != NULL);
    CHECK_STR(l.entry->root, "D:\\share\\alice");
    CHECK_INT(l.entry->max_sessions, 2);
    CHECK(wcscmp(fk.logon_user, L"alice") == 0);
    CHECK(wcscmp(fk.logon_domain, L"CORP") == 0);
    CHECK(wcscmp(fk.logon_password, L"s3cret pw") == 0);
    CHECK(wcscmp(fk.last_lookup, L"CORP\\alice") == 0);
    CHECK_INT(fk.closes, 0);
    winlogon_close(&fake_ops, &l);
    CHECK_INT(fk.closes, 1);
    CHECK(l.token == NULL);
    winlogon_close(&fake_ops, &l);
    CHECK_INT(fk.closes, 1);
}

static void test_a_user_principal_name_logs_on_whole(void)
{
    struct winlogon_login l;

    reset(1001);
    CHECK_INT(logon("alice@corp.example", &l), WINLOGON_OK);
    CHECK(wcscmp(fk.logon_user, L"alice@corp.example") == 0);
    CHECK(fk.logon_domain_null);
    CHECK_STR(l.entry->root, "D:\\share\\alice");
    winlogon_close(&fake_ops, &l);
}

static void test_this_machines_account_is_looked_up_unqualified(void)
{
    struct winlogon_login l;

    reset(1005);
    CHECK_INT(logon(".\\frank", &l), WINLOGON_OK);
    CHECK(wcscmp(fk.logon_domain, L".") == 0);
    CHECK(wcscmp(fk.last_lookup, L"frank") == 0);
    CHECK_STR(l.entry->root, "D:\\share\\frank");
    winlogon_close(&fake_ops, &l);
}

static void test_a_token_of_another_account_is_refused(void)
{
    struct winlogon_login l;

    reset(1003); /* mallory's token for alice's name */
    CHECK_INT(logon("CORP\\alice", &l), WINLOGON_SID_MISMATCH);
    CHECK(l.token == NULL && l.entry == NULL);
    CHECK(strstr(why, "the token's user is not the account named") != NULL);
    CHECK_INT(fk.closes, 1);
}

static void test_a_token_that_cannot_be_read_is_refused_and_not_closed(void)
{
    struct winlogon_login l;

    reset(1001);
    fk.token_readable = FALSE;
    CHECK_INT(logon("CORP\\alice", &l), WINLOGON_NOT_A_TOKEN);
    CHECK(l.token == NULL && l.entry == NULL);
    /* the system's text after the number is Wine's or Windows' own */
    CHECK(strncmp(why, "Windows logon: the token is not a real one (GetTokenInformation: error 6",
                  strlen("Windows logon: the token is not a real one (GetTokenInformation: "
                         "error 6")) == 0);
    CHECK_INT(fk.closes, 0);
}

static void test_a_refused_logon_calls_nothing_more(void)
{
    struct winlogon_login l;

    reset(1001);
    fk.logon_ok = FALSE;
    fk.logon_err = ERROR_LOGON_FAILURE;
    CHECK_INT(logon("CORP\\alice", &l), WINLOGON_LOGON_FAILED);
    CHECK(strstr(why, "LogonUserW refused the account (LogonUserW: error 1326") != NULL);
    CHECK(strstr(why, "s3cret") == NULL);
    CHECK(fk.last_lookup[0] == L'\0');
    CHECK_INT(fk.closes, 0);
}

static void test_a_bad_name_never_reaches_logonuser(void)
{
    struct winlogon_login l;

    reset(1001);
    CHECK_INT(logon("alice", &l), WINLOGON_BAD_NAME);
    CHECK_INT(logon("CORP\\al*ce", &l), WINLOGON_BAD_NAME);
    CHECK(strstr(why, "Windows logon: a Windows account's user name") != NULL);
    CHECK_INT(fk.logons, 0);
}

static void test_a_name_that_is_no_user_is_refused(void)
{
    struct winlogon_login l;

    reset(2001);
    CHECK_INT(logon("CORP\\Staff", &l), WINLOGON_NAME_UNKNOWN); /* a group's name */
    CHECK(strstr(why, "the name is no user account") != NULL);
    CHECK_INT(fk.closes, 1);
    reset(1001);
    CHECK_INT(logon("CORP\\ghost", &l), WINLOGON_NAME_UNKNOWN);
    CHECK(strstr(why, "LookupAccountNameW: error 1332") != NULL);
    CHECK_INT(fk.closes, 1);
}

static void test_groups_pick_the_first_in_the_file(void)
{
    struct winlogon_login l;

    reset(1002); /* dave: no section of his own */
    fk.groups[0] = 2002;
    fk.groups[1] = 2001;
    CHECK_INT(logon("CORP\\dave", &l), WINLOGON_OK);
    CHECK_STR(l.entry->root, "D:\\share\\staff");
    winlogon_close(&fake_ops, &l);
    reset(1002);
    fk.groups[0] = 2002;
    CHECK_INT(logon("CORP\\dave", &l), WINLOGON_OK);
    CHECK_STR(l.entry->root, "D:\\share\\all");
    winlogon_close(&fake_ops, &l);
}

static void test_the_accounts_own_section_wins_over_its_groups(void)
{
    struct winlogon_login l;

    reset(1001);
    fk.groups[0] = 2001;
    fk.groups[1] = 2002;
    CHECK_INT(logon("CORP\\alice", &l), WINLOGON_OK);
    CHECK_STR(l.entry->root, "D:\\share\\alice");
    winlogon_close(&fake_ops, &l);
}

static void test_no_matching_section_is_refused(void)
{
    struct winlogon_login l;

    reset(1004); /* nobody: in no group of the table */
    CHECK_INT(logon("CORP\\nobody", &l), WINLOGON_NO_ROOT);
    CHECK(l.token == NULL && l.entry == NULL);
    CHECK(strstr(why, "no [windows] or [windows-group] section") != NULL);
    CHECK_INT(fk.closes, 1);
    /* a group section whose name is no group, and a membership check that
     * fails, never match */
    reset(1004);
    fk.groups[0] = 2003;
    CHECK_INT(logon("CORP\\nobody", &l), WINLOGON_NO_ROOT);
    reset(1002);
    fk.groups[0] = 2001;
    fk.membership_ok = FALSE;
    CHECK_INT(logon("CORP\\dave", &l), WINLOGON_NO_ROOT);
}

/* Opens alice's a.txt as her token through the fakes. */
static HANDLE open_alices_file(DWORD *err)
{
    *err = 0;
    return winlogon_open_file(&fake_ops, TOKEN, L"D:\\share\\alice\\a.txt", GENERIC_READ,
                              FILE_SHARE_READ, OPEN_EXISTING, 0, err);
}

static void test_open_file_impersonates_and_reverts(void)
{
    DWORD err;
    HANDLE h;

    reset(1001);
    h = open_alices_file(&err);
    CHECK(h == FILE_H);
    CHECK_INT(err, 0);
    CHECK_INT(fk.created_while_impersonating, 1);
    CHECK_INT(fk.impersonating, 0);
    CHECK_INT(fk.reverts, 1);
}

static void test_open_file_reverts_when_the_open_fails(void)
{
    DWORD err;
    HANDLE h;

    reset(1001);
    fk.create_err = ERROR_ACCESS_DENIED;
    h = open_alices_file(&err);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_INT(err, ERROR_ACCESS_DENIED);
    CHECK_INT(fk.impersonating, 0);
    CHECK_INT(fk.reverts, 1);
    CHECK_INT(fk.fatals, 0);
}

static void test_open_file_without_impersonation_opens_nothing(void)
{
    DWORD err;
    HANDLE h;

    reset(1001);
    fk.impersonate_ok = FALSE;
    h = open_alices_file(&err);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_INT(err, ERROR_CANNOT_IMPERSONATE);
    CHECK_INT(fk.creates, 0);
    CHECK_INT(fk.fatals, 0);
}

static void test_a_failed_revert_is_fatal(void)
{
    DWORD err;

    reset(1001);
    fk.revert_ok = FALSE;
    open_alices_file(&err);
    CHECK_INT(fk.fatals, 1);
}

/* What a session keeps of its login: the SID as its key, and the section's
 * kind, name, root and rate as copies that outlive the table. */
static void test_a_login_keeps_its_key_section_and_root(void)
{
    struct winlogon_login l;

    reset(1001);
    CHECK_INT(logon("alice@corp.example", &l), WINLOGON_OK);
    CHECK_STR(l.sid, "S-1-5-21-11-22-33-1001");
    CHECK_INT(l.kind, WINACCT_USER);
    CHECK_STR(l.section, "CORP\\alice");
    CHECK_STR(l.root, "D:\\share\\alice");
    CHECK(l.root != l.entry->root);
    CHECK_INT(l.rate_limit, 1048576);
    winlogon_close(&fake_ops, &l);
    CHECK(l.section == NULL && l.root == NULL && l.sid[0] == '\0');
    reset(1002);
    fk.groups[0] = 2001;
    CHECK_INT(logon("CORP\\dave", &l), WINLOGON_OK);
    CHECK_STR(l.sid, "S-1-5-21-11-22-33-1002");
    CHECK_INT(l.kind, WINACCT_GROUP);
    CHECK_STR(l.section, "CORP\\Staff");
    CHECK_STR(l.root, "D:\\share\\staff");
    CHECK_INT(l.rate_limit, 0);
    winlogon_close(&fake_ops, &l);
    /* A refusal keeps nothing. */
    reset(1004);
    CHECK_INT(logon("CORP\\nobody", &l), WINLOGON_NO_ROOT);
    CHECK(l.section == NULL && l.root == NULL && l.sid[0] == '\0');
}

/* A session as connacct.c enters it: the login's key and section. */
static void session_of(struct acctlive_session *s, const struct winlogon_login *l,
                       const char *name)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->name_len = strlen(name);
    s->ended = CreateEventW(NULL, TRUE, FALSE, NULL);
    s->sid = l->sid;
    s->section = l->section;
    s->section_len = strlen(l->section);
    s->section_kind = l->kind;
    s->section_root = l->root;
    s->section_rate = l->rate_limit;
    s->section_max = l->max_sessions;
}

static int ended(const struct acctlive_session *s)
{
    return WaitForSingleObject(s->ended, 0) == WAIT_OBJECT_0;
}

/* Sessions are counted per account by SID whatever USER's spelling, within
 * the section's max_sessions (0: the global one), and a table without the
 * section ends them while another section's go on. */
static void test_windows_sessions_are_counted_by_sid_and_end_with_their_section(void)
{
    static const char without_alice[] = "[windows-group CORP\\Staff]\nroot = D:\\share\\staff\n";
    struct acctlive live;
    struct winlogon_login alice1, alice2, dave;
    struct acctlive_session s1, s2, s3, d1, d2;
    struct winacct_table *t1 = NULL, *t2 = NULL;
    char err[200], text[200];

    CHECK_INT(acctlive_init(&live, NULL), 0);
    CHECK_INT(winacct_parse(table_text, strlen(table_text), &t1, err, sizeof err), 0);
    CHECK_INT(acctlive_swap(&live, NULL, t1), 0);
    reset(1001);
    CHECK_INT(logon("CORP\\alice", &alice1), WINLOGON_OK);
    CHECK_INT(logon("alice@corp.example", &alice2), WINLOGON_OK);
    reset(1002);
    fk.groups[0] = 2001;
    CHECK_INT(logon("CORP\\dave", &dave), WINLOGON_OK);
    session_of(&s1, &alice1, "CORP\\alice");
    session_of(&s2, &alice2, "alice@corp.example");
    session_of(&s3, &alice1, "corp\\ALICE");
    session_of(&d1, &dave, "CORP\\dave");
    session_of(&d2, &dave, "CORP\\dave");
    CHECK_INT(acctlive_enter(&live, &s1, NULL, 1), ACCTLIVE_ENTERED);
    CHECK_INT(acctlive_enter(&live, &s2, NULL, 1), ACCTLIVE_ENTERED);
    CHECK_INT(acctlive_enter(&live, &s3, NULL, 1), ACCTLIVE_FULL); /* her section's 2, both spellings */
    CHECK_INT(acctlive_enter(&live, &d1, NULL, 1), ACCTLIVE_ENTERED);
    CHECK_INT(acctlive_enter(&live, &d2, NULL, 1), ACCTLIVE_FULL); /* the group's 0: the global 1 */
    CHECK_INT(acctlive_describe(&live, text, sizeof text), 3);
    CHECK_STR(text, "CORP\\dave=1 alice@corp.example=2");
    /* alice's own section goes: her two sessions end, dave's group stays. */
    CHECK_INT(winacct_parse(without_alice, strlen(without_alice), &t2, err, sizeof err), 0);
    CHECK_INT(acctlive_swap(&live, NULL, t2), 2);
    CHECK(ended(&s1) && ended(&s2) && !ended(&d1));
    CHECK_INT(acctlive_enter(&live, &s3, NULL, 1), ACCTLIVE_GONE);
    CHECK_INT(acctlive_describe(&live, text, sizeof text), 1);
    CHECK_STR(text, "CORP\\dave=1");
    acctlive_leave(&live, &s1);
    acctlive_leave(&live, &s2);
    acctlive_leave(&live, &d1);
    CloseHandle(s1.ended);
    CloseHandle(s2.ended);
    CloseHandle(s3.ended);
    CloseHandle(d1.ended);
    CloseHandle(d2.ended);
    acctlive_free(&live);
    winlogon_close(&fake_ops, &alice1);
    winlogon_close(&fake_ops, &alice2);
    winlogon_close(&fake_ops, &dave);
}

/* A section that stays but serves otherwise (another root, rate or
 * max_sessions) ends the sessions that logged in by it, as a changed store
 * account's are ended; a section that did not change keeps its own. */
static void test_a_changed_section_ends_its_sessions(void)
{
    static const char staff_moved[] = "[windows-group CORP\\Staff]\nroot = D:\\share\\moved\n"
                                      "[windows CORP\\alice]\nroot = D:\\share\\alice\n"
                                      "max_sessions = 2\nrate_limit = 1048576\n";
    static const char alice_faster[] = "[windows-group CORP\\Staff]\nroot = D:\\share\\moved\n"
                                       "[windows CORP\\alice]\nroot = D:\\share\\alice\n"
                                       "max_sessions = 2\nrate_limit = 2097152\n";
    struct acctlive live;
    struct winlogon_login alice, dave;
    struct acctlive_session a1, d1;
    struct winacct_table *t1 = NULL, *t2 = NULL, *t3 = NULL;
    char err[200];

    CHECK_INT(acctlive_init(&live, NULL), 0);
    CHECK_INT(winacct_parse(table_text, strlen(table_text), &t1, err, sizeof err), 0);
    CHECK_INT(acctlive_swap(&live, NULL, t1), 0);
    reset(1001);
    CHECK_INT(logon("CORP\\alice", &alice), WINLOGON_OK);
    reset(1002);
    fk.groups[0] = 2001;
    CHECK_INT(logon("CORP\\dave", &dave), WINLOGON_OK);
    session_of(&a1, &alice, "CORP\\alice");
    session_of(&d1, &dave, "CORP\\dave");
    CHECK_INT(acctlive_enter(&live, &a1, NULL, 4), ACCTLIVE_ENTERED);
    CHECK_INT(acctlive_enter(&live, &d1, NULL, 4), ACCTLIVE_ENTERED);
    CHECK_INT(winacct_parse(staff_moved, strlen(staff_moved), &t2, err, sizeof err), 0);
    CHECK_INT(acctlive_swap(&live, NULL, t2), 1);
    CHECK(ended(&d1) && !ended(&a1));
    CHECK_INT(winacct_parse(alice_faster, strlen(alice_faster), &t3, err, sizeof err), 0);
    CHECK_INT(acctlive_swap(&live, NULL, t3), 1);
    CHECK(ended(&a1));
    acctlive_leave(&live, &a1);
    acctlive_leave(&live, &d1);
    CloseHandle(a1.ended);
    CloseHandle(d1.ended);
    acctlive_free(&live);
    winlogon_close(&fake_ops, &alice);
    winlogon_close(&fake_ops, &dave);
}

/* CreateFileW itself, recorded: whether it ran while impersonating. */
static HANDLE WINAPI recorded_create(LPCWSTR path, DWORD access, DWORD share,
                                     LPSECURITY_ATTRIBUTES sa, DWORD disposition, DWORD flags,
                                     HANDLE template_file)
{
    fk.creates++;
    fk.created_while_impersonating = fk.impersonating;
    if (fk.create_err != 0) {
        SetLastError(fk.create_err);
        return INVALID_HANDLE_VALUE;
    }
    return CreateFileW(path, access, share, sa, disposition, flags, template_file);
}

static const struct winlogon_ops disk_ops = {
    fake_logon,       fake_token_info, fake_lookup,     EqualSid,   fake_membership,
    fake_impersonate, fake_revert,     recorded_create, fake_close, fake_fatal,
};

/* A Windows account's session reads its root through rootfs with
 * winlogon_open_as (connacct.c sets it up so): every open impersonates and
 * reverts, the file's DACL saying no is a failure like the service's own,
 * and no impersonation opens nothing. */
static void test_a_windows_sessions_files_open_as_its_account(void)
{
    struct winlogon_as as = {&disk_ops, TOKEN};
    wchar_t dir[MAX_PATH], file[MAX_PATH];
    char root[MAX_PATH * 3], err[300];
    struct rootfs r;
    HANDLE h, d;
    wchar_t *full = NULL;
    uint64_t size = 0;
    DWORD n;

    GetTempPathW(MAX_PATH - 40, dir);
    swprintf(dir + wcslen(dir), 40, L"mts-winlogon-%lu", GetCurrentProcessId());
    CreateDirectoryW(dir, NULL);
    swprintf(file, MAX_PATH, L"%ls\\a.txt", dir);
    h = CreateFileW(file, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    WriteFile(h, "abc", 3, &n, NULL);
    CloseHandle(h);
    WideCharToMultiByte(CP_UTF8, 0, dir, -1, root, sizeof root, NULL, NULL);
    CHECK_INT(rootfs_init(&r, root, err, sizeof err), 0);
    r.open_as = winlogon_open_as;
    r.open_ctx = &as;
    reset(1001);
    CHECK_INT(rootfs_open(&r, "a.txt", 5, &h, &size), ROOTFS_OK);
    CHECK_INT(size, 3);
    CHECK_INT(fk.created_while_impersonating, 1);
    CHECK_INT(fk.impersonating, 0);
    CHECK_INT(fk.reverts, 1);
    CloseHandle(h);
    CHECK_INT(rootfs_open_folder(&r, "", 0, &d, &full), ROOTFS_OK);
    CHECK_INT(fk.creates, 2);
    CHECK_INT(fk.reverts, 2);
    CloseHandle(d);
    free(full);
    fk.create_err = ERROR_ACCESS_DENIED; /* the file's DACL refuses the account */
    CHECK_INT(rootfs_open(&r, "a.txt", 5, &h, &size), ROOTFS_FAILED);
    CHECK_INT(fk.reverts, 3);
    fk.create_err = 0;
    fk.impersonate_ok = FALSE;
    CHECK(rootfs_open(&r, "a.txt", 5, &h, &size) != ROOTFS_OK);
    CHECK_INT(fk.creates, 3);
    CHECK_INT(fk.fatals, 0);
    rootfs_free(&r);
    DeleteFileW(file);
    RemoveDirectoryW(dir);
}

/* The test: the real calls. Wine's LogonUserW says yes to any
 * password with the handle 0xdeadbeef; the token check must refuse it. On
 * Windows this account does not exist, so LogonUserW itself refuses. */
static void test_the_real_logon_refuses_wines_fake_token(void)
{
    struct winlogon_login l;
    enum winlogon_result r;

    reset(0);
    r = winlogon_logon(&winlogon_system_ops, table, "CORP\\alice", 10, "not the password", &l,
                       why, sizeof why);
    printf("  %s\n", why);
    CHECK(l.token == NULL && l.entry == NULL);
    if (underwine_running()) {
        CHECK_INT(r, WINLOGON_NOT_A_TOKEN);
        CHECK(strstr(why, "Windows logon: the token is not a real one (GetTokenInformation: "
                          "error 6") != NULL);
    } else {
        CHECK(r != WINLOGON_OK);
    }
}

int main(void)
{
    RUN_TEST(test_a_real_looking_token_of_the_account_is_accepted);
    RUN_TEST(test_a_user_principal_name_logs_on_whole);
    RUN_TEST(test_this_machines_account_is_looked_up_unqualified);
    RUN_TEST(test_a_token_of_another_account_is_refused);
    RUN_TEST(test_a_token_that_cannot_be_read_is_refused_and_not_closed);
    RUN_TEST(test_a_refused_logon_calls_nothing_more);
    RUN_TEST(test_a_bad_name_never_reaches_logonuser);
    RUN_TEST(test_a_name_that_is_no_user_is_refused);
    RUN_TEST(test_groups_pick_the_first_in_the_file);
    RUN_TEST(test_the_accounts_own_section_wins_over_its_groups);
    RUN_TEST(test_no_matching_section_is_refused);
    RUN_TEST(test_open_file_impersonates_and_reverts);
    RUN_TEST(test_open_file_reverts_when_the_open_fails);
    RUN_TEST(test_open_file_without_impersonation_opens_nothing);
    RUN_TEST(test_a_failed_revert_is_fatal);
    RUN_TEST(test_a_login_keeps_its_key_section_and_root);
    RUN_TEST(test_windows_sessions_are_counted_by_sid_and_end_with_their_section);
    RUN_TEST(test_a_changed_section_ends_its_sessions);
    RUN_TEST(test_a_windows_sessions_files_open_as_its_account);
    RUN_TEST(test_the_real_logon_refuses_wines_fake_token);
    winacct_free(table);
    return check_summary();
}
