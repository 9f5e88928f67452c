/* throttle.c - per-address AUTH throttling and connection limits (see throttle.h). */
#include "throttle.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mts_error.h"

void throttle_config_defaults(struct throttle_config *cfg)
{
    cfg->free_failures = THROTTLE_DEFAULT_FREE_FAILURES;
    cfg->window_ms = (uint64_t)THROTTLE_DEFAULT_WINDOW_S * 1000u;
    cfg->delay_first_ms = THROTTLE_DEFAULT_DELAY_FIRST_MS;
    cfg->delay_max_ms = (uint64_t)THROTTLE_DEFAULT_DELAY_MAX_S * 1000u;
    cfg->ban_failures = THROTTLE_DEFAULT_BAN_FAILURES;
    cfg->ban_ms = (uint64_t)THROTTLE_DEFAULT_BAN_S * 1000u;
    cfg->max_per_address = THROTTLE_DEFAULT_MAX_PER_ADDRESS;
    cfg->max_entries = THROTTLE_DEFAULT_ENTRIES;
}

int throttle_init(struct throttle *t, const struct throttle_config *cfg)
{
    memset(t, 0, sizeof *t);
    if (cfg->max_entries == 0 || cfg->window_ms == 0 ||
        cfg->max_entries > SIZE_MAX / sizeof *t->entries)
        return MTS_EINVAL;
    t->cfg = *cfg;
    t->entries = calloc(cfg->max_entries, sizeof *t->entries);
    return t->entries ? 0 : MTS_ENOSPC;
}

void throttle_free(struct throttle *t)
{
    free(t->entries);
    t->entries = NULL;
    t->count = 0;
}

void throttle_key_ipv4(struct throttle_key *k, const unsigned char addr[4])
{
    memset(k->b, 0, sizeof k->b);
    k->b[10] = 0xff;
    k->b[11] = 0xff;
    memcpy(k->b + 12, addr, 4);
}

void throttle_key_ipv6(struct throttle_key *k, const unsigned char addr[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (memcmp(addr, mapped, sizeof mapped) == 0) {
        throttle_key_ipv4(k, addr + 12);
        return;
    }
    memcpy(k->b, addr, 8);
    memset(k->b + 8, 0, 8);
}

void throttle_key_format(const struct throttle_key *k, char *buf, size_t cap)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const unsigned char *b = k->b;

    if (cap == 0)
        return;
    if (memcmp(b, mapped, sizeof mapped) == 0)
        snprintf(buf, cap, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    else
        snprintf(buf, cap, "%x:%x:%x:%x::/64", (unsigned)(b[0] << 8 | b[1]),
                 (unsigned)(b[2] << 8 | b[3]), (unsigned)(b[4] << 8 | b[5]),
                 (unsigned)(b[6] << 8 | b[7]));
}

/* Time from then to now; a clock that went backwards counts as no time. */
static uint64_t since(uint64_t now, uint64_t then)
{
    return now > then ? now - then : 0;
}

static uint64_t add_capped(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Ends a streak that has gone quiet and a ban that has run out. */
static void refresh(const struct throttle *t, struct throttle_entry *e, uint64_t now)
{
    if (e->banned_until != 0 && now >= e->banned_until)
        e->banned_until = 0;
    if (e->failures > 0 && since(now, e->last_failure) >= t->cfg.window_ms)
        e->failures = 0;
}

/* 1 when the entry says nothing any more and its slot may be reused. */
static int is_idle(const struct throttle *t, struct throttle_entry *e, uint64_t now)
{
    refresh(t, e, now);
    return e->connections == 0 && e->failures == 0 && e->banned_until == 0;
}

static void release_if_idle(struct throttle *t, struct throttle_entry *e, uint64_t now)
{
    if (is_idle(t, e, now)) {
        memset(e, 0, sizeof *e);
        t->count--;
    }
}

static struct throttle_entry *find(struct throttle *t, const struct throttle_key *k)
{
    for (size_t i = 0; i < t->cfg.max_entries; i++) {
        struct throttle_entry *e = &t->entries[i];
        if (e->used && memcmp(e->key.b, k->b, sizeof k->b) == 0)
            return e;
    }
    return NULL;
}

/* A slot for a new address: a free one, else an idle one, else the failure
 * record (no connections) touched the longest ago. NULL when every slot
 * holds connections. */
static struct throttle_entry *make_room(struct throttle *t, uint64_t now)
{
    struct throttle_entry *oldest = NULL;

    for (size_t i = 0; i < t->cfg.max_entries; i++) {
        struct throttle_entry *e = &t->entries[i];
        if (!e->used)
            return e;
    }
    for (size_t i = 0; i < t->cfg.max_entries; i++) {
        struct throttle_entry *e = &t->entries[i];
        if (is_idle(t, e, now))
            return e;
        if (e->connections == 0 && (oldest == NULL || e->last_seen < oldest->last_seen))
            oldest = e;
    }
    return oldest;
}

static struct throttle_entry *obtain(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    struct throttle_entry *e = find(t, k);

    if (e != NULL) {
        refresh(t, e, now);
        e->last_seen = now;
        return e;
    }
    e = make_room(t, now);
    if (e == NULL)
        return NULL;
    if (!e->used)
        t->count++;
    memset(e, 0, sizeof *e);
    e->used = 1;
    e->key = *k;
    e->last_seen = now;
    return e;
}

enum throttle_verdict throttle_connect(struct throttle *t, const struct throttle_key *k,
                                       uint64_t now)
{
    struct throttle_entry *e = find(t, k);

    if (e != NULL) {
        refresh(t, e, now);
        if (e->banned_until != 0)
            return THROTTLE_BANNED;
        if (t->cfg.max_per_address != 0 && e->connections >= t->cfg.max_per_address)
            return THROTTLE_TOO_MANY;
    }
    e = obtain(t, k, now);
    if (e == NULL)
        return THROTTLE_FULL;
    e->connections++;
    return THROTTLE_ALLOW;
}

void throttle_disconnect(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    struct throttle_entry *e = find(t, k);

    if (e == NULL || e->connections == 0)
        return;
    e->connections--;
    e->last_seen = now;
    release_if_idle(t, e, now);
}

enum throttle_verdict throttle_auth_delay(struct throttle *t, const struct throttle_key *k,
                                          uint64_t now, uint64_t *delay_ms)
{
    struct throttle_entry *e = find(t, k);
    unsigned over;

    *delay_ms = 0;
    if (e == NULL)
        return THROTTLE_ALLOW;
    refresh(t, e, now);
    if (e->banned_until != 0)
        return THROTTLE_BANNED;
    if (e->failures < t->cfg.free_failures)
        return THROTTLE_ALLOW;
    /* Doubling per failure past the free ones; shifting by 64 or more is
     * undefined in C, and any shift that large is past the cap anyway. */
    over = e->failures - t->cfg.free_failures;
    if (over >= 63 || t->cfg.delay_first_ms > (t->cfg.delay_max_ms >> over))
        *delay_ms = t->cfg.delay_max_ms;
    else
        *delay_ms = t->cfg.delay_first_ms << over;
    /* The streak must not lapse while the server itself makes the client
     * wait: a 60 s delay with a 60 s window would otherwise reset it. */
    e->last_failure = add_capped(now, *delay_ms);
    return THROTTLE_ALLOW;
}

int throttle_auth_result(struct throttle *t, const struct throttle_key *k, int ok, uint64_t now)
{
    struct throttle_entry *e;

    if (ok) {
        e = find(t, k);
        if (e != NULL) {
            e->failures = 0;
            e->last_seen = now;
            release_if_idle(t, e, now);
        }
        return 0;
    }
    e = obtain(t, k, now);
    if (e == NULL)
        return 0; /* every slot holds connections: the table is smaller than max clients */
    if (e->failures < UINT_MAX)
        e->failures++;
    e->last_failure = now;
    if (t->cfg.ban_failures != 0 && e->failures >= t->cfg.ban_failures && e->banned_until == 0) {
        e->banned_until = add_capped(now, t->cfg.ban_ms);
        if (e->banned_until == 0)
            e->banned_until = 1;
        return 1;
    }
    return 0;
}
