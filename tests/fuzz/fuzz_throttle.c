/* fuzz_throttle.c - the per-address rules under any sequence of events.
 *
 * Each 3-byte record is one event: an operation, an address (from a small
 * set, IPv4 and IPv6, so addresses repeat), and a time step. A shadow count
 * of open connections per address is kept alongside. Invariants: the table
 * never holds more than its size, a connection is never refused for being
 * one too many unless the address holds max_per_address, delays never
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

    if (which % 2 == 0) {
        a4[3] = (unsigned char)which;
        throttle_key_ipv4(k, a4);
    } else {
        a6[7] = (unsigned char)which;
        throttle_key_ipv6(k, a6);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct throttle t;
    struct throttle_config cfg;
    uint64_t now = 1;

    throttle_config_defaults(&cfg);
    cfg.max_entries = ENTRIES;
    cfg.max_per_address = 3;
    cfg.free_failures = 2;
    cfg.ban_failures = 6;
    cfg.window_ms = 5000;
    cfg.ban_ms = 20000;
    cfg.delay_first_ms = 100;
    cfg.delay_max_ms = 1500;
    if (throttle_init(&t, &cfg) != 0)
        return 0;
    memset(open_count, 0, sizeof open_count);
    for (size_t i = 0; i + 3 <= size; i += 3) {
        unsigned op = data[i] % 5, which = data[i + 1] % ADDRS, total = 0;
        struct throttle_key k;
        uint64_t delay;

        now += (uint64_t)data[i + 2] * 97u;
        make_key(&k, which);
        switch (op) {
        case 0: {
            enum throttle_verdict v = throttle_connect(&t, &k, now);
            for (unsigned a = 0; a < ADDRS; a++)
                total += open_count[a] > 0;
            if (v == THROTTLE_ALLOW)
                open_count[which]++;
            if (v == THROTTLE_TOO_MANY)
                FUZZ_CHECK(open_count[which] >= cfg.max_per_address);
            if (v == THROTTLE_FULL)
                FUZZ_CHECK(total >= ENTRIES && open_count[which] == 0);
            FUZZ_CHECK(open_count[which] <= cfg.max_per_address);
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
        /* Every open connection still has its entry with the right count. */
        for (unsigned a = 0; a < ADDRS; a++) {
            struct throttle_key ka;
            unsigned found = 0;
            make_key(&ka, a);
            for (size_t e = 0; e < ENTRIES; e++) {
                if (t.entries[e].used && memcmp(t.entries[e].key.b, ka.b, 16) == 0)
                    found = t.entries[e].connections;
            }
            FUZZ_CHECK(found == open_count[a]);
        }
    }
    throttle_free(&t);
    return 0;
}
