/* test_numparse.c - strict decimal numbers. */
#include <stdint.h>

#include "check.h"
#include "mts_error.h"
#include "numparse.h"

static int parse(const char *s, uint64_t max, uint64_t *out)
{
    return numparse_u64(s, strlen(s), max, out);
}

static void test_plain_numbers(void)
{
    uint64_t v = 99;

    CHECK_INT(parse("0", 10, &v), 0);
    CHECK_INT(v, 0);
    CHECK_INT(parse("65535", 65535, &v), 0);
    CHECK_INT(v, 65535);
    CHECK_INT(parse("007", 10, &v), 0);
    CHECK_INT(v, 7);
    CHECK_INT(parse("18446744073709551615", UINT64_MAX, &v), 0);
    CHECK(v == UINT64_MAX);
}

static void test_everything_else_is_refused(void)
{
    uint64_t v = 5;

    CHECK_INT(parse("", 10, &v), MTS_ESYNTAX);
    CHECK_INT(parse("-1", 10, &v), MTS_ESYNTAX);
    CHECK_INT(parse("+1", 10, &v), MTS_ESYNTAX);
    CHECK_INT(parse(" 1", 10, &v), MTS_ESYNTAX);
    CHECK_INT(parse("1 ", 10, &v), MTS_ESYNTAX);
    CHECK_INT(parse("0x10", 100, &v), MTS_ESYNTAX);
    CHECK_INT(parse("1e3", 10000, &v), MTS_ESYNTAX);
    CHECK_INT(parse("65536", 65535, &v), MTS_ERANGE);
    CHECK_INT(parse("7", 5, &v), MTS_ERANGE); /* a digit above a small max */
    CHECK_INT(parse("1", 0, &v), MTS_ERANGE);
    CHECK_INT(parse("18446744073709551616", UINT64_MAX, &v), MTS_ERANGE);
    CHECK_INT(parse("99999999999999999999999", UINT64_MAX, &v), MTS_ERANGE);
    CHECK_INT(v, 5);
}

int main(void)
{
    RUN_TEST(test_plain_numbers);
    RUN_TEST(test_everything_else_is_refused);
    return check_summary();
}
