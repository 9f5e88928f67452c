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
    cfg->max_per_prefix = THROTTLE_DEFAULT_MAX_PER_PREFIX;
    cfg->prefix_ban_failures = THROTTLE_DEFAULT_PREFIX_BAN_FAILURES;
    cfg->connect_rate = THROTTLE_DEFAULT_CONNECT_RATE;
    cfg->connect_burst = THROTTLE_DEFAULT_CONNECT_BURST;
    cfg->max_entries = THROTTLE_DEFAULT_ENTRIES;
    cfg->hash_seed = 0;
}

/* The index's size: a power of two at least twice the table, so that it is
 * never more than half full and a search meets an empty slot soon. */
static size_t index_size_for(size_t entries)
{
    size_t n = 16;
    while (n < entries * 2)
        n *= 2;
    return n;
}

int throttle_init(struct throttle *t, const struct throttle_config *cfg)
{
    memset(t, 0, sizeof *t);
    if (cfg->max_entries == 0 || cfg->window_ms == 0 || cfg->max_entries > THROTTLE_MAX_ENTRIES)
        return MTS_EINVAL;
    t->cfg = *cfg;
    t->index_mask = index_size_for(cfg->max_entries) - 1;
    t->entries = calloc(cfg->max_entries, sizeof *t->entries);
    t->index = calloc(t->index_mask + 1, sizeof *t->index);
    if (t->entries == NULL || t->index == NULL) {
        throttle_free(t);
        return MTS_ENOSPC;
    }
    return 0;
}

void throttle_free(struct throttle *t)
{
    free(t->entries);
    free(t->index);
    t->entries = NULL;
    t->index = NULL;
    t->count = 0;
}

static const unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

void throttle_key_ipv4(struct throttle_key *k, const unsigned char addr[4])
{
    memset(k, 0, sizeof *k);
    memcpy(k->b, mapped_prefix, sizeof mapped_prefix);
    memcpy(k->b + 12, addr, 4);
    k->bits = 128;
}

void throttle_key_ipv6(struct throttle_key *k, const unsigned char addr[16])
{
    if (memcmp(addr, mapped_prefix, sizeof mapped_prefix) == 0) {
        throttle_key_ipv4(k, addr + 12);
        return;
    }
    memcpy(k->b, addr, 16);
    k->bits = 128;
}

int throttle_key_group(const struct throttle_key *k, struct throttle_key *g)
{
    /* Global unicast only: link-local (fe80::/10) and unique-local
     * (fc00::/7) are whole LANs behind one prefix, and the rest (loopback,
     * IPv4-mapped, NAT64, ...) are not a host's own /64. */
    if (k->bits != 128 || (k->b[0] & 0xe0) != 0x20)
        return 0;
    *g = *k;
    memset(g->b + 8, 0, 8);
    g->bits = 64;
    return 1;
}

void throttle_key_format(const struct throttle_key *k, char *buf, size_t cap)
{
    const unsigned char *b = k->b;
    unsigned words[8];
    int run_at = -1, run_len = 0;
    size_t n = 0;

    if (cap == 0)
        return;
    if (k->bits == 128 && memcmp(b, mapped_prefix, sizeof mapped_prefix) == 0) {
        snprintf(buf, cap, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        return;
    }
    /* RFC 5952: the longest run of two or more zero words becomes "::". */
    for (size_t i = 0; i < 8; i++)
        words[i] = (unsigned)(b[2 * i] << 8 | b[2 * i + 1]);
    for (int i = 0; i < 8; i++) {
        int j = i;
        while (j < 8 && words[j] == 0)
            j++;
        if (j - i > run_len && j - i >= 2) {
            run_at = i;
            run_len = j - i;
        }
        if (j > i)
            i = j - 1;
    }
    buf[0] = '\0';
    for (int i = 0; i < 8 && n < cap; i++) {
        int w;
        if (i == run_at) {
            w = snprintf(buf + n, cap - n, "::");
            i += run_len - 1;
        } else {
            w = snprintf(buf + n, cap - n, "%s%x", i == 0 || i == run_at + run_len ? "" : ":",
                         words[i]);
        }
        if (w < 0)
            return;
        n += (size_t)w;
    }
    if (k->bits != 128 && n < cap)
        snprintf(buf + n, cap - n, "/%u", (unsigned)k->bits);
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

static uint64_t mul_capped(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* The connection rate and burst of a host or of a /64 group. */
static uint64_t rate_of(const struct throttle *t, const struct throttle_key *k)
{
    return (uint64_t)t->cfg.connect_rate * (k->bits == 128 ? 1u : THROTTLE_PREFIX_RATE_FACTOR);
}

static uint64_t burst_of(const struct throttle *t, const struct throttle_key *k)
{
    uint64_t b = t->cfg.connect_burst != 0 ? t->cfg.connect_burst : 1;
    return b * (k->bits == 128 ? 1u : THROTTLE_PREFIX_RATE_FACTOR);
}

/* 1 when the bucket has room for one more connection now. The bucket is
 * GCRA's theoretical arrival time, scaled by the rate: a connection costs
 * 1000 units and a millisecond refills `rate` of them. */
static int rate_allows(const struct throttle *t, const struct throttle_entry *e,
                       const struct throttle_key *k, uint64_t now)
{
    uint64_t rate = rate_of(t, k), at = mul_capped(now, rate);

    if (rate == 0 || e->rate_full_at <= at)
        return 1;
    return e->rate_full_at - at <= (burst_of(t, k) - 1) * 1000u;
}

static void rate_charge(const struct throttle *t, struct throttle_entry *e,
                        const struct throttle_key *k, uint64_t now)
{
    uint64_t rate = rate_of(t, k), at = mul_capped(now, rate);

    if (rate == 0)
        return;
    e->rate_full_at = add_capped(e->rate_full_at > at ? e->rate_full_at : at, 1000u);
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
    if (e->rate_full_at != 0 && e->rate_full_at <= mul_capped(now, rate_of(t, &e->key)))
        e->rate_full_at = 0; /* the bucket has refilled: nothing left to remember */
    return e->connections == 0 && e->failures == 0 && e->banned_until == 0 &&
           e->rate_full_at == 0;
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    return h ^ (h >> 31);
}

/* Where k's search starts in the index. Keyed by the table's own seed, so
 * that addresses chosen to share a start (an attacker owns a whole /64)
 * cannot be worked out from outside; if they could, a search would only
 * cost what the whole-table scan this index replaced cost every time. */
static size_t home_of(const struct throttle *t, const struct throttle_key *k)
{
    uint64_t lo, hi;

    memcpy(&hi, k->b, 8);
    memcpy(&lo, k->b + 8, 8);
    return (size_t)(mix(mix(mix(t->cfg.hash_seed ^ hi) ^ lo) ^ k->bits) & t->index_mask);
}

static int same_key(const struct throttle_key *a, const struct throttle_key *b)
{
    return a->bits == b->bits && memcmp(a->b, b->b, sizeof a->b) == 0;
}

/* The index slot that holds k, or the empty slot where k would go: linear
 * probing from k's home; the index is at most half full, so it ends. */
static size_t slot_of(const struct throttle *t, const struct throttle_key *k)
{
    size_t i = home_of(t, k);

    while (t->index[i] != 0 && !same_key(&t->entries[t->index[i] - 1].key, k))
        i = (i + 1) & t->index_mask;
    return i;
}

static struct throttle_entry *find(struct throttle *t, const struct throttle_key *k)
{
    uint32_t v = t->index[slot_of(t, k)];
    return v != 0 ? &t->entries[v - 1] : NULL;
}

/* 1 when home h lies cyclically in (from, to]: an entry found at `to`
 * whose search starts there must stay after `from`. */
static int home_between(size_t h, size_t from, size_t to)
{
    return from < to ? (h > from && h <= to) : (h > from || h <= to);
}

/* Forgets e. The index slot is emptied and the later slots of its run
 * shifted back, so that no search stops short (no tombstones); the table's
 * last entry moves into e's place so that entries[0..count) stay in use. */
static void remove_entry(struct throttle *t, struct throttle_entry *e)
{
    size_t hole = slot_of(t, &e->key), j = hole;
    struct throttle_entry *last = &t->entries[t->count - 1];

    for (;;) {
        uint32_t v;
        j = (j + 1) & t->index_mask;
        v = t->index[j];
        if (v == 0)
            break;
        if (!home_between(home_of(t, &t->entries[v - 1].key), hole, j)) {
            t->index[hole] = v;
            hole = j;
        }
    }
    t->index[hole] = 0;
    if (e != last) {
        *e = *last;
        t->index[slot_of(t, &e->key)] = (uint32_t)(e - t->entries) + 1;
    }
    memset(last, 0, sizeof *last);
    t->count--;
}

static void release_if_idle(struct throttle *t, struct throttle_entry *e, uint64_t now)
{
    if (is_idle(t, e, now))
        remove_entry(t, e);
}

/* A free entry for a new address: the next unused one, else one made free
 * by forgetting an idle address, else the failure record (no connections)
 * touched the longest ago. NULL when every entry holds connections. Only a
 * full table is scanned. */
static struct throttle_entry *make_room(struct throttle *t, uint64_t now)
{
    struct throttle_entry *victim = NULL, *oldest = NULL;

    if (t->count < t->cfg.max_entries)
        return &t->entries[t->count];
    for (size_t i = 0; i < t->count; i++) {
        struct throttle_entry *e = &t->entries[i];
        if (is_idle(t, e, now)) {
            victim = e;
            break;
        }
        if (e->connections == 0 && (oldest == NULL || e->last_seen < oldest->last_seen))
            oldest = e;
    }
    if (victim == NULL)
        victim = oldest;
    if (victim == NULL)
        return NULL;
    remove_entry(t, victim);
    return &t->entries[t->count];
}

static struct throttle_entry *obtain(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    uint32_t known = t->index[slot_of(t, k)];
    struct throttle_entry *e;

    if (known != 0) {
        e = &t->entries[known - 1];
        refresh(t, e, now);
        e->last_seen = now;
        return e;
    }
    e = make_room(t, now);
    if (e == NULL)
        return NULL;
    memset(e, 0, sizeof *e);
    e->key = *k;
    e->last_seen = now;
    t->index[slot_of(t, k)] = (uint32_t)t->count + 1;
    t->count++;
    return e;
}

/* The connection limit and the ban threshold of a host or of a /64 group. */
static unsigned max_connections(const struct throttle *t, const struct throttle_key *k)
{
    return k->bits == 128 ? t->cfg.max_per_address : t->cfg.max_per_prefix;
}

static unsigned ban_threshold(const struct throttle *t, const struct throttle_key *k)
{
    return k->bits == 128 ? t->cfg.ban_failures : t->cfg.prefix_ban_failures;
}

/* Whether a new connection from k may be counted, judged on k's entry alone. */
static enum throttle_verdict may_connect(struct throttle *t, const struct throttle_key *k,
                                         uint64_t now)
{
    struct throttle_entry *e = find(t, k);
    unsigned max = max_connections(t, k);

    if (e == NULL)
        return THROTTLE_ALLOW;
    refresh(t, e, now);
    if (e->banned_until != 0)
        return THROTTLE_BANNED;
    if (max != 0 && e->connections >= max)
        return THROTTLE_TOO_MANY;
    if (!rate_allows(t, e, k, now))
        return THROTTLE_TOO_FAST;
    return THROTTLE_ALLOW;
}

static void drop_connection(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    struct throttle_entry *e = find(t, k);

    if (e == NULL || e->connections == 0)
        return;
    e->connections--;
    e->last_seen = now;
    release_if_idle(t, e, now);
}

enum throttle_verdict throttle_connect(struct throttle *t, const struct throttle_key *k,
                                       uint64_t now)
{
    struct throttle_key g;
    int grouped = throttle_key_group(k, &g);
    enum throttle_verdict v = may_connect(t, k, now);
    struct throttle_entry *e;

    if (v == THROTTLE_ALLOW && grouped)
        v = may_connect(t, &g, now);
    if (v != THROTTLE_ALLOW)
        return v;
    /* The group first: once it holds a connection its slot is not idle, so
     * making room for the host cannot take it. */
    if (grouped) {
        e = obtain(t, &g, now);
        if (e == NULL)
            return THROTTLE_FULL;
        e->connections++;
    }
    e = obtain(t, k, now);
    if (e == NULL) {
        if (grouped)
            drop_connection(t, &g, now);
        return THROTTLE_FULL;
    }
    e->connections++;
    /* Charged only once admitted: a refused attempt costs the server
     * nothing worth counting, and a looping client still gets only the
     * rate through. */
    rate_charge(t, e, k, now);
    if (grouped) {
        struct throttle_entry *ge = find(t, &g);
        if (ge != NULL)
            rate_charge(t, ge, &g, now);
    }
    return THROTTLE_ALLOW;
}

void throttle_disconnect(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    struct throttle_key g;
    struct throttle_entry *e = find(t, k);

    if (e == NULL || e->connections == 0)
        return;
    drop_connection(t, k, now);
    if (throttle_key_group(k, &g))
        drop_connection(t, &g, now);
}

/* 1 when k's own entry or its group's holds a running ban. */
static int is_banned(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    struct throttle_key g;
    struct throttle_entry *e = find(t, k);

    if (e != NULL) {
        refresh(t, e, now);
        if (e->banned_until != 0)
            return 1;
    }
    if (!throttle_key_group(k, &g))
        return 0;
    e = find(t, &g);
    if (e == NULL)
        return 0;
    refresh(t, e, now);
    return e->banned_until != 0;
}

enum throttle_verdict throttle_auth_delay(struct throttle *t, const struct throttle_key *k,
                                          uint64_t now, uint64_t *delay_ms)
{
    struct throttle_entry *e;
    unsigned over;

    *delay_ms = 0;
    if (is_banned(t, k, now))
        return THROTTLE_BANNED;
    e = find(t, k);
    if (e == NULL || e->failures < t->cfg.free_failures)
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

/* Counts one failure on k's entry; returns 1 when it started a ban. */
static int count_failure(struct throttle *t, const struct throttle_key *k, uint64_t now)
{
    struct throttle_entry *e = obtain(t, k, now);
    unsigned ban = ban_threshold(t, k);

    if (e == NULL)
        return 0; /* every slot holds connections: the table is smaller than max clients */
    if (e->failures < UINT_MAX)
        e->failures++;
    e->last_failure = now;
    if (ban != 0 && e->failures >= ban && e->banned_until == 0) {
        e->banned_until = add_capped(now, t->cfg.ban_ms);
        if (e->banned_until == 0)
            e->banned_until = 1;
        return 1;
    }
    return 0;
}

int throttle_auth_result(struct throttle *t, const struct throttle_key *k, int ok, uint64_t now)
{
    struct throttle_key g;
    struct throttle_entry *e;
    int host_ban, prefix_ban = 0;

    if (ok) {
        /* Only the host's own streak ends: a correct password from one host
         * must not wipe out what its /64 neighbours have been counted. */
        e = find(t, k);
        if (e != NULL) {
            e->failures = 0;
            e->last_seen = now;
            release_if_idle(t, e, now);
        }
        return 0;
    }
    host_ban = count_failure(t, k, now);
    if (throttle_key_group(k, &g))
        prefix_ban = count_failure(t, &g, now);
    if (prefix_ban)
        return THROTTLE_BAN_PREFIX;
    return host_ban ? THROTTLE_BAN_HOST : 0;
}
