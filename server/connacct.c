/* connacct.c - a session logged in as an account (connstate.h): its
 * password, its folder, its place among the account's sessions, and its
 * end when the account is removed, disabled or changed. On the client
 * thread. */
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
    /* A hash that does not parse is the store's fault, not the client's:
     * answered as an unknown account, after the same work. */
    real = a != NULL && credential_from_hash(&check, a->password_hash, why, sizeof why) == 0;
    if (!real)
        make_dummy(snap->table, &check);
    ok = credential_check(&check, act->arg, act->arg_len);
    ok = ok && real && a->enabled;
    if (ok)
        snprintf(c->acct_hash, sizeof c->acct_hash, "%s", a->password_hash);
    credential_free(&check);
    acctlive_release(snap);
    return ok;
}

enum outcome connacct_login(struct connection *c, const struct session_action *act)
{
    struct acctsnap *snap = acctlive_take(c->cx->accounts);
    const struct account *a = accounts_find(snap->table, act->user, act->user_len);
    char err[400];
    enum outcome word = OUTCOME_OK;
    int same = a != NULL && strcmp(a->password_hash, c->acct_hash) == 0;

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
    c->acct_root.single_link = c->cx->settings->refuse_hard_links != 0;
    /* The session's own copy, as the store spells it (the log names the
     * account so, whatever case USER used): fixed from login on. */
    snprintf(c->acct_name, sizeof c->acct_name, "%s", a->name);
    c->acct.name = c->acct_name;
    c->acct.name_len = strlen(c->acct_name);
    c->acct.ended = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (c->acct.ended == NULL) {
        word = OUTCOME_FAILED;
        goto fail;
    }
    /* With the account as read above: a change since is not let in. */
    switch (acctlive_enter(c->cx->accounts, &c->acct, a)) {
    case ACCTLIVE_ENTERED: break;
    case ACCTLIVE_FULL: word = OUTCOME_ACCOUNT_FULL; goto fail;
    case ACCTLIVE_GONE: word = OUTCOME_BAD_PASSWORD; goto fail;
    }
    acctlive_release(snap);
    c->in_account = 1;
    c->root = &c->acct_root;
    snprintf(c->who, sizeof c->who, "%s@%s", c->acct_name, c->peer);
    transport_watch(&c->tr, c->acct.ended);
    return OUTCOME_OK;
fail:
    acctlive_release(snap);
    if (c->acct.ended != NULL)
        CloseHandle(c->acct.ended);
    c->acct.ended = NULL;
    rootfs_free(&c->acct_root);
    return word;
}

int connacct_ended(const struct connection *c)
{
    return c->in_account && WaitForSingleObject(c->acct.ended, 0) == WAIT_OBJECT_0;
}

void connacct_leave(struct connection *c)
{
    if (!c->in_account)
        return;
    acctlive_leave(c->cx->accounts, &c->acct);
    CloseHandle(c->acct.ended);
    rootfs_free(&c->acct_root);
    c->in_account = 0;
    c->root = c->cx->root;
    c->rate_limit = c->cx->settings->rate_limit;
}
