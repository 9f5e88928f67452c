/* test_throttle.c - AUTH throttling, bans, per-address limits and the table's bounds. */
#include <stdlib.h>

#include "check.h"
#include "mts_error.h"
#include "throttle.h"

static const unsigned char attacker4[4] = {10, 0, 0, 1};
static const unsigned char other4[4] = {10, 0, 0, 2};

static struct throttle t;

/* Small numbers so that every rule shows in a few steps. */
static void setup(size_t entries)
{
    struct throttle_config cfg;

    throttle_config_defaults(&cfg);
    cfg.max_entries = entries;
    throttle_free(&t);
    CHECK_INT(throttle_init(&t, &cfg), 0);
}

static uint64_t delay_now(const struct throttle_key *k, uint64_t now)
{
    uint64_t d = 12345;
    if (throttle_auth_delay(&t, k, now, &d) != THROTTLE_ALLOW)
        return (uint64_t)-1;
    return d;
}

static void test_defaults_are_the_documented_ones(void)
{
    struct throttle_config cfg;

    throttle_config_defaults(&cfg);
    CHECK_INT(cfg.free_failures, 5);
    CHECK_INT(cfg.window_ms, 60000);
    CHECK_INT(cfg.delay_first_ms, 1000);
    CHECK_INT(cfg.delay_max_ms, 60000);
    CHECK_INT(cfg.ban_failures, 20);
    CHECK_INT(cfg.ban_ms, 300000);
    CHECK_INT(cfg.max_per_address, 32);
    CHECK_INT(cfg.max_per_prefix, 128);
    CHECK_INT(cfg.prefix_ban_failures, 80);
    CHECK_INT(cfg.connect_rate, 20);
    CHECK_INT(cfg.connect_burst, 300);
}

static void test_bad_config_is_refused(void)
{
    struct throttle_config cfg;
    struct throttle u;

    throttle_config_defaults(&cfg);
    cfg.max_entries = 0;
    CHECK_INT(throttle_init(&u, &cfg), MTS_EINVAL);
    throttle_config_defaults(&cfg);
    cfg.window_ms = 0;
    CHECK_INT(throttle_init(&u, &cfg), MTS_EINVAL);
}

static void test_delay_starts_after_free_failures_and_doubles_to_the_cap(void)
{
    struct throttle_key k;
    uint64_t now = 1000;
    static const uint64_t want[] = {0,    0,    0,    0,     0,     1000,  2000,
                                    4000, 8000, 16000, 32000, 60000, 60000, 60000};

    setup(16);
    throttle_key_ipv4(&k, attacker4);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK_INT(delay_now(&k, now), want[i]);
        now += want[i]; /* the server waits, then answers */
        CHECK_INT(throttle_auth_result(&t, &k, 0, now), 0);
        now += 10;
    }
}

static void test_twenty_failures_ban_for_five_minutes(void)
{
    struct throttle_key k, other;
    uint64_t now = 5, d;

    setup(16);
    throttle_key_ipv4(&k, attacker4);
    throttle_key_ipv4(&other, other4);
    for (int i = 1; i < 20; i++) {
        CHECK_INT(throttle_auth_result(&t, &k, 0, now), 0);
        now += 100;
    }
    CHECK_INT(throttle_auth_result(&t, &k, 0, now), 1); /* the 20th starts the ban */
    CHECK_INT(throttle_connect(&t, &k, now + 1), THROTTLE_BANNED);
    CHECK_INT(throttle_auth_delay(&t, &k, now + 1, &d), THROTTLE_BANNED);
    CHECK_INT(throttle_connect(&t, &k, now + 299999), THROTTLE_BANNED);
    /* Another address is neither banned nor slowed. */
    CHECK_INT(throttle_connect(&t, &other, now + 1), THROTTLE_ALLOW);
    CHECK_INT(delay_now(&other, now + 1), 0);
    CHECK_INT(throttle_auth_result(&t, &other, 1, now + 1), 0);
    /* The ban runs out after 300 s; the streak went quiet long before. */
    CHECK_INT(throttle_connect(&t, &k, now + 300000), THROTTLE_ALLOW);
    CHECK_INT(delay_now(&k, now + 300000), 0);
}

static void test_streak_ends_after_a_quiet_window(void)
{
    struct throttle_key k;

    setup(16);
    throttle_key_ipv4(&k, attacker4);
    for (int i = 0; i < 6; i++)
        throttle_auth_result(&t, &k, 0, 1000);
    CHECK_INT(t.count, 1);
    CHECK_INT(t.entries[0].failures, 6);
    /* The sixth failure was at 1 s; at 60.999 s the streak still holds. */
    CHECK_INT(throttle_connect(&t, &k, 60999), THROTTLE_ALLOW);
    throttle_disconnect(&t, &k, 60999);
    CHECK_INT(t.entries[0].failures, 6);
    CHECK_INT(delay_now(&k, 61000), 0);
    /* The record is gone, so the count starts again from one. */
    CHECK_INT(t.count, 1);
    throttle_auth_result(&t, &k, 0, 61000);
    CHECK_INT(t.entries[0].failures, 1);
}

static void test_waiting_keeps_the_streak_alive(void)
{
    struct throttle_key k;

    setup(16);
    throttle_key_ipv4(&k, attacker4);
    for (int i = 0; i < 6; i++)
        throttle_auth_result(&t, &k, 0, 1000);
    CHECK_INT(delay_now(&k, 50000), 2000);
    /* No answer yet (the client is waiting): each wait keeps the streak for 60 s beyond it. */
    CHECK_INT(delay_now(&k, 111999), 2000);
    CHECK_INT(delay_now(&k, 173999), 0);
}

static void test_each_failure_restarts_the_window(void)
{
    struct throttle_key k;
    uint64_t now = 0;

    setup(16);
    throttle_key_ipv4(&k, attacker4);
    /* Failures 50 s apart never let the streak lapse: the delays keep growing. */
    for (int i = 0; i < 8; i++) {
        throttle_auth_result(&t, &k, 0, now);
        now += 50000;
    }
    CHECK_INT(delay_now(&k, now), 8000);
}

static void test_correct_password_ends_the_streak(void)
{
    struct throttle_key k;

    setup(16);
    throttle_key_ipv4(&k, attacker4);
    for (int i = 0; i < 7; i++)
        throttle_auth_result(&t, &k, 0, 100);
    CHECK_INT(delay_now(&k, 100), 4000);
    throttle_auth_result(&t, &k, 1, 200);
    CHECK_INT(delay_now(&k, 200), 0);
    CHECK_INT(t.count, 0);
}

/* Host i of the /64 2001:db8:1:2::/64 (or of another prefix in p). */
static void host_in(struct throttle_key *k, const unsigned char p[8], unsigned i)
{
    unsigned char a[16] = {0};

    memcpy(a, p, 8);
    a[12] = (unsigned char)(i >> 24);
    a[13] = (unsigned char)(i >> 16);
    a[14] = (unsigned char)(i >> 8);
    a[15] = (unsigned char)i;
    throttle_key_ipv6(k, a);
}

static const unsigned char lan64[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2};
static const unsigned char next64[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 3};
static const unsigned char link_local[8] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0};
static const unsigned char unique_local[8] = {0xfd, 0x12, 0x34, 0x56, 0, 1, 0, 2};

static void test_ipv6_counts_per_host(void)
{
    struct throttle_key ka, kb;
    char text[64];

    setup(64);
    host_in(&ka, lan64, 1);
    host_in(&kb, lan64, 0xffee0009u);
    CHECK(memcmp(ka.b, kb.b, 16) != 0);
    for (int i = 0; i < 5; i++)
        throttle_auth_result(&t, &ka, 0, 10);
    CHECK_INT(delay_now(&ka, 10), 1000);
    CHECK_INT(delay_now(&kb, 10), 0); /* same /64, another host: not delayed */
    throttle_key_format(&ka, text, sizeof text);
    CHECK_STR(text, "2001:db8:1:2::1");
    throttle_key_format(&kb, text, sizeof text);
    CHECK_STR(text, "2001:db8:1:2::ffee:9");
}

static void test_one_host_ban_spares_its_slash_64(void)
{
    struct throttle_key bad, good;
    uint64_t now = 100, d;
    int i;

    setup(64);
    host_in(&bad, lan64, 7);
    host_in(&good, lan64, 8);
    for (i = 0; i < 19; i++)
        CHECK_INT(throttle_auth_result(&t, &bad, 0, now), 0);
    CHECK_INT(throttle_auth_result(&t, &bad, 0, now), THROTTLE_BAN_HOST);
    CHECK_INT(throttle_connect(&t, &bad, now), THROTTLE_BANNED);
    CHECK_INT(throttle_auth_delay(&t, &bad, now, &d), THROTTLE_BANNED);
    CHECK_INT(throttle_connect(&t, &good, now), THROTTLE_ALLOW);
    CHECK_INT(delay_now(&good, now), 0);
}

static void test_a_host_stepping_through_its_slash_64_bans_the_slash_64(void)
{
    struct throttle_key k, other;
    uint64_t now = 100, d;
    unsigned i;

    setup(256);
    /* A new address for every guess: no host ever reaches 20, nor even the
     * free failures, but the /64's 80th failure bans all of it. */
    for (i = 0; i < 79; i++) {
        host_in(&k, lan64, 1000 + i);
        CHECK_INT(throttle_auth_result(&t, &k, 0, now), 0);
        now += 100;
    }
    host_in(&k, lan64, 5000);
    CHECK_INT(throttle_auth_result(&t, &k, 0, now), THROTTLE_BAN_PREFIX);
    host_in(&k, lan64, 123456); /* never seen before, same /64 */
    CHECK_INT(throttle_connect(&t, &k, now), THROTTLE_BANNED);
    CHECK_INT(throttle_auth_delay(&t, &k, now, &d), THROTTLE_BANNED);
    host_in(&other, next64, 1000);
    CHECK_INT(throttle_connect(&t, &other, now), THROTTLE_ALLOW);
    /* The ban lasts ban_ms, like a host's. */
    CHECK_INT(throttle_connect(&t, &k, now + 300000), THROTTLE_ALLOW);
}

static void test_link_local_and_unique_local_are_never_grouped(void)
{
    const unsigned char *lans[2] = {link_local, unique_local};
    struct throttle_key k, g;

    for (int l = 0; l < 2; l++) {
        uint64_t now = 100;
        setup(512);
        for (unsigned i = 0; i < 300; i++) {
            host_in(&k, lans[l], i);
            CHECK(!throttle_key_group(&k, &g));
            CHECK_INT(throttle_auth_result(&t, &k, 0, now), 0);
            CHECK_INT(throttle_connect(&t, &k, now), THROTTLE_ALLOW);
            now += 10;
        }
    }
    host_in(&k, lan64, 1);
    CHECK(throttle_key_group(&k, &g));
}

static void test_connections_per_slash_64_are_limited_higher(void)
{
    struct throttle_key k;
    unsigned i;

    setup(512);
    t.cfg.connect_rate = 0; /* the rate has tests of its own; here it would keep slots */
    /* 32 per host, 128 per /64: four hosts fill it. */
    for (i = 0; i < 128; i++) {
        host_in(&k, lan64, 1 + i / 32);
        CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    }
    host_in(&k, lan64, 9);
    CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_TOO_MANY);
    host_in(&k, next64, 9);
    CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    throttle_disconnect(&t, &k, 2);
    host_in(&k, lan64, 1);
    throttle_disconnect(&t, &k, 2);
    host_in(&k, lan64, 9);
    CHECK_INT(throttle_connect(&t, &k, 2), THROTTLE_ALLOW);
    throttle_disconnect(&t, &k, 3);
    for (i = 0; i < 128; i++) {
        host_in(&k, lan64, 1 + i / 32);
        throttle_disconnect(&t, &k, 3);
    }
    CHECK_INT(t.count, 0);
}

static void test_prefix_limits_can_be_set_or_turned_off(void)
{
    struct throttle_config cfg;
    struct throttle_key k;
    unsigned i;

    throttle_config_defaults(&cfg);
    cfg.max_entries = 512;
    cfg.max_per_prefix = 3;
    cfg.prefix_ban_failures = 0;
    throttle_free(&t);
    CHECK_INT(throttle_init(&t, &cfg), 0);
    for (i = 0; i < 3; i++) {
        host_in(&k, lan64, i);
        CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    }
    host_in(&k, lan64, 3);
    CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_TOO_MANY);
    for (i = 0; i < 200; i++) {
        host_in(&k, lan64, 100 + i);
        CHECK_INT(throttle_auth_result(&t, &k, 0, 10), 0);
    }
    cfg.max_per_prefix = 0;
    cfg.prefix_ban_failures = 2;
    throttle_free(&t);
    CHECK_INT(throttle_init(&t, &cfg), 0);
    for (i = 0; i < 100; i++) {
        host_in(&k, lan64, i);
        CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    }
    host_in(&k, lan64, 500);
    CHECK_INT(throttle_auth_result(&t, &k, 0, 10), 0);
    host_in(&k, lan64, 501);
    CHECK_INT(throttle_auth_result(&t, &k, 0, 10), THROTTLE_BAN_PREFIX);
}

static void test_key_format(void)
{
    struct throttle_key k, g;
    char text[64];
    static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char mid[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                          0, 1, 0, 0, 0, 0, 0, 1};

    throttle_key_ipv6(&k, loop);
    throttle_key_format(&k, text, sizeof text);
    CHECK_STR(text, "::1");
    throttle_key_ipv6(&k, mid);
    throttle_key_format(&k, text, sizeof text);
    CHECK_STR(text, "2001:db8::1:0:0:1"); /* of two equal runs, the first */
    host_in(&k, lan64, 77);
    CHECK(throttle_key_group(&k, &g));
    throttle_key_format(&g, text, sizeof text);
    CHECK_STR(text, "2001:db8:1:2::/64");
    throttle_key_format(&g, text, 5); /* cut short, still a string */
    CHECK_INT(strlen(text), 4);
}

static void test_ipv4_mapped_is_ipv4(void)
{
    unsigned char mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
    struct throttle_key k4, k6;
    char text[64];

    throttle_key_ipv4(&k4, attacker4);
    throttle_key_ipv6(&k6, mapped);
    CHECK(memcmp(k4.b, k6.b, 16) == 0);
    throttle_key_format(&k6, text, sizeof text);
    CHECK_STR(text, "10.0.0.1");
}

static void test_connections_per_address_are_limited(void)
{
    struct throttle_key k, other;

    setup(64);
    t.cfg.connect_rate = 0; /* the rate has tests of its own; here it would keep slots */
    throttle_key_ipv4(&k, attacker4);
    throttle_key_ipv4(&other, other4);
    for (int i = 0; i < 32; i++)
        CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_TOO_MANY);
    CHECK_INT(throttle_connect(&t, &other, 1), THROTTLE_ALLOW);
    throttle_disconnect(&t, &k, 2);
    CHECK_INT(throttle_connect(&t, &k, 2), THROTTLE_ALLOW);
    for (int i = 0; i < 32; i++)
        throttle_disconnect(&t, &k, 3);
    throttle_disconnect(&t, &other, 3);
    CHECK_INT(t.count, 0); /* nothing left to remember */
    throttle_disconnect(&t, &k, 3); /* one too many is harmless */
    CHECK_INT(t.count, 0);
}

static void test_table_stays_bounded_and_keeps_live_connections(void)
{
    struct throttle_key k;
    unsigned char addr[4] = {192, 168, 0, 0};

    setup(4);
    /* Two addresses hold connections; they must survive any flood. */
    for (int i = 0; i < 2; i++) {
        addr[3] = (unsigned char)i;
        throttle_key_ipv4(&k, addr);
        CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    }
    for (int i = 2; i < 200; i++) {
        addr[2] = (unsigned char)(i >> 8);
        addr[3] = (unsigned char)i;
        throttle_key_ipv4(&k, addr);
        throttle_auth_result(&t, &k, 0, (uint64_t)i);
        CHECK(t.count <= 4);
    }
    for (int i = 0; i < 2; i++) {
        addr[2] = 0;
        addr[3] = (unsigned char)i;
        throttle_key_ipv4(&k, addr);
        throttle_disconnect(&t, &k, 300);
    }
    CHECK_INT(t.count, 2); /* the two newest failure records remain */
    /* A full table of connections refuses rather than forgets one. */
    setup(2);
    for (int i = 0; i < 2; i++) {
        addr[3] = (unsigned char)i;
        throttle_key_ipv4(&k, addr);
        CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
    }
    addr[3] = 9;
    throttle_key_ipv4(&k, addr);
    CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_FULL);
    CHECK_INT(throttle_auth_result(&t, &k, 0, 1), 0);
}

/* The index against the table: every entry in use named by exactly one
 * index slot, and no slot naming anything else. */
static int index_matches_table(void)
{
    size_t named = 0;
    unsigned char *seen = calloc(t.count + 1, 1);

    for (size_t i = 0; i <= t.index_mask; i++) {
        uint32_t v = t.index[i];
        if (v == 0)
            continue;
        if (v > t.count || seen[v]) {
            free(seen);
            return 0;
        }
        seen[v] = 1;
        named++;
    }
    free(seen);
    return named == t.count;
}

/* Address n of a mix that fills the table: IPv4, link-local IPv6 (one
 * entry each) and global IPv6 (its host's entry and its /64's). */
static void many_key(struct throttle_key *k, unsigned n)
{
    unsigned char a4[4] = {10, 1, (unsigned char)(n >> 8), (unsigned char)n};
    unsigned char a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, (unsigned char)(n >> 8), (unsigned char)n,
                            0, 0, 0, 0, 0, 0, 0, 1};

    if (n % 3 == 0) {
        throttle_key_ipv4(k, a4);
        return;
    }
    if (n % 3 == 1) {
        a6[0] = 0xfe;
        a6[1] = 0x80;
    }
    throttle_key_ipv6(k, a6);
}

/* Many addresses at once, under two index keys: each is found again (its
 * one allowed connection is remembered), each disconnect forgets exactly its
 * own, in an order unrelated to arrival, and the index ends empty. */
static void test_many_addresses_are_each_remembered_and_forgotten(void)
{
    static const uint64_t seeds[2] = {0, 0x9e3779b97f4a7c15u};
    enum { N = 1500 };

    for (int s = 0; s < 2; s++) {
        struct throttle_config cfg;
        struct throttle_key k;

        throttle_config_defaults(&cfg);
        cfg.max_entries = 2 * N;
        cfg.max_per_address = 1;
        cfg.connect_rate = 0;
        cfg.hash_seed = seeds[s];
        throttle_free(&t);
        CHECK_INT(throttle_init(&t, &cfg), 0);
        for (unsigned n = 0; n < N; n++) {
            many_key(&k, n);
            CHECK_INT(throttle_connect(&t, &k, 1), THROTTLE_ALLOW);
        }
        CHECK(index_matches_table());
        for (unsigned n = 0; n < N; n++) {
            many_key(&k, n);
            CHECK_INT(throttle_connect(&t, &k, 2), THROTTLE_TOO_MANY);
        }
        /* Every other address leaves, in a scattered order (7 is prime to N). */
        for (unsigned i = 0; i < N; i++) {
            unsigned n = (i * 7u) % N;
            if (n % 2 == 0) {
                many_key(&k, n);
                throttle_disconnect(&t, &k, 3);
            }
        }
        CHECK(index_matches_table());
        for (unsigned n = 0; n < N; n++) {
            many_key(&k, n);
            CHECK_INT(throttle_connect(&t, &k, 4), n % 2 == 0 ? THROTTLE_ALLOW : THROTTLE_TOO_MANY);
        }
        for (unsigned n = 0; n < N; n++) {
            many_key(&k, n);
            throttle_disconnect(&t, &k, 5);
        }
        CHECK_INT(t.count, 0);
        CHECK(index_matches_table());
    }
}

static void test_expired_records_are_reused_first(void)
{
    struct throttle_key k;
    unsigned char addr[4] = {172, 16, 0, 0};
    static const uint64_t when[3] = {0, 30000, 40000};

    setup(3);
    for (int i = 0; i < 3; i++) {
        addr[3] = (unsigned char)i;
        throttle_key_ipv4(&k, addr);
        throttle_auth_result(&t, &k, 0, when[i]);
    }
    /* At 61.5 s only the first record (failure at 0 s) has lapsed. */
    addr[3] = 50;
    throttle_key_ipv4(&k, addr);
    throttle_auth_result(&t, &k, 0, 61500);
    CHECK_INT(t.count, 3);
    addr[3] = 1;
    throttle_key_ipv4(&k, addr);
    CHECK_INT(throttle_auth_result(&t, &k, 0, 61500), 0);
    for (size_t i = 0; i < 3; i++) {
        if (memcmp(t.entries[i].key.b, k.b, 16) == 0)
            CHECK_INT(t.entries[i].failures, 2);
    }
}

static void test_huge_numbers_do_not_overflow(void)
{
    struct throttle_config cfg;
    struct throttle_key k;
    uint64_t d;

    throttle_config_defaults(&cfg);
    cfg.free_failures = 0;
    cfg.delay_first_ms = UINT64_MAX / 2;
    cfg.delay_max_ms = UINT64_MAX;
    cfg.ban_failures = 0;
    cfg.ban_ms = UINT64_MAX;
    cfg.max_entries = 2;
    throttle_free(&t);
    CHECK_INT(throttle_init(&t, &cfg), 0);
    throttle_key_ipv4(&k, attacker4);
    for (int i = 0; i < 100; i++)
        throttle_auth_result(&t, &k, 0, UINT64_MAX - 5);
    CHECK_INT(throttle_auth_delay(&t, &k, UINT64_MAX - 5, &d), THROTTLE_ALLOW);
    CHECK(d == UINT64_MAX);
    cfg.ban_failures = 1;
    throttle_free(&t);
    CHECK_INT(throttle_init(&t, &cfg), 0);
    CHECK_INT(throttle_auth_result(&t, &k, 0, 7), 1);
    CHECK_INT(throttle_connect(&t, &k, UINT64_MAX - 1), THROTTLE_BANNED);
}

/* A table with the connection rate set and the connection limits off. */
static void setup_rate(unsigned rate, unsigned burst)
{
    struct throttle_config cfg;

    throttle_config_defaults(&cfg);
    cfg.max_entries = 64;
    cfg.max_per_address = 0;
    cfg.max_per_prefix = 0;
    cfg.connect_rate = rate;
    cfg.connect_burst = burst;
    throttle_free(&t);
    throttle_init(&t, &cfg);
}

/* n connections from k at time now, each closed at once: how many got in. */
static unsigned connect_burst_of(const struct throttle_key *k, unsigned n, uint64_t now)
{
    unsigned in = 0;

    for (unsigned i = 0; i < n; i++) {
        if (throttle_connect(&t, k, now) == THROTTLE_ALLOW) {
            throttle_disconnect(&t, k, now);
            in++;
        }
    }
    return in;
}

static void test_connect_rate_allows_the_burst_then_refuses(void)
{
    struct throttle_key k;

    setup_rate(10, 5);
    throttle_key_ipv4(&k, attacker4);
    CHECK_INT(connect_burst_of(&k, 5, 1000), 5);
    CHECK_INT(throttle_connect(&t, &k, 1000), THROTTLE_TOO_FAST);
    /* 10 a second: one more after 100 ms, not before. */
    CHECK_INT(throttle_connect(&t, &k, 1099), THROTTLE_TOO_FAST);
    CHECK_INT(throttle_connect(&t, &k, 1100), THROTTLE_ALLOW);
    CHECK_INT(throttle_connect(&t, &k, 1100), THROTTLE_TOO_FAST);
    /* The refused attempts were not charged: 100 ms later, one more. */
    CHECK_INT(throttle_connect(&t, &k, 1200), THROTTLE_ALLOW);
}

static void test_connect_rate_refills_to_the_burst_and_no_more(void)
{
    struct throttle_key k;

    setup_rate(10, 5);
    throttle_key_ipv4(&k, attacker4);
    CHECK_INT(connect_burst_of(&k, 5, 1000), 5);
    /* 300 ms refill three; a minute refills the burst, never more. */
    CHECK_INT(connect_burst_of(&k, 10, 1300), 3);
    CHECK_INT(connect_burst_of(&k, 10, 61300), 5);
    /* A tight loop over one second gets the burst and the rate: 5 + 10. */
    setup_rate(10, 5);
    {
        unsigned in = 0;
        for (uint64_t ms = 0; ms < 1000; ms++)
            in += connect_burst_of(&k, 3, 5000 + ms);
        CHECK_INT(in, 5 + 9); /* the 10th refill is due at exactly 1000 ms */
    }
}

static void test_connect_rate_is_per_address(void)
{
    struct throttle_key a, b;

    setup_rate(1, 3);
    throttle_key_ipv4(&a, attacker4);
    throttle_key_ipv4(&b, other4);
    CHECK_INT(connect_burst_of(&a, 10, 500), 3);
    CHECK_INT(throttle_connect(&t, &a, 500), THROTTLE_TOO_FAST);
    CHECK_INT(connect_burst_of(&b, 10, 500), 3);
    /* A refused address keeps no connection and, once refilled, no slot. */
    CHECK_INT(t.count, 2);
    CHECK_INT(connect_burst_of(&a, 1, 3500), 1);
    throttle_connect(&t, &b, 5000);
    throttle_disconnect(&t, &b, 5000);
    CHECK_INT(t.count, 2);
    /* The slots go once nothing is left to remember. */
    setup(1);
    throttle_key_ipv4(&a, attacker4);
    CHECK_INT(throttle_connect(&t, &a, 0), THROTTLE_ALLOW);
    throttle_disconnect(&t, &a, 0);
    throttle_key_ipv4(&b, other4);
    CHECK_INT(throttle_connect(&t, &b, 1000), THROTTLE_ALLOW); /* a's bucket is full again */
}

static void test_connect_rate_of_ipv6_is_per_host_and_per_slash_64(void)
{
    struct throttle_key k;
    unsigned in = 0;

    setup_rate(1, 2);
    /* One host: its own burst. */
    host_in(&k, lan64, 1);
    CHECK_INT(connect_burst_of(&k, 10, 100), 2);
    /* Hosts stepping through one /64: 4 x the burst for the whole /64. */
    for (unsigned i = 2; i < 40; i++) {
        host_in(&k, lan64, i);
        in += connect_burst_of(&k, 2, 100);
    }
    CHECK_INT(in, 8 - 2);
    host_in(&k, lan64, 99);
    CHECK_INT(throttle_connect(&t, &k, 100), THROTTLE_TOO_FAST);
    /* Another /64 is not touched; the /64 refills at 4 a second. */
    host_in(&k, next64, 1);
    CHECK_INT(connect_burst_of(&k, 10, 100), 2);
    host_in(&k, lan64, 99);
    CHECK_INT(connect_burst_of(&k, 10, 350), 1);
    /* Link-local hosts share no group. */
    setup_rate(1, 2);
    in = 0;
    for (unsigned i = 1; i < 40; i++) {
        host_in(&k, link_local, i);
        in += connect_burst_of(&k, 3, 100);
    }
    CHECK_INT(in, 39 * 2);
}

static void test_connect_rate_zero_is_no_limit_and_huge_times_are_safe(void)
{
    struct throttle_key k;

    setup_rate(0, 1);
    throttle_key_ipv4(&k, attacker4);
    CHECK_INT(connect_burst_of(&k, 1000, 7), 1000);
    /* Late times keep the rule while now x rate fits in 64 bits, and past
     * that saturate to "no limit" rather than wrap into a refusal. */
    setup_rate(100000, 1);
    CHECK_INT(connect_burst_of(&k, 3, UINT64_MAX / 100000 - 1000), 1);
    CHECK_INT(connect_burst_of(&k, 3, UINT64_MAX - 1), 3);
    setup_rate(1, 100000);
    CHECK_INT(connect_burst_of(&k, 100001, 0), 100000);
}

int main(void)
{
    RUN_TEST(test_defaults_are_the_documented_ones);
    RUN_TEST(test_bad_config_is_refused);
    RUN_TEST(test_delay_starts_after_free_failures_and_doubles_to_the_cap);
    RUN_TEST(test_twenty_failures_ban_for_five_minutes);
    RUN_TEST(test_streak_ends_after_a_quiet_window);
    RUN_TEST(test_waiting_keeps_the_streak_alive);
    RUN_TEST(test_each_failure_restarts_the_window);
    RUN_TEST(test_correct_password_ends_the_streak);
    RUN_TEST(test_ipv6_counts_per_host);
    RUN_TEST(test_one_host_ban_spares_its_slash_64);
    RUN_TEST(test_a_host_stepping_through_its_slash_64_bans_the_slash_64);
    RUN_TEST(test_link_local_and_unique_local_are_never_grouped);
    RUN_TEST(test_connections_per_slash_64_are_limited_higher);
    RUN_TEST(test_prefix_limits_can_be_set_or_turned_off);
    RUN_TEST(test_key_format);
    RUN_TEST(test_ipv4_mapped_is_ipv4);
    RUN_TEST(test_connections_per_address_are_limited);
    RUN_TEST(test_table_stays_bounded_and_keeps_live_connections);
    RUN_TEST(test_expired_records_are_reused_first);
    RUN_TEST(test_many_addresses_are_each_remembered_and_forgotten);
    RUN_TEST(test_huge_numbers_do_not_overflow);
    RUN_TEST(test_connect_rate_allows_the_burst_then_refuses);
    RUN_TEST(test_connect_rate_refills_to_the_burst_and_no_more);
    RUN_TEST(test_connect_rate_is_per_address);
    RUN_TEST(test_connect_rate_of_ipv6_is_per_host_and_per_slash_64);
    RUN_TEST(test_connect_rate_zero_is_no_limit_and_huge_times_are_safe);
    throttle_free(&t);
    return check_summary();
}
