/* options.c - command-line parsing (see options.h). */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "mts_error.h"
#include "numparse.h"

static const struct {
    const char *name;
    enum options_command command;
} commands[] = {
    {"console", OPTIONS_CMD_CONSOLE}, {"install", OPTIONS_CMD_INSTALL},
    {"uninstall", OPTIONS_CMD_UNINSTALL}, {"start", OPTIONS_CMD_START},
    {"stop", OPTIONS_CMD_STOP}, {"status", OPTIONS_CMD_STATUS},
    {"passwd", OPTIONS_CMD_PASSWD},
};

enum value_kind { TEXT, NUMBER };

struct option_spec {
    const char *name;
    enum value_kind kind;
    unsigned set_bit;
    unsigned min, max;
};

static const struct option_spec specs[] = {
    {"bind", TEXT, OPTIONS_SET_BIND, 0, 0},
    {"port", NUMBER, OPTIONS_SET_PORT, 0, 65535},
    {"root", TEXT, OPTIONS_SET_ROOT, 0, 0},
    {"max-clients", NUMBER, OPTIONS_SET_MAX_CLIENTS, 1, 100000},
    {"idle-timeout", NUMBER, OPTIONS_SET_IDLE_TIMEOUT, 1, 86400},
    {"log", TEXT, OPTIONS_SET_LOG_FILE, 0, 0},
    {"config", TEXT, OPTIONS_SET_CONFIG, 0, 0},
    {"send-timeout", NUMBER, OPTIONS_SET_SEND_TIMEOUT, 1, 86400},
    {"max-per-address", NUMBER, OPTIONS_SET_MAX_PER_ADDRESS, 0, 100000},
    {"auth-free-failures", NUMBER, OPTIONS_SET_AUTH_FREE_FAILURES, 0, 1000},
    {"auth-window", NUMBER, OPTIONS_SET_AUTH_WINDOW, 1, 86400},
    {"auth-delay-max", NUMBER, OPTIONS_SET_AUTH_DELAY_MAX, 0, 3600},
    {"auth-ban-failures", NUMBER, OPTIONS_SET_AUTH_BAN_FAILURES, 0, 100000},
    {"auth-ban-time", NUMBER, OPTIONS_SET_AUTH_BAN_TIME, 1, 604800},
    {"stats-interval", NUMBER, OPTIONS_SET_STATS_INTERVAL, 0, 86400},
    {"hash", TEXT, OPTIONS_SET_HASH, 0, 0},
};

void options_init(struct server_options *o)
{
    memset(o, 0, sizeof *o);
    o->command = OPTIONS_CMD_NONE;
    o->port = OPTIONS_DEFAULT_PORT;
    o->max_clients = OPTIONS_DEFAULT_MAX_CLIENTS;
    o->idle_timeout = OPTIONS_DEFAULT_IDLE_TIMEOUT;
    o->send_timeout = OPTIONS_DEFAULT_SEND_TIMEOUT;
    o->max_per_address = THROTTLE_DEFAULT_MAX_PER_ADDRESS;
    o->auth_free_failures = THROTTLE_DEFAULT_FREE_FAILURES;
    o->auth_window = THROTTLE_DEFAULT_WINDOW_S;
    o->auth_delay_max = THROTTLE_DEFAULT_DELAY_MAX_S;
    o->auth_ban_failures = THROTTLE_DEFAULT_BAN_FAILURES;
    o->auth_ban_time = THROTTLE_DEFAULT_BAN_S;
    o->stats_interval = OPTIONS_DEFAULT_STATS_INTERVAL;
}

const char *options_usage(void)
{
    return "Usage: mtserver [command] [options]\n"
           "\n"
           "Commands:\n"
           "  console          run in this console until ESC or Ctrl+C (the default from a console)\n"
           "  install          register the Windows service (administrators only)\n"
           "  uninstall        stop and remove the Windows service\n"
           "  start | stop | status   control the installed service\n"
           "  passwd           set the password stored in the configuration file\n"
           "\n"
           "Options:\n"
           "  --port N         TCP port to listen on (default 20248; 0 picks a free one)\n"
           "  --bind ADDR      listen on this address only (default: all, IPv6 and IPv4)\n"
           "  --root DIR       folder to serve files from (default: the current folder)\n"
           "  --max-clients N  clients served at once; more get \"!Server busy.\" (default 1024)\n"
           "  --idle-timeout S seconds a client may stay silent (default 300)\n"
           "  --send-timeout S seconds a client may stall a download (default 60)\n"
           "  --max-per-address N\n"
           "                   connections per address, IPv6 per /64 (default 32; 0: no limit)\n"
           "  --auth-free-failures N\n"
           "                   AUTH failures per address before answers slow (default 5)\n"
           "  --auth-window S  quiet seconds that clear an address's failures (default 60)\n"
           "  --auth-delay-max S\n"
           "                   longest AUTH delay; it doubles from 1 s (default 60)\n"
           "  --auth-ban-failures N\n"
           "                   AUTH failures that ban the address (default 20; 0: never)\n"
           "  --auth-ban-time S\n"
           "                   seconds a ban lasts (default 300)\n"
           "  --stats-interval S\n"
           "                   seconds between stats lines in the log (default 3600; 0: off)\n"
           "  --log FILE       also append the access log to FILE\n"
           "  --config FILE    read settings from this INI file\n"
           "  --hash HASH      passwd: store this password_hash instead of asking for a\n"
           "                   password (unattended installs)\n"
           "  --help           show this help\n"
           "  --version        show the version\n"
           "\n"
           "Console mode takes the password from the MTS_PASSWORD environment variable,\n"
           "else from password_hash in the --config file, else makes a random one and\n"
           "prints it. The service uses password_hash only (see docs/ADMIN.md).\n";
}

static void set_field(struct server_options *o, const struct option_spec *spec, const char *text,
                      unsigned number)
{
    switch (spec->set_bit) {
    case OPTIONS_SET_BIND: o->bind = text; break;
    case OPTIONS_SET_PORT: o->port = number; break;
    case OPTIONS_SET_ROOT: o->root = text; break;
    case OPTIONS_SET_MAX_CLIENTS: o->max_clients = number; break;
    case OPTIONS_SET_IDLE_TIMEOUT: o->idle_timeout = number; break;
    case OPTIONS_SET_LOG_FILE: o->log_file = text; break;
    case OPTIONS_SET_CONFIG: o->config = text; break;
    case OPTIONS_SET_SEND_TIMEOUT: o->send_timeout = number; break;
    case OPTIONS_SET_MAX_PER_ADDRESS: o->max_per_address = number; break;
    case OPTIONS_SET_AUTH_FREE_FAILURES: o->auth_free_failures = number; break;
    case OPTIONS_SET_AUTH_WINDOW: o->auth_window = number; break;
    case OPTIONS_SET_AUTH_DELAY_MAX: o->auth_delay_max = number; break;
    case OPTIONS_SET_AUTH_BAN_FAILURES: o->auth_ban_failures = number; break;
    case OPTIONS_SET_AUTH_BAN_TIME: o->auth_ban_time = number; break;
    case OPTIONS_SET_STATS_INTERVAL: o->stats_interval = number; break;
    case OPTIONS_SET_HASH: o->hash = text; break;
    }
    o->set |= spec->set_bit;
}

static int take_value(struct server_options *o, const struct option_spec *spec, const char *value,
                      char *err, size_t errcap)
{
    uint64_t number = 0;

    if (value == NULL) {
        snprintf(err, errcap, "option --%s needs a value", spec->name);
        return MTS_EMISSING;
    }
    if (spec->kind == NUMBER) {
        int rc = numparse_u64(value, strlen(value), spec->max, &number);
        if (rc != 0 || number < spec->min) {
            snprintf(err, errcap, "option --%s wants a whole number from %u to %u, not '%s'",
                     spec->name, spec->min, spec->max, value);
            return MTS_ERANGE;
        }
    } else if (value[0] == '\0') {
        snprintf(err, errcap, "option --%s needs a non-empty value", spec->name);
        return MTS_EMISSING;
    }
    set_field(o, spec, value, (unsigned)number);
    return 0;
}

static const struct option_spec *find_spec(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        if (strlen(specs[i].name) == len && memcmp(specs[i].name, name, len) == 0)
            return &specs[i];
    }
    return NULL;
}

static int parse_command(struct server_options *o, const char *word, char *err, size_t errcap)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, word) == 0) {
            o->command = commands[i].command;
            return 0;
        }
    }
    snprintf(err, errcap, "unknown command '%s' (try --help)", word);
    return MTS_EUNKNOWN;
}

int options_parse(struct server_options *o, int argc, char **argv, char *err, size_t errcap)
{
    err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq, *value;
        const struct option_spec *spec;
        size_t name_len;
        int rc;

        if (strncmp(arg, "--", 2) != 0) {
            if (o->command != OPTIONS_CMD_NONE || i != 1) {
                snprintf(err, errcap, "unexpected argument '%s' (try --help)", arg);
                return MTS_EUNKNOWN;
            }
            rc = parse_command(o, arg, err, errcap);
            if (rc != 0)
                return rc;
            continue;
        }
        if (strcmp(arg, "--help") == 0) {
            o->help = 1;
            continue;
        }
        if (strcmp(arg, "--version") == 0) {
            o->version = 1;
            continue;
        }
        eq = strchr(arg + 2, '=');
        name_len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        spec = find_spec(arg + 2, name_len);
        if (spec == NULL) {
            snprintf(err, errcap, "unknown option '%s' (try --help)", arg);
            return MTS_EUNKNOWN;
        }
        value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!eq && value != NULL && strncmp(value, "--", 2) == 0)
            value = NULL; /* "--log --port 1" lacks a log file name */
        rc = take_value(o, spec, value, err, errcap);
        if (rc != 0)
            return rc;
    }
    if ((o->set & OPTIONS_SET_HASH) && o->command != OPTIONS_CMD_PASSWD) {
        snprintf(err, errcap, "--hash goes with the passwd command only");
        return MTS_EINVAL;
    }
    return 0;
}
