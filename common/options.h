/* options.h - mtserver's command line, parsed portably.
 *
 * "mtserver [command] [options]". Numbers are range-checked here so that the
 * platform layer only ever sees valid settings. Strings point into argv. */
#ifndef MTS_OPTIONS_H
#define MTS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "throttle.h"

#define OPTIONS_DEFAULT_PORT 20248
#define OPTIONS_DEFAULT_MAX_CLIENTS 1024
#define OPTIONS_DEFAULT_IDLE_TIMEOUT 300
#define OPTIONS_DEFAULT_SEND_TIMEOUT 60
#define OPTIONS_DEFAULT_STATS_INTERVAL 3600
#define OPTIONS_DEFAULT_LOG_KEEP 5
#define OPTIONS_DEFAULT_STOP_DRAIN 10
#define OPTIONS_DEFAULT_TLS_PORT 20249
#define OPTIONS_DEFAULT_TLS_HANDSHAKE_TIMEOUT 10
#define OPTIONS_DEFAULT_TLS_MIN_VERSION 12
#define OPTIONS_DEFAULT_MAX_HASHES 2
#define OPTIONS_DEFAULT_MAX_LISTS 4

enum options_command {
    OPTIONS_CMD_NONE, /* plain "mtserver": service if the SCM started it, else console */
    OPTIONS_CMD_CONSOLE,
    OPTIONS_CMD_INSTALL,
    OPTIONS_CMD_UNINSTALL,
    OPTIONS_CMD_START,
    OPTIONS_CMD_STOP,
    OPTIONS_CMD_STATUS,
    OPTIONS_CMD_PASSWD,
    OPTIONS_CMD_CONFIGURE, /* the MSI's step after ServiceInstall (svcctl.h) */
    OPTIONS_CMD_CERT,      /* a self-signed TLS certificate (certmake.h) */
    OPTIONS_CMD_PREPARE,   /* the MSI's first step: folders and first INI (datadir.h) */
};

/* Bits of server_options.set (64: the settings outgrew 32): which settings
 * the command line gave, so that a configuration file can fill in the rest
 * without overriding them. */
#define OPTIONS_SET_BIND (UINT64_C(1) << 0)
#define OPTIONS_SET_PORT (UINT64_C(1) << 1)
#define OPTIONS_SET_ROOT (UINT64_C(1) << 2)
#define OPTIONS_SET_MAX_CLIENTS (UINT64_C(1) << 3)
#define OPTIONS_SET_IDLE_TIMEOUT (UINT64_C(1) << 4)
#define OPTIONS_SET_LOG_FILE (UINT64_C(1) << 5)
#define OPTIONS_SET_CONFIG (UINT64_C(1) << 6)
#define OPTIONS_SET_SEND_TIMEOUT (UINT64_C(1) << 7)
#define OPTIONS_SET_MAX_PER_ADDRESS (UINT64_C(1) << 8)
#define OPTIONS_SET_AUTH_FREE_FAILURES (UINT64_C(1) << 9)
#define OPTIONS_SET_AUTH_WINDOW (UINT64_C(1) << 10)
#define OPTIONS_SET_AUTH_DELAY_MAX (UINT64_C(1) << 11)
#define OPTIONS_SET_AUTH_BAN_FAILURES (UINT64_C(1) << 12)
#define OPTIONS_SET_AUTH_BAN_TIME (UINT64_C(1) << 13)
#define OPTIONS_SET_STATS_INTERVAL (UINT64_C(1) << 14)
#define OPTIONS_SET_HASH (UINT64_C(1) << 15)
#define OPTIONS_SET_MAX_PER_PREFIX (UINT64_C(1) << 16)
#define OPTIONS_SET_AUTH_PREFIX_BAN_FAILURES (UINT64_C(1) << 17)
#define OPTIONS_SET_ALLOW (UINT64_C(1) << 18)
#define OPTIONS_SET_DENY (UINT64_C(1) << 19)
#define OPTIONS_SET_LOG_KEEP (UINT64_C(1) << 20)
#define OPTIONS_SET_AUTH_CONCURRENCY (UINT64_C(1) << 21)
#define OPTIONS_SET_REFUSE_HARD_LINKS (UINT64_C(1) << 22)
#define OPTIONS_SET_STOP_DRAIN (UINT64_C(1) << 23)
#define OPTIONS_SET_TLS_CERTIFICATE (UINT64_C(1) << 24)
#define OPTIONS_SET_TLS_PORT (UINT64_C(1) << 25)
#define OPTIONS_SET_TLS_HANDSHAKE_TIMEOUT (UINT64_C(1) << 26)
#define OPTIONS_SET_TLS_MIN_VERSION (UINT64_C(1) << 27)
#define OPTIONS_SET_PLAIN_LOGINS (UINT64_C(1) << 28)
#define OPTIONS_SET_PLAIN_PORT (UINT64_C(1) << 29)
#define OPTIONS_SET_MAX_HASHES (UINT64_C(1) << 30)
#define OPTIONS_SET_LIST_HIDDEN (UINT64_C(1) << 31)
#define OPTIONS_SET_CONNECT_RATE (UINT64_C(1) << 32)
#define OPTIONS_SET_CONNECT_BURST (UINT64_C(1) << 33)
#define OPTIONS_SET_TLS_HANDSHAKES (UINT64_C(1) << 34)
#define OPTIONS_SET_MAX_LISTS (UINT64_C(1) << 35)
#define OPTIONS_SET_TLS_POLICY (UINT64_C(1) << 36)

/* The server's numeric settings, each named once: field, command-line
 * option, configuration-file key, smallest and largest value, default, and
 * the bits that say it was given (server_options.set, config.set). Both
 * structs, both parsers and both sets of defaults are built from this list;
 * X is a macro of eight parameters (the X-macro idiom). */
#define OPTIONS_NUMBERS(X) \
    /* 0 lets the OS choose; the server prints the port it got */ \
    X(port, "port", "port", 0, 65535, OPTIONS_DEFAULT_PORT, OPTIONS_SET_PORT, CONFIG_PORT) \
    X(max_clients, "max-clients", "max_clients", 1, 100000, OPTIONS_DEFAULT_MAX_CLIENTS, \
      OPTIONS_SET_MAX_CLIENTS, CONFIG_MAX_CLIENTS) \
    /* seconds a client may stay silent */ \
    X(idle_timeout, "idle-timeout", "idle_timeout", 1, 86400, OPTIONS_DEFAULT_IDLE_TIMEOUT, \
      OPTIONS_SET_IDLE_TIMEOUT, CONFIG_IDLE_TIMEOUT) \
    /* seconds a stuck reader may hold a transfer */ \
    X(send_timeout, "send-timeout", "send_timeout", 1, 86400, OPTIONS_DEFAULT_SEND_TIMEOUT, \
      OPTIONS_SET_SEND_TIMEOUT, CONFIG_SEND_TIMEOUT) \
    /* connections from one address (IPv4 or IPv6 host); 0: no limit */ \
    X(max_per_address, "max-per-address", "max_per_address", 0, 100000, \
      THROTTLE_DEFAULT_MAX_PER_ADDRESS, OPTIONS_SET_MAX_PER_ADDRESS, CONFIG_MAX_PER_ADDRESS) \
    /* connections from one global IPv6 /64; 0: no limit */ \
    X(max_per_prefix, "max-per-prefix", "max_per_prefix", 0, 1000000, \
      THROTTLE_DEFAULT_MAX_PER_PREFIX, OPTIONS_SET_MAX_PER_PREFIX, CONFIG_MAX_PER_PREFIX) \
    /* AUTH failures in a streak before answers slow down */ \
    X(auth_free_failures, "auth-free-failures", "auth_free_failures", 0, 1000, \
      THROTTLE_DEFAULT_FREE_FAILURES, OPTIONS_SET_AUTH_FREE_FAILURES, CONFIG_AUTH_FREE_FAILURES) \
    /* seconds without a failure that end a streak */ \
    X(auth_window, "auth-window", "auth_window", 1, 86400, THROTTLE_DEFAULT_WINDOW_S, \
      OPTIONS_SET_AUTH_WINDOW, CONFIG_AUTH_WINDOW) \
    /* seconds: cap of the doubling AUTH delay */ \
    X(auth_delay_max, "auth-delay-max", "auth_delay_max", 0, 3600, THROTTLE_DEFAULT_DELAY_MAX_S, \
      OPTIONS_SET_AUTH_DELAY_MAX, CONFIG_AUTH_DELAY_MAX) \
    /* failures in a streak that ban the address; 0: never */ \
    X(auth_ban_failures, "auth-ban-failures", "auth_ban_failures", 0, 100000, \
      THROTTLE_DEFAULT_BAN_FAILURES, OPTIONS_SET_AUTH_BAN_FAILURES, CONFIG_AUTH_BAN_FAILURES) \
    /* failures of all hosts of a global IPv6 /64 that ban the /64; 0: never */ \
    X(auth_prefix_ban_failures, "auth-prefix-ban-failures", "auth_prefix_ban_failures", 0, \
      1000000, THROTTLE_DEFAULT_PREFIX_BAN_FAILURES, OPTIONS_SET_AUTH_PREFIX_BAN_FAILURES, \
      CONFIG_AUTH_PREFIX_BAN_FAILURES) \
    /* seconds a ban lasts */ \
    X(auth_ban_time, "auth-ban-time", "auth_ban_time", 1, 604800, THROTTLE_DEFAULT_BAN_S, \
      OPTIONS_SET_AUTH_BAN_TIME, CONFIG_AUTH_BAN_TIME) \
    /* 1: refuse files with more than one hard link (another name may be outside the root) */ \
    X(refuse_hard_links, "refuse-hard-links", "refuse_hard_links", 0, 1, 0, \
      OPTIONS_SET_REFUSE_HARD_LINKS, CONFIG_REFUSE_HARD_LINKS) \
    /* password_hash checks (PBKDF2) at once; 0: one per processor */ \
    X(auth_concurrency, "auth-concurrency", "auth_concurrency", 0, 1024, 0, \
      OPTIONS_SET_AUTH_CONCURRENCY, CONFIG_AUTH_CONCURRENCY) \
    /* old access logs kept by rotation: FILE.1 .. FILE.N */ \
    X(log_keep, "log-keep", "log_keep", 1, 1000, OPTIONS_DEFAULT_LOG_KEEP, OPTIONS_SET_LOG_KEEP, \
      CONFIG_LOG_KEEP) \
    /* seconds between stats lines in the log; 0: none */ \
    X(stats_interval, "stats-interval", "stats_interval", 0, 86400, \
      OPTIONS_DEFAULT_STATS_INTERVAL, OPTIONS_SET_STATS_INTERVAL, CONFIG_STATS_INTERVAL) \
    /* seconds a stop lets transfers in flight finish; 0: cancel at once */ \
    X(stop_drain, "stop-drain", "stop_drain", 0, 3600, OPTIONS_DEFAULT_STOP_DRAIN, \
      OPTIONS_SET_STOP_DRAIN, CONFIG_STOP_DRAIN) \
    /* the TLS port, listened on when tls_certificate is set; 0 lets the OS choose */ \
    X(tls_port, "tls-port", "tls_port", 0, 65535, OPTIONS_DEFAULT_TLS_PORT, OPTIONS_SET_TLS_PORT, \
      CONFIG_TLS_PORT) \
    /* seconds a client has for the whole TLS handshake */ \
    X(tls_handshake_timeout, "tls-handshake-timeout", "tls_handshake_timeout", 1, 300, \
      OPTIONS_DEFAULT_TLS_HANDSHAKE_TIMEOUT, OPTIONS_SET_TLS_HANDSHAKE_TIMEOUT, \
      CONFIG_TLS_HANDSHAKE_TIMEOUT) \
    /* oldest TLS version served: 12 (TLS 1.2) or 13 (TLS 1.3) */ \
    X(tls_min_version, "tls-min-version", "tls_min_version", 12, 13, \
      OPTIONS_DEFAULT_TLS_MIN_VERSION, OPTIONS_SET_TLS_MIN_VERSION, CONFIG_TLS_MIN_VERSION) \
    /* 1: AUTH allowed on the plain port even with a certificate */ \
    X(plain_logins, "plain-logins", "plain_logins", 0, 1, 0, OPTIONS_SET_PLAIN_LOGINS, \
      CONFIG_PLAIN_LOGINS) \
    /* 0: with a certificate, no plain port at all */ \
    X(plain_port, "plain-port", "plain_port", 0, 1, 1, OPTIONS_SET_PLAIN_PORT, CONFIG_PLAIN_PORT) \
    /* HASH commands reading files at once; more wait their turn */ \
    X(max_hashes, "max-hashes", "max_hashes", 1, 64, OPTIONS_DEFAULT_MAX_HASHES, \
      OPTIONS_SET_MAX_HASHES, CONFIG_MAX_HASHES) \
    /* 1: LIST shows hidden and system entries */ \
    X(list_hidden, "list-hidden", "list_hidden", 0, 1, 0, OPTIONS_SET_LIST_HIDDEN, \
      CONFIG_LIST_HIDDEN) \
    /* new connections per second one address may open; 0: no limit */ \
    X(connect_rate, "connect-rate", "connect_rate", 0, 100000, THROTTLE_DEFAULT_CONNECT_RATE, \
      OPTIONS_SET_CONNECT_RATE, CONFIG_CONNECT_RATE) \
    /* new connections one address may open at once before connect_rate applies */ \
    X(connect_burst, "connect-burst", "connect_burst", 1, 100000, \
      THROTTLE_DEFAULT_CONNECT_BURST, OPTIONS_SET_CONNECT_BURST, CONFIG_CONNECT_BURST) \
    /* TLS handshake steps (Schannel's RSA work) at once; 0: two per processor */ \
    X(tls_handshakes, "tls-handshakes", "tls_handshakes", 0, 1024, 0, \
      OPTIONS_SET_TLS_HANDSHAKES, CONFIG_TLS_HANDSHAKES) \
    /* LIST commands reading folders at once; more wait their turn */ \
    X(max_lists, "max-lists", "max_lists", 1, 64, OPTIONS_DEFAULT_MAX_LISTS, \
      OPTIONS_SET_MAX_LISTS, CONFIG_MAX_LISTS)

/* One unsigned field per number of the list. */
#define OPTIONS_NUMBER_FIELD(field, option, key, min, max, def, option_bit, config_bit) \
    unsigned field;

struct server_options {
    enum options_command command;
    uint64_t set;
    const char *bind;     /* NULL: every address, IPv6 and IPv4 */
    const char *root;     /* NULL: the current folder */
    const char *log_file; /* NULL: no log file */
    const char *config;   /* NULL: no configuration file */
    const char *hash;     /* passwd --hash: a password_hash to store as given */
    const char *allow;    /* NULL: every address may connect (ipacl.h text) */
    const char *deny;     /* NULL: no address is refused (ipacl.h text) */
    const char *tls_certificate; /* NULL: no TLS; a SHA-1 thumbprint, subject:NAME or a PFX file */
    unsigned tls_policy;         /* enum tlspolicy_level (tlspolicy.h) */
    OPTIONS_NUMBERS(OPTIONS_NUMBER_FIELD)
    int help;
    int version;
    int self_signed; /* install --self-signed: make a certificate (server/certmake.h) */
};

void options_init(struct server_options *o);

/* Parses argv[1..argc). Returns 0, or a negative code with a one-line
 * message for the user in err. */
int options_parse(struct server_options *o, int argc, char **argv, char *err, size_t errcap);

/* The --help text. */
const char *options_usage(void);

#endif
