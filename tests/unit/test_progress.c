/* test_progress.c - the progress bar's text. */
#include <stdint.h>

#include "check.h"
#include "progress.h"

static void test_bytes(void)
{
    char buf[32];

    progress_format_bytes(buf, sizeof buf, 0);
    CHECK_STR(buf, "0 B");
    progress_format_bytes(buf, sizeof buf, 1023);
    CHECK_STR(buf, "1023 B");
    progress_format_bytes(buf, sizeof buf, 1536);
    CHECK_STR(buf, "1.5 KiB");
    progress_format_bytes(buf, sizeof buf, 5u << 20);
    CHECK_STR(buf, "5.0 MiB");
    progress_format_bytes(buf, sizeof buf, (1u << 20) - 1);
    CHECK_STR(buf, "1.0 MiB");
    progress_format_bytes(buf, sizeof buf, UINT64_MAX);
    CHECK_STR(buf, "16.0 EiB");
    CHECK_INT(progress_format_bytes(buf, 4, 1536), 0);
}

static void test_bar(void)
{
    char buf[128];

    CHECK(progress_format(buf, sizeof buf, 1u << 20, 4u << 20, 0, 1000) > 0);
    CHECK_STR(buf, "[#####...............] 1.0 MiB of 4.0 MiB  25% 1.0 MiB/s");
    progress_format(buf, sizeof buf, 4u << 20, 4u << 20, 0, 2000);
    CHECK_STR(buf, "[####################] 4.0 MiB of 4.0 MiB 100% 2.0 MiB/s");
    /* Almost done is not done. */
    progress_format(buf, sizeof buf, (4u << 20) - 1, 4u << 20, 0, 0);
    CHECK_STR(buf, "[###################.] 4.0 MiB of 4.0 MiB  99% -/s");
    progress_format(buf, sizeof buf, 0, 0, 0, 5);
    CHECK_STR(buf, "[####################] 0 B of 0 B 100% 0 B/s");
    /* More than announced is shown as all of it, and sizes near the top do not wrap. */
    progress_format(buf, sizeof buf, 10, 5, 0, 1000);
    CHECK_STR(buf, "[####################] 5 B of 5 B 100% 5 B/s");
    progress_format(buf, sizeof buf, UINT64_MAX / 2, UINT64_MAX, 0, 1000);
    CHECK(strstr(buf, " 50% ") != NULL);
    CHECK_INT(progress_format(buf, 10, 1, 2, 0, 3), 0);
    /* A resumed download's rate counts only the bytes of this run. */
    progress_format(buf, sizeof buf, 3u << 20, 4u << 20, 2u << 20, 1000);
    CHECK_STR(buf, "[###############.....] 3.0 MiB of 4.0 MiB  75% 1.0 MiB/s");
    progress_format(buf, sizeof buf, 1, 4, 9, 1000);
    CHECK_STR(buf, "[#####...............] 1 B of 4 B  25% 0 B/s");
}

int main(void)
{
    RUN_TEST(test_bytes);
    RUN_TEST(test_bar);
    return check_summary();
}
