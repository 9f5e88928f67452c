/* pace.c - a download's rate limit as slices on a timer (see pace.h). */
#include "pace.h"

#include "mts_error.h"

int pace_init(struct pace *p, uint64_t rate, unsigned tick_ms, uint64_t now_ms)
{
    if (rate == 0 || rate > PACE_RATE_MAX || tick_ms == 0 || tick_ms > PACE_WINDOW_MS / 2)
        return MTS_EINVAL;
    p->rate = rate;
    p->slice = rate * tick_ms / 1000u;
    if (p->slice == 0)
        p->slice = 1;
    p->start_ms = now_ms;
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
    uint64_t allowed, backlog, need, take, room;
    struct pace_slice *s;

    *due_ms = now_ms;
    if (left == 0)
        return 0;
    expire(p, now_ms);
    allowed = allowed_by(p, now_ms);
    backlog = allowed > p->given ? allowed - p->given : 0;
    need = left < p->slice ? left : p->slice;
    if (backlog < need) {
        /* Not yet a whole slice's worth (or the file's rest): wait for it. */
        *due_ms = due_for(p, p->given + need);
        return 0;
    }
    take = backlog < left ? backlog : left;
    if (take > p->rate)
        take = p->rate;
    room = p->rate - p->in_window;
    if (take > room)
        take = room; /* catching up, but never above the rate within a window */
    if (take < need || p->count == PACE_RING) {
        /* The window is full: ask again when its oldest slice leaves it. */
        *due_ms = p->ring[p->head].at_ms + PACE_WINDOW_MS;
        return 0;
    }
    s = &p->ring[(p->head + p->count) % PACE_RING];
    s->at_ms = now_ms;
    s->bytes = take;
    p->count++;
    p->in_window += take;
    p->given += take;
    return take;
}
