/* pace.c - a download's rate limit as slices on a timer (see pace.h). */
#include "pace.h"

#include "mts_error.h"

_Static_assert(PACE_CATCH_UP == 2, "pace_take's hold-back after a slice is for twice the rate");

int pace_init(struct pace *p, uint64_t rate, unsigned tick_ms, uint64_t now_ms)
{
    if (rate == 0 || rate > PACE_RATE_MAX || tick_ms == 0 || tick_ms > PACE_WINDOW_MS / 2)
        return MTS_EINVAL;
    p->rate = rate;
    p->slice = rate * tick_ms / 1000u;
    if (p->slice == 0)
        p->slice = 1;
    p->start_ms = now_ms;
    p->next_ms = now_ms;
    p->tick_ms = tick_ms;
    p->given = 0;
    p->in_window = 0;
    p->head = 0;
    p->count = 0;
    return 0;
}

/* What the schedule allows by now_ms in all: one slice, plus the rate for
 * the time since the start (saturating, so that no clock can wrap it). */
static uint64_t allowed_by(const struct pace *p, uint64_t now_ms)
{
    uint64_t ms = now_ms > p->start_ms ? now_ms - p->start_ms : 0;
    uint64_t secs = ms / 1000u, part = ms % 1000u;
    uint64_t whole, total;

    if (secs > UINT64_MAX / p->rate)
        return UINT64_MAX;
    whole = secs * p->rate;
    total = whole + p->rate * part / 1000u; /* rate * part < 2^50 */
    if (total < whole || total + p->slice < total)
        return UINT64_MAX;
    return total + p->slice;
}

/* The first time at which allowed_by reaches bytes (> one slice). */
static uint64_t due_for(const struct pace *p, uint64_t bytes)
{
    uint64_t x = bytes - p->slice, q = x / p->rate, r = x % p->rate;
    uint64_t ms;

    if (q > UINT64_MAX / 2000u)
        return UINT64_MAX;
    /* Rounded up: at that millisecond the schedule has room for x. */
    ms = q * 1000u + (r * 1000u + p->rate - 1) / p->rate;
    return p->start_ms + ms < p->start_ms ? UINT64_MAX : p->start_ms + ms;
}

/* Forgets the slices that have left the window (now_ms - 1000, now_ms]. */
static void expire(struct pace *p, uint64_t now_ms)
{
    while (p->count > 0 && p->ring[p->head].at_ms + PACE_WINDOW_MS <= now_ms) {
        p->in_window -= p->ring[p->head].bytes;
        p->head = (p->head + 1) % PACE_RING;
        p->count--;
    }
}

uint64_t pace_take(struct pace *p, uint64_t now_ms, uint64_t left, uint64_t *due_ms)
{
    uint64_t allowed, backlog, need, take, room, due;
    struct pace_slice *s;

    *due_ms = now_ms;
    if (left == 0)
        return 0;
    expire(p, now_ms);
    allowed = allowed_by(p, now_ms);
    backlog = allowed > p->given ? allowed - p->given : 0;
    if (backlog > p->rate) {
        /* More than a second behind (a client slower than the rate for a
         * while): the rest is dropped, counted as given, so that a stall
         * is not paid back for as long as it lasted. */
        p->given += backlog - p->rate;
        backlog = p->rate;
    }
    room = p->rate - p->in_window;
    need = left < p->slice ? left : p->slice;
    if (room < need || p->count == PACE_RING)
        due = p->ring[p->head].at_ms + PACE_WINDOW_MS; /* when the oldest slice leaves */
    else if (backlog < need)
        due = due_for(p, p->given + need); /* a whole slice's worth, or the file's rest */
    else
        due = now_ms;
    if (due < p->next_ms)
        due = p->next_ms; /* catching up, at most PACE_CATCH_UP times the rate */
    if (due > now_ms) {
        *due_ms = due;
        return 0;
    }
    take = backlog < left ? backlog : left;
    if (take > PACE_CATCH_UP * p->slice)
        take = PACE_CATCH_UP * p->slice;
    if (take > room)
        take = room; /* catching up, but never above the rate within a window */
    s = &p->ring[(p->head + p->count) % PACE_RING];
    s->at_ms = now_ms;
    s->bytes = take;
    p->count++;
    p->in_window += take;
    p->given += take;
    /* The next slice no sooner than PACE_CATCH_UP times the rate allows:
     * after one slice or less half a tick (the schedule's wait is longer
     * anyway), after more a whole tick. */
    p->next_ms = now_ms + (take > p->slice ? p->tick_ms : p->tick_ms / 2);
    return take;
}
