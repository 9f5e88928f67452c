/* throttle.h - per-address limits: AUTH failure throttling, bans, and the
 * number of connections one address may hold.
 *
 * Pure decision logic: no clock, no lock, no socket. The caller passes the
 * time in milliseconds (any monotonic clock) and serialises calls with its
 * own lock; the Win32 side (server/addrguard.c) does both.
 *
 * Addresses are keyed per host, IPv4 and IPv6 alike (IPv4-mapped IPv6 as
 * IPv4): on a LAN every SLAAC host shares one /64, so counting by /64 would
 * let one host's bad guesses ban the whole LAN. A global IPv6 address
 * (2000::/3) is also counted in its /64 group, with thresholds several times
 * higher, so that a client stepping through the addresses of its /64 is
 * still caught. Link-local, unique-local and every other range outside
 * 2000::/3 are never grouped.
 *
 * Rules (numbers from struct throttle_config):
 * - A failure streak is the run of AUTH failures from one address, each
 *   within window_ms of the one before. A correct password ends it.
 * - Once a streak holds free_failures failures, every further AUTH answer to
 *   that address waits delay_first_ms, doubling with each failure, capped at
 *   delay_max_ms.
 * - When a streak reaches ban_failures, the address is banned for ban_ms:
 *   its new connections and its AUTH lines are refused.
 * - An address may hold at most max_per_address connections at once.
 * - An address may open connect_burst connections at once, then
 *   connect_rate more per second (a token bucket, kept as the time its
 *   bucket will be full again: GCRA). Only connections it admits count, so
 *   a client looping faster than the rate gets exactly the rate through,
 *   and the rest are refused (THROTTLE_TOO_FAST). This bounds the TLS
 *   handshakes (each an RSA private-key operation) one host can start.
 * - A /64 group: its failure streak (failures of all its hosts, each within
 *   window_ms of the one before) bans the whole /64 at prefix_ban_failures;
 *   it may hold at most max_per_prefix connections, and open connections
 *   at 4 x connect_rate with 4 x connect_burst (as max_per_prefix is 4 x
 *   max_per_address by default). A ban of the group
 *   refuses every host in it; delays stay per host.
 *
 * Memory is one fixed table of max_entries entries and an index of twice
 * as many 4-byte slots, both allocated once. An entry with open connections
 * is never dropped; when the table is full, an expired entry is reused, else
 * the failure record idle the longest (so an attacker with very many
 * addresses can push records out; see docs/SECURITY.md). Lookups go through
 * the index (a hash keyed by hash_seed): every connection looks up its
 * address several times under the server's lock, and a scan of the default
 * table (4,096 entries and more) cost tens of microseconds each time. */
#ifndef MTS_THROTTLE_H
#define MTS_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#define THROTTLE_DEFAULT_FREE_FAILURES 5
#define THROTTLE_DEFAULT_WINDOW_S 60
#define THROTTLE_DEFAULT_DELAY_FIRST_MS 1000
#define THROTTLE_DEFAULT_DELAY_MAX_S 60
#define THROTTLE_DEFAULT_BAN_FAILURES 20
#define THROTTLE_DEFAULT_BAN_S 300
#define THROTTLE_DEFAULT_MAX_PER_ADDRESS 32
#define THROTTLE_DEFAULT_MAX_PER_PREFIX 128     /* 4 x max_per_address */
#define THROTTLE_DEFAULT_PREFIX_BAN_FAILURES 80 /* 4 x ban_failures */
#define THROTTLE_DEFAULT_ENTRIES 4096
#define THROTTLE_MAX_ENTRIES (1u << 28) /* the index keeps entry numbers in 32 bits */
/* 20 new connections a second, after a burst of 300: at about 5 ms of CPU
 * for an RSA 3072 handshake, one host in a loop takes a tenth of one core;
 * a script of a few hundred short sessions is never slowed. */
#define THROTTLE_DEFAULT_CONNECT_RATE 20
#define THROTTLE_DEFAULT_CONNECT_BURST 300
#define THROTTLE_PREFIX_RATE_FACTOR 4 /* a /64 group's rate and burst, x the host's */

struct throttle_config {
    unsigned free_failures;   /* failures in a streak before answers are delayed */
    uint64_t window_ms;       /* a streak ends after this long without a failure */
    uint64_t delay_first_ms;  /* the first delay; it doubles per further failure */
    uint64_t delay_max_ms;    /* the longest delay */
    unsigned ban_failures;    /* a streak this long bans the address; 0: never */
    uint64_t ban_ms;          /* how long a ban lasts */
    unsigned max_per_address; /* connections one address may hold; 0: no limit */
    unsigned max_per_prefix;  /* connections one IPv6 /64 group may hold; 0: no limit */
    unsigned prefix_ban_failures; /* a /64 group's streak this long bans it; 0: never */
    unsigned connect_rate;  /* new connections per second one address may open; 0: no limit */
    unsigned connect_burst; /* new connections it may open at once before the rate applies */
    size_t max_entries; /* table size; must be at least twice the server's max clients
                         * (an IPv6 connection holds its host's slot and its group's) */
    uint64_t hash_seed; /* the index's key: random in the server, fixed in tests */
};

/* An address the rules count by: IPv4 as an IPv4-mapped IPv6 address, IPv6
 * as it is (bits 128), or a /64 group (bits 64, the low 64 bits cleared). */
struct throttle_key {
    unsigned char b[16];
    unsigned char bits;
};

struct throttle_entry {
    struct throttle_key key;
    unsigned connections;  /* open connections from the address */
    unsigned failures;     /* length of the current failure streak */
    uint64_t last_failure; /* time of the streak's last failure */
    uint64_t banned_until; /* 0: not banned */
    uint64_t last_seen;    /* last time anything touched the entry */
    /* Connection rate: when the address's bucket is full again, in ms x
     * its rate (so that one connection is 1000 units, with no fractions);
     * at or below now x rate the bucket is full. 0: never charged. */
    uint64_t rate_full_at;
};

struct throttle {
    struct throttle_config cfg;
    struct throttle_entry *entries; /* entries[0..count) hold addresses */
    size_t count;
    uint32_t *index;   /* open addressing: 0 empty, else 1 + an entry's number */
    size_t index_mask; /* the index's size - 1, a power of two */
};

enum throttle_verdict {
    THROTTLE_ALLOW = 0,
    THROTTLE_BANNED = 1,   /* refuse: the address is banned */
    THROTTLE_TOO_MANY = 2, /* refuse: the address holds max_per_address connections */
    THROTTLE_FULL = 3,     /* refuse: no slot free (only when the table is too small) */
    THROTTLE_TOO_FAST = 4, /* refuse: the address opens connections faster than connect_rate */
};

/* The documented defaults. */
void throttle_config_defaults(struct throttle_config *cfg);

/* Returns 0, MTS_EINVAL for a config that makes no sense, or MTS_ENOSPC
 * when the table cannot be allocated. */
int throttle_init(struct throttle *t, const struct throttle_config *cfg);
void throttle_free(struct throttle *t);

void throttle_key_ipv4(struct throttle_key *k, const unsigned char addr[4]);
/* IPv4-mapped addresses (::ffff:a.b.c.d) give the IPv4 key. */
void throttle_key_ipv6(struct throttle_key *k, const unsigned char addr[16]);

/* A new connection from k. On THROTTLE_ALLOW it is counted, and the caller
 * must call throttle_disconnect() when it ends. */
enum throttle_verdict throttle_connect(struct throttle *t, const struct throttle_key *k,
                                       uint64_t now);
void throttle_disconnect(struct throttle *t, const struct throttle_key *k, uint64_t now);

/* Before an AUTH line is answered: THROTTLE_BANNED, or THROTTLE_ALLOW with
 * the time to wait first in *delay_ms (0 for an address in good standing). */
enum throttle_verdict throttle_auth_delay(struct throttle *t, const struct throttle_key *k,
                                          uint64_t now, uint64_t *delay_ms);

/* The outcome of an AUTH. Returns THROTTLE_BAN_HOST when this failure
 * banned the address, THROTTLE_BAN_PREFIX when it banned the address's /64
 * group (see throttle_key_group), else 0. */
#define THROTTLE_BAN_HOST 1
#define THROTTLE_BAN_PREFIX 2
int throttle_auth_result(struct throttle *t, const struct throttle_key *k, int ok, uint64_t now);

/* The /64 group of a host key: returns 1 and fills *g for a global IPv6
 * address (2000::/3), else 0 (IPv4, link-local, unique-local, ...). */
int throttle_key_group(const struct throttle_key *k, struct throttle_key *g);

/* Formats a key for logs: "127.0.0.1", "2001:db8::7" or "2001:db8:1:2::/64". */
void throttle_key_format(const struct throttle_key *k, char *buf, size_t cap);

#endif
