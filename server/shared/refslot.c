/* refslot.c - the current one of a reference-counted object (see refslot.h). */
#include "refslot.h"

void refslot_init(struct refslot *slot, void *first)
{
    InitializeSRWLock(&slot->lock);
    slot->current = first;
}

void *refslot_take(struct refslot *slot, size_t refs_at)
{
    void *obj;

    AcquireSRWLockShared(&slot->lock);
    obj = slot->current;
    if (obj != NULL)
        InterlockedIncrement((volatile LONG *)((char *)obj + refs_at));
    ReleaseSRWLockShared(&slot->lock);
    return obj;
}

void *refslot_swap(struct refslot *slot, void *next)
{
    void *old;

    AcquireSRWLockExclusive(&slot->lock);
    old = slot->current;
    slot->current = next;
    ReleaseSRWLockExclusive(&slot->lock);
    return old;
}
