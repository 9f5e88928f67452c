/* options.c - command-line parsing (see options.h). */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "certname.h"
#include "cliflags.h"
#include "helptext.h"
#include "hexfmt.h"
#include "mts_error.h"
#include "numparse.h"

#define OPTIONS_COMMAND_WORD(id, word, head, help) {word, OPTIONS_CMD_##id},
static const struct {
    const char *name;
    enum options_command command;
} commands[] = {OPTIONS_COMMAND_LIST(OPTIONS_COMMAND_WORD)};

/* In the order of enum options_user_action, from OPTIONS_USER_ADD. */
static const struct {
    const char *name;
    enum options_user_action action;
} user_actions[] = {
    {"add", OPTIONS_USER_ADD},         {"remove", OPTIONS_USER_REMOVE},
    {"list", OPTIONS_USER_LIST},       {"passwd", OPTIONS_USER_PASSWD},
    {"disable", OPTIONS_USER_DISABLE}, {"enable", OPTIONS_USER_ENABLE},
};

#define OPTION_DEFAULT(field, kind, option, key, arg, min, max, def, flags, help)                  \
    OPTION_DEFAULT_##kind(field, def)
#define OPTION_DEFAULT_TEXT(field, def)
#define OPTION_DEFAULT_ADDRS(field, def)
#define OPTION_DEFAULT_NUM(field, def) o->field = def;
#define OPTION_DEFAULT_BIG(field, def) o->field = def;
#define OPTION_DEFAULT_WORD(field, def) o->field = def;

void options_init(struct server_options *o)
{
    memset(o, 0, sizeof *o);
    o->command = OPTIONS_CMD_NONE;
    SETTING_LIST(OPTION_DEFAULT)
}

void options_ports(const struct server_options *o, unsigned ports[2])
{
    int tls = o->tls_certificate != NULL;

    ports[0] = !tls || o->plain_port ? o->port : OPTIONS_PORT_CLOSED;
    ports[1] = tls ? o->tls_port : OPTIONS_PORT_CLOSED;
}

enum options_certificate options_certificate(const struct server_options *o, const char **name,
                                             unsigned char hash[20])
{
    *name = o->tls_certificate;
    if (o->tls_certificate == NULL)
        return OPTIONS_CERT_NONE;
    return hexfmt_parse_loose(o->tls_certificate, hash, hash != NULL ? 20 : 0) == 40
               ? OPTIONS_CERT_THUMBPRINT
               : OPTIONS_CERT_OTHER;
}

void options_set_certificate(struct server_options *o, const char *name)
{
    o->tls_certificate = name;
    o->set |= SETTING_BIT(tls_certificate);
}

static const char usage_head[] = "Usage: mtserver [command] [options]\n\nCommands:\n";

static const char usage_tail[] =
    "\n"
    "Console mode takes the password from the MTS_PASSWORD environment variable,\n"
    "else from password_hash in the --config file, else serves accounts only when\n"
    "an accounts.ini is beside that file, else makes a random one and prints it.\n"
    "The service uses password_hash, or accounts only (see docs/ADMIN.md).\n";

#define OPTIONS_COMMAND_HELP(id, word, head, help) {"  " head, help},
#define OPTIONS_ARGUMENT_HELP(head, help) {"  " head, help},
static const struct {
    const char *head, *text;
} command_help[] = {OPTIONS_COMMAND_LIST(OPTIONS_COMMAND_HELP)},
  argument_help[] = {OPTIONS_ARGUMENT_LIST(OPTIONS_ARGUMENT_HELP)};

const char *options_usage(void)
{
    /* Made once, by main's thread, before any other thread starts. */
    static char text[8192];
    size_t used = 0;

    if (text[0] != '\0')
        return text;
    helptext_put(text, sizeof text, &used, usage_head, strlen(usage_head));
    for (size_t i = 0; i < sizeof command_help / sizeof command_help[0]; i++)
        helptext_entry(text, sizeof text, &used, command_help[i].head, command_help[i].text);
    helptext_put(text, sizeof text, &used, "\nOptions:\n", 10);
    used += setting_write_help(text + used, used < sizeof text ? sizeof text - used : 0);
    for (size_t i = 0; i < sizeof argument_help / sizeof argument_help[0]; i++)
        helptext_entry(text, sizeof text, &used, argument_help[i].head, argument_help[i].text);
    helptext_put(text, sizeof text, &used, usage_tail, strlen(usage_tail));
    return text;
}

/* The arguments with a value that are not settings: --hash, and user's
 * --root, the folder a new account sees, which is no root setting of the
 * server's although it has that option's name. */
static const struct {
    const char *name;
    enum options_command command; /* the only command it goes with; NONE: any */
    size_t field;                 /* its const char * in struct server_options */
} arguments[] = {
    {"hash", OPTIONS_CMD_NONE, offsetof(struct server_options, hash)},
    {"root", OPTIONS_CMD_USER, offsetof(struct server_options, user_root)},
};

/* The argument of arguments[] that name[0..len) is for this command, or -1. */
static int argument_by_name(const struct server_options *o, const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof arguments / sizeof arguments[0]; i++) {
        if (strlen(arguments[i].name) == len && memcmp(arguments[i].name, name, len) == 0 &&
            (arguments[i].command == OPTIONS_CMD_NONE || arguments[i].command == o->command))
            return (int)i;
    }
    return -1;
}

/* The value of setting id, or of arguments[arg] when id is -1, from the
 * command line. */
static int take_value(struct server_options *o, int id, int arg, const char *name,
                      const char *value, char *err, size_t errcap)
{
    char why[160];
    char *field;
    uint64_t number;
    int rc;

    if (value == NULL) {
        snprintf(err, errcap, "option --%s needs a value", name);
        return MTS_EMISSING;
    }
    if (id < 0 || setting_rows[id].kind != SETTING_NUM) {
        if (value[0] == '\0') {
            snprintf(err, errcap, "option --%s needs a non-empty value", name);
            return MTS_EMISSING;
        }
    }
    if (id < 0) {
        *(const char **)(void *)((char *)o + arguments[arg].field) = value;
        return 0;
    }
    rc = setting_check(id, value, strlen(value), &number, why, sizeof why);
    if (rc == MTS_ERANGE) {
        snprintf(err, errcap, "option --%s wants %s, not '%s'", name, why, value);
        return rc;
    }
    if (rc != 0) {
        snprintf(err, errcap, "option --%s: %s", name, why);
        return rc;
    }
    field = options_field(o, id);
    if (setting_rows[id].kind == SETTING_NUM || setting_rows[id].kind == SETTING_WORD)
        *(unsigned *)(void *)field = (unsigned)number;
    else
        *(const char **)(void *)field = value;
    o->set |= SETTING_ID_BIT(id);
    return 0;
}

/* The flags of one command each. Returns 1 when arg was one. */
static int take_flag(struct server_options *o, const char *arg)
{
    int *flag = strcmp(arg, "--self-signed") == 0    ? &o->self_signed
                : strcmp(arg, "--renew") == 0        ? &o->renew
                : strcmp(arg, "--pfx-password") == 0 ? &o->pfx_password
                                                     : NULL;

    if (flag != NULL)
        *flag = 1;
    return flag != NULL;
}

/* cert --days N: how long a certificate made here lasts. */
static int take_days(struct server_options *o, const char *value, char *err, size_t errcap)
{
    uint64_t n = 0;

    if (value == NULL || numparse_u64(value, strlen(value), OPTIONS_DAYS_MAX, &n) != 0 || n < 1) {
        snprintf(err, errcap, "option --days wants a whole number of days from 1 to %u, not '%s'",
                 OPTIONS_DAYS_MAX, value != NULL ? value : "");
        return value == NULL ? MTS_EMISSING : MTS_ERANGE;
    }
    o->days = (unsigned)n;
    return 0;
}

/* cert --name NAME, once per name (certname.h says which are taken). */
static int take_name(struct server_options *o, const char *value, char *err, size_t errcap)
{
    struct certname name;
    char why[200];

    if (value == NULL) {
        snprintf(err, errcap, "option --name needs a DNS name or an IP address");
        return MTS_EMISSING;
    }
    if (certname_parse(value, &name, why, sizeof why) != 0) {
        snprintf(err, errcap, "option --name: %s; nothing was made", why);
        return MTS_EINVAL;
    }
    if (o->name_count == OPTIONS_NAMES_MAX) {
        snprintf(err, errcap, "option --name: at most %u names", OPTIONS_NAMES_MAX);
        return MTS_ERANGE;
    }
    /* A name twice would be in the certificate twice: a mistake to say. */
    for (unsigned i = 0; i < o->name_count; i++) {
        struct certname before;
        if (certname_parse(o->names[i], &before, why, sizeof why) == 0 &&
            certname_same(o->names[i], &before, value, &name)) {
            snprintf(err, errcap, "option --name: '%s' is the same name as '%s'; nothing was made",
                     value, o->names[i]);
            return MTS_EINVAL;
        }
    }
    o->names[o->name_count++] = value;
    return 0;
}

/* cert --key KIND. */
static int take_key(struct server_options *o, const char *value, char *err, size_t errcap)
{
    static const struct {
        const char *word;
        enum options_key key;
    } keys[] = {{"rsa2048", OPTIONS_KEY_RSA2048},
                {"rsa3072", OPTIONS_KEY_RSA3072},
                {"ecdsa-p256", OPTIONS_KEY_ECDSA_P256}};

    for (size_t i = 0; value != NULL && i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(value, keys[i].word) == 0) {
            o->key = keys[i].key;
            return 0;
        }
    }
    snprintf(err, errcap, "option --key wants rsa2048, rsa3072 or ecdsa-p256, not '%s'",
             value != NULL ? value : "");
    return value == NULL ? MTS_EMISSING : MTS_EINVAL;
}

/* The arguments only cert and install --self-signed take: 1 when arg was
 * one (*rc then says how it went), 0 when not. */
static int take_cert_arg(struct server_options *o, int argc, char **argv, int *i, int *rc,
                         char *err, size_t errcap)
{
    static const char *const names[] = {"--days", "--name", "--key"};
    const char *arg = argv[*i], *value;

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(arg, names[k], n) != 0 || (arg[n] != '\0' && arg[n] != '='))
            continue;
        value = arg[n] == '=' ? arg + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
        *rc = k == 0   ? take_days(o, value, err, errcap)
              : k == 1 ? take_name(o, value, err, errcap)
                       : take_key(o, value, err, errcap);
        return 1;
    }
    return 0;
}

/* The words after `user`: its action, then the account's name. */
static int take_user_word(struct server_options *o, const char *word, char *err, size_t errcap)
{
    char why[160];

    if (o->user_action == OPTIONS_USER_NONE) {
        for (size_t i = 0; i < sizeof user_actions / sizeof user_actions[0]; i++) {
            if (strcmp(user_actions[i].name, word) == 0) {
                o->user_action = user_actions[i].action;
                return 0;
            }
        }
        snprintf(err, errcap, "unknown user action '%s' (add, remove, list, passwd, disable or "
                              "enable)", word);
        return MTS_EUNKNOWN;
    }
    if (o->user_action == OPTIONS_USER_LIST || o->user_name != NULL) {
        snprintf(err, errcap, "unexpected argument '%s' (try --help)", word);
        return MTS_EUNKNOWN;
    }
    if (accounts_check_name(word, strlen(word), why, sizeof why) != 0) {
        snprintf(err, errcap, "%s; nothing was changed", why);
        return MTS_EINVAL;
    }
    o->user_name = word;
    return 0;
}

/* What `user` needs besides its words, once all are read. */
static int check_user(const struct server_options *o, char *err, size_t errcap)
{
    if (o->user_action == OPTIONS_USER_NONE) {
        snprintf(err, errcap, "user needs an action: add, remove, list, passwd, disable or "
                              "enable");
        return MTS_EMISSING;
    }
    if (o->user_action != OPTIONS_USER_LIST && o->user_name == NULL) {
        snprintf(err, errcap, "user %s needs an account name",
                 user_actions[o->user_action - 1].name);
        return MTS_EMISSING;
    }
    if (o->user_action == OPTIONS_USER_ADD && o->user_root == NULL) {
        snprintf(err, errcap, "user add needs --root DIR, the folder the account sees");
        return MTS_EMISSING;
    }
    if (o->user_action != OPTIONS_USER_ADD && o->user_root != NULL) {
        snprintf(err, errcap, "--root goes with user add only");
        return MTS_EINVAL;
    }
    if (o->hash != NULL && o->user_action != OPTIONS_USER_ADD &&
        o->user_action != OPTIONS_USER_PASSWD) {
        snprintf(err, errcap, "--hash goes with passwd, user add and user passwd only");
        return MTS_EINVAL;
    }
    return 0;
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
        size_t name_len;
        int id, argument, rc;

        if (strncmp(arg, "--", 2) != 0 && o->command == OPTIONS_CMD_USER) {
            rc = take_user_word(o, arg, err, errcap);
            if (rc != 0)
                return rc;
            continue;
        }
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
        if (take_flag(o, arg))
            continue;
        if (take_cert_arg(o, argc, argv, &i, &rc, err, errcap)) {
            if (rc != 0)
                return rc;
            continue;
        }
        eq = strchr(arg + 2, '=');
        name_len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        argument = argument_by_name(o, arg + 2, name_len);
        id = argument < 0 ? setting_by_option(arg + 2, name_len) : -1;
        if (id < 0 && argument < 0)
            return cliflags_unknown(arg, err, errcap);
        value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!eq && value != NULL && strncmp(value, "--", 2) == 0)
            value = NULL; /* "--log --port 1" lacks a log file name */
        rc = take_value(o, id, argument,
                        id >= 0 ? setting_rows[id].option : arguments[argument].name, value, err,
                        errcap);
        if (rc != 0)
            return rc;
    }
    if (o->command == OPTIONS_CMD_USER) {
        int rc = check_user(o, err, errcap);
        if (rc != 0)
            return rc;
    } else if (o->hash != NULL && o->command != OPTIONS_CMD_PASSWD) {
        snprintf(err, errcap, "--hash goes with the passwd command (and user add, user passwd) "
                              "only");
        return MTS_EINVAL;
    }
    if (o->self_signed && o->command != OPTIONS_CMD_INSTALL) {
        snprintf(err, errcap,
                 "--self-signed goes with the install command only (for a "
                 "certificate alone: mtserver cert)");
        return MTS_EINVAL;
    }
    if (o->renew && o->command != OPTIONS_CMD_CERT) {
        snprintf(err, errcap, "--renew goes with the cert command only");
        return MTS_EINVAL;
    }
    if ((o->days != 0 || o->name_count != 0 || o->key != OPTIONS_KEY_DEFAULT) &&
        o->command != OPTIONS_CMD_CERT && !o->self_signed) {
        snprintf(err, errcap, "--days, --name and --key go with the cert command or install "
                              "--self-signed");
        return MTS_EINVAL;
    }
    if (o->renew && (o->name_count != 0 || o->key != OPTIONS_KEY_DEFAULT)) {
        snprintf(err, errcap, "--renew keeps the configured certificate's key and names: "
                              "--name and --key go with a new certificate (mtserver cert "
                              "without --renew)");
        return MTS_EINVAL;
    }
    if (o->pfx_password &&
        (o->command != OPTIONS_CMD_INSTALL || !(o->set & SETTING_BIT(tls_certificate)))) {
        snprintf(err, errcap, "--pfx-password goes with install --tls-certificate FILE.pfx only");
        return MTS_EINVAL;
    }
    if (o->self_signed && (o->set & SETTING_BIT(tls_certificate))) {
        snprintf(err, errcap,
                 "--self-signed makes the certificate: give it or "
                 "--tls-certificate, not both");
        return MTS_EINVAL;
    }
    return 0;
}
