/* fuzz_throttle.c - the per-address rules under any sequence of events.
 *
 * Each 3-byte record is one event: an operation, an address (from a small
 * set: IPv4, global IPv6 hosts four to a /64, link-local IPv6, so addresses
 * and groups repeat), and a time step. A shadow count of open connections
 * per address is kept alongside. Invariants: the table never holds more than
 * its size, a connection is never refused for being one too many unless the
 * address holds max_per_address or its /64 max_per_prefix, delays never
 * exceed the cap, and a table sized for the open connections never loses one. */
#include <string.h>

#include "fuzz.h"
#include "throttle.h"

#define ADDRS 24
#define ENTRIES 8

static unsigned open_count[ADDRS];

static void make_key(struct throttle_key *k, unsigned which)
{
    unsigned char a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    unsigned char a4[4] = {10, 0, 0, 0};

    if (which % 3 == 0) {
        a4[3] = (unsigned char)which;
        throttle_key_ipv4(k, a4);
        return;
    }
    if (which % 3 == 2) {
        a6[0] = 0xfe; /* link-local: never grouped */
        a6[1] = 0x80;
    }
    a6[7] = (unsigned char)(which / 12);
    a6[15] = (unsigned char)which;
    throttle_key_ipv6(k, a6);
}

/* Slots the open connections need: one per address, one per /64 group. */
static unsigned slots_needed(void)
{
    struct throttle_key k, g, groups[ADDRS];
    unsigned n = 0, ngroups = 0;

    for (unsigned a = 0; a < ADDRS; a++) {
        if (open_count[a] == 0)
            continue;
        n++;
        make_key(&k, a);
        if (throttle_key_group(&k, &g)) {
            unsigned j = 0;
            while (j < ngroups && memcmp(groups[j].b, g.b, 16) != 0)
                j++;
            if (j == ngroups)
                groups[ngroups++] = g;
        }
    }
    return n + ngroups;
}

/* Open connections in k's /64 group (0 when k is not grouped). */
static unsigned group_open(const struct throttle_key *k)
{
    struct throttle_key g, ka, ga;
    unsigned n = 0;

    if (!throttle_key_group(k, &g))
        return 0;
    for (unsigned a = 0; a < ADDRS; a++) {
        make_key(&ka, a);
        if (throttle_key_group(&ka, &ga) && memcmp(ga.b, g.b, 16) == 0)
            n += open_count[a];
    }
    return n;
}

/* Every entry in use named by exactly one index slot, nothing else named. */
static int index_names_each_entry_once(const struct throttle *t)
{
    unsigned char seen[ENTRIES + 1] = {0};
    size_t named = 0;

    for (size_t i = 0; i <= t->index_mask; i++) {
        uint32_t v = t->index[i];
        if (v == 0)
            continue;
        if (v > t->count || seen[v])
            return 0;
        seen[v] = 1;
        named++;
    }
    return named == t->count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct throttle t;
    struct throttle_config cfg;
    uint64_t now = 1;

    throttle_config_defaults(&cfg);
    cfg.max_entries = ENTRIES;
    cfg.max_per_address = 3;
    cfg.max_per_prefix = 5;
    cfg.prefix_ban_failures = 9;
    cfg.free_failures = 2;
    cfg.ban_failures = 6;
    cfg.window_ms = 5000;
    cfg.ban_ms = 20000;
    cfg.delay_first_ms = 100;
    cfg.delay_max_ms = 1500;
    cfg.connect_rate = 3;
    cfg.connect_burst = 4;
    if (throttle_init(&t, &cfg) != 0)
        return 0;
    memset(open_count, 0, sizeof open_count);
    for (size_t i = 0; i + 3 <= size; i += 3) {
        unsigned op = data[i] % 5, which = data[i + 1] % ADDRS;
        struct throttle_key k;
        uint64_t delay;

        now += (uint64_t)data[i + 2] * 97u;
        make_key(&k, which);
        switch (op) {
        case 0: {
            struct throttle_key g;
            int grouped = throttle_key_group(&k, &g);
            unsigned before = slots_needed();
            enum throttle_verdict v = throttle_connect(&t, &k, now);
            if (v == THROTTLE_TOO_MANY)
                FUZZ_CHECK(open_count[which] >= cfg.max_per_address ||
                           group_open(&k) >= cfg.max_per_prefix);
            if (v == THROTTLE_FULL)
                FUZZ_CHECK(before + (open_count[which] == 0) + (grouped && group_open(&k) == 0) >
                           ENTRIES);
            FUZZ_CHECK(v == THROTTLE_ALLOW || v == THROTTLE_BANNED || v == THROTTLE_TOO_MANY ||
                       v == THROTTLE_FULL || v == THROTTLE_TOO_FAST);
            if (v == THROTTLE_ALLOW)
                open_count[which]++;
            FUZZ_CHECK(open_count[which] <= cfg.max_per_address);
            FUZZ_CHECK(group_open(&k) <= cfg.max_per_prefix);
            break;
        }
        case 1:
            if (open_count[which] > 0) {
                throttle_disconnect(&t, &k, now);
                open_count[which]--;
            }
            break;
        case 2:
            if (throttle_auth_delay(&t, &k, now, &delay) == THROTTLE_ALLOW)
                FUZZ_CHECK(delay <= cfg.delay_max_ms);
            break;
        default:
            throttle_auth_result(&t, &k, op == 3, now);
            break;
        }
        FUZZ_CHECK(t.count <= ENTRIES);
        FUZZ_CHECK(index_names_each_entry_once(&t));
        /* Every open connection still has its entry with the right count. */
        for (unsigned a = 0; a < ADDRS; a++) {
            struct throttle_key ka;
            unsigned found = 0;
            make_key(&ka, a);
            for (size_t e = 0; e < t.count; e++) {
                if (t.entries[e].key.bits == 128 &&
                    memcmp(t.entries[e].key.b, ka.b, 16) == 0)
                    found = t.entries[e].connections;
            }
            FUZZ_CHECK(found == open_count[a]);
        }
    }
    throttle_free(&t);
    return 0;
}
