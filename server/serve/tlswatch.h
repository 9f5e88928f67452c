/* tlswatch.h - the hourly look at the TLS certificate while the server runs.
 *
 * A thread of its own, started with the TLS port: each hour (and when
 * poked: the console's R, or a test) it chooses the certificate again as the
 * start did (subject:NAME's newest, a thumbprint's renewal) and, when that
 * is another certificate, puts it in the slot for new connections
 * (tlscred_recheck); then it warns of the serving certificate's expiry 30,
 * 7 and 1 day before and once expired, each once (certpick.h), in the access
 * log and the Event Log. It ends when `stop` (the server's drain event) is
 * set; tlswatch_stop waits for it. */
#ifndef MTS_TLSWATCH_H
#define MTS_TLSWATCH_H

#include <windows.h>

#include "logsink.h"
#include "lookthread.h"
#include "tlscred.h"

#define TLSWATCH_INTERVAL_MS (60u * 60u * 1000u)

struct tlswatch {
    struct tlscred_slot *slot;
    struct logsink *log;
    unsigned min_version, policy;
    struct lookthread thread; /* its thread NULL when not running */
};

/* Starts the thread; its first look is at once (an expiry warning at
 * start). Returns 0, or -1 with the last error set. */
int tlswatch_start(struct tlswatch *w, struct tlscred_slot *slot, struct logsink *log,
                   unsigned min_version, unsigned policy, HANDLE stop);

/* Asks for a look now; does nothing when the thread is not running. */
void tlswatch_poke(struct tlswatch *w);

/* After `stop` is set: waits for the thread and frees what it used. */
void tlswatch_stop(struct tlswatch *w);

#endif
