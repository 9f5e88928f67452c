/* test_utf8.c - strict UTF-8: the ranges of RFC 3629 and nothing else. */
#include "check.h"
#include "utf8.h"

#define VALID(s) utf8_is_valid((s), sizeof(s) - 1)

static void test_well_formed_text(void)
{
    CHECK(VALID(""));
    CHECK(VALID("plain ascii"));
    CHECK(VALID("\xc3\xa9"));             /* U+00E9 */
    CHECK(VALID("\xe2\x82\xac"));         /* U+20AC */
    CHECK(VALID("\xf0\x9f\x98\x80"));     /* U+1F600 */
    CHECK(VALID("\xf4\x8f\xbf\xbf"));     /* U+10FFFF */
    CHECK(VALID("\xed\x9f\xbf"));         /* U+D7FF, just below the surrogates */
}

static void test_malformed_text(void)
{
    CHECK(!VALID("\x80"));                /* lone continuation */
    CHECK(!VALID("\xc3"));                /* truncated */
    CHECK(!VALID("\xe2\x82"));            /* truncated */
    CHECK(!VALID("\xc0\x80"));            /* overlong NUL */
    CHECK(!VALID("\xc1\xbf"));            /* overlong */
    CHECK(!VALID("\xe0\x80\xaf"));        /* overlong '/' */
    CHECK(!VALID("\xf0\x80\x80\xaf"));    /* overlong '/' */
    CHECK(!VALID("\xed\xa0\x80"));        /* surrogate U+D800 */
    CHECK(!VALID("\xf4\x90\x80\x80"));    /* above U+10FFFF */
    CHECK(!VALID("\xf5\x80\x80\x80"));
    CHECK(!VALID("\xff"));
    CHECK(!VALID("a\xc3(b"));             /* bad continuation */
}

int main(void)
{
    RUN_TEST(test_well_formed_text);
    RUN_TEST(test_malformed_text);
    return check_summary();
}
