/* test_certname.c - `mtserver cert --name`: DNS names and addresses taken,
 * everything else refused with its reason (certname.h). */
#include "certname.h"
#include "check.h"
#include "mts_error.h"

static struct certname n;
static char why[300];

static int parse(const char *text)
{
    why[0] = '\0';
    return certname_parse(text, &n, why, sizeof why);
}

static void test_dns_names_are_taken(void)
{
    const char *ok[] = {"localhost", "host.example.org", "a", "x-1.example", "EXAMPLE.ORG",
                        "*.example.org", "*.a.b", "1host.example", "a.b.c.d.e.f",
                        "xn--bcher-kva.example"};

    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        CHECK_INT(parse(ok[i]), 0);
        CHECK_INT(n.kind, CERTNAME_DNS);
    }
}

static void test_label_and_name_lengths(void)
{
    char name[300];

    memset(name, 'a', 63);
    strcpy(name + 63, ".example");
    CHECK_INT(parse(name), 0);
    memset(name, 'a', 64);
    strcpy(name + 64, ".example");
    CHECK_INT(parse(name), MTS_EINVAL);
    CHECK(strstr(why, "63") != NULL);
    /* 253 characters in four labels of 63 and one of 1: taken; 254: not. */
    for (int i = 0; i < 4; i++) {
        memset(name + i * 64, 'b', 63);
        name[i * 64 + 63] = '.';
    }
    strcpy(name + 256, "c");
    CHECK_INT(parse(name + 4), 0);
    CHECK_INT(parse(name + 3), MTS_EINVAL);
    CHECK(strstr(why, "253") != NULL);
}

static void test_bad_dns_names_say_why(void)
{
    static const struct {
        const char *text, *reason;
    } bad[] = {
        {"", "empty"},
        {"host..example", "empty label"},
        {"host.example.", "empty label"},
        {".example", "empty label"},
        {"-host.example", "hyphen"},
        {"host-.example", "hyphen"},
        {"host_name.example", "character"},
        {"host name", "character"},
        {"h\xc3\xa9.example", "character"},
        {"w*.example.org", "'*'"},
        {"a.*.example", "'*'"},
        {"*.org", "top-level"},
        {"*", "'*'"},
        {"host.123", "all-digit"},
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(parse(bad[i].text), MTS_EINVAL);
        CHECK(strstr(why, bad[i].reason) != NULL);
    }
}

static void test_addresses_take_their_own_length(void)
{
    static const unsigned char v4[4] = {127, 0, 0, 1};
    static const unsigned char v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3};

    CHECK_INT(parse("127.0.0.1"), 0);
    CHECK_INT(n.kind, CERTNAME_IP);
    CHECK_INT(n.addr_len, 4);
    CHECK(memcmp(n.addr, v4, 4) == 0);
    CHECK_INT(parse("::1"), 0);
    CHECK_INT(n.kind, CERTNAME_IP);
    CHECK_INT(n.addr_len, 16);
    CHECK(memcmp(n.addr, v6, 16) == 0);
    /* Written as IPv6, kept as IPv6: the client matches what it was given. */
    CHECK_INT(parse("::ffff:10.1.2.3"), 0);
    CHECK_INT(n.addr_len, 16);
    CHECK(memcmp(n.addr, mapped, 16) == 0);
}

static void test_bad_addresses_are_refused(void)
{
    const char *bad[] = {"256.0.0.1", "10.1.1", "1.2.3.4.5", "10.0.0.0/8", "fe80::1%eth0",
                         "::1::2", "2001:db8:::1", "1.2.3.", "..."};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(parse(bad[i]), MTS_EINVAL);
        CHECK(strstr(why, "not an IP address") != NULL);
    }
}

static int same(const char *a, const char *b)
{
    struct certname x, y;
    char why[200];

    /* -1, never 0 or 1, when either does not parse: every CHECK then fails. */
    if (certname_parse(a, &x, why, sizeof why) != 0 || certname_parse(b, &y, why, sizeof why) != 0)
        return -1;
    return certname_same(a, &x, b, &y);
}

static void test_the_same_name_however_written(void)
{
    CHECK_INT(same("localhost", "LocalHost"), 1);
    CHECK_INT(same("*.Example.org", "*.example.ORG"), 1);
    CHECK_INT(same("::1", "0:0::1"), 1);
    CHECK_INT(same("127.0.0.1", "127.0.0.1"), 1);
    CHECK_INT(same("localhost", "localhost2"), 0);
    CHECK_INT(same("local", "localhost"), 0);
    CHECK_INT(same("127.0.0.1", "::ffff:127.0.0.1"), 0); /* 4 bytes against 16 */
    CHECK_INT(same("::1", "::2"), 0);
    CHECK_INT(same("127.0.0.1", "localhost"), 0);
}

int main(void)
{
    RUN_TEST(test_dns_names_are_taken);
    RUN_TEST(test_label_and_name_lengths);
    RUN_TEST(test_bad_dns_names_say_why);
    RUN_TEST(test_addresses_take_their_own_length);
    RUN_TEST(test_bad_addresses_are_refused);
    RUN_TEST(test_the_same_name_however_written);
    return check_summary();
}
