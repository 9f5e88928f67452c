/* winlogon.c - logging on as a Windows account and opening files as it
 * (see winlogon.h).
 *
 * No state: every call stands alone, on whichever client thread makes it.
 * The order of the checks is the security argument (SECURITY.md, "Windows
 * accounts"): a token is trusted only once its user SID has been read and
 * matched to the name, and only a plain yes from Windows maps a section. */
#include "winlogon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winerr.h"
#include "wstr.h"

static void system_fatal(const char *why)
{
    /* Going on would serve files as the last account impersonated; the
     * service's recovery actions start it again. */
    fprintf(stderr, "mtserver: %s\n", why);
    TerminateProcess(GetCurrentProcess(), ERROR_INVALID_STATE);
}

const struct winlogon_ops winlogon_system_ops = {
    LogonUserW,   GetTokenInformation,     LookupAccountNameW, EqualSid,
    CheckTokenMembership, ImpersonateLoggedOnUser, RevertToSelf, CreateFileW,
    CloseHandle,  system_fatal,
};

/* A SID of at most SECURITY_MAX_SID_SIZE bytes, kept aligned for the API. */
union sid_buf {
    SID sid;
    BYTE bytes[SECURITY_MAX_SID_SIZE];
};

static enum winlogon_result refuse(enum winlogon_result r, char *why, size_t whycap,
                                   const char *what, const char *call, DWORD e)
{
    char text[300];

    if (call != NULL)
        snprintf(why, whycap, "Windows logon: %s (%s: %s)", what, call,
                 winerr_text(e, text, sizeof text));
    else
        snprintf(why, whycap, "Windows logon: %s", what);
    return r;
}

/* The SID of an account or group name (UTF-8) and what kind it is. A name
 * whose domain is "." is this machine's: LookupAccountNameW does not take
 * ".", and an unqualified name is looked up on this machine first. */
static int lookup_sid(const struct winlogon_ops *ops, const char *name, union sid_buf *sid,
                      SID_NAME_USE *use, DWORD *err)
{
    wchar_t *wname, domain[256];
    DWORD cap = sizeof *sid, dcap = sizeof domain / sizeof domain[0];
    const char *plain = strncmp(name, ".\\", 2) == 0 ? name + 2 : name;
    BOOL ok;

    wname = wstr_from_utf8(plain, strlen(plain));
    if (wname == NULL) {
        *err = ERROR_NOT_ENOUGH_MEMORY;
        return -1;
    }
    ok = ops->lookup_account_name(NULL, wname, sid, &cap, domain, &dcap, use);
    *err = ok ? ERROR_SUCCESS : GetLastError();
    free(wname);
    return ok ? 0 : -1;
}

/* What winacct_pick asks about each section: the logged-on user's SID and
 * token. */
struct match_ctx {
    const struct winlogon_ops *ops;
    HANDLE token;
    PSID user;
};

static int match_entry(void *p, const struct winacct_entry *e)
{
    struct match_ctx *m = p;
    union sid_buf sid;
    SID_NAME_USE use;
    BOOL member = FALSE;
    DWORD err;

    if (lookup_sid(m->ops, e->name, &sid, &use, &err) != 0)
        return -1;
    if (e->kind == WINACCT_USER)
        return use == SidTypeUser && m->ops->equal_sid(&sid, m->user) ? 1 : 0;
    /* A [windows-group] must name a group: a user's SID there would match
     * no token's groups anyway, but the admin meant something else. */
    if (use != SidTypeGroup && use != SidTypeAlias && use != SidTypeWellKnownGroup)
        return 0;
    if (!m->ops->check_token_membership(m->token, &sid, &member))
        return -1;
    return member ? 1 : 0;
}

static char *copy_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

/* What the session keeps of a login (winlogon.h): the SID as text and the
 * picked entry's parts, copied out of the table. */
static enum winlogon_result keep_copies(struct winlogon_login *out, PSID user, char *why,
                                        size_t whycap)
{
    const SID *sid = user;
    size_t len = 8 + 4u * sid->SubAuthorityCount; /* GetLengthSid's sum, on bytes read already */

    if (winacct_sid_text((const unsigned char *)sid, len, out->sid, sizeof out->sid) == 0)
        return refuse(WINLOGON_SID_MISMATCH, why, whycap, "the token's user SID does not read",
                      NULL, 0);
    out->kind = out->entry->kind;
    out->rate_limit = out->entry->rate_limit;
    out->max_sessions = out->entry->max_sessions;
    out->section = copy_text(out->entry->name);
    out->root = copy_text(out->entry->root);
    if (out->section == NULL || out->root == NULL) {
        free(out->section);
        free(out->root);
        out->section = out->root = NULL;
        return refuse(WINLOGON_LOGON_FAILED, why, whycap, "memory ran out", NULL, 0);
    }
    return WINLOGON_OK;
}

enum winlogon_result winlogon_logon(const struct winlogon_ops *ops, const struct winacct_table *t,
                                    const char *name, size_t len, const char *password,
                                    struct winlogon_login *out, char *why, size_t whycap)
{
    struct winacct_name parts;
    union {
        TOKEN_USER user;
        BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    } info;
    union sid_buf sid;
    SID_NAME_USE use;
    char text[WINACCT_NAME_MAX + 1], reason[200];
    wchar_t *wuser = NULL, *wdomain = NULL, *wpassword = NULL;
    HANDLE token = NULL;
    struct match_ctx m;
    DWORD n, e = ERROR_SUCCESS;
    BOOL ok;
    enum winlogon_result r;

    memset(out, 0, sizeof *out);
    if (winacct_split_name(name, len, &parts, reason, sizeof reason) != 0)
        return refuse(WINLOGON_BAD_NAME, why, whycap, reason, NULL, 0);
    memcpy(text, name, len);
    text[len] = '\0';
    /* A user principal name goes whole with no domain, as LogonUserW asks. */
    if (parts.form == WINACCT_FORM_UPN) {
        wuser = wstr_from_utf8(text, len);
    } else {
        wuser = wstr_from_utf8(parts.user, strlen(parts.user));
        wdomain = wstr_from_utf8(parts.domain, strlen(parts.domain));
    }
    wpassword = wstr_from_utf8(password, strlen(password));
    if (wuser == NULL || (parts.form == WINACCT_FORM_DOWNLEVEL && wdomain == NULL) ||
        wpassword == NULL) {
        r = refuse(WINLOGON_LOGON_FAILED, why, whycap,
                   "the name or password is not UTF-8, or memory ran out", NULL, 0);
        goto out;
    }
    /* A network logon: no interactive right needed, no profile loaded, and
     * the token it gives is an impersonation token. */
    ok = ops->logon_user(wuser, wdomain, wpassword, LOGON32_LOGON_NETWORK,
                         LOGON32_PROVIDER_DEFAULT, &token);
    e = ok ? ERROR_SUCCESS : GetLastError();
    if (!ok) {
        token = NULL;
        r = refuse(WINLOGON_LOGON_FAILED, why, whycap, "LogonUserW refused the account", "LogonUserW",
                   e);
        goto out;
    }
    /* Trust nothing about the handle until it reads as a token. One that
     * does not may be no token at all (Wine's fake 0xdeadbeef) and is left
     * unclosed: a handle we were not given may be someone else's. */
    if (!ops->get_token_information(token, TokenUser, &info, sizeof info, &n)) {
        e = GetLastError();
        token = NULL;
        r = refuse(WINLOGON_NOT_A_TOKEN, why, whycap, "the token is not a real one",
                   "GetTokenInformation", e);
        goto out;
    }
    if (lookup_sid(ops, text, &sid, &use, &e) != 0 || use != SidTypeUser) {
        r = refuse(WINLOGON_NAME_UNKNOWN, why, whycap, "the name is no user account",
                   e != ERROR_SUCCESS ? "LookupAccountNameW" : NULL, e);
        goto out;
    }
    if (!ops->equal_sid(&sid, info.user.User.Sid)) {
        r = refuse(WINLOGON_SID_MISMATCH, why, whycap,
                   "the token's user is not the account named", NULL, 0);
        goto out;
    }
    m.ops = ops;
    m.token = token;
    m.user = info.user.User.Sid;
    out->entry = winacct_pick(t, match_entry, &m);
    if (out->entry == NULL) {
        r = refuse(WINLOGON_NO_ROOT, why, whycap,
                   "no [windows] or [windows-group] section in accounts.ini is the account's",
                   NULL, 0);
        goto out;
    }
    r = keep_copies(out, info.user.User.Sid, why, whycap);
    if (r != WINLOGON_OK) {
        out->entry = NULL;
        goto out;
    }
    out->token = token;
    token = NULL;
out:
    if (token != NULL)
        ops->close_handle(token);
    if (wpassword != NULL)
        SecureZeroMemory(wpassword, wcslen(wpassword) * sizeof(wchar_t));
    free(wuser);
    free(wdomain);
    free(wpassword);
    return r;
}

void winlogon_close(const struct winlogon_ops *ops, struct winlogon_login *login)
{
    if (login->token != NULL)
        ops->close_handle(login->token);
    free(login->section);
    free(login->root);
    memset(login, 0, sizeof *login);
}

int winlogon_run_as(const struct winlogon_ops *ops, HANDLE token, int (*fn)(void *ctx), void *ctx,
                    DWORD *err)
{
    int rc;

    if (!ops->impersonate_logged_on_user(token)) {
        *err = GetLastError();
        /* A failed impersonation may leave the thread half-changed on some
         * systems: revert anyway (RevertToSelf of a thread that is not
         * impersonating succeeds). */
        if (!ops->revert_to_self())
            ops->fatal("RevertToSelf failed after a failed ImpersonateLoggedOnUser");
        return -1;
    }
    rc = fn(ctx);
    if (!ops->revert_to_self())
        ops->fatal("RevertToSelf failed: the thread cannot go back to the service's identity");
    return rc;
}

struct open_args {
    const struct winlogon_ops *ops;
    const wchar_t *path;
    DWORD access, share, disposition, flags, err;
    HANDLE h;
};

static int open_as_user(void *p)
{
    struct open_args *a = p;

    a->h = a->ops->create_file(a->path, a->access, a->share, NULL, a->disposition, a->flags, NULL);
    /* Taken now: RevertToSelf may change the last error. */
    a->err = a->h == INVALID_HANDLE_VALUE ? GetLastError() : ERROR_SUCCESS;
    return a->h == INVALID_HANDLE_VALUE ? -1 : 0;
}

HANDLE winlogon_open_file(const struct winlogon_ops *ops, HANDLE token, const wchar_t *path,
                          DWORD access, DWORD share, DWORD disposition, DWORD flags, DWORD *err)
{
    struct open_args a = {ops, path, access, share, disposition, flags, ERROR_SUCCESS,
                          INVALID_HANDLE_VALUE};

    if (winlogon_run_as(ops, token, open_as_user, &a, err) != 0 && a.h == INVALID_HANDLE_VALUE) {
        if (a.err != ERROR_SUCCESS)
            *err = a.err;
        return INVALID_HANDLE_VALUE;
    }
    *err = ERROR_SUCCESS;
    return a.h;
}

HANDLE winlogon_open_as(void *ctx, const wchar_t *path, DWORD access, DWORD share,
                        DWORD disposition, DWORD flags)
{
    const struct winlogon_as *as = ctx;
    DWORD err = ERROR_SUCCESS;
    HANDLE h = winlogon_open_file(as->ops, as->token, path, access, share, disposition, flags, &err);

    if (h == INVALID_HANDLE_VALUE)
        SetLastError(err);
    return h;
}
