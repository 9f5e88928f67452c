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

enum options_command {
    OPTIONS_CMD_NONE, /* plain "mtserver": service if the SCM started it, else console */
    OPTIONS_CMD_CONSOLE,
    OPTIONS_CMD_INSTALL,
    OPTIONS_CMD_UNINSTALL,
    OPTIONS_CMD_START,
    OPTIONS_CMD_STOP,
    OPTIONS_CMD_STATUS,
    OPTIONS_CMD_PASSWD,
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
};

struct server_options {
    enum options_command command;
    unsigned set;
    const char *bind;     /* NULL: every address, IPv6 and IPv4 */
    unsigned port;        /* 0 lets the OS choose; the server prints the one it got */
    const char *root;     /* NULL: the current folder */
    unsigned max_clients;
    unsigned idle_timeout; /* seconds */
    const char *log_file;  /* NULL: no log file */
    const char *config;    /* NULL: no configuration file */
    unsigned send_timeout;       /* seconds a stuck reader may hold a transfer */
    unsigned max_per_address;    /* connections from one address (IPv6: one /64); 0: no limit */
    unsigned auth_free_failures; /* AUTH failures in a streak before answers slow down */
    unsigned auth_window;        /* seconds without a failure that end a streak */
    unsigned auth_delay_max;     /* seconds: cap of the doubling AUTH delay */
    unsigned auth_ban_failures;  /* failures in a streak that ban the address; 0: never */
    unsigned auth_ban_time;      /* seconds a ban lasts */
    unsigned stats_interval;     /* seconds between stats lines in the log; 0: none */
    const char *hash;      /* passwd --hash: a password_hash to store as given */
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
