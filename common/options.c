/* options.c - command-line parsing (see options.h). */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "cliflags.h"
#include "ipacl.h"
#include "mts_error.h"
#include "numparse.h"
#include "tlspolicy.h"

static const struct {
    const char *name;
    enum options_command command;
} commands[] = {
    {"console", OPTIONS_CMD_CONSOLE}, {"install", OPTIONS_CMD_INSTALL},
    {"uninstall", OPTIONS_CMD_UNINSTALL}, {"start", OPTIONS_CMD_START},
    {"stop", OPTIONS_CMD_STOP}, {"status", OPTIONS_CMD_STATUS},
    {"passwd", OPTIONS_CMD_PASSWD}, {"configure", OPTIONS_CMD_CONFIGURE},
    {"cert", OPTIONS_CMD_CERT}, {"prepare", OPTIONS_CMD_PREPARE},
};

enum value_kind { VALUE_TEXT, VALUE_NUMBER, VALUE_ADDRESSES, VALUE_POLICY };

struct option_spec {
    const char *name;
    enum value_kind kind;
    uint64_t set_bit;
    size_t field; /* offsetof(struct server_options, ...) */
    unsigned min, max;
};

#define FIELD(f) offsetof(struct server_options, f)
#define NUMBER_SPEC(field, option, key, min, max, def, option_bit, config_bit) \
    {option, VALUE_NUMBER, option_bit, FIELD(field), min, max},

static const struct option_spec specs[] = {
    {"bind", VALUE_TEXT, OPTIONS_SET_BIND, FIELD(bind), 0, 0},
    {"root", VALUE_TEXT, OPTIONS_SET_ROOT, FIELD(root), 0, 0},
    {"log", VALUE_TEXT, OPTIONS_SET_LOG_FILE, FIELD(log_file), 0, 0},
    {"config", VALUE_TEXT, OPTIONS_SET_CONFIG, FIELD(config), 0, 0},
    {"hash", VALUE_TEXT, OPTIONS_SET_HASH, FIELD(hash), 0, 0},
    {"allow", VALUE_ADDRESSES, OPTIONS_SET_ALLOW, FIELD(allow), 0, 0},
    {"deny", VALUE_ADDRESSES, OPTIONS_SET_DENY, FIELD(deny), 0, 0},
    {"tls-certificate", VALUE_TEXT, OPTIONS_SET_TLS_CERTIFICATE, FIELD(tls_certificate), 0, 0},
    {"tls-policy", VALUE_POLICY, OPTIONS_SET_TLS_POLICY, FIELD(tls_policy), 0, 0},
    OPTIONS_NUMBERS(NUMBER_SPEC)
};

#define NUMBER_DEFAULT(field, option, key, min, max, def, option_bit, config_bit) \
    o->field = def;

void options_init(struct server_options *o)
{
    memset(o, 0, sizeof *o);
    o->command = OPTIONS_CMD_NONE;
    OPTIONS_NUMBERS(NUMBER_DEFAULT)
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
           "  configure        give an installed service (e.g. by the MSI) what install\n"
           "                   sets besides: recovery, SID type, folder permissions\n"
           "  cert             make a self-signed TLS certificate for this host and set\n"
           "                   tls_certificate in the configuration file (a renewal: then\n"
           "                   sc control mtserver paramchange)\n"
           "  prepare          make the configuration folder and first configuration as\n"
           "                   install does, without the service (the MSI's first step)\n"
           "\n"
           "Options:\n"
           "  --port N         TCP port to listen on (default 20248; 0 picks a free one)\n"
           "  --bind ADDR      listen on this address only (default: all, IPv6 and IPv4)\n"
           "  --root DIR       folder to serve files from (default: the current folder)\n"
           "  --refuse-hard-links N\n"
           "                   1: refuse files with more than one hard link, as another\n"
           "                   name may lie outside the root (default 0)\n"
           "  --max-clients N  clients served at once; more get \"!Server busy.\" (default 1024)\n"
           "  --idle-timeout S seconds a client may stay silent (default 300)\n"
           "  --send-timeout S seconds a client may stall a download (default 60)\n"
           "  --max-per-address N\n"
           "                   connections per address, IPv4 or IPv6 host (default 32; 0: no\n"
           "                   limit)\n"
           "  --max-per-prefix N\n"
           "                   connections per global IPv6 /64 (default 128; 0: no limit)\n"
           "  --auth-free-failures N\n"
           "                   AUTH failures per address before answers slow (default 5)\n"
           "  --auth-window S  quiet seconds that clear an address's failures (default 60)\n"
           "  --auth-delay-max S\n"
           "                   longest AUTH delay; it doubles from 1 s (default 60)\n"
           "  --auth-ban-failures N\n"
           "                   AUTH failures that ban the address (default 20; 0: never)\n"
           "  --auth-prefix-ban-failures N\n"
           "                   AUTH failures of all hosts of a global IPv6 /64 that ban\n"
           "                   the /64 (default 80; 0: never)\n"
           "  --auth-ban-time S\n"
           "                   seconds a ban lasts (default 300)\n"
           "  --auth-concurrency N\n"
           "                   password_hash checks at once; the others wait up to the\n"
           "                   idle timeout (default 0: one per processor)\n"
           "  --stats-interval S\n"
           "                   seconds between stats lines in the log (default 3600; 0: off)\n"
           "  --allow LIST     only these addresses and ranges may connect, e.g.\n"
           "                   \"10.0.0.0/8, 2001:db8::/32\" (default: all)\n"
           "  --deny LIST      these addresses and ranges may not connect (default: none)\n"
           "  --stop-drain S   seconds a stop lets downloads in flight finish before it\n"
           "                   cancels them (default 10; 0: at once)\n"
           "  --tls-certificate THUMBPRINT|subject:NAME|FILE.pfx\n"
           "                   serve TLS with this certificate: a SHA-1 thumbprint in\n"
           "                   LocalMachine\\My (or CurrentUser\\My), the newest valid one\n"
           "                   naming host NAME there, or a PFX file\n"
           "  --tls-port N     the TLS port (default 20249; 0 picks a free one)\n"
           "  --tls-handshake-timeout S\n"
           "                   seconds a client has for the TLS handshake (default 10)\n"
           "  --tls-min-version V\n"
           "                   12: TLS 1.2 and later, 13: TLS 1.3 only (default 12)\n"
           "  --tls-policy P   intermediate: no static-RSA key exchange or CBC suites\n"
           "                   where Schannel takes it (default); compatible: all\n"
           "  --plain-logins N 1: allow AUTH on the plain port with a certificate (default 0)\n"
           "  --plain-port N   0: with a certificate, do not open the plain port (default 1)\n"
           "  --max-hashes N   HASH commands reading files at once; more wait (default 2)\n"
           "  --list-hidden N  1: LIST shows hidden and system entries (default 0: left out)\n"
           "  --connect-rate N new connections per second one address may open, once it\n"
           "                   has used its burst (default 20; 0: no limit)\n"
           "  --connect-burst N\n"
           "                   new connections one address may open at once (default 300)\n"
           "  --tls-handshakes N\n"
           "                   TLS handshakes computing at once; the others wait up to\n"
           "                   the handshake timeout (default 0: two per processor)\n"
           "  --max-lists N    LIST commands reading folders at once; more wait (default 4)\n"
           "  --log FILE       also append the access log to FILE\n"
           "  --log-keep N     old access logs kept when it is rotated, FILE.1 to\n"
           "                   FILE.N (default 5)\n"
           "  --config FILE    read settings from this INI file\n"
           "  --self-signed    install: also make a self-signed TLS certificate (as cert\n"
           "                   does) and set tls_certificate; prints its fingerprint\n"
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
    char *field = (char *)o + spec->field;

    if (spec->kind != VALUE_NUMBER && spec->kind != VALUE_POLICY)
        *(const char **)(void *)field = text;
    else
        *(unsigned *)(void *)field = number;
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
    if (spec->kind == VALUE_NUMBER) {
        int rc = numparse_u64(value, strlen(value), spec->max, &number);
        if (rc != 0 || number < spec->min) {
            snprintf(err, errcap, "option --%s wants a whole number from %u to %u, not '%s'",
                     spec->name, spec->min, spec->max, value);
            return MTS_ERANGE;
        }
    } else if (value[0] == '\0') {
        snprintf(err, errcap, "option --%s needs a non-empty value", spec->name);
        return MTS_EMISSING;
    } else if (spec->kind == VALUE_POLICY) {
        enum tlspolicy_level level;
        if (tlspolicy_parse(value, strlen(value), &level) != 0) {
            snprintf(err, errcap, "option --%s wants intermediate or compatible, not '%s'",
                     spec->name, value);
            return MTS_ERANGE;
        }
        number = (uint64_t)level;
    } else if (spec->kind == VALUE_ADDRESSES) {
        char why[160];
        int rc = ipacl_check(value, strlen(value), why, sizeof why);
        if (rc != 0) {
            snprintf(err, errcap, "option --%s: %s", spec->name, why);
            return rc;
        }
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
        if (cliflags_take(arg, &o->help, &o->version))
            continue;
        if (strcmp(arg, "--self-signed") == 0) {
            o->self_signed = 1;
            continue;
        }
        eq = strchr(arg + 2, '=');
        name_len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        spec = find_spec(arg + 2, name_len);
        if (spec == NULL)
            return cliflags_unknown(arg, err, errcap);
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
    if (o->self_signed && o->command != OPTIONS_CMD_INSTALL) {
        snprintf(err, errcap, "--self-signed goes with the install command only (for a "
                              "certificate alone: mtserver cert)");
        return MTS_EINVAL;
    }
    if (o->self_signed && (o->set & OPTIONS_SET_TLS_CERTIFICATE)) {
        snprintf(err, errcap, "--self-signed makes the certificate: give it or "
                              "--tls-certificate, not both");
        return MTS_EINVAL;
    }
    return 0;
}
