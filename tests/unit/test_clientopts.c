/* test_clientopts.c - mtsclient's command line. */
#include "check.h"
#include "clientopts.h"
#include "mts_error.h"

#define MAXARGS 16

static struct client_options opts;
static char *files[MAXARGS];
static char err[256];

/* Parses a NULL-terminated list of arguments after "mtsclient". */
static int parse(const char *const *args)
{
    char *argv[MAXARGS];
    int argc = 1;

    argv[0] = (char *)"mtsclient";
    while (*args != NULL && argc < MAXARGS)
        argv[argc++] = (char *)*args++;
    clientopts_init(&opts);
    return clientopts_parse(&opts, argc, argv, files, err, sizeof err);
}

static void test_defaults(void)
{
    static const char *const args[] = {"a.txt", NULL};

    CHECK_INT(parse(args), 0);
    CHECK_STR(opts.host, "127.0.0.1");
    CHECK_INT(opts.port, 20248);
    CHECK(opts.out_dir == NULL);
    CHECK_INT(opts.timeout_s, 30);
    CHECK_INT(opts.resume + opts.force + opts.quiet + opts.help + opts.version, 0);
    CHECK_INT(opts.nfiles, 1);
    CHECK_STR(opts.files[0], "a.txt");
}

static void test_every_option(void)
{
    static const char *const args[] = {"-s", "::1", "-p", "2000", "c:\\cu.gif", "-o", "out dir",
                                       "-c", "-f", "-q", "-t", "5", "d e.txt", NULL};

    CHECK_INT(parse(args), 0);
    CHECK_STR(opts.host, "::1");
    CHECK_INT(opts.port, 2000);
    CHECK_STR(opts.out_dir, "out dir");
    CHECK_INT(opts.timeout_s, 5);
    CHECK_INT(opts.resume, 1);
    CHECK_INT(opts.force, 1);
    CHECK_INT(opts.quiet, 1);
    CHECK_INT(opts.nfiles, 2);
    CHECK_STR(opts.files[0], "c:\\cu.gif");
    CHECK_STR(opts.files[1], "d e.txt");
}

static void test_grouped_flags_and_attached_values(void)
{
    static const char *const args[] = {"-cfq", "-p2001", "-shost.example", "-cs", "h2", "x", NULL};

    CHECK_INT(parse(args), 0);
    CHECK_INT(opts.resume + opts.force + opts.quiet, 3);
    CHECK_INT(opts.port, 2001);
    CHECK_STR(opts.host, "h2");
    CHECK_INT(opts.nfiles, 1);
}

static void test_double_dash_ends_options(void)
{
    static const char *const args[] = {"-q", "--", "-f", "--help", NULL};

    CHECK_INT(parse(args), 0);
    CHECK_INT(opts.force, 0);
    CHECK_INT(opts.help, 0);
    CHECK_INT(opts.nfiles, 2);
    CHECK_STR(opts.files[0], "-f");
    CHECK_STR(opts.files[1], "--help");
}

static void test_help_version_and_no_files(void)
{
    static const char *const none[] = {NULL};
    static const char *const help[] = {"--help", NULL};
    static const char *const windows_help[] = {"/?", NULL};
    static const char *const file_named_so[] = {"--", "/?", NULL};
    static const char *const version[] = {"--version", NULL};

    CHECK_INT(parse(none), 0);
    CHECK_INT(opts.nfiles, 0);
    CHECK_INT(parse(help), 0);
    CHECK_INT(opts.help, 1);
    CHECK_INT(parse(windows_help), 0);
    CHECK_INT(opts.help, 1);
    CHECK_INT(opts.nfiles, 0);
    CHECK_INT(parse(file_named_so), 0);
    CHECK_INT(opts.help, 0);
    CHECK_INT(opts.nfiles, 1);
    CHECK_STR(opts.files[0], "/?");
    CHECK_INT(parse(version), 0);
    CHECK_INT(opts.version, 1);
    CHECK(strncmp(clientopts_usage(), "Usage :- mtsclient [file1] [file2] [file3] ....\n", 48) ==
          0);
}

static void test_bad_values(void)
{
    static const char *const port0[] = {"-p", "0", "a", NULL};
    static const char *const port_big[] = {"-p", "65536", "a", NULL};
    static const char *const port_text[] = {"-p", "http", "a", NULL};
    static const char *const port_missing[] = {"a", "-p", NULL};
    static const char *const host_empty[] = {"-s", "", "a", NULL};
    static const char *const timeout0[] = {"-t", "0", "a", NULL};
    static const char *const unknown[] = {"-x", "a", NULL};
    static const char *const unknown_long[] = {"--port", "1", "a", NULL};
    static const char *const empty_file[] = {"", NULL};

    CHECK_INT(parse(port0), MTS_ERANGE);
    CHECK(strstr(err, "-p") != NULL);
    CHECK_INT(parse(port_big), MTS_ERANGE);
    CHECK_INT(parse(port_text), MTS_ERANGE);
    CHECK(strstr(err, "'http'") != NULL);
    CHECK_INT(parse(port_missing), MTS_EMISSING);
    CHECK_INT(parse(host_empty), MTS_EMISSING);
    CHECK_INT(parse(timeout0), MTS_ERANGE);
    CHECK_INT(parse(unknown), MTS_EUNKNOWN);
    CHECK(strstr(err, "-x") != NULL);
    CHECK_INT(parse(unknown_long), MTS_EUNKNOWN);
    CHECK_INT(parse(empty_file), MTS_EMISSING);
}

static void test_tls_and_its_port(void)
{
    static const char *const plain[] = {"a", NULL}, *const tls[] = {"--tls", "a", NULL},
                             *const given[] = {"-p", "7", "--tls", "a", NULL};

    CHECK_INT(parse(plain), 0);
    CHECK_INT(opts.tls, 0);
    CHECK_STR(opts.fingerprint, "");
    CHECK_INT(parse(tls), 0);
    CHECK_INT(opts.tls, 1);
    CHECK_INT(opts.port, 20249);
    CHECK_INT(parse(given), 0);
    CHECK_INT(opts.port, 7);
}

static void test_fingerprint_is_normalised_and_implies_tls(void)
{
    static const char *const a[] = {
        "--fingerprint",
        "SHA256:e8:61:57:93:a8:f1:6e:81:7a:e5:6a:a5:e7:d8:c2:8c:d4:7e:a4:34:f9:6f:cf:0e:a6:44:1e:99:"
        "8f:5a:7e:4c",
        "f", NULL};
    static const char *const b[] = {
        "--fingerprint=SHA256:E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C", "f",
        NULL};

    CHECK_INT(parse(a), 0);
    CHECK_INT(opts.tls, 1);
    CHECK_INT(opts.port, 20249);
    CHECK_STR(opts.fingerprint, "E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C");
    CHECK_INT(parse(b), 0);
    CHECK_STR(opts.fingerprint, "E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C");
}

/* The prefix in any case, as OpenSSL ("sha256 Fingerprint=") and others
 * write it (issue 21 item 17: "sha256:" was refused). */
static void test_fingerprint_prefix_in_any_case(void)
{
    static const char *const prefixes[] = {"sha256:", "Sha256:", "sHA256:"};

    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char value[80];
        const char *args[] = {"--fingerprint", value, "f", NULL};
        snprintf(value, sizeof value, "%s%s", prefixes[i],
                 "e8615793a8f16e817ae56aa5e7d8c28cd47ea434f96fcf0ea6441e998f5a7e4c");
        CHECK_INT(parse(args), 0);
        CHECK_STR(opts.fingerprint,
                  "E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C");
    }
}

/* A key pin (issue 21 item 6): SPKI-SHA256: in any case; pin_key says
 * which was given, and a certificate pin after it clears it again. */
static void test_key_pin(void)
{
    static const char *const key[] = {
        "--fingerprint",
        "spki-sha256:8C:E4:B0:66:6C:37:50:CC:72:56:B4:3C:E2:F0:82:72:50:5F:E2:75:EA:30:7E:24:43:"
        "40:87:B9:C8:AF:BB:52",
        "f", NULL};
    static const char *const cert[] = {
        "--fingerprint=SHA256:E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C", "f",
        NULL};
    static const char *const no_hash[] = {"--fingerprint", "SPKI:8CE4", "f", NULL};

    CHECK_INT(parse(key), 0);
    CHECK_INT(opts.pin_key, 1);
    CHECK_INT(opts.tls, 1);
    CHECK_STR(opts.fingerprint, "8CE4B0666C3750CC7256B43CE2F08272505FE275EA307E24434087B9C8AFBB52");
    CHECK_INT(parse(cert), 0);
    CHECK_INT(opts.pin_key, 0);
    CHECK_INT(parse(no_hash), MTS_EINVAL);
    CHECK(strstr(err, "SPKI-SHA256:") != NULL);
    CHECK(strstr(clientopts_usage(), "SPKI-SHA256:") != NULL);
}

static void test_bad_fingerprints(void)
{
    static const char *const cases[][3] = {
        {"--fingerprint", "E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C", "f"},
        {"--fingerprint", "SHA256:E8615793", "f"},
        {"--fingerprint", "SHA256:E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C00",
         "f"},
        {"--fingerprint", "SHA256:G8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C",
         "f"},
    };
    static const char *const missing[] = {"--fingerprint", NULL};

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[4] = {cases[i][0], cases[i][1], cases[i][2], NULL};
        CHECK_INT(parse(args), MTS_EINVAL);
        CHECK(strstr(err, "--fingerprint") != NULL);
    }
    CHECK_INT(parse(missing), MTS_EINVAL);
}

static void test_plain_and_its_conflicts(void)
{
    static const char *const plain[] = {"--plain", "-s", "198.18.0.1", "a", NULL};
    static const char *const with_tls[] = {"--plain", "--tls", "a", NULL};
    static const char *const with_pin[] = {
        "--fingerprint=SHA256:E8615793A8F16E817AE56AA5E7D8C28CD47EA434F96FCF0EA6441E998F5A7E4C",
        "--plain", "a", NULL};
    static const char *const none[] = {"a", NULL};

    CHECK_INT(parse(none), 0);
    CHECK_INT(opts.plain, 0);
    CHECK_INT(parse(plain), 0);
    CHECK_INT(opts.plain, 1);
    CHECK_INT(opts.tls, 0);
    CHECK_INT(opts.port, 20248);
    CHECK_INT(parse(with_tls), MTS_EINVAL);
    CHECK(strstr(err, "--plain") != NULL && strstr(err, "--tls") != NULL);
    CHECK_INT(parse(with_pin), MTS_EINVAL);
    CHECK(strstr(err, "--fingerprint") != NULL);
    CHECK(strstr(clientopts_usage(), "--plain") != NULL);
}

static void test_list_tree_and_verify(void)
{
    static const char *const list[] = {"-lq", NULL};
    static const char *const tree[] = {"-r", "--verify", "-c", "docs", "more", NULL};
    static const char *const both[] = {"-l", "-r", "x", NULL};

    CHECK_INT(parse(list), 0);
    CHECK_INT(opts.list, 1);
    CHECK_INT(opts.quiet, 1);
    CHECK_INT(opts.nfiles, 0);
    CHECK_INT(parse(tree), 0);
    CHECK_INT(opts.tree + opts.verify + opts.resume, 3);
    CHECK_INT(opts.list, 0);
    CHECK_INT(opts.nfiles, 2);
    CHECK_STR(opts.files[1], "more");
    CHECK_INT(parse(both), MTS_EINVAL);
}

static void test_user(void)
{
    static const char *const given[] = {"-u", "alice@corp", "a", NULL};
    static const char *const joined[] = {"-qubob", "a", NULL};
    static const char *const none[] = {"a", NULL};
    static const char *const missing[] = {"a", "-u", NULL};

    CHECK_INT(parse(given), 0);
    CHECK_STR(opts.user, "alice@corp");
    CHECK_INT(opts.nfiles, 1);
    CHECK_INT(parse(joined), 0);
    CHECK_STR(opts.user, "bob");
    CHECK_INT(opts.quiet, 1);
    CHECK_INT(parse(none), 0);
    CHECK(opts.user == NULL);
    CHECK_INT(parse(missing), MTS_EMISSING);
    CHECK_STR(err, "option -u needs a value");
}

int main(void)
{
    RUN_TEST(test_user);
    RUN_TEST(test_tls_and_its_port);
    RUN_TEST(test_fingerprint_is_normalised_and_implies_tls);
    RUN_TEST(test_fingerprint_prefix_in_any_case);
    RUN_TEST(test_key_pin);
    RUN_TEST(test_bad_fingerprints);
    RUN_TEST(test_plain_and_its_conflicts);
    RUN_TEST(test_list_tree_and_verify);
    RUN_TEST(test_defaults);
    RUN_TEST(test_every_option);
    RUN_TEST(test_grouped_flags_and_attached_values);
    RUN_TEST(test_double_dash_ends_options);
    RUN_TEST(test_help_version_and_no_files);
    RUN_TEST(test_bad_values);
    return check_summary();
}
