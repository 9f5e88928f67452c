/* test_options.c - mtserver's command line. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mts_error.h"
#include "options.h"
#include "tlspolicy.h"

static struct server_options o;
static char err[256];

static int parse(int argc, const char **argv)
{
    options_init(&o);
    return options_parse(&o, argc, (char **)argv, err, sizeof err);
}

static void test_defaults(void)
{
    const char *argv[] = {"mtserver"};

    CHECK_INT(parse(1, argv), 0);
    CHECK_INT(o.command, OPTIONS_CMD_NONE);
    CHECK_INT(o.port, 20248);
    CHECK_INT(o.max_clients, 1024);
    CHECK_INT(o.idle_timeout, 300);
    CHECK(o.bind == NULL && o.root == NULL && o.log_file == NULL && o.config == NULL);
    CHECK_INT(o.set, 0);
}

static void test_command_and_options_both_spellings(void)
{
    const char *argv[] = {"mtserver", "console", "--port", "8080", "--root=C:\\srv",
                          "--bind", "::1", "--max-clients=5", "--idle-timeout", "30",
                          "--log", "C:\\a b.log", "--config", "x.ini"};

    CHECK_INT(parse(14, argv), 0);
    CHECK_INT(o.command, OPTIONS_CMD_CONSOLE);
    CHECK_INT(o.port, 8080);
    CHECK_STR(o.root, "C:\\srv");
    CHECK_STR(o.bind, "::1");
    CHECK_INT(o.max_clients, 5);
    CHECK_INT(o.idle_timeout, 30);
    CHECK_STR(o.log_file, "C:\\a b.log");
    CHECK_STR(o.config, "x.ini");
    CHECK_INT(o.set, OPTIONS_SET_PORT | OPTIONS_SET_ROOT | OPTIONS_SET_BIND |
                         OPTIONS_SET_MAX_CLIENTS | OPTIONS_SET_IDLE_TIMEOUT |
                         OPTIONS_SET_LOG_FILE | OPTIONS_SET_CONFIG);
}

static void test_every_command_word(void)
{
    static const struct {
        const char *word;
        enum options_command cmd;
    } words[] = {{"install", OPTIONS_CMD_INSTALL}, {"uninstall", OPTIONS_CMD_UNINSTALL},
                 {"start", OPTIONS_CMD_START},     {"stop", OPTIONS_CMD_STOP},
                 {"status", OPTIONS_CMD_STATUS},   {"passwd", OPTIONS_CMD_PASSWD},
                 {"configure", OPTIONS_CMD_CONFIGURE}};

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *argv[] = {"mtserver", words[i].word};
        CHECK_INT(parse(2, argv), 0);
        CHECK_INT(o.command, words[i].cmd);
    }
}

static void test_help_and_version(void)
{
    const char *argv[] = {"mtserver", "--help", "--version"};

    CHECK_INT(parse(3, argv), 0);
    CHECK_INT(o.help, 1);
    CHECK_INT(o.version, 1);
    CHECK(strstr(options_usage(), "--idle-timeout") != NULL);
}

static void test_errors_name_the_problem(void)
{
    const char *unknown[] = {"mtserver", "--prot", "1"};
    const char *range[] = {"mtserver", "--port", "65536"};
    const char *zero[] = {"mtserver", "--max-clients", "0"};
    const char *word[] = {"mtserver", "--idle-timeout", "ten"};
    const char *missing[] = {"mtserver", "--root"};
    const char *swallowed[] = {"mtserver", "--log", "--port", "1"};
    const char *empty[] = {"mtserver", "--root="};
    const char *command[] = {"mtserver", "serve"};
    const char *late[] = {"mtserver", "--port", "1", "console"};

    CHECK_INT(parse(3, unknown), MTS_EUNKNOWN);
    CHECK(strstr(err, "--prot") != NULL);
    CHECK_INT(parse(3, range), MTS_ERANGE);
    CHECK(strstr(err, "65536") != NULL);
    CHECK_INT(parse(3, zero), MTS_ERANGE);
    CHECK_INT(parse(3, word), MTS_ERANGE);
    CHECK(strstr(err, "ten") != NULL);
    CHECK_INT(parse(2, missing), MTS_EMISSING);
    CHECK(strstr(err, "--root") != NULL);
    CHECK_INT(parse(4, swallowed), MTS_EMISSING);
    CHECK_INT(parse(2, empty), MTS_EMISSING);
    CHECK_INT(parse(2, command), MTS_EUNKNOWN);
    CHECK(strstr(err, "serve") != NULL);
    CHECK_INT(parse(4, late), MTS_EUNKNOWN);
}

/* passwd --hash: the unattended install's way to store a hash it was given. */
static void test_passwd_hash_only_with_passwd(void)
{
    const char *argv[] = {"mtserver", "passwd", "--config", "m.ini", "--hash", "pbkdf2-sha256$x"};
    const char *other[] = {"mtserver", "console", "--hash", "pbkdf2-sha256$x"};
    const char *missing[] = {"mtserver", "passwd", "--hash"};

    CHECK_INT(parse(6, argv), 0);
    CHECK_INT(o.command, OPTIONS_CMD_PASSWD);
    CHECK_STR(o.hash, "pbkdf2-sha256$x");
    CHECK_STR(o.config, "m.ini");
    CHECK_INT(o.set, OPTIONS_SET_CONFIG | OPTIONS_SET_HASH);
    CHECK_INT(parse(4, other), MTS_EINVAL);
    CHECK(strstr(err, "passwd") != NULL);
    CHECK_INT(parse(3, missing), MTS_EMISSING);
}

/* install --self-signed: a flag of install alone, never beside a given certificate. */
static void test_self_signed_only_with_install(void)
{
    const char *argv[] = {"mtserver", "install", "--self-signed", "--config", "m.ini"};
    const char *other[] = {"mtserver", "cert", "--self-signed"};
    const char *both[] = {"mtserver", "install", "--self-signed", "--tls-certificate", "x.pfx"};
    const char *plain[] = {"mtserver", "install"};

    CHECK_INT(parse(5, argv), 0);
    CHECK_INT(o.command, OPTIONS_CMD_INSTALL);
    CHECK_INT(o.self_signed, 1);
    CHECK_INT(o.set, OPTIONS_SET_CONFIG);
    CHECK_INT(parse(3, other), MTS_EINVAL);
    CHECK(strstr(err, "install") != NULL);
    CHECK_INT(parse(5, both), MTS_EINVAL);
    CHECK(strstr(err, "--tls-certificate") != NULL);
    CHECK_INT(parse(2, plain), 0);
    CHECK_INT(o.self_signed, 0);
    CHECK(strstr(options_usage(), "--self-signed") != NULL);
}

static void test_hardening_options(void)
{
    const char *defaults[] = {"mtserver"};
    const char *argv[] = {"mtserver", "--send-timeout", "3", "--max-per-address=0",
                          "--auth-free-failures", "0", "--auth-window=10",
                          "--auth-delay-max", "2", "--auth-ban-failures=0",
                          "--auth-ban-time", "7", "--stats-interval=1"};
    const char *zero_window[] = {"mtserver", "--auth-window=0"};
    const char *zero_send[] = {"mtserver", "--send-timeout", "0"};

    CHECK_INT(parse(1, defaults), 0);
    CHECK_INT(o.send_timeout, 60);
    CHECK_INT(o.max_per_address, 32);
    CHECK_INT(o.auth_free_failures, 5);
    CHECK_INT(o.auth_window, 60);
    CHECK_INT(o.auth_delay_max, 60);
    CHECK_INT(o.auth_ban_failures, 20);
    CHECK_INT(o.auth_ban_time, 300);
    CHECK_INT(o.stats_interval, 3600);
    CHECK_INT(parse(13, argv), 0);
    CHECK_INT(o.send_timeout, 3);
    CHECK_INT(o.max_per_address, 0);
    CHECK_INT(o.auth_free_failures, 0);
    CHECK_INT(o.auth_window, 10);
    CHECK_INT(o.auth_delay_max, 2);
    CHECK_INT(o.auth_ban_failures, 0);
    CHECK_INT(o.auth_ban_time, 7);
    CHECK_INT(o.stats_interval, 1);
    CHECK(o.set & OPTIONS_SET_SEND_TIMEOUT);
    CHECK(o.set & OPTIONS_SET_STATS_INTERVAL);
    CHECK_INT(parse(2, zero_window), MTS_ERANGE);
    CHECK_INT(parse(3, zero_send), MTS_ERANGE);
}

/* Every number of OPTIONS_NUMBERS reaches its own field and bit at both
 * ends of its range, and one past either end is refused. */
#define CHECK_NUMBER_RANGE(field, option, key, min, max, def, option_bit, config_bit)            \
    {                                                                                          \
        char arg[64];                                                                          \
        const char *argv[] = {"mtserver", arg};                                                \
        snprintf(arg, sizeof arg, "--%s=%u", option, (unsigned)(max));                         \
        CHECK_INT(parse(2, argv), 0);                                                          \
        CHECK_INT(o.field, max);                                                               \
        CHECK_INT(o.set, option_bit);                                                          \
        snprintf(arg, sizeof arg, "--%s=%u", option, (unsigned)(min));                         \
        CHECK_INT(parse(2, argv), 0);                                                          \
        CHECK_INT(o.field, min);                                                               \
        snprintf(arg, sizeof arg, "--%s=%lu", option, (unsigned long)(max) + 1ul);            \
        CHECK_INT(parse(2, argv), MTS_ERANGE);                                                 \
        if ((min) > 0) {                                                                       \
            snprintf(arg, sizeof arg, "--%s=%u", option, (unsigned)(min) - 1u);                \
            CHECK_INT(parse(2, argv), MTS_ERANGE);                                             \
        }                                                                                      \
    }

static void test_every_number_at_the_ends_of_its_range(void)
{
    OPTIONS_NUMBERS(CHECK_NUMBER_RANGE)
}

/* --help names every number option and its default, as "(default N". */
#define CHECK_NUMBER_HELP(field, option, key, min, max, def, option_bit, config_bit)             \
    {                                                                                          \
        char want[32];                                                                         \
        const char *at = strstr(usage, "  --" option " ");                                     \
        const char *next;                                                                      \
        CHECK(at != NULL);                                                                     \
        if (at != NULL) {                                                                      \
            next = strstr(at + 4, "\n  --");                                                   \
            snprintf(want, sizeof want, "(default %u", (unsigned)(def));                       \
            at = strstr(at, want);                                                             \
            CHECK(at != NULL && (next == NULL || at < next));                                  \
        }                                                                                      \
    }

static void test_help_gives_every_number_and_its_default(void)
{
    const char *usage = options_usage();

    OPTIONS_NUMBERS(CHECK_NUMBER_HELP)
}

static void test_allow_and_deny_lists_are_checked(void)
{
    const char *good[] = {"mtserver", "--allow", "10.0.0.0/8, ::1", "--deny=10.6.0.0/16"};
    const char *bad[] = {"mtserver", "--allow", "10.0.0.1/8"};
    const char *empty[] = {"mtserver", "--deny="};

    CHECK_INT(parse(4, good), 0);
    CHECK_STR(o.allow, "10.0.0.0/8, ::1");
    CHECK_STR(o.deny, "10.6.0.0/16");
    CHECK_INT(o.set, OPTIONS_SET_ALLOW | OPTIONS_SET_DENY);
    CHECK_INT(parse(3, bad), MTS_ESYNTAX);
    CHECK(strstr(err, "--allow") != NULL && strstr(err, "'10.0.0.1/8'") != NULL);
    CHECK_INT(parse(2, empty), MTS_EMISSING);
    CHECK(strstr(options_usage(), "  --allow LIST") != NULL);
    CHECK(strstr(options_usage(), "  --deny LIST") != NULL);
}

static void test_tls_policy(void)
{
    const char *compat[] = {"mtserver", "--tls-policy", "compatible"};
    const char *bad[] = {"mtserver", "--tls-policy=modern"};

    CHECK_INT(parse(1, compat), 0);
    CHECK_INT(o.tls_policy, TLSPOLICY_INTERMEDIATE); /* the default */
    CHECK_INT(parse(3, compat), 0);
    CHECK_INT(o.tls_policy, TLSPOLICY_COMPATIBLE);
    CHECK_INT(o.set, OPTIONS_SET_TLS_POLICY);
    CHECK_INT(parse(2, bad), MTS_ERANGE);
    CHECK(strstr(err, "--tls-policy wants intermediate or compatible, not 'modern'") != NULL);
    CHECK(strstr(options_usage(), "--tls-policy") != NULL);
}

int main(void)
{
    RUN_TEST(test_tls_policy);
    RUN_TEST(test_defaults);
    RUN_TEST(test_command_and_options_both_spellings);
    RUN_TEST(test_every_command_word);
    RUN_TEST(test_help_and_version);
    RUN_TEST(test_errors_name_the_problem);
    RUN_TEST(test_passwd_hash_only_with_passwd);
    RUN_TEST(test_self_signed_only_with_install);
    RUN_TEST(test_hardening_options);
    RUN_TEST(test_every_number_at_the_ends_of_its_range);
    RUN_TEST(test_help_gives_every_number_and_its_default);
    RUN_TEST(test_allow_and_deny_lists_are_checked);
    return check_summary();
}
