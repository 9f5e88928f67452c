/* tlswatch.c - the hourly certificate look (see tlswatch.h). Only its own
 * thread reads and writes each credential's `said` (the expiry stage last
 * warned of); the slot's reload lock keeps its replacement apart from a
 * PARAMCHANGE's. */
#include "tlswatch.h"

#include <stdio.h>
#include <string.h>

#include "certpick.h"
#include "eventlog.h"

static int64_t seconds(const FILETIME *t)
{
    return (int64_t)((((uint64_t)t->dwHighDateTime << 32) | t->dwLowDateTime) / 10000000u);
}

/* The expiry warning the current certificate is due, once per stage. */
static void warn_expiry(struct tlswatch *w)
{
    struct tlscred *c = tlscred_take(w->slot);
    FILETIME now;
    SYSTEMTIME until;
    enum certpick_stage stage;
    char line[300];
    int64_t left;

    if (c == NULL)
        return;
    GetSystemTimeAsFileTime(&now);
    stage = certpick_expiry_stage(seconds(&now), seconds(&c->cred.cert->pCertInfo->NotAfter));
    if (certpick_expiry_due(&c->said, stage)) {
        left = seconds(&c->cred.cert->pCertInfo->NotAfter) - seconds(&now);
        if (!FileTimeToSystemTime(&c->cred.cert->pCertInfo->NotAfter, &until))
            memset(&until, 0, sizeof until);
        if (stage == CERTPICK_EXPIRED)
            snprintf(line, sizeof line,
                     "tls: the certificate %s EXPIRED on %04u-%02u-%02u: clients refuse it; renew it "
                     "(ADMIN.md, Renewing a certificate)",
                     c->cred.thumbprint, until.wYear, until.wMonth, until.wDay);
        else
            snprintf(line, sizeof line,
                     "tls: the certificate %s expires on %04u-%02u-%02u, in %lld day(s): renew it "
                     "(ADMIN.md, Renewing a certificate)",
                     c->cred.thumbprint, until.wYear, until.wMonth, until.wDay,
                     (long long)((left + 86399) / 86400));
        logsink_text(w->log, line);
        eventlog_write(stage == CERTPICK_EXPIRED ? EVENTLOG_ERROR : EVENTLOG_WARNING,
                       EVENTLOG_ID_TLS_CERTIFICATE, line);
    }
    tlscred_release(c);
}

/* asked: a poke (the console's R), which is answered even when nothing
 * changed; the hourly look says only what changed. */
static void look(void *arg, int asked)
{
    struct tlswatch *w = arg;
    char info[900], line[960], thumb[41];
    int rc = tlscred_recheck(w->slot, w->min_version, w->policy, info, sizeof info);

    if (rc != 0) {
        snprintf(line, sizeof line, "tls: %s%s", rc > 0 ? "" : "the certificate was not "
                 "chosen again: ", info);
        logsink_text(w->log, line);
        eventlog_write(rc > 0 ? EVENTLOG_INFO : EVENTLOG_WARNING, EVENTLOG_ID_TLS_CERTIFICATE,
                       line);
    }
    /* The expiry of whichever certificate serves now; the answer to a poke
     * last, so that whoever waits for it sees the whole look before it. */
    warn_expiry(w);
    if (rc == 0 && asked) {
        tlscred_thumbprint(w->slot, thumb);
        snprintf(line, sizeof line, "tls: looked at the certificate again: %s still serves",
                 thumb);
        logsink_text(w->log, line);
    }
}

int tlswatch_start(struct tlswatch *w, struct tlscred_slot *slot, struct logsink *log,
                   unsigned min_version, unsigned policy, HANDLE stop)
{
    w->slot = slot;
    w->log = log;
    w->min_version = min_version;
    w->policy = policy;
    /* The first look at once: an expiry warning at start. */
    return lookthread_start(&w->thread, look, w, 0, TLSWATCH_INTERVAL_MS, stop);
}

void tlswatch_poke(struct tlswatch *w)
{
    lookthread_poke(&w->thread);
}

void tlswatch_stop(struct tlswatch *w)
{
    lookthread_stop(&w->thread);
}
