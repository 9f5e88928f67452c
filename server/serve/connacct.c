/* connacct.c - a session logged in as an account (connstate.h): its
 * password, its folder, its place among the account's sessions, and its
 * end when the account is removed, disabled or changed. On the client
 * thread.
 *
 * A Windows account (windows_accounts = 1, a name winacct_route_name sends
 * to Windows) logs on through winlogon.c instead of the store's password:
 * the token it gets is the session's until its end, its section in
 * accounts.ini gives the folder and limits, and the session's files are
 * opened while impersonating it (rootfs.h's open_as). */
#include "connstate.h"

#include <stdio.h>
#include <string.h>

#include "credential.h"

/* What an unknown account's password is checked against, so that it costs
 * what a real check costs and the answer's timing says nothing: the
 * store's iteration count (`mtserver user` keeps one a store; the log
 * warns of a store that mixes them, where the first account's is used),
 * or `mtserver passwd`'s for an empty store. Nothing logs in with it: its
 * result is thrown away. */
static void make_dummy(const struct accounts *table, struct credential *d)
{
    unsigned long n = 0;

    if (table != NULL)
        accounts_iterations(table, NULL, &n, NULL);
    memset(d, 0, sizeof *d);
    d->mode = CREDENTIAL_PBKDF2;
    d->hash.iterations = n != 0 ? n : CREDENTIAL_ITERATIONS;
    d->hash.salt_len = PWHASH_SALT_DEFAULT;
    memset(d->hash.salt, 0x5a, PWHASH_SALT_DEFAULT);
}

/* A Windows account's password: its logon. Every refusal is a wrong
 * password to the client and the throttle; its reason goes to the log. */
static int windows_password(struct connection *c, const struct acctsnap *snap,
                            const struct session_action *act)
{
    struct winlogon_login login;
    char why[600], line[SESSION_USER_MAX + 800];

    if (winlogon_logon(c->cx->winlogon, snap->windows, act->user, act->user_len, act->arg,
                       &login, why, sizeof why) != WINLOGON_OK) {
        snprintf(line, sizeof line, "accounts: %s@%s: %s", act->user, c->peer, why);
        logsink_text(c->cx->log, line);
        return 0;
    }
    /* A second AUTH of a logged-in session checks the password only; its
     * first login's token stays the session's. */
    if (c->in_account) {
        winlogon_close(c->cx->winlogon, &login);
        return 1;
    }
    winlogon_close(c->cx->winlogon, &c->win);
    c->win = login;
    return 1;
}

void connacct_begin(struct connection *c)
{
    memset(&c->win, 0, sizeof c->win);
    c->in_account = 0;
    if (c->settings->windows_accounts)
        session_allow_windows_names(&c->session);
}

int connacct_password(struct connection *c, const struct session_action *act)
{
    struct acctsnap *snap;
    const struct account *a;
    struct credential check;
    char why[200];
    int ok = 0, real;

    /* A server without an account store (no configuration file) has no
     * account to hide: it answers at once, as for a wrong password, rather
     * than spend a PBKDF2 outside the auth gate, which such a server with
     * a clear password does not have. */
    if (c->cx->accounts == NULL)
        return 0;
    snap = acctlive_take(c->cx->accounts);
    a = accounts_find(snap->table, act->user, act->user_len);
    if (winacct_route_name(c->settings->windows_accounts, a != NULL, act->user,
                           act->user_len) == WINACCT_ROUTE_WINDOWS) {
        ok = windows_password(c, snap, act);
        acctlive_release(snap);
        return ok;
    }
    /* A hash that does not parse is the store's fault, not the client's:
     * answered as an unknown account, after the same work. */
    real = a != NULL && credential_from_hash(&check, a->password_hash, why, sizeof why) == 0;
    if (!real)
        make_dummy(snap->table, &check);
    ok = credential_check(&check, act->arg, act->arg_len);
    ok = ok && real && a->enabled;
    /* Kept for the login only: a second AUTH of a logged-in session leaves
     * none behind. */
    if (ok && !c->in_account)
        snprintf(c->acct_hash, sizeof c->acct_hash, "%s", a->password_hash);
    credential_free(&check);
    acctlive_release(snap);
    return ok;
}

/* The session entered among its account's (max_sessions), its folder set
 * up already in acct_root: the tail both kinds of login share. name is the
 * session's own copy, fixed from login on, as the log names the account;
 * seen the store's account as the login read it (a change since is not
 * let in), NULL for a Windows account. */
static enum outcome enter(struct connection *c, const char *name, size_t name_len,
                          const struct account *seen)
{
    enum outcome word = OUTCOME_OK;

    c->acct_root.single_link = c->settings->refuse_hard_links != 0;
    c->acct.name = name;
    c->acct.name_len = name_len;
    c->acct.ended = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (c->acct.ended == NULL) {
        word = OUTCOME_FAILED;
        goto fail;
    }
    switch (acctlive_enter(c->cx->accounts, &c->acct, seen, c->settings->max_sessions_per_account)) {
    case ACCTLIVE_ENTERED: break;
    case ACCTLIVE_FULL: word = OUTCOME_ACCOUNT_FULL; goto fail;
    case ACCTLIVE_GONE: word = OUTCOME_BAD_PASSWORD; goto fail;
    }
    c->in_account = 1;
    c->root = &c->acct_root;
    snprintf(c->who, sizeof c->who, "%.*s@%s", (int)name_len, name, c->peer);
    transport_watch(&c->tr, c->acct.ended);
    return OUTCOME_OK;
fail:
    if (c->acct.ended != NULL)
        CloseHandle(c->acct.ended);
    c->acct.ended = NULL;
    rootfs_free(&c->acct_root);
    c->rate_limit = c->settings->rate_limit;
    winlogon_close(c->cx->winlogon, &c->win);
    return word;
}

/* A Windows account's login, its logon done (c->win): the section's root
 * (served under the jail, files opened as the account) and rate. */
static enum outcome windows_login(struct connection *c, const struct session_action *act)
{
    char err[400], line[SESSION_USER_MAX + 600];

    if (rootfs_init(&c->acct_root, c->win.root, err, sizeof err) != 0) {
        snprintf(line, sizeof line, "accounts: [%s %s]'s folder cannot be served: %s",
                 c->win.kind == WINACCT_GROUP ? "windows-group" : "windows", c->win.section,
                 err);
        logsink_text(c->cx->log, line);
        winlogon_close(c->cx->winlogon, &c->win);
        return OUTCOME_ACCOUNT_NO_ROOT;
    }
    c->win_as.ops = c->cx->winlogon;
    c->win_as.token = c->win.token;
    c->acct_root.open_as = winlogon_open_as;
    c->acct_root.open_ctx = &c->win_as;
    if (c->win.rate_limit != 0)
        c->rate_limit = c->win.rate_limit;
    c->acct.sid = c->win.sid;
    c->acct.section = c->win.section;
    c->acct.section_len = strlen(c->win.section);
    c->acct.section_kind = c->win.kind;
    c->acct.section_root = c->win.root;
    c->acct.section_rate = c->win.rate_limit;
    c->acct.section_max = c->win.max_sessions;
    return enter(c, act->user, act->user_len, NULL);
}

enum outcome connacct_login(struct connection *c, const struct session_action *act)
{
    struct acctsnap *snap;
    const struct account *a;
    char err[400];
    enum outcome word;
    int same;

    if (c->win.token != NULL)
        return windows_login(c, act);
    snap = acctlive_take(c->cx->accounts);
    a = accounts_find(snap->table, act->user, act->user_len);
    same = a != NULL && strcmp(a->password_hash, c->acct_hash) == 0;
    SecureZeroMemory(c->acct_hash, sizeof c->acct_hash);
    /* Removed, disabled or given a new password while its password was
     * checked: the password checked is no longer the account's. */
    if (!same || !a->enabled) {
        acctlive_release(snap);
        return OUTCOME_BAD_PASSWORD;
    }
    if (rootfs_init(&c->acct_root, a->root, err, sizeof err) != 0) {
        char line[600];
        snprintf(line, sizeof line, "accounts: %s's folder cannot be served: %s", a->name, err);
        logsink_text(c->cx->log, line);
        acctlive_release(snap);
        return OUTCOME_ACCOUNT_NO_ROOT;
    }
    /* The account's own rate, else the global one the session began with. */
    if (a->rate_limit != 0)
        c->rate_limit = a->rate_limit;
    /* As the store spells it (the log names the account so, whatever case
     * USER used). */
    snprintf(c->acct_name, sizeof c->acct_name, "%s", a->name);
    c->acct.sid = NULL;
    word = enter(c, c->acct_name, strlen(c->acct_name), a);
    acctlive_release(snap);
    return word;
}

int connacct_ended(const struct connection *c)
{
    return c->in_account && WaitForSingleObject(c->acct.ended, 0) == WAIT_OBJECT_0;
}

void connacct_leave(struct connection *c)
{
    if (!c->in_account) {
        winlogon_close(c->cx->winlogon, &c->win); /* a logon no login took: none today */
        return;
    }
    acctlive_leave(c->cx->accounts, &c->acct);
    CloseHandle(c->acct.ended);
    rootfs_free(&c->acct_root);
    /* After the folder: nothing opens files as the account any more. */
    winlogon_close(c->cx->winlogon, &c->win);
    c->in_account = 0;
    c->root = &c->served_root;
    c->rate_limit = c->settings->rate_limit;
}
