/* check.c - counters and output for check.h. */
#include "check.h"

int check_failed_now;
static int passed, failed;

void check_fail(const char *file, int line, const char *expr, const char *detail)
{
    printf("%s:%d: check failed: %s %s\n", file, line, expr, detail);
    check_failed_now = 1;
}

void check_run(const char *name, void (*fn)(void))
{
    check_failed_now = 0;
    fn();
    if (check_failed_now) {
        printf("FAIL %s\n", name);
        failed++;
    } else {
        passed++;
    }
}

int check_summary(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return failed == 0 ? 0 : 1;
}
