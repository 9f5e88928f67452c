/* test_plainpol.c - where mtsclient may send its password without TLS. */
#include <string.h>

#include "check.h"
#include "plainpol.h"

static void test_tls_or_the_users_word_allows_any_address(void)
{
    CHECK_INT(plainpol_reach(1, 0, NULL), PLAINPOL_ANYWHERE);
    CHECK_INT(plainpol_reach(0, 1, NULL), PLAINPOL_ANYWHERE);
    CHECK_INT(plainpol_reach(0, 0, "1"), PLAINPOL_ANYWHERE);
    CHECK_INT(plainpol_reach(1, 1, "1"), PLAINPOL_ANYWHERE);
}

static void test_otherwise_only_loopback(void)
{
    CHECK_INT(plainpol_reach(0, 0, NULL), PLAINPOL_LOOPBACK_ONLY);
    /* Set, but not to "1": a variable left at 0 or empty is not a yes. */
    CHECK_INT(plainpol_reach(0, 0, "0"), PLAINPOL_LOOPBACK_ONLY);
    CHECK_INT(plainpol_reach(0, 0, ""), PLAINPOL_LOOPBACK_ONLY);
    CHECK_INT(plainpol_reach(0, 0, "yes"), PLAINPOL_LOOPBACK_ONLY);
    CHECK_INT(plainpol_reach(0, 0, "11"), PLAINPOL_LOOPBACK_ONLY);
    CHECK_INT(plainpol_reach(0, 0, " 1"), PLAINPOL_LOOPBACK_ONLY);
}

static void test_loopback_addresses(void)
{
    static const unsigned char v4[][4] = {{127, 0, 0, 1}, {127, 0, 0, 2}, {127, 255, 255, 254}};
    static const unsigned char v6_one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char v6_mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                0, 0, 0xff, 0xff, 127, 0, 0, 1};

    for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++)
        CHECK(plainpol_is_loopback(v4[i], 4));
    CHECK(plainpol_is_loopback(v6_one, 16));
    CHECK(plainpol_is_loopback(v6_mapped, 16));
}

static void test_every_other_address_is_not(void)
{
    static const unsigned char v4[][4] = {
        {198, 18, 0, 1}, {10, 0, 0, 1}, {192, 168, 1, 1}, {0, 0, 0, 0},
        {126, 255, 255, 255}, {128, 0, 0, 1}, {255, 255, 255, 255}, {169, 254, 0, 1}};
    static const unsigned char v6[][16] = {
        {0}, /* :: */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1},
        {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},          /* fe80::1 */
        {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},    /* 2001:db8::1 */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1},        /* ::ffff:10.0.0.1 */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1},             /* ::127.0.0.1 */
        {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},               /* 100::1 */
    };
    static const unsigned char loop4[4] = {127, 0, 0, 1};

    for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++)
        CHECK(!plainpol_is_loopback(v4[i], 4));
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++)
        CHECK(!plainpol_is_loopback(v6[i], 16));
    /* Neither four nor sixteen bytes: no address at all. */
    CHECK(!plainpol_is_loopback(loop4, 3));
    CHECK(!plainpol_is_loopback(loop4, 0));
    CHECK(!plainpol_is_loopback(NULL, 4));
}

static void test_refusal_names_both_ways_out_on_one_line(void)
{
    char line[400], small[40];

    plainpol_refusal(line, sizeof line, "198.18.0.1", 20249);
    CHECK(strstr(line, "198.18.0.1") != NULL);
    CHECK(strstr(line, "--tls") != NULL);
    CHECK(strstr(line, "20249") != NULL);
    CHECK(strstr(line, "--plain") != NULL);
    CHECK(strstr(line, "MTS_PLAIN=1") != NULL);
    CHECK(strchr(line, '\n') == NULL);
    plainpol_refusal(small, sizeof small, "198.18.0.1", 20249);
    CHECK_INT(strlen(small), sizeof small - 1); /* cut, still a string */
}

int main(void)
{
    RUN_TEST(test_tls_or_the_users_word_allows_any_address);
    RUN_TEST(test_otherwise_only_loopback);
    RUN_TEST(test_loopback_addresses);
    RUN_TEST(test_every_other_address_is_not);
    RUN_TEST(test_refusal_names_both_ways_out_on_one_line);
    return check_summary();
}
