/* refusals.h - summarises repeated refusals for the access log.
 *
 * Refused connections (banned, busy, denied by allow/deny, ...) are cheap to
 * cause: one access-log line each would let an attacker rotate the log's
 * history away. So the first refusal of an address for a reason in an
 * interval is logged in full, the rest are only counted, and when the
 * interval has run out one summary line gives the count. At most
 * REFUSALS_SLOTS (address, reason) pairs are followed at once; refusals of
 * further pairs go into one "other addresses" count with its own summary.
 * So per interval the log takes at most 2 x REFUSALS_SLOTS + 1 such lines
 * however many addresses an attacker has.
 *
 * Pure: no clock, no lock, no allocation. The caller passes a monotonic
 * time in milliseconds and serialises calls (server/logsink.c does both). */
#ifndef MTS_REFUSALS_H
#define MTS_REFUSALS_H

#include <stddef.h>
#include <stdint.h>

#define REFUSALS_SLOTS 256
#define REFUSALS_INTERVAL_MS 60000u
#define REFUSALS_ADDR_MAX 64
#define REFUSALS_WHY_MAX 24

struct refusals_entry {
    char addr[REFUSALS_ADDR_MAX]; /* "" when the slot is free */
    char why[REFUSALS_WHY_MAX];
    uint64_t since;               /* when the pair's first refusal was logged */
    unsigned long held;           /* refusals counted, not logged, since then */
};

struct refusals {
    uint64_t interval_ms;
    struct refusals_entry e[REFUSALS_SLOTS];
    unsigned long others;  /* refusals of pairs that found no free slot */
    uint64_t others_since; /* when the first of them came */
};

void refusals_init(struct refusals *r, uint64_t interval_ms);

/* A refusal of addr (no port) for the one-word reason why. Returns 1 when
 * its line is to be logged in full, 0 when it was only counted. */
int refusals_note(struct refusals *r, const char *addr, const char *why, uint64_t now);

/* Writes into buf (with a newline) one summary line whose interval has run
 * out by now, or every pending one when all is set (at close), and returns
 * its length; 0 when there is none left. Call until it returns 0. */
size_t refusals_next_summary(struct refusals *r, uint64_t now, int all, char *buf, size_t cap);

#endif
