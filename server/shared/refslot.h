/* refslot.h - the current one of a reference-counted object: readers take
 * it with a reference of their own, a writer puts a new one in its place.
 * The TLS credential (tlscred.h) and the settings snapshot (settingsnap.h)
 * are held so; each keeps its own count and its own way of being freed.
 *
 * The object's count is a volatile LONG at an offset the caller names
 * (offsetof(type, refs)). The slot's SRW lock guards only its pointer; the
 * count is Interlocked, and goes up under the lock, so a swap cannot drop
 * the slot's reference between a reader's look at the pointer and its
 * count. Freeing is the caller's, outside the lock. */
#ifndef MTS_REFSLOT_H
#define MTS_REFSLOT_H

#include <stddef.h>
#include <windows.h>

struct refslot {
    SRWLOCK lock;
    void *current; /* NULL: none */
};

void refslot_init(struct refslot *slot, void *first);

/* The current object with a reference counted in for the caller, or NULL. */
void *refslot_take(struct refslot *slot, size_t refs_at);

/* Makes next the current object (its reference passes to the slot) and
 * returns the one before (the slot's reference to it passes to the
 * caller, to drop), or NULL. */
void *refslot_swap(struct refslot *slot, void *next);

#endif
