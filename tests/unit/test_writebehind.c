/* test_writebehind.c - the flushes behind a download's writing
 * (client/writebehind.c): none for a small file and no helper thread, one
 * for each WRITEBEHIND_EVERY bytes, a request made during a flush is not
 * lost, the end waits for the flush under way, a flush that failed in the
 * background is what the end reports, and where it is off (Windows) no
 * flush is asked. A fake flush counts the calls and can be held or made
 * to fail. Win32: runs as an .exe (under Wine on
 * Linux). */
#include <process.h>

#include "check.h"
#include "writebehind.h"

static volatile LONG flushes;
static volatile LONG fail_with;  /* 0: the fake flush succeeds */
static HANDLE flushing, release; /* set while a held flush runs; lets it go */
static HANDLE seen_file;

static BOOL WINAPI fake_flush(HANDLE file)
{
    LONG code;

    seen_file = file;
    if (release != NULL) {
        SetEvent(flushing);
        WaitForSingleObject(release, INFINITE);
    }
    code = fail_with; /* read before the count that the test waits on */
    InterlockedIncrement(&flushes);
    if (code != 0) {
        SetLastError((DWORD)code);
        return FALSE;
    }
    return TRUE;
}

static void fake_begin(struct writebehind *wb, int on)
{
    flushes = 0;
    fail_with = 0;
    seen_file = NULL;
    writebehind_begin(wb, (HANDLE)(ULONG_PTR)0x1234, on);
    wb->flush = fake_flush;
}

static void check_ended_with_no_helper_and_no_flush(struct writebehind *wb)
{
    CHECK(wb->thread == NULL);
    CHECK_INT(writebehind_end(wb), 0);
    CHECK_INT(flushes, 0);
}

/* Waits up to 5 s for the helper to have made `want` flushes. */
static void wait_for_flushes(LONG want)
{
    for (int i = 0; i < 500 && flushes < want; i++)
        Sleep(10);
}

static void test_a_small_file_has_no_helper_and_no_flush(void)
{
    struct writebehind wb;

    fake_begin(&wb, 1);
    writebehind_wrote(&wb, WRITEBEHIND_EVERY - 1);
    check_ended_with_no_helper_and_no_flush(&wb);
}

/* Where the system writes behind on its own (Windows), nothing is asked. */
static void test_off_there_is_no_helper_and_no_flush(void)
{
    struct writebehind wb;

    fake_begin(&wb, 0);
    writebehind_wrote(&wb, WRITEBEHIND_EVERY);
    writebehind_wrote(&wb, 3 * WRITEBEHIND_EVERY);
    Sleep(50);
    check_ended_with_no_helper_and_no_flush(&wb);
}

static void test_each_step_of_bytes_asks_for_one_flush_of_the_file(void)
{
    struct writebehind wb;

    fake_begin(&wb, 1);
    writebehind_wrote(&wb, WRITEBEHIND_EVERY - 10);
    writebehind_wrote(&wb, 10); /* the step reached in two writes */
    CHECK(wb.thread != NULL);
    wait_for_flushes(1);
    CHECK_INT(flushes, 1);
    CHECK(seen_file == (HANDLE)(ULONG_PTR)0x1234);
    writebehind_wrote(&wb, WRITEBEHIND_EVERY / 2);
    Sleep(50);
    CHECK_INT(flushes, 1); /* half a step asks for nothing */
    writebehind_wrote(&wb, WRITEBEHIND_EVERY / 2);
    wait_for_flushes(2);
    CHECK_INT(writebehind_end(&wb), 0);
    CHECK_INT(flushes, 2);
    CHECK(wb.thread == NULL);
}

/* Begins with the first step written and its flush held until release is
 * set; end_holding() lets later flushes run free. */
static void begin_with_a_flush_held(struct writebehind *wb)
{
    flushing = CreateEventW(NULL, FALSE, FALSE, NULL);
    release = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(flushing != NULL && release != NULL);
    fake_begin(wb, 1);
    writebehind_wrote(wb, WRITEBEHIND_EVERY);
    CHECK_INT(WaitForSingleObject(flushing, 5000), WAIT_OBJECT_0);
}

static void end_holding(void)
{
    CloseHandle(flushing);
    CloseHandle(release);
    flushing = release = NULL;
}

/* A step reached while a flush runs: one more flush after it, so the
 * bytes written meanwhile are flushed too; two steps then ask for one. */
static void test_a_request_during_a_flush_makes_one_more(void)
{
    struct writebehind wb;

    begin_with_a_flush_held(&wb);
    writebehind_wrote(&wb, WRITEBEHIND_EVERY);
    writebehind_wrote(&wb, WRITEBEHIND_EVERY);
    SetEvent(release);
    wait_for_flushes(2);
    Sleep(50);
    CHECK_INT(flushes, 2);
    CHECK_INT(writebehind_end(&wb), 0);
    CHECK_INT(flushes, 2);
    end_holding();
}

/* The end comes while a flush runs: it returns only after that flush (the
 * file is closed after it) and asks for no other. */
static unsigned __stdcall end_it(void *arg)
{
    return (unsigned)writebehind_end(arg);
}

static void test_the_end_waits_for_the_flush_under_way(void)
{
    struct writebehind wb;
    HANDLE ender;
    DWORD result = 99;

    begin_with_a_flush_held(&wb);
    ender = (HANDLE)_beginthreadex(NULL, 0, end_it, &wb, 0, NULL);
    CHECK(ender != NULL);
    CHECK_INT(WaitForSingleObject(ender, 200), WAIT_TIMEOUT);
    SetEvent(release);
    CHECK_INT(WaitForSingleObject(ender, 5000), WAIT_OBJECT_0);
    GetExitCodeThread(ender, &result);
    CHECK_INT(result, 0);
    CHECK_INT(flushes, 1);
    CloseHandle(ender);
    end_holding();
}

static void test_a_failed_flush_behind_is_what_the_end_reports(void)
{
    struct writebehind wb;

    fake_begin(&wb, 1);
    fail_with = ERROR_DISK_FULL;
    writebehind_wrote(&wb, WRITEBEHIND_EVERY);
    wait_for_flushes(1);
    fail_with = ERROR_HANDLE_EOF; /* a later failure does not replace the first */
    writebehind_wrote(&wb, WRITEBEHIND_EVERY);
    wait_for_flushes(2);
    fail_with = 0;
    writebehind_wrote(&wb, WRITEBEHIND_EVERY); /* nor does a later success clear it */
    wait_for_flushes(3);
    CHECK_INT(flushes, 3);
    CHECK_INT(writebehind_end(&wb), ERROR_DISK_FULL);
}

int main(void)
{
    RUN_TEST(test_a_small_file_has_no_helper_and_no_flush);
    RUN_TEST(test_off_there_is_no_helper_and_no_flush);
    RUN_TEST(test_each_step_of_bytes_asks_for_one_flush_of_the_file);
    RUN_TEST(test_a_request_during_a_flush_makes_one_more);
    RUN_TEST(test_the_end_waits_for_the_flush_under_way);
    RUN_TEST(test_a_failed_flush_behind_is_what_the_end_reports);
    return check_summary();
}
