/* pace.h - a download's rate limit as slices on a timer: how many bytes may
 * go now, and when to ask again.
 *
 * Pure arithmetic: no clock, no wait, no socket. The caller (server/pacedsend.c)
 * passes the time in milliseconds from any monotonic clock, sends each slice
 * it is given with one TransmitFile (or, on TLS, sealed records), and between
 * slices waits until the time it was told. One struct pace belongs to one
 * transfer on one thread.
 *
 * Rules, for a rate of R bytes per second and a tick of T ms:
 * - A slice is R * T / 1000 bytes (at least 1); the first goes at once.
 * - The schedule: by time t after the start, one slice plus R * t / 1000
 *   bytes may have been handed out. A late tick (a busy machine, a slow
 *   TransmitFile) leaves a backlog, which later slices catch up: a slice
 *   may then be up to PACE_CATCH_UP slices, but slices never come faster
 *   than PACE_CATCH_UP times the rate, so a catch-up is spread over ticks.
 * - The window: the bytes handed out within any 1,000 ms (a slice and
 *   those of the 999 ms before it) never exceed R, catching up included,
 *   so a late tick never bursts above the rate.
 * - A backlog of more than R bytes (a client slower than the rate for over
 *   a second) is dropped down to R: a slow client gets at most a second's
 *   worth back, not its whole stall. While a backlog lasts, slices of up
 *   to PACE_CATCH_UP slices go a tick apart as the window lets them: above
 *   the rate for a few tenths of a second, never within a second.
 * - The last PACE_RING slices are remembered for the window; a slice is
 *   handed out only when the window has room for at least a whole one (or
 *   for what is left of the file), so there are never more than PACE_RING
 *   in a window. */
#ifndef MTS_PACE_H
#define MTS_PACE_H

#include <stdint.h>

#define PACE_WINDOW_MS 1000u
/* A tick of 100 ms: ten TransmitFile calls a second, few enough to cost
 * almost nothing, and a slice small enough that a stop is seen at once. */
#define PACE_TICK_MS 100u
#define PACE_RING 64u
/* How many times the rate a backlog is caught up at, at most. */
#define PACE_CATCH_UP 2u
/* Rates above this are refused (the arithmetic stays inside 64 bits). */
#define PACE_RATE_MAX (UINT64_C(1) << 40)

struct pace_slice {
    uint64_t at_ms;
    uint64_t bytes;
};

struct pace {
    uint64_t rate;     /* bytes per second */
    uint64_t slice;    /* bytes per tick */
    uint64_t start_ms; /* when the schedule began */
    uint64_t next_ms;  /* no slice before this (PACE_CATCH_UP) */
    unsigned tick_ms;
    uint64_t given;                    /* bytes handed out since, and backlogs dropped */
    uint64_t in_window;                /* the sum of ring's bytes */
    struct pace_slice ring[PACE_RING]; /* the slices of the last window, oldest at head */
    unsigned head, count;
};

/* Starts a schedule at now_ms. 0, or MTS_EINVAL for a rate of 0 or over
 * PACE_RATE_MAX, or a tick of 0 or over PACE_WINDOW_MS / 2. */
int pace_init(struct pace *p, uint64_t rate, unsigned tick_ms, uint64_t now_ms);

/* How many of the left bytes may go now (> 0: counted as handed out at
 * now_ms; the caller sends them). 0 when none may: then *due_ms is the
 * time to ask again, later than now_ms. left 0 gives 0 and due now_ms. */
uint64_t pace_take(struct pace *p, uint64_t now_ms, uint64_t left, uint64_t *due_ms);

#endif
