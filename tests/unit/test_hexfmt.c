/* test_hexfmt.c - thumbprints and fingerprints as hex. */
#include "check.h"
#include "hexfmt.h"

static void test_every_nibble_and_the_end(void)
{
    static const unsigned char b[] = {0x00, 0x19, 0xAF, 0xF0, 0x7E};
    char out[2 * sizeof b + 1];

    out[sizeof out - 1] = 'x';
    hexfmt_upper(b, sizeof b, out);
    CHECK_STR(out, "0019AFF07E");
}

static void test_nothing(void)
{
    char out[1] = {'x'};

    hexfmt_upper(NULL, 0, out);
    CHECK_STR(out, "");
}

int main(void)
{
    RUN_TEST(test_every_nibble_and_the_end);
    RUN_TEST(test_nothing);
    return check_summary();
}
