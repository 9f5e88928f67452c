/* tlscred.h - the TLS credential new connections get, replaceable while the
 * server runs (SERVICE_CONTROL_PARAMCHANGE after a certificate's renewal).
 *
 * Each credential (struct tlscred) is reference-counted: the slot holds one
 * reference while it is the current one, and every TLS connection another
 * from its start to its end, so a credential that a reload replaced stays
 * alive for the sessions already using it and is freed (its Schannel handle,
 * certificate and, for a PFX, its key container) when the last one ends.
 *
 * Threads: client threads take (tlscred_take, as they open their
 * transport) and release, the thread that reloads replaces (refslot.h). */
#ifndef MTS_TLSCRED_H
#define MTS_TLSCRED_H

#include <stddef.h>
#include <windows.h>

#include "certpick.h"
#include "refslot.h"
#include "schan.h"

struct tlscred {
    volatile LONG refs;
    struct schannel_cred cred;
    char setting[1024];        /* the tls_certificate it was opened from, to choose again */
    enum certpick_stage said;  /* expiry stage warned of (tlswatch.c's thread only) */
};

struct tlscred_slot {
    SRWLOCK reload;      /* one reload or recheck at a time (PARAMCHANGE, tlswatch) */
    struct refslot slot; /* the current credential; none: no certificate (no TLS port) */
};

/* Opens a credential as schannel_cred_open does (same arguments and
 * refusals; live: the credential serving now, whose key a refusal must
 * not delete, or NULL), with one reference: the caller's. Returns NULL
 * with the cause in err. */
struct tlscred *tlscred_open(const char *certificate, const char *pfx_password,
                             unsigned min_version, unsigned policy, const struct tlscred *live,
                             char *err, size_t errcap);

/* Drops one reference; the last one frees the credential. NULL is fine. */
void tlscred_release(struct tlscred *c);

/* The slot starts with first (its reference passes to the slot; may be NULL). */
void tlscred_slot_init(struct tlscred_slot *s, struct tlscred *first);

/* The current credential with a reference for the caller, or NULL. */
struct tlscred *tlscred_take(struct tlscred_slot *s);

/* Makes next (its reference passes to the slot) the current credential and
 * drops the slot's reference to the one before. */
void tlscred_replace(struct tlscred_slot *s, struct tlscred *next);

/* Opens certificate (NULL: refused) as tlscred_open does and makes it the
 * current credential. Returns 0 with what changed in info, or -1 with the
 * reason in info and the current credential kept. From one thread at a time. */
int tlscred_reload(struct tlscred_slot *s, const char *certificate, const char *pfx_password,
                   unsigned min_version, unsigned policy, char *info, size_t cap);

/* Chooses the certificate again from the current one's setting (a store
 * setting: subject:NAME, a thumbprint and its renewals; a PFX is left
 * alone) and, when that is another certificate, makes it current as
 * tlscred_reload does. Returns 0 when nothing changed, 1 with what changed
 * in info, or -1 with why not in info (the current one kept). */
int tlscred_recheck(struct tlscred_slot *s, unsigned min_version, unsigned policy, char *info,
                    size_t cap);

/* The current certificate's thumbprint into out (41 bytes), "" without one. */
void tlscred_thumbprint(struct tlscred_slot *s, char out[41]);

/* Drops the slot's reference. */
void tlscred_slot_free(struct tlscred_slot *s);

#endif
