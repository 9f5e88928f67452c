/* test_ipacl.c - allow and deny lists: parsing, matching, the server's rule. */
#include "check.h"
#include "ipacl.h"
#include "mts_error.h"

static struct ipacl allow, deny;
static char err[300];

static int parse(struct ipacl *acl, const char *text)
{
    return ipacl_parse(acl, text, strlen(text), err, sizeof err);
}

/* 1 when the text address is in acl. */
static int in(const struct ipacl *acl, const char *addr)
{
    unsigned char a[16];

    if (ipacl_parse_address(addr, strlen(addr), a) != 0)
        return -1;
    return ipacl_match(acl, a);
}

static int admits(const char *addr)
{
    unsigned char a[16];

    if (ipacl_parse_address(addr, strlen(addr), a) != 0)
        return -1;
    return ipacl_admits(&allow, &deny, a);
}

static void test_addresses_and_ranges(void)
{
    CHECK_INT(parse(&allow, "192.0.2.7, 10.0.0.0/8 2001:db8::/32,fe80::1"), 0);
    CHECK_INT(allow.count, 4);
    CHECK_INT(in(&allow, "192.0.2.7"), 1);
    CHECK_INT(in(&allow, "192.0.2.8"), 0);
    CHECK_INT(in(&allow, "10.255.1.2"), 1);
    CHECK_INT(in(&allow, "11.0.0.0"), 0);
    CHECK_INT(in(&allow, "2001:db8:ffff::9"), 1);
    CHECK_INT(in(&allow, "2001:db9::"), 0);
    CHECK_INT(in(&allow, "fe80::1"), 1);
    CHECK_INT(in(&allow, "fe80::2"), 0);
}

static void test_prefix_edges(void)
{
    CHECK_INT(parse(&allow, "0.0.0.0/0"), 0);
    CHECK_INT(in(&allow, "255.255.255.255"), 1);
    CHECK_INT(in(&allow, "::1"), 0); /* every IPv4 address, no IPv6 one */
    CHECK_INT(parse(&allow, "::/0"), 0);
    CHECK_INT(in(&allow, "::1"), 1);
    CHECK_INT(in(&allow, "1.2.3.4"), 1);
    CHECK_INT(parse(&allow, "172.16.0.0/12"), 0);
    CHECK_INT(in(&allow, "172.31.255.255"), 1);
    CHECK_INT(in(&allow, "172.32.0.0"), 0);
    CHECK_INT(in(&allow, "172.15.255.255"), 0);
    CHECK_INT(parse(&allow, "2001:db8::8/125"), 0);
    CHECK_INT(in(&allow, "2001:db8::f"), 1);
    CHECK_INT(in(&allow, "2001:db8::10"), 0);
    CHECK_INT(in(&allow, "2001:db8::7"), 0);
    CHECK_INT(parse(&allow, "10.1.2.3/32 2001:db8::1/128"), 0);
    CHECK_INT(in(&allow, "10.1.2.3"), 1);
    CHECK_INT(in(&allow, "2001:db8::1"), 1);
}

static void test_ipv4_mapped_is_ipv4(void)
{
    CHECK_INT(parse(&allow, "10.0.0.0/8"), 0);
    CHECK_INT(in(&allow, "::ffff:10.1.2.3"), 1);
    CHECK_INT(in(&allow, "::ffff:a01:203"), 1);
    CHECK_INT(parse(&allow, "::ffff:10.0.0.0/104"), 0);
    CHECK_INT(in(&allow, "10.9.9.9"), 1);
    CHECK_INT(in(&allow, "11.9.9.9"), 0);
    CHECK_INT(parse(&allow, "::ffff:192.0.2.1"), 0);
    CHECK_INT(in(&allow, "192.0.2.1"), 1);
    /* IPv4-compatible (::a.b.c.d) is another address, not IPv4. */
    CHECK_INT(in(&allow, "::192.0.2.1"), 0);
}

static void test_ipv6_text_forms(void)
{
    unsigned char a[16], b[16];
    static const char *same[] = {"2001:db8:0:0:0:0:0:1", "2001:DB8::1", "2001:db8::0:1",
                                 "2001:0db8:0000::0001"};

    CHECK_INT(ipacl_parse_address("2001:db8::1", 11, a), 0);
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        CHECK_INT(ipacl_parse_address(same[i], strlen(same[i]), b), 0);
        CHECK(memcmp(a, b, 16) == 0);
    }
    CHECK_INT(ipacl_parse_address("::", 2, a), 0);
    CHECK_INT(ipacl_parse_address("1::", 3, a), 0);
    CHECK_INT(a[1], 1);
    CHECK_INT(ipacl_parse_address("1:2:3:4:5:6:7::", 15, a), 0);
    CHECK_INT(a[13], 7);
    CHECK_INT(ipacl_parse_address("1:2:3:4:5:6:1.2.3.4", 19, a), 0);
    CHECK_INT(a[15], 4);
}

static void test_bad_entries_are_refused_by_name(void)
{
    static const char *bad[] = {
        "10.0.0.1/8",  /* host bits below the prefix */
        "2001:db8::1/32", "256.0.0.1", "1.2.3", "1.2.3.4.5", "010.0.0.1", "1.2.3.4/33",
        "::/129", "1.2.3.4/", "/8", "1.2.3.4/08", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::",
        "1:2:", ":::", "12345::", "g::1", "fe80::1%eth0", "[::1]", "1.2.3.4:80",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "host.example", "1.2.3.-4", "1.2.3.4/-1",
        "1:2:3:4:5:6:7:8::"};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[80];
        snprintf(text, sizeof text, "192.0.2.1, %s", bad[i]);
        if (parse(&allow, text) != MTS_ESYNTAX) {
            check_fail(__FILE__, __LINE__, bad[i], "was accepted");
            return;
        }
        CHECK_INT(allow.count, 0);
        CHECK(strstr(err, bad[i]) != NULL);
    }
}

/* A range with host bits set is refused, saying why and what was most
 * likely meant (issue 21 item 14: it read as "not an address or a range"). */
static void test_host_bits_under_the_prefix_are_explained(void)
{
    CHECK_INT(parse(&allow, "192.0.2.1 10.0.0.1/8"), MTS_ESYNTAX);
    CHECK_STR(err, "'10.0.0.1/8' has bits set beyond its first 8: write the range as "
                   "10.0.0.0/8, or the one address as 10.0.0.1");
    CHECK_INT(parse(&allow, "192.168.1.77/28"), MTS_ESYNTAX);
    CHECK_STR(err, "'192.168.1.77/28' has bits set beyond its first 28: write the range as "
                   "192.168.1.64/28, or the one address as 192.168.1.77");
    CHECK_INT(parse(&allow, "2001:db8::1/32"), MTS_ESYNTAX);
    CHECK_STR(err, "'2001:db8::1/32' has bits set beyond its first 32: write the range as "
                   "2001:db8:0:0:0:0:0:0/32, or the one address as 2001:db8::1");
    CHECK_INT(parse(&allow, "::ffff:10.0.0.1/104"), MTS_ESYNTAX);
    CHECK(strstr(err, "beyond its first 104: write the range as 0:0:0:0:0:ffff:a00:0/104") != NULL);
    /* Other mistakes keep the general message. */
    CHECK_INT(parse(&allow, "10.0.0.0/33"), MTS_ESYNTAX);
    CHECK(strstr(err, "is not an address or a range") != NULL);
}

static void test_empty_and_too_many(void)
{
    char text[IPACL_MAX_ENTRIES * 12 + 20];
    size_t n = 0;

    CHECK_INT(parse(&allow, ""), 0);
    CHECK_INT(allow.count, 0);
    CHECK_INT(parse(&allow, " ,, \t"), 0);
    CHECK_INT(allow.count, 0);
    for (unsigned i = 0; i < IPACL_MAX_ENTRIES; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "10.0.%u.%u,", i / 256, i % 256);
    CHECK_INT(parse(&allow, text), 0);
    CHECK_INT(allow.count, IPACL_MAX_ENTRIES);
    snprintf(text + n, sizeof text - n, "10.9.9.9");
    CHECK_INT(parse(&allow, text), MTS_ETOOLONG);
    CHECK_INT(allow.count, 0);
}

static void test_deny_wins_and_empty_allow_admits_all(void)
{
    CHECK_INT(parse(&allow, ""), 0);
    CHECK_INT(parse(&deny, ""), 0);
    CHECK_INT(admits("203.0.113.9"), 1);
    CHECK_INT(admits("2001:db8::9"), 1);
    CHECK_INT(parse(&allow, "10.0.0.0/8, 2001:db8::/48"), 0);
    CHECK_INT(admits("10.1.1.1"), 1);
    CHECK_INT(admits("::ffff:10.1.1.1"), 1);
    CHECK_INT(admits("11.1.1.1"), 0);
    CHECK_INT(admits("2001:db8:0:1::1"), 1);
    CHECK_INT(admits("2001:db8:1::1"), 0);
    CHECK_INT(parse(&deny, "10.6.0.0/16 2001:db8:0:6::/64"), 0);
    CHECK_INT(admits("10.6.1.1"), 0);
    CHECK_INT(admits("10.7.1.1"), 1);
    CHECK_INT(admits("2001:db8:0:6::1"), 0);
    CHECK_INT(parse(&allow, ""), 0);
    CHECK_INT(admits("11.1.1.1"), 1);
    CHECK_INT(admits("::ffff:10.6.0.1"), 0);
}

/* mtsclient's TLS (issue 21 item 4): an address is sent as no server name
 * (RFC 6066 allows none), and is looked for among the certificate's IP
 * addresses, 4 or 16 bytes each (RFC 5280), instead. */
static void test_address_literals_and_certificate_addresses(void)
{
    unsigned char a[16];
    static const unsigned char v4[4] = {127, 0, 0, 1};
    static const unsigned char v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};

    CHECK_INT(ipacl_is_literal("127.0.0.1", 9), 1);
    CHECK_INT(ipacl_is_literal("::1", 3), 1);
    CHECK_INT(ipacl_is_literal("fe80::1%12", 10), 1); /* a zone: still no name */
    CHECK_INT(ipacl_is_literal("localhost", 9), 0);
    CHECK_INT(ipacl_is_literal("files.example", 13), 0);
    CHECK_INT(ipacl_is_literal("1.2.3.4.example", 15), 0);
    CHECK_INT(ipacl_is_literal("", 0), 0);

    CHECK_INT(ipacl_parse_address("127.0.0.1", 9, a), 0);
    CHECK_INT(ipacl_same_address(a, v4, 4), 1);
    CHECK_INT(ipacl_same_address(a, mapped, 16), 1);
    CHECK_INT(ipacl_same_address(a, v6, 16), 0);
    CHECK_INT(ipacl_same_address(a, v4, 3), 0);
    CHECK_INT(ipacl_parse_address("::1", 3, a), 0);
    CHECK_INT(ipacl_same_address(a, v6, 16), 1);
    CHECK_INT(ipacl_same_address(a, v4, 4), 0);
    CHECK_INT(ipacl_same_address(a, v6, 0), 0);
}

int main(void)
{
    RUN_TEST(test_addresses_and_ranges);
    RUN_TEST(test_prefix_edges);
    RUN_TEST(test_ipv4_mapped_is_ipv4);
    RUN_TEST(test_ipv6_text_forms);
    RUN_TEST(test_bad_entries_are_refused_by_name);
    RUN_TEST(test_host_bits_under_the_prefix_are_explained);
    RUN_TEST(test_empty_and_too_many);
    RUN_TEST(test_deny_wins_and_empty_allow_admits_all);
    RUN_TEST(test_address_literals_and_certificate_addresses);
    return check_summary();
}
