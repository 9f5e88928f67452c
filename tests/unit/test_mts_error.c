/* test_mts_error.c - every code has its own text. */
#include "check.h"
#include "mts_error.h"

static void test_texts(void)
{
    CHECK_STR(mts_strerror(MTS_OK), "success");
    CHECK_STR(mts_strerror(MTS_EPATH), "path not allowed");
    CHECK_STR(mts_strerror(MTS_ETOOLONG), "line too long");
    CHECK_STR(mts_strerror(-999), "unknown error");
}

static void test_codes_are_negative_and_distinct(void)
{
    static const int codes[] = {
#define CODE(name, num, text) MTS_##name,
        MTS_ERRNO_MAP(CODE)
#undef CODE
    };
    size_t n = sizeof codes / sizeof codes[0];

    for (size_t i = 0; i < n; i++) {
        CHECK(codes[i] < 0);
        CHECK(strcmp(mts_strerror(codes[i]), "unknown error") != 0);
        for (size_t j = i + 1; j < n; j++)
            CHECK(codes[i] != codes[j]);
    }
}

int main(void)
{
    RUN_TEST(test_texts);
    RUN_TEST(test_codes_are_negative_and_distinct);
    return check_summary();
}
