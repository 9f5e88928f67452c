/* test_ctcmp.c - secret comparison gives the right answers at every length. */
#include "check.h"
#include "ctcmp.h"

static void test_equal_and_unequal(void)
{
    CHECK(ctcmp_equal("secret", 6, "secret", 6));
    CHECK(!ctcmp_equal("secret", 6, "secreT", 6));
    CHECK(!ctcmp_equal("secret", 6, "Secret", 6));
    CHECK(ctcmp_equal("", 0, "", 0));
}

static void test_prefixes_and_repeats_do_not_match(void)
{
    CHECK(!ctcmp_equal("secret", 6, "secre", 5));
    CHECK(!ctcmp_equal("secret", 6, "secretsecret", 12));
    CHECK(!ctcmp_equal("ab", 2, "abab", 4));
    CHECK(!ctcmp_equal("", 0, "a", 1));
    CHECK(!ctcmp_equal("a", 1, "", 0));
}

int main(void)
{
    RUN_TEST(test_equal_and_unequal);
    RUN_TEST(test_prefixes_and_repeats_do_not_match);
    return check_summary();
}
