/* test_config.c - the INI configuration parser, its errors, and in-place edits. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "mts_error.h"
#include "tlspolicy.h"

static struct config cfg; /* several KiB: keep it off the stack */
static char err[256];

static int parse(const char *text)
{
    return config_parse(&cfg, text, strlen(text), err, sizeof err);
}

static void test_every_key_is_read(void)
{
    const char *text = "; comment\n"
                       "# another\n"
                       "[mtserver]\n"
                       "port = 9000\n"
                       "bind=127.0.0.1\n"
                       "  root =  C:\\My Files  \n"
                       "password_hash = pbkdf2-sha256$100000$abc$def\n"
                       "max_clients = 7\n"
                       "idle_timeout = 30\n"
                       "log_file = \" C:\\log dir\\a.log \"\n"
                       "log_max_bytes = 1099511627776\n";

    CHECK_INT(parse(text), 0);
    CHECK_INT(cfg.port, 9000);
    CHECK_STR(cfg.bind, "127.0.0.1");
    CHECK_STR(cfg.root, "C:\\My Files");
    CHECK_STR(cfg.password_hash, "pbkdf2-sha256$100000$abc$def");
    CHECK_INT(cfg.max_clients, 7);
    CHECK_INT(cfg.idle_timeout, 30);
    CHECK_STR(cfg.log_file, " C:\\log dir\\a.log ");
    CHECK_INT(cfg.log_max_bytes, 1099511627776LL);
    CHECK_INT(cfg.set, SETTING_BIT(port) | SETTING_BIT(bind) | SETTING_BIT(root) | SETTING_BIT(password_hash) |
                           SETTING_BIT(max_clients) | SETTING_BIT(idle_timeout) | SETTING_BIT(log_file) |
                           SETTING_BIT(log_max_bytes));
}

static void test_empty_file_gives_defaults(void)
{
    CHECK_INT(parse(""), 0);
    CHECK_INT(cfg.set, 0);
    CHECK_INT(cfg.port, 20248);
    CHECK_INT(cfg.max_clients, 1024);
    CHECK_INT(cfg.idle_timeout, 300);
    CHECK_INT(cfg.log_max_bytes, 10485760);
    CHECK_STR(cfg.root, "");
}

static void test_crlf_bom_case_and_no_final_newline(void)
{
    CHECK_INT(parse("\xEF\xBB\xBF[MTServer]\r\nPORT = 1\r\nRoot = D:\\x\r\nbind = ::1"), 0);
    CHECK_INT(cfg.port, 1);
    CHECK_STR(cfg.root, "D:\\x");
    CHECK_STR(cfg.bind, "::1");
}

static void test_semicolon_inside_a_value_is_kept(void)
{
    CHECK_INT(parse("root = C:\\a;b # not a comment\n"), 0);
    CHECK_STR(cfg.root, "C:\\a;b # not a comment");
}

static void test_utf8_values(void)
{
    CHECK_INT(parse("root = C:\\D\xC3\xA9j\xC3\xA0 vu\n"), 0);
    CHECK_STR(cfg.root, "C:\\D\xC3\xA9j\xC3\xA0 vu");
}

/* Each bad file gives an error naming its line and the problem. */
static void test_errors_name_line_and_problem(void)
{
    static const struct {
        const char *text;
        int rc;
        const char *message;
    } cases[] = {
        {"port = 1\nprot = 2\n", MTS_EUNKNOWN, "line 2: unknown key 'prot'"},
        {"\n\nport = 70000\n", MTS_ERANGE,
         "line 3: key 'port' wants a whole number from 0 to 65535, not '70000'"},
        {"port = -1\n", MTS_ERANGE, "line 1: key 'port' wants a whole number from 0 to 65535, not '-1'"},
        {"port = 12 34\n", MTS_ERANGE,
         "line 1: key 'port' wants a whole number from 0 to 65535, not '12 34'"},
        {"max_clients = 0\n", MTS_ERANGE,
         "line 1: key 'max_clients' wants a whole number from 1 to 100000, not '0'"},
        {"log_max_bytes = 4095\n", MTS_ERANGE,
         "line 1: key 'log_max_bytes' wants a whole number from 4096 to 1099511627776, not '4095'"},
        {"idle_timeout = 99999999999999999999999\n", MTS_ERANGE,
         "line 1: key 'idle_timeout' wants a whole number from 1 to 86400, not "
         "'99999999999999999999999'"},
        {"port = 1\nroot = a\nport = 2\n", MTS_ESYNTAX,
         "line 3: key 'port' is given twice (first on line 1)"},
        {"just words\n", MTS_ESYNTAX, "line 1: expected 'key = value', got 'just words'"},
        {"= 5\n", MTS_ESYNTAX, "line 1: no key before '='"},
        {"root =\n", MTS_EMISSING, "line 1: key 'root' needs a value (comment the line out instead)"},
        {"root = \"\"\n", MTS_EMISSING,
         "line 1: key 'root' needs a value (comment the line out instead)"},
        {"root = \"C:\\x\n", MTS_ESYNTAX, "line 1: value of 'root' has no closing '\"'"},
        {"[other]\n", MTS_EUNKNOWN, "line 1: unknown section [other] (only [mtserver] is allowed)"},
        {"[mtserver\n", MTS_ESYNTAX, "line 1: section header without its closing ']'"},
        {"root = \xC3\x28\n", MTS_EBADCHAR, "line 1: not valid UTF-8 (save the file as UTF-8)"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(parse(cases[i].text), cases[i].rc);
        CHECK_STR(err, cases[i].message);
    }
}

static void test_utf16_file_is_refused_with_a_hint(void)
{
    static const char utf16[] = "\xFF\xFEp\0o\0r\0t\0";

    CHECK_INT(config_parse(&cfg, utf16, sizeof utf16 - 1, err, sizeof err), MTS_EBADCHAR);
    CHECK(strstr(err, "line 1:") == err);
}

static void test_too_long_value(void)
{
    static char text[CONFIG_TEXT_MAX + 32];
    size_t n;

    strcpy(text, "root = ");
    n = strlen(text);
    memset(text + n, 'a', CONFIG_TEXT_MAX - 1);
    text[n + CONFIG_TEXT_MAX - 1] = '\0';
    CHECK_INT(parse(text), 0);
    CHECK_INT(strlen(cfg.root), CONFIG_TEXT_MAX - 1);
    strcat(text, "a");
    CHECK_INT(parse(text), MTS_ETOOLONG);
    CHECK_STR(err, "line 1: value of 'root' is too long (at most 1023 bytes)");
}

static void test_long_bad_text_is_shortened_in_messages(void)
{
    CHECK_INT(parse("thisisaveryveryveryverylongkeynamethatgoesonandon = 1\n"), MTS_EUNKNOWN);
    CHECK_STR(err, "line 1: unknown key 'thisisaveryveryveryverylongkeynamethatgo...'");
    CHECK_INT(parse("root\x01 = 1\n"), MTS_EUNKNOWN);
    CHECK_STR(err, "line 1: unknown key 'root?'");
}

static void test_command_line_wins_over_the_file(void)
{
    struct server_options o;

    CHECK_INT(parse("port = 9000\nroot = C:\\srv\nmax_clients = 5\nlog_file = C:\\l.log\n"), 0);
    options_init(&o);
    o.port = 1234;
    o.set |= SETTING_BIT(port);
    config_apply(&cfg, &o);
    CHECK_INT(o.port, 1234);
    CHECK_STR(o.root, "C:\\srv");
    CHECK_INT(o.max_clients, 5);
    CHECK_STR(o.log_file, "C:\\l.log");
    CHECK_INT(o.idle_timeout, setting_rows[SETTING_ID_idle_timeout].def); /* not in the file */
    CHECK(o.bind == NULL);
    CHECK_INT(o.set, SETTING_BIT(port)); /* set still means "from the command line" */
}

static void test_hardening_keys(void)
{
    struct server_options o;
    const char *text = "send_timeout = 3\n"
                       "max_per_address = 0\n"
                       "auth_free_failures = 2\n"
                       "auth_window = 90\n"
                       "auth_delay_max = 10\n"
                       "auth_ban_failures = 0\n"
                       "auth_ban_time = 600\n"
                       "stats_interval = 60\n";

    CHECK_INT(parse(""), 0);
    CHECK_INT(cfg.send_timeout, 60);
    CHECK_INT(cfg.max_per_address, 32);
    CHECK_INT(cfg.auth_ban_failures, 20);
    CHECK_INT(cfg.stats_interval, 3600);
    CHECK_INT(parse(text), 0);
    options_init(&o);
    o.auth_window = 5;
    o.set |= SETTING_BIT(auth_window);
    config_apply(&cfg, &o);
    CHECK_INT(o.send_timeout, 3);
    CHECK_INT(o.max_per_address, 0);
    CHECK_INT(o.auth_free_failures, 2);
    CHECK_INT(o.auth_window, 5); /* the command line wins */
    CHECK_INT(o.auth_delay_max, 10);
    CHECK_INT(o.auth_ban_failures, 0);
    CHECK_INT(o.auth_ban_time, 600);
    CHECK_INT(o.stats_interval, 60);
    CHECK_INT(parse("send_timeout = 0\n"), MTS_ERANGE);
    CHECK_INT(parse("auth_ban_time = 604801\n"), MTS_ERANGE);
}

static char out[4096];
static size_t outlen;

/* config_set_value (or, at_example, config_set_value_at_example) into out. */
static int set_value_how(const char *text, const char *key, const char *value, int at_example)
{
    int rc = at_example ? config_set_value_at_example(text, strlen(text), key, value, out,
                                                      sizeof out - 1, &outlen, err, sizeof err)
                        : config_set_value(text, strlen(text), key, value, out, sizeof out - 1,
                                           &outlen, err, sizeof err);
    out[rc == 0 ? outlen : 0] = '\0';
    return rc;
}

static int set_value(const char *text, const char *key, const char *value)
{
    return set_value_how(text, key, value, 0);
}

static void test_set_value_replaces_in_place(void)
{
    CHECK_INT(set_value("; top\r\nport = 1\r\n  password_hash   =  old  \r\nroot = x\r\n",
                        "password_hash", "new$1"),
              0);
    CHECK_STR(out, "; top\r\nport = 1\r\n  password_hash   =  new$1\r\nroot = x\r\n");
    CHECK_INT(set_value("password_hash=\"old\"\n", "password_hash", "n"), 0);
    CHECK_STR(out, "password_hash= n\n");
    CHECK_INT(set_value("# password_hash = commented\nport = 2", "password_hash", "h"), 0);
    CHECK_STR(out, "# password_hash = commented\nport = 2\npassword_hash = h\n");
}

static void test_set_value_appends_with_the_files_line_ending(void)
{
    CHECK_INT(set_value("port = 1\r\n", "password_hash", "h"), 0);
    CHECK_STR(out, "port = 1\r\npassword_hash = h\r\n");
    CHECK_INT(set_value("port = 1\r\nroot = x", "password_hash", "h"), 0);
    CHECK_STR(out, "port = 1\r\nroot = x\r\npassword_hash = h\r\n");
    CHECK_INT(set_value("", "password_hash", "h"), 0);
    CHECK_STR(out, "password_hash = h\n");
    CHECK_INT(set_value("port = 1\r\n\r", "password_hash", "h"), 0); /* found by fuzzing */
    CHECK_STR(out, "port = 1\r\n\r\npassword_hash = h\r\n");
}

static void test_set_value_result_parses_back(void)
{
    CHECK_INT(set_value("[mtserver]\nport = 1\npassword_hash = a\n", "password_hash", "b$c"), 0);
    CHECK_INT(parse(out), 0);
    CHECK_STR(cfg.password_hash, "b$c");
    CHECK_INT(cfg.port, 1);
}

static void test_set_value_refusals(void)
{
    CHECK_INT(set_value("port = x\n", "password_hash", "h"), MTS_ERANGE);
    CHECK(strstr(err, "line 1:") == err);
    CHECK_INT(set_value("", "nonsense", "h"), MTS_EUNKNOWN);
    CHECK_INT(set_value("", "password_hash", "a\nport = 1"), MTS_EINVAL);
    CHECK_INT(set_value("", "password_hash", " a"), MTS_EINVAL);
    CHECK_INT(set_value("", "password_hash", ""), MTS_EINVAL);
}

static void test_set_value_of_an_empty_file_without_a_buffer(void)
{
    size_t need = 0;

    CHECK_INT(config_set_value("", 0, "password_hash", "h", NULL, 0, &need, err, sizeof err),
              MTS_ENOSPC);
    CHECK_INT(need, strlen("password_hash = h\n"));
}

static void test_set_value_reports_the_size_needed(void)
{
    char small[8];
    size_t need = 0;
    int rc = config_set_value("port = 1\n", 9, "password_hash", "h", small, sizeof small, &need,
                              err, sizeof err);

    CHECK_INT(rc, MTS_ENOSPC);
    CHECK_INT(need, strlen("port = 1\npassword_hash = h\n"));
}

/* Every number of the settings table: its key fills its own field and bit
 * at both ends of its range, one past the top is refused, and
 * config_apply() hands the value to the same option, unless the command
 * line gave it. */
static void test_every_number_key_at_the_ends_of_its_range(void)
{
    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        char text[96], want[24], def[24], number[24];
        struct server_options o;
        if ((r->kind != SETTING_NUM && r->kind != SETTING_BIG) || r->key == NULL)
            continue;
        snprintf(want, sizeof want, "%llu", (unsigned long long)r->max);
        snprintf(def, sizeof def, "%llu", (unsigned long long)r->def);
        snprintf(text, sizeof text, "%s = %s\n", r->key, want);
        CHECK_INT(parse(text), 0);
        CHECK_INT(cfg.set, SETTING_ID_BIT(id));
        options_init(&o);
        config_apply(&cfg, &o);
        CHECK_STR(options_value_text(&o, id, number, sizeof number), want);
        CHECK_INT(o.set, 0);
        options_init(&o);
        o.set = SETTING_ID_BIT(id);
        config_apply(&cfg, &o);
        CHECK_STR(options_value_text(&o, id, number, sizeof number), def);
        snprintf(text, sizeof text, "%s = %llu\n", r->key, (unsigned long long)r->min);
        CHECK_INT(parse(text), 0);
        snprintf(text, sizeof text, "%s = %llu\n", r->key, (unsigned long long)r->max + 1ull);
        CHECK_INT(parse(text), MTS_ERANGE);
    }
    /* A field the table names is where the compiler put it. */
    CHECK_INT(parse("max_lists = 9\nlog_max_bytes = 5000\n"), 0);
    CHECK_INT(cfg.max_lists, 9);
    CHECK_INT(cfg.log_max_bytes, 5000);
}

static void test_allow_and_deny_lists_are_checked(void)
{
    struct server_options o;

    CHECK_INT(parse("allow = 192.0.2.0/24 2001:db8::/32\ndeny = \"192.0.2.9\"\n"), 0);
    CHECK_STR(cfg.allow, "192.0.2.0/24 2001:db8::/32");
    CHECK_STR(cfg.deny, "192.0.2.9");
    CHECK_INT(cfg.set, SETTING_BIT(allow) | SETTING_BIT(deny));
    options_init(&o);
    o.set = SETTING_BIT(deny);
    o.deny = "10.0.0.1";
    config_apply(&cfg, &o);
    CHECK_STR(o.allow, "192.0.2.0/24 2001:db8::/32");
    CHECK_STR(o.deny, "10.0.0.1"); /* the command line wins */
    CHECK_INT(parse("port = 1\nallow = 192.0.2.0/24, 192.0.2.300\n"), MTS_ESYNTAX);
    CHECK_STR(err, "line 2: key 'allow': '192.0.2.300' is not an address or a range "
                   "(192.0.2.7, 10.0.0.0/8, 2001:db8::/32)");
    CHECK_INT(parse("deny = fe80::1%eth0\n"), MTS_ESYNTAX);
}

static void test_set_value_at_example(void)
{
    static const struct {
        const char *text, *key, *value;
        int at_example;
        const char *want;
    } cases[] = {
        {"; top\r\n; port = 20248\r\n; max_clients = 1\r\n", "port", "9", 1,
         "; top\r\nport = 9\r\n; max_clients = 1\r\n"},
        /* '#' comments, blanks around the name and no space before '=' */
        {"#  port= 1\nroot = x\n", "port", "2", 1, "port = 2\nroot = x\n"},
        /* only the first example; a live line wins over any example */
        {"; port = 1\n; port = 2\n", "port", "3", 1, "port = 3\n; port = 2\n"},
        {"; port = 1\nport = 2\n", "port", "3", 1, "; port = 1\nport = 3\n"},
        /* not examples of port: a key that begins alike, prose, no '=' */
        {"; portx = 1\n; port is the TCP port\n; port\n", "port", "5", 1,
         "; portx = 1\n; port is the TCP port\n; port\nport = 5\n"},
        /* plain config_set_value never takes an example's place */
        {"; port = 1\n", "port", "5", 0, "; port = 1\nport = 5\n"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(set_value_how(cases[i].text, cases[i].key, cases[i].value, cases[i].at_example),
                  0);
        CHECK_STR(out, cases[i].want);
    }
}

/* installer/mtserver.ini is the first configuration of both the MSI and
 * `mtserver install` (firstini.c): it must parse, set root and log_file,
 * and show every number of the settings table as an example at its default.
 * The tests run from the top of the tree. */
static char template_text[16384];
static size_t template_len;

static void test_first_configuration_template_lists_every_number(void)
{
    FILE *f = fopen("installer/mtserver.ini", "rb");

    CHECK(f != NULL);
    template_len = fread(template_text, 1, sizeof template_text - 1, f);
    fclose(f);
    template_text[template_len] = '\0';
    CHECK(template_len > 0 && template_len < sizeof template_text - 1);
    CHECK(strchr(template_text, '\r') == NULL); /* LF here; firstini.c writes CRLF */
    CHECK_INT(config_parse(&cfg, template_text, template_len, err, sizeof err), 0);
    CHECK_INT(cfg.set, SETTING_BIT(root) | SETTING_BIT(log_file));
    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        char line[96];
        if ((r->kind != SETTING_NUM && r->kind != SETTING_BIG) || r->key == NULL)
            continue;
        snprintf(line, sizeof line, "\n; %s = %llu\n", r->key, (unsigned long long)r->def);
        if (strstr(template_text, line) == NULL)
            check_fail(__FILE__, __LINE__, "example line in installer/mtserver.ini", line);
    }
    CHECK(strstr(template_text, "\n; bind = ") != NULL);
    CHECK(strstr(template_text, "\n; log_max_bytes = 10485760\n") != NULL);
    CHECK(strstr(template_text, "\n; tls_certificate = ") != NULL);
    CHECK(strstr(template_text, "\n; tls_policy = " TLSPOLICY_DEFAULT_NAME "\n") != NULL);
    CHECK(strstr(template_text, "\n; allow = ") != NULL && strstr(template_text, "\n; deny = "));
}

/* tls_policy: a word, checked here; the command line's wins. */
static void test_tls_policy_words(void)
{
    struct server_options o;

    CHECK_INT(parse("tls_policy = compatible\n"), 0);
    CHECK_INT(cfg.tls_policy, TLSPOLICY_COMPATIBLE);
    CHECK(cfg.set & SETTING_BIT(tls_policy));
    CHECK_INT(parse("tls_policy = Intermediate\n"), 0);
    CHECK_INT(cfg.tls_policy, TLSPOLICY_INTERMEDIATE);
    CHECK_INT(parse("tls_policy = modern\n"), MTS_ERANGE);
    CHECK(strstr(err, "line 1: key 'tls_policy' wants one of intermediate|compatible, not "
                      "'modern'"));
    CHECK_INT(parse("[mtserver]\ntls_policy = compatible\n"), 0);
    options_init(&o);
    config_apply(&cfg, &o);
    CHECK_INT(o.tls_policy, TLSPOLICY_COMPATIBLE);
    options_init(&o);
    o.set |= SETTING_BIT(tls_policy);
    config_apply(&cfg, &o);
    CHECK_INT(o.tls_policy, TLSPOLICY_INTERMEDIATE);
}

int main(void)
{
    RUN_TEST(test_tls_policy_words);
    RUN_TEST(test_every_key_is_read);
    RUN_TEST(test_empty_file_gives_defaults);
    RUN_TEST(test_crlf_bom_case_and_no_final_newline);
    RUN_TEST(test_semicolon_inside_a_value_is_kept);
    RUN_TEST(test_utf8_values);
    RUN_TEST(test_errors_name_line_and_problem);
    RUN_TEST(test_utf16_file_is_refused_with_a_hint);
    RUN_TEST(test_too_long_value);
    RUN_TEST(test_long_bad_text_is_shortened_in_messages);
    RUN_TEST(test_command_line_wins_over_the_file);
    RUN_TEST(test_hardening_keys);
    RUN_TEST(test_every_number_key_at_the_ends_of_its_range);
    RUN_TEST(test_allow_and_deny_lists_are_checked);
    RUN_TEST(test_set_value_replaces_in_place);
    RUN_TEST(test_set_value_appends_with_the_files_line_ending);
    RUN_TEST(test_set_value_result_parses_back);
    RUN_TEST(test_set_value_refusals);
    RUN_TEST(test_set_value_of_an_empty_file_without_a_buffer);
    RUN_TEST(test_set_value_reports_the_size_needed);
    RUN_TEST(test_set_value_at_example);
    RUN_TEST(test_first_configuration_template_lists_every_number);
    return check_summary();
}
