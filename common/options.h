/* options.h - mtserver's command line, parsed portably.
 *
 * "mtserver [command] [options]". Numbers are range-checked here so that the
 * platform layer only ever sees valid settings. Strings point into argv. */
#ifndef MTS_OPTIONS_H
#define MTS_OPTIONS_H

#include <stddef.h>

#include "throttle.h"

#define OPTIONS_DEFAULT_PORT 20248
#define OPTIONS_DEFAULT_MAX_CLIENTS 1024
#define OPTIONS_DEFAULT_IDLE_TIMEOUT 300
#define OPTIONS_DEFAULT_SEND_TIMEOUT 60
#define OPTIONS_DEFAULT_STATS_INTERVAL 3600
#define OPTIONS_DEFAULT_LOG_KEEP 5
#define OPTIONS_DEFAULT_STOP_DRAIN 10
#define OPTIONS_DEFAULT_MAX_HASHES 2

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
};

/* Bits of server_options.set: which settings the command line gave, so that
 * a configuration file can fill in the rest without overriding them. */
enum options_field {
    OPTIONS_SET_BIND = 1u << 0,
    OPTIONS_SET_PORT = 1u << 1,
    OPTIONS_SET_ROOT = 1u << 2,
    OPTIONS_SET_MAX_CLIENTS = 1u << 3,
    OPTIONS_SET_IDLE_TIMEOUT = 1u << 4,
    OPTIONS_SET_LOG_FILE = 1u << 5,
    OPTIONS_SET_CONFIG = 1u << 6,
    OPTIONS_SET_SEND_TIMEOUT = 1u << 7,
    OPTIONS_SET_MAX_PER_ADDRESS = 1u << 8,
    OPTIONS_SET_AUTH_FREE_FAILURES = 1u << 9,
    OPTIONS_SET_AUTH_WINDOW = 1u << 10,
    OPTIONS_SET_AUTH_DELAY_MAX = 1u << 11,
    OPTIONS_SET_AUTH_BAN_FAILURES = 1u << 12,
    OPTIONS_SET_AUTH_BAN_TIME = 1u << 13,
    OPTIONS_SET_STATS_INTERVAL = 1u << 14,
    OPTIONS_SET_HASH = 1u << 15,
    OPTIONS_SET_MAX_PER_PREFIX = 1u << 16,
    OPTIONS_SET_AUTH_PREFIX_BAN_FAILURES = 1u << 17,
    OPTIONS_SET_ALLOW = 1u << 18,
    OPTIONS_SET_DENY = 1u << 19,
    OPTIONS_SET_LOG_KEEP = 1u << 20,
    OPTIONS_SET_AUTH_CONCURRENCY = 1u << 21,
    OPTIONS_SET_REFUSE_HARD_LINKS = 1u << 22,
    OPTIONS_SET_STOP_DRAIN = 1u << 23,
    OPTIONS_SET_MAX_HASHES = 1u << 24,
    OPTIONS_SET_LIST_HIDDEN = 1u << 25,
};

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
    /* HASH commands reading files at once; more wait their turn */ \
    X(max_hashes, "max-hashes", "max_hashes", 1, 64, OPTIONS_DEFAULT_MAX_HASHES, \
      OPTIONS_SET_MAX_HASHES, CONFIG_MAX_HASHES) \
    /* 1: LIST shows hidden and system entries */ \
    X(list_hidden, "list-hidden", "list_hidden", 0, 1, 0, OPTIONS_SET_LIST_HIDDEN, \
      CONFIG_LIST_HIDDEN)

/* One unsigned field per number of the list. */
#define OPTIONS_NUMBER_FIELD(field, option, key, min, max, def, option_bit, config_bit) \
    unsigned field;

struct server_options {
    enum options_command command;
    unsigned set;
    const char *bind;     /* NULL: every address, IPv6 and IPv4 */
    const char *root;     /* NULL: the current folder */
    const char *log_file; /* NULL: no log file */
    const char *config;   /* NULL: no configuration file */
    const char *hash;     /* passwd --hash: a password_hash to store as given */
    const char *allow;    /* NULL: every address may connect (ipacl.h text) */
    const char *deny;     /* NULL: no address is refused (ipacl.h text) */
    OPTIONS_NUMBERS(OPTIONS_NUMBER_FIELD)
    int help;
    int version;
};

void options_init(struct server_options *o);

/* Parses argv[1..argc). Returns 0, or a negative code with a one-line
 * message for the user in err. */
int options_parse(struct server_options *o, int argc, char **argv, char *err, size_t errcap);

/* The --help text. */
const char *options_usage(void);

#endif
