/* acctwatch.c - accounts.ini read again when it changes (see acctwatch.h).
 * Only the watch thread reads and writes `read`. */
#include "acctwatch.h"

#include <stdio.h>
#include <string.h>

#include "confowner.h"
#include "eventlog.h"

void acctwatch_describe(const char *path, const struct accounts *table,
                        const struct winacct_table *windows, const char *note, char *line,
                        size_t cap)
{
    char mix[400];
    size_t n;

    if (table == NULL || !accounts_describe_mix(table, mix, sizeof mix))
        mix[0] = '\0';
    snprintf(line, cap, "accounts: %s: %lu account(s)", path,
             (unsigned long)(table != NULL ? accounts_count(table) : 0));
    n = strlen(line);
    if (winacct_count(windows) > 0 && n < cap)
        snprintf(line + n, cap - n, ", %lu Windows section(s)",
                 (unsigned long)winacct_count(windows));
    n = strlen(line);
    if (note != NULL && n < cap)
        snprintf(line + n, cap - n, "; %s", note);
    n = strlen(line);
    if (mix[0] != '\0' && n < cap)
        snprintf(line + n, cap - n, "; %s", mix);
}

static void look(struct acctwatch *w, int asked)
{
    struct acctfile_stamp now;
    struct accounts *table = NULL;
    struct winacct_table *windows = NULL;
    char err[700], line[1300];
    int ended;

    acctfile_stamp(w->path, &now);
    if (!asked && acctfile_same(&now, &w->read))
        return;
    /* An editor that saves in place truncates, then writes: a read in
     * between would take a store without some accounts and end their
     * sessions. So the stamp must hold still for a moment first; if it
     * does not, the next look tries again. */
    if (!asked) {
        struct acctfile_stamp settled;
        if (WaitForSingleObject(w->thread.stop, ACCTWATCH_SETTLE_MS) != WAIT_TIMEOUT)
            return; /* stopping */
        acctfile_stamp(w->path, &settled);
        if (!acctfile_same(&now, &settled))
            return;
    }
    /* As the start checked it, and the configuration at each PARAMCHANGE:
     * a store a user planted or was given since is not believed. */
    if (w->check_owner && confowner_check_config(w->path, CONFOWNER_CHECK, err, sizeof err) != 0) {
        w->read = now;
        snprintf(line, sizeof line, "accounts: %s; the accounts read before stay", err);
        logsink_text(w->log, line);
        eventlog_write(EVENTLOG_WARNING, EVENTLOG_ID_ACCOUNTS, line);
        return;
    }
    switch (acctfile_read(w->path, &table, &windows, &now, err, sizeof err)) {
    case ACCTFILE_BAD:
        /* Said once per version of the file, not at every look. */
        w->read = now;
        snprintf(line, sizeof line, "accounts: %s; the accounts read before stay", err);
        logsink_text(w->log, line);
        eventlog_write(EVENTLOG_WARNING, EVENTLOG_ID_ACCOUNTS, line);
        return;
    case ACCTFILE_ABSENT:
    case ACCTFILE_OK: break;
    }
    w->read = now;
    acctwatch_describe(w->path, table, windows, NULL, line, sizeof line);
    ended = acctlive_swap(w->live, table, windows);
    if (ended < 0) {
        snprintf(line, sizeof line,
                 "accounts: out of memory reading %s; the accounts read "
                 "before stay",
                 w->path);
    } else if (ended > 0) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n,
                 "; ending %d session(s) of removed, disabled or changed accounts", ended);
    }
    logsink_text(w->log, line);
}

/* A look, then the sessions published when they changed. */
static void look_and_publish(void *arg, int asked)
{
    struct acctwatch *w = arg;

    look(w, asked);
    if (w->published != NULL && w->live->changed) {
        char text[SESSMAP_TEXT_MAX];
        acctlive_describe(w->live, text, sizeof text);
        sessmap_publish(w->published, text);
    }
}

int acctwatch_start(struct acctwatch *w, const char *path, const struct acctfile_stamp *read,
                    struct acctlive *live, struct sessmap *published, int check_owner,
                    struct logsink *log, HANDLE stop)
{
    memset(w, 0, sizeof *w);
    w->published = published;
    w->check_owner = check_owner;
    w->path = path;
    w->read = *read;
    w->live = live;
    w->log = log;
    return lookthread_start(&w->thread, look_and_publish, w, ACCTWATCH_INTERVAL_MS,
                            ACCTWATCH_INTERVAL_MS, stop);
}

void acctwatch_poke(struct acctwatch *w)
{
    lookthread_poke(&w->thread);
}

void acctwatch_stop(struct acctwatch *w)
{
    lookthread_stop(&w->thread);
}
