/* settingsnap.h - the settings a running server serves with, as one
 * immutable snapshot that a reload (PARAMCHANGE) replaces, as tlscred.h's
 * slot replaces the TLS credential.
 *
 * A snapshot (struct settingsnap) is made once and never changed: its
 * texts are its own copies (no pointer into argv or a struct config), it
 * holds no secret, and the allow and deny lists come parsed with it. It is
 * reference-counted: the slot holds one reference while it is the current
 * one, each connection another from its start to its end (so a session
 * never sees a setting change under it): the client thread that accepted
 * a client takes it, judges the client's address by its allow and deny,
 * and serves the client with it. A replaced snapshot is freed when its last
 * holder lets go.
 *
 * Threads: client threads take and release, the thread that reloads
 * (service_main's) replaces (refslot.h). */
#ifndef MTS_SETTINGSNAP_H
#define MTS_SETTINGSNAP_H

#include <stddef.h>
#include <windows.h>

#include "ipacl.h"
#include "options.h"
#include "refslot.h"

struct settingsnap {
    volatile LONG refs;
    struct server_options s;  /* texts point into this block, after it */
    struct ipacl allow, deny; /* s.allow and s.deny, parsed (empty when not given) */
};

struct settingsnap_slot {
    struct refslot slot; /* the current snapshot: never none once the server runs */
};

/* A snapshot of o with one reference, the caller's. Returns NULL with the
 * cause in err (out of memory; an allow or deny list that does not parse,
 * which options and config checked already: a caller that skipped them). */
struct settingsnap *settingsnap_make(const struct server_options *o, char *err, size_t errcap);

/* Drops one reference; the last one frees the snapshot. NULL is fine. */
void settingsnap_release(struct settingsnap *snap);

/* The slot starts empty; settingsnap_replace puts the first snapshot in. */
void settingsnap_slot_init(struct settingsnap_slot *slot);

/* The current snapshot with a reference for the caller. */
struct settingsnap *settingsnap_take(struct settingsnap_slot *slot);

/* Makes next (its reference passes to the slot) the current snapshot and
 * drops the slot's reference to the one before. */
void settingsnap_replace(struct settingsnap_slot *slot, struct settingsnap *next);

/* Drops the slot's reference (after the last client thread has ended). */
void settingsnap_slot_free(struct settingsnap_slot *slot);

#endif
