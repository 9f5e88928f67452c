/* test_options.c - mtserver's command line. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mts_error.h"
#include "options.h"
#include "setting.h"
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
    CHECK_INT(o.set, SETTING_BIT(port) | SETTING_BIT(root) | SETTING_BIT(bind) |
                         SETTING_BIT(max_clients) | SETTING_BIT(idle_timeout) |
                         SETTING_BIT(log_file) | SETTING_BIT(config));
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

/* user ACTION [NAME]: the account store's commands (useradmin.h). */
static void test_user_words(void)
{
    const char *add[] = {"mtserver", "user", "add", "Alice@x", "--root", "D:\\a", "--config",
                         "m.ini"};
    const char *list[] = {"mtserver", "user", "list"};
    const char *passwd[] = {"mtserver", "user", "--hash", "h", "passwd", "bob"};
    const char *disable[] = {"mtserver", "user", "disable", "bob"};

    CHECK_INT(parse(8, add), 0);
    CHECK_INT(o.command, OPTIONS_CMD_USER);
    CHECK_INT(o.user_action, OPTIONS_USER_ADD);
    CHECK_STR(o.user_name, "Alice@x");
    CHECK_STR(o.user_root, "D:\\a");
    CHECK(o.root == NULL && !(o.set & SETTING_BIT(root))); /* the account's, not the server's */
    CHECK_INT(parse(3, list), 0);
    CHECK_INT(o.user_action, OPTIONS_USER_LIST);
    CHECK(o.user_name == NULL);
    CHECK_INT(parse(6, passwd), 0);
    CHECK_INT(o.user_action, OPTIONS_USER_PASSWD);
    CHECK_STR(o.hash, "h");
    CHECK_INT(parse(4, disable), 0);
    CHECK_INT(o.user_action, OPTIONS_USER_DISABLE);
    CHECK_STR(o.user_name, "bob");
}

static void test_user_refusals(void)
{
    static struct {
        int argc;
        const char *argv[6];
        const char *why;
    } bad[] = {
        {2, {"mtserver", "user"}, "user needs an action: add, remove, list"},
        {3, {"mtserver", "user", "rename"}, "unknown user action 'rename'"},
        {3, {"mtserver", "user", "remove"}, "user remove needs an account name"},
        {4, {"mtserver", "user", "add", "a"}, "user add needs --root DIR"},
        {5, {"mtserver", "user", "enable", "a", "b"}, "unexpected argument 'b'"},
        {4, {"mtserver", "user", "list", "a"}, "unexpected argument 'a'"},
        {4, {"mtserver", "user", "add", "a b"}, "an account name is letters, digits"},
        {4, {"mtserver", "user", "add", "a/b"}, "an account name is letters, digits"},
        {6, {"mtserver", "user", "passwd", "a", "--root", "x"}, "--root goes with user add only"},
        {6, {"mtserver", "user", "enable", "a", "--hash", "x"}, "--hash goes with passwd, user add"},
        {4, {"mtserver", "user", "list", "--self-signed"}, "--self-signed goes with the install"},
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(parse(bad[i].argc, bad[i].argv) < 0);
        if (strstr(err, bad[i].why) == NULL) {
            fprintf(stderr, "  case %u: %s\n", (unsigned)i, err);
            CHECK(strstr(err, bad[i].why) != NULL);
        }
    }
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
    CHECK_INT(o.set, SETTING_BIT(config)); /* --hash is passwd's, not a setting */
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
    CHECK_INT(o.set, SETTING_BIT(config));
    CHECK_INT(parse(3, other), MTS_EINVAL);
    CHECK(strstr(err, "install") != NULL);
    CHECK_INT(parse(5, both), MTS_EINVAL);
    CHECK(strstr(err, "--tls-certificate") != NULL);
    CHECK_INT(parse(2, plain), 0);
    CHECK_INT(o.self_signed, 0);
    CHECK(strstr(options_usage(), "--self-signed") != NULL);
}

/* cert --days N (issue 20 item 2): 1 to 3650, else a message naming the range. */
static void test_days_range_checked(void)
{
    const char *ok[] = {"mtserver", "cert", "--days", "30"};
    const char *eq[] = {"mtserver", "install", "--self-signed", "--days=3650"};
    const char *zero[] = {"mtserver", "cert", "--days", "0"};
    const char *big[] = {"mtserver", "cert", "--days=3651"};
    const char *word[] = {"mtserver", "cert", "--days", "a year"};
    const char *missing[] = {"mtserver", "cert", "--days"};
    const char *alone[] = {"mtserver", "install", "--days", "30"};

    CHECK_INT(parse(4, ok), 0);
    CHECK_INT(o.days, 30);
    CHECK_INT(parse(4, eq), 0);
    CHECK_INT(o.days, 3650);
    CHECK_INT(parse(4, zero), MTS_ERANGE);
    CHECK(strstr(err, "from 1 to 3650, not '0'") != NULL);
    CHECK_INT(parse(3, big), MTS_ERANGE);
    CHECK_INT(parse(4, word), MTS_ERANGE);
    CHECK(strstr(err, "not 'a year'") != NULL);
    CHECK_INT(parse(3, missing), MTS_EMISSING);
    CHECK_INT(parse(4, alone), MTS_EINVAL);
    CHECK(strstr(err, "--self-signed") != NULL);
    CHECK_INT(parse(2, ok), 0);
    CHECK_INT(o.days, 0);
}

/* cert --renew and install --pfx-password: each with its command only. */
static void test_renew_and_pfx_password_flags(void)
{
    const char *renew[] = {"mtserver", "cert", "--renew", "--config", "m.ini"};
    const char *renew_elsewhere[] = {"mtserver", "install", "--renew"};
    const char *pfx[] = {"mtserver", "install", "--tls-certificate", "a.pfx", "--pfx-password"};
    const char *pfx_alone[] = {"mtserver", "install", "--pfx-password"};
    const char *pfx_elsewhere[] = {"mtserver", "cert", "--pfx-password"};

    CHECK_INT(parse(5, renew), 0);
    CHECK_INT(o.renew, 1);
    CHECK_INT(parse(3, renew_elsewhere), MTS_EINVAL);
    CHECK(strstr(err, "cert") != NULL);
    CHECK_INT(parse(5, pfx), 0);
    CHECK_INT(o.pfx_password, 1);
    CHECK_STR(o.tls_certificate, "a.pfx");
    CHECK_INT(parse(3, pfx_alone), MTS_EINVAL);
    CHECK(strstr(err, "--tls-certificate") != NULL);
    CHECK_INT(parse(3, pfx_elsewhere), MTS_EINVAL);
    CHECK(strstr(options_usage(), "--renew") != NULL && strstr(options_usage(), "--days") != NULL);
}

/* cert --name and --key (issue 20 item 2): names checked and kept in
 * order, key kinds by word, neither with --renew nor without cert. */
static void test_cert_names_and_key(void)
{
    const char *names[] = {"mtserver", "cert", "--name", "localhost", "--name=127.0.0.1",
                           "--name", "::1", "--key", "rsa3072"};
    const char *bad_name[] = {"mtserver", "cert", "--name", "bad_name.example"};
    const char *bad_key[] = {"mtserver", "cert", "--key", "dsa1024"};
    const char *ecdsa[] = {"mtserver", "install", "--self-signed", "--key=ecdsa-p256"};
    const char *with_renew[] = {"mtserver", "cert", "--renew", "--name", "localhost"};
    const char *key_renew[] = {"mtserver", "cert", "--key", "rsa2048", "--renew"};
    const char *elsewhere[] = {"mtserver", "install", "--name", "localhost"};
    const char *missing[] = {"mtserver", "cert", "--name"};
    const char *many[OPTIONS_NAMES_MAX * 2 + 4] = {"mtserver", "cert"};

    CHECK_INT(parse(9, names), 0);
    CHECK_INT(o.name_count, 3);
    CHECK_STR(o.names[0], "localhost");
    CHECK_STR(o.names[1], "127.0.0.1");
    CHECK_STR(o.names[2], "::1");
    CHECK_INT(o.key, OPTIONS_KEY_RSA3072);
    CHECK_INT(parse(4, bad_name), MTS_EINVAL);
    CHECK(strstr(err, "'bad_name.example' is not a DNS name") != NULL);
    CHECK(strstr(err, "nothing was made") != NULL);
    CHECK_INT(parse(4, bad_key), MTS_EINVAL);
    CHECK(strstr(err, "rsa2048, rsa3072 or ecdsa-p256, not 'dsa1024'") != NULL);
    CHECK_INT(parse(4, ecdsa), 0);
    CHECK_INT(o.key, OPTIONS_KEY_ECDSA_P256);
    CHECK_INT(parse(5, with_renew), MTS_EINVAL);
    CHECK(strstr(err, "--renew keeps the configured certificate's key and names") != NULL);
    CHECK_INT(parse(5, key_renew), MTS_EINVAL);
    CHECK(strstr(err, "--renew keeps") != NULL);
    CHECK_INT(parse(4, elsewhere), MTS_EINVAL);
    CHECK(strstr(err, "--self-signed") != NULL);
    CHECK_INT(parse(3, missing), MTS_EMISSING);
    static char distinct[OPTIONS_NAMES_MAX + 1][16];
    const char *twice[] = {"mtserver", "cert", "--name", "localhost", "--name", "LOCALHOST"};
    const char *ip_twice[] = {"mtserver", "cert", "--name", "::1", "--name", "0:0::1"};

    for (unsigned i = 0; i <= OPTIONS_NAMES_MAX; i++) {
        snprintf(distinct[i], sizeof distinct[i], "h%u.example", i);
        many[2 + 2 * i] = "--name";
        many[3 + 2 * i] = distinct[i];
    }
    /* The same name twice, however written, is refused. */
    CHECK_INT(parse(6, twice), MTS_EINVAL);
    CHECK(strstr(err, "'LOCALHOST' is the same name as 'localhost'; nothing was made") != NULL);
    CHECK_INT(parse(6, ip_twice), MTS_EINVAL);
    CHECK(strstr(err, "'0:0::1' is the same name as '::1'") != NULL);
    CHECK_INT(parse(2 + 2 * OPTIONS_NAMES_MAX, many), 0);
    CHECK_INT(o.name_count, OPTIONS_NAMES_MAX);
    CHECK_INT(parse(4 + 2 * OPTIONS_NAMES_MAX, many), MTS_ERANGE);
    CHECK_INT(parse(2, names), 0);
    CHECK_INT(o.name_count, 0);
    CHECK_INT(o.key, OPTIONS_KEY_DEFAULT);
    CHECK(strstr(options_usage(), "--name NAME") != NULL);
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
    CHECK(o.set & SETTING_BIT(send_timeout));
    CHECK(o.set & SETTING_BIT(stats_interval));
    CHECK_INT(parse(2, zero_window), MTS_ERANGE);
    CHECK_INT(parse(3, zero_send), MTS_ERANGE);
}

/* Every number of the settings table reaches its own field and bit at
 * both ends of its range, and one past either end is refused. */
static void test_every_number_at_the_ends_of_its_range(void)
{
    char number[24];

    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        char arg[80];
        const char *argv[] = {"mtserver", arg};
        if (r->kind != SETTING_NUM || r->option == NULL)
            continue;
        snprintf(arg, sizeof arg, "--%s=%llu", r->option, (unsigned long long)r->max);
        CHECK_INT(parse(2, argv), 0);
        CHECK_STR(options_value_text(&o, id, number, sizeof number), arg + strlen(r->option) + 3);
        CHECK_INT(o.set, SETTING_ID_BIT(id));
        snprintf(arg, sizeof arg, "--%s=%llu", r->option, (unsigned long long)r->min);
        CHECK_INT(parse(2, argv), 0);
        CHECK_STR(options_value_text(&o, id, number, sizeof number), arg + strlen(r->option) + 3);
        snprintf(arg, sizeof arg, "--%s=%llu", r->option, (unsigned long long)r->max + 1ull);
        CHECK_INT(parse(2, argv), MTS_ERANGE);
        if (r->min > 0) {
            snprintf(arg, sizeof arg, "--%s=%llu", r->option, (unsigned long long)r->min - 1ull);
            CHECK_INT(parse(2, argv), MTS_ERANGE);
        }
    }
    /* A field the table names reaches the struct as the compiler lays it out. */
    CHECK_INT(parse(2, (const char *[]){"mtserver", "--max-lists=9"}), 0);
    CHECK_INT(o.max_lists, 9);
}

/* --help has a line for every option of the table, with each number's
 * default as "(default N", every line within 80 columns. */
static void test_help_gives_every_option_and_each_numbers_default(void)
{
    const char *usage = options_usage(), *line = usage;

    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        char head[64], want[32];
        const char *at, *next;
        if (r->option == NULL)
            continue;
        snprintf(head, sizeof head, "  --%s %s", r->option, r->arg);
        at = strstr(usage, head);
        CHECK(at != NULL);
        if (at == NULL || r->kind != SETTING_NUM)
            continue;
        next = strstr(at + 4, "\n  --");
        snprintf(want, sizeof want, "(default %llu", (unsigned long long)r->def);
        at = strstr(at, want);
        CHECK(at != NULL && (next == NULL || at < next));
    }
    while (*line != '\0') {
        size_t n = strcspn(line, "\n");
        CHECK(n <= 80);
        line += n + (line[n] == '\n');
    }
}

/* Every row of the commands' table is a word the parser takes, as that
 * command, and an entry of --help; so is every row of the arguments'. */
#define COMMAND_ROW(id, word, head, help) {OPTIONS_CMD_##id, word, "  " head "  "},
#define ARGUMENT_ROW(head, help) "\n  " head " ",
static void test_help_is_made_from_the_commands_and_arguments_tables(void)
{
    static const struct {
        enum options_command command;
        const char *word, *head;
    } rows[] = {OPTIONS_COMMAND_LIST(COMMAND_ROW)};
    static const char *const arguments[] = {OPTIONS_ARGUMENT_LIST(ARGUMENT_ROW)};
    /* One command line that uses each argument, in the table's order. */
    static const char *const uses[][6] = {
        {"mtserver", "install", "--self-signed"},
        {"mtserver", "cert", "--renew"},
        {"mtserver", "cert", "--days", "30"},
        {"mtserver", "cert", "--name", "files.example"},
        {"mtserver", "cert", "--key", "rsa3072"},
        {"mtserver", "install", "--tls-certificate", "a.pfx", "--pfx-password"},
        {"mtserver", "passwd", "--hash", "pbkdf2-sha256$1000$AAAA$AAAA"},
        {"mtserver", "--help"},
        {"mtserver", "--version"},
    };
    const char *usage = options_usage();

    CHECK_INT(sizeof uses / sizeof uses[0], sizeof arguments / sizeof arguments[0]);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *argv[] = {"mtserver", rows[i].word, "list"};
        char head[64];
        CHECK_INT(parse(rows[i].command == OPTIONS_CMD_USER ? 3 : 2, argv), 0);
        CHECK_INT(o.command, rows[i].command);
        /* "  word" then the text, or a head too wide: its own line. */
        snprintf(head, sizeof head, "\n%.*s", (int)strlen(rows[i].head) - 2, rows[i].head);
        CHECK(strstr(usage, head) != NULL);
    }
    for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++) {
        int argc = 0;
        char head[48];
        while (argc < 6 && uses[i][argc] != NULL)
            argc++;
        CHECK_INT(parse(argc, (const char **)uses[i]), 0);
        /* The row's option is the one this line uses. */
        snprintf(head, sizeof head, "%s", arguments[i] + 3);
        head[strcspn(head, " ")] = '\0';
        CHECK(strcmp(uses[i][argc - 1], head) == 0 || strcmp(uses[i][argc - 2], head) == 0);
        CHECK(strstr(usage, arguments[i]) != NULL);
    }
    /* The commands come before the options, the arguments after them. */
    CHECK(strstr(usage, "Commands:\n  console") != NULL);
    CHECK(strstr(usage, "  user ACTION [NAME]\n") < strstr(usage, "\nOptions:\n  --"));
    CHECK(strstr(usage, "\nOptions:\n") < strstr(usage, "\n  --self-signed "));
}

/* PARAMCHANGE names the edits that wait for a restart: the settings that
 * differ and that a running server does not take, in the table's order,
 * by their INI keys; a certificate (reloaded) is not one. */
static void test_restart_needed_names_the_settings_a_reload_does_not_take(void)
{
    struct server_options now, next;
    char names[128], small[12];

    options_init(&now);
    options_init(&next);
    CHECK_INT(options_restart_needed(&now, &next, names, sizeof names), 0);
    CHECK_STR(names, "");
    next.root = "C:\\files";
    next.port = 2121;
    next.tls_certificate = "ABCD";
    next.password_hash = "pbkdf2-sha256$1$AA$AA";
    CHECK_INT(options_restart_needed(&now, &next, names, sizeof names), 3);
    CHECK_STR(names, "root, port, password_hash");
    /* Cut short at a whole name; the count is whole. */
    CHECK_INT(options_restart_needed(&now, &next, small, sizeof small), 3);
    CHECK_STR(small, "root, port");
    now.root = "C:\\files";
    now.port = 2121;
    now.password_hash = next.password_hash;
    CHECK_INT(options_restart_needed(&now, &next, names, sizeof names), 0);
}

/* A reload's snapshot: each setting flagged SETTING_RELOAD (with an INI
 * key) from the file as read again, every other one kept from the running
 * server, "set" bits alike; what it took is named as restart_needed names. */
static void test_merge_reload_takes_the_reloadable_and_keeps_the_rest(void)
{
    struct server_options now, next, out;
    char names[256];

    options_init(&now);
    options_init(&next);
    now.root = "C:\\srv";
    now.port = 2121;
    now.set = SETTING_BIT(root) | SETTING_BIT(port) | SETTING_BIT(config);
    now.config = "C:\\mts.ini";
    next.root = "C:\\other";
    next.port = 2222;
    next.max_hashes = 9;
    next.idle_timeout = 7;
    next.send_timeout = 8;
    next.tls_handshake_timeout = 9;
    next.list_hidden = 1;
    next.refuse_hard_links = 1;
    next.rate_limit = 4096;
    next.max_sessions_per_account = 3;
    next.plain_logins = 1;
    next.allow = "10.0.0.0/8";
    next.deny = "10.6.0.0/16";
    next.tls_certificate = "ABCD";
    next.set = SETTING_BIT(root) | SETTING_BIT(port) | SETTING_BIT(list_hidden) |
               SETTING_BIT(allow);
    options_merge_reload(&out, &now, &next);
    /* Kept: what needs a restart, and --config (the command line's). */
    CHECK_STR(out.root, "C:\\srv");
    CHECK_INT(out.port, 2121);
    CHECK_INT(out.max_hashes, 2);
    CHECK_STR(out.config, "C:\\mts.ini");
    /* Taken. */
    CHECK_INT(out.idle_timeout, 7);
    CHECK_INT(out.send_timeout, 8);
    CHECK_INT(out.tls_handshake_timeout, 9);
    CHECK_INT(out.list_hidden, 1);
    CHECK_INT(out.refuse_hard_links, 1);
    CHECK_INT(out.rate_limit, 4096);
    CHECK_INT(out.max_sessions_per_account, 3);
    CHECK_INT(out.plain_logins, 1);
    CHECK_STR(out.allow, "10.0.0.0/8");
    CHECK_STR(out.deny, "10.6.0.0/16");
    CHECK_STR(out.tls_certificate, "ABCD");
    CHECK_INT(out.set, SETTING_BIT(root) | SETTING_BIT(port) | SETTING_BIT(config) |
                           SETTING_BIT(list_hidden) | SETTING_BIT(allow));
    CHECK_INT(options_reload_taken(&now, &out, names, sizeof names), 11);
    CHECK_STR(names, "tls_certificate, idle_timeout, send_timeout, refuse_hard_links, "
                     "tls_handshake_timeout, plain_logins, list_hidden, "
                     "max_sessions_per_account, rate_limit, allow, deny");
    CHECK_INT(options_restart_needed(&now, &next, names, sizeof names), 3);
    CHECK_STR(names, "root, port, max_hashes");
    /* A list the file no longer gives is gone after the reload. */
    options_init(&next);
    options_merge_reload(&now, &out, &next);
    CHECK(now.allow == NULL && now.deny == NULL);
    CHECK_INT(now.idle_timeout, 300);
    CHECK_STR(now.root, "C:\\srv");
}

/* A snapshot owns its texts: copied into one block, secrets left out. */
static void test_own_texts_copies_every_text_but_the_secrets(void)
{
    struct server_options o;
    char root[] = "C:\\srv", block[64], small[4];

    options_init(&o);
    o.root = root;
    o.allow = "::1";
    o.tls_pfx_password = "secret";
    o.password_hash = "pbkdf2-sha256$1$AA$AA";
    /* Too small: told what it needs, and nothing changed. */
    CHECK_INT(options_own_texts(&o, small, sizeof small), 11);
    CHECK(o.root == root && o.tls_pfx_password != NULL);
    CHECK_INT(options_own_texts(&o, block, sizeof block), 11);
    root[0] = 'D';
    CHECK_STR(o.root, "C:\\srv");
    CHECK(o.root == block);
    CHECK_STR(o.allow, "::1");
    CHECK(o.tls_pfx_password == NULL && o.password_hash == NULL && o.bind == NULL);
    CHECK_INT(o.port, 20248);
}

/* The table itself: every setting reachable by an option or a key, no
 * name twice, secrets never on the command line. */
static void test_the_table_is_sound(void)
{
    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        CHECK(r->option != NULL || r->key != NULL);
        CHECK(!(r->flags & SETTING_SECRET) || r->option == NULL);
        CHECK(r->option == NULL || setting_by_option(r->option, strlen(r->option)) == id);
        CHECK(r->key == NULL || setting_by_key(r->key, strlen(r->key)) == id);
        CHECK(r->kind == SETTING_NUM || r->kind == SETTING_BIG || (r->min == 0 && r->def == 0));
        CHECK(r->kind == SETTING_TEXT || r->kind == SETTING_ADDRS ||
              (r->def >= r->min && r->def <= r->max));
    }
}

static void test_allow_and_deny_lists_are_checked(void)
{
    const char *good[] = {"mtserver", "--allow", "10.0.0.0/8, ::1", "--deny=10.6.0.0/16"};
    const char *bad[] = {"mtserver", "--allow", "10.0.0.1/8"};
    const char *empty[] = {"mtserver", "--deny="};

    CHECK_INT(parse(4, good), 0);
    CHECK_STR(o.allow, "10.0.0.0/8, ::1");
    CHECK_STR(o.deny, "10.6.0.0/16");
    CHECK_INT(o.set, SETTING_BIT(allow) | SETTING_BIT(deny));
    CHECK_INT(parse(3, bad), MTS_ESYNTAX);
    CHECK(strstr(err, "--allow") != NULL && strstr(err, "'10.0.0.1/8'") != NULL);
    CHECK_INT(parse(2, empty), MTS_EMISSING);
    CHECK(strstr(options_usage(), "  --allow LIST") != NULL);
    CHECK(strstr(options_usage(), "  --deny LIST") != NULL);
}

/* Which ports open: the plain one unless a certificate turns it off, the
 * TLS one only with a certificate (the server and host_check agree). */
static void test_ports_the_settings_open(void)
{
    const char *plain[] = {"mtserver", "--port", "7"};
    const char *both[] = {"mtserver", "--port", "7", "--tls-certificate", "x.pfx", "--tls-port", "0"};
    const char *tls_only[] = {"mtserver", "--tls-certificate", "x.pfx", "--plain-port", "0"};
    unsigned ports[2];

    CHECK_INT(parse(3, plain), 0);
    options_ports(&o, ports);
    CHECK_INT(ports[0], 7);
    CHECK_INT(ports[1], OPTIONS_PORT_CLOSED);
    CHECK_INT(parse(7, both), 0);
    options_ports(&o, ports);
    CHECK_INT(ports[0], 7);
    CHECK_INT(ports[1], 0);
    CHECK_INT(parse(5, tls_only), 0);
    options_ports(&o, ports);
    CHECK_INT(ports[0], OPTIONS_PORT_CLOSED);
    CHECK_INT(ports[1], 20249);
    /* plain_port = 0 without a certificate cannot close the only port. */
    CHECK_INT(parse(3, (const char *[]){"mtserver", "--plain-port", "0"}), 0);
    options_ports(&o, ports);
    CHECK_INT(ports[0], 20248);
}

/* What tls_certificate names, as install, status and cert --renew ask it:
 * a thumbprint in the forms certificate dialogs copy, or anything else;
 * install's own certificate takes the place of the one given. */
static void test_certificate_kinds(void)
{
    /* a left-to-right mark first, as Windows' certificate dialog copies it */
    const char *thumb[] = {"mtserver", "--tls-certificate",
                           "\xE2\x80\x8E 0a 1b:2c3d4e5f60718293a4b5c6d7e8f901a2b3c4"};
    const char *pfx[] = {"mtserver", "--tls-certificate", "C:\\certs\\a.pfx"};
    const char *shorter[] = {"mtserver", "--tls-certificate", "0a1b2c"};
    const unsigned char want[20] = {0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71, 0x82, 0x93,
                                    0xa4, 0xb5, 0xc6, 0xd7, 0xe8, 0xf9, 0x01, 0xa2, 0xb3, 0xc4};
    unsigned char hash[20];
    const char *name = "x";

    CHECK_INT(parse(1, thumb), 0);
    CHECK_INT(options_certificate(&o, &name, hash), OPTIONS_CERT_NONE);
    CHECK(name == NULL);
    CHECK_INT(parse(3, thumb), 0);
    CHECK_INT(options_certificate(&o, &name, hash), OPTIONS_CERT_THUMBPRINT);
    CHECK(name == thumb[2]);
    CHECK(memcmp(hash, want, sizeof want) == 0);
    CHECK_INT(options_certificate(&o, &name, NULL), OPTIONS_CERT_THUMBPRINT);
    CHECK_INT(parse(3, pfx), 0);
    CHECK_INT(options_certificate(&o, &name, NULL), OPTIONS_CERT_OTHER);
    CHECK_STR(name, "C:\\certs\\a.pfx");
    CHECK_INT(parse(3, shorter), 0);
    CHECK_INT(options_certificate(&o, &name, hash), OPTIONS_CERT_OTHER);
    /* install --self-signed: the thumbprint made is written as if given. */
    CHECK_INT(parse(1, pfx), 0);
    options_set_certificate(&o, "0A1B2C3D4E5F60718293A4B5C6D7E8F901A2B3C4");
    CHECK_INT(options_certificate(&o, &name, NULL), OPTIONS_CERT_THUMBPRINT);
    CHECK(o.set == SETTING_BIT(tls_certificate));
}

/* tls_policy: a WORD setting, its words in enum tlspolicy_level's order. */
static void test_tls_policy(void)
{
    const char *compat[] = {"mtserver", "--tls-policy", "compatible"};
    const char *bad[] = {"mtserver", "--tls-policy=modern"};
    int id = setting_by_option("tls-policy", 10);
    char word[32];

    CHECK(id >= 0);
    CHECK_STR(setting_word(id, TLSPOLICY_INTERMEDIATE, word, sizeof word), "intermediate");
    CHECK_STR(setting_word(id, TLSPOLICY_COMPATIBLE, word, sizeof word), "compatible");
    CHECK_STR(setting_word(id, 2, word, sizeof word), "");
    CHECK_STR(setting_word(id, (unsigned)setting_rows[id].def, word, sizeof word),
              TLSPOLICY_DEFAULT_NAME);
    CHECK_INT(parse(1, compat), 0);
    CHECK_INT(o.tls_policy, TLSPOLICY_INTERMEDIATE); /* the default */
    CHECK_INT(parse(3, compat), 0);
    CHECK_INT(o.tls_policy, TLSPOLICY_COMPATIBLE);
    CHECK(o.set == SETTING_BIT(tls_policy));
    CHECK_STR(options_value_text(&o, id, word, sizeof word), "compatible");
    CHECK_INT(parse(2, bad), MTS_ERANGE);
    CHECK(strstr(err, "--tls-policy wants one of intermediate|compatible, not 'modern'") != NULL);
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
    RUN_TEST(test_user_words);
    RUN_TEST(test_user_refusals);
    RUN_TEST(test_self_signed_only_with_install);
    RUN_TEST(test_days_range_checked);
    RUN_TEST(test_renew_and_pfx_password_flags);
    RUN_TEST(test_hardening_options);
    RUN_TEST(test_every_number_at_the_ends_of_its_range);
    RUN_TEST(test_help_gives_every_option_and_each_numbers_default);
    RUN_TEST(test_cert_names_and_key);
    RUN_TEST(test_the_table_is_sound);
    RUN_TEST(test_restart_needed_names_the_settings_a_reload_does_not_take);
    RUN_TEST(test_merge_reload_takes_the_reloadable_and_keeps_the_rest);
    RUN_TEST(test_own_texts_copies_every_text_but_the_secrets);
    RUN_TEST(test_help_is_made_from_the_commands_and_arguments_tables);
    RUN_TEST(test_ports_the_settings_open);
    RUN_TEST(test_certificate_kinds);
    RUN_TEST(test_allow_and_deny_lists_are_checked);
    return check_summary();
}
