/* test_logsink.c - the access log's rotation (and how many old files it
 * keeps), the summaries of repeated refusals, and the alert for repeated
 * password failures. Windows only (it writes files through the Win32 API). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "accesslog.h"
#include "check.h"
#include "logsink.h"
#include "wstr.h"

static char dir[MAX_PATH * 3], path[MAX_PATH * 3], path1[MAX_PATH * 3];
static char line_buf[ACCESSLOG_LINE_MAX];

static void make_paths(const char *name)
{
    wchar_t tmp[MAX_PATH];
    char *u;

    GetTempPathW(MAX_PATH, tmp);
    u = wstr_to_utf8(tmp);
    snprintf(dir, sizeof dir, "%smts-logsink-%lu", u, (unsigned long)GetCurrentProcessId());
    free(u);
    CreateDirectoryA(dir, NULL);
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    snprintf(path1, sizeof path1, "%s.1", path);
    DeleteFileA(path);
    DeleteFileA(path1);
}

static long long size_of(const char *name)
{
    WIN32_FILE_ATTRIBUTE_DATA a;

    if (!GetFileAttributesExA(name, GetFileExInfoStandard, &a))
        return -1;
    return ((long long)a.nFileSizeHigh << 32) | a.nFileSizeLow;
}

static int file_contains(const char *name, const char *needle)
{
    static char buf[16384];
    FILE *f = fopen(name, "rb");
    size_t n;

    if (f == NULL)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

static void test_rotates_and_keeps_one_old_file(void)
{
    struct logsink log;
    char err[300], text[128];

    make_paths("rot.log");
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    logsink_set_rotation(&log, 4096, 1);
    for (int i = 0; i < 200; i++) {
        snprintf(text, sizeof text, "line %03d %s", i,
                 "................................................................");
        logsink_text(&log, text);
    }
    logsink_close(&log);
    CHECK(size_of(path) > 0 && size_of(path) <= 4096);
    CHECK(size_of(path1) > 0 && size_of(path1) <= 4096);
    CHECK(file_contains(path, "line 199"));
    CHECK(!file_contains(path1, "line 199"));
    CHECK(!file_contains(path, "line 000") && !file_contains(path1, "line 000"));
}

static void test_rotation_counts_what_the_file_already_holds(void)
{
    struct logsink log;
    char err[300];

    make_paths("grown.log");
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    for (int i = 0; i < 100; i++)
        logsink_text(&log, "0123456789012345678901234567890123456789012345678901234567890123456789");
    logsink_close(&log);
    CHECK(size_of(path) > 4096); /* written with no limit */
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    logsink_set_rotation(&log, 4096, 1);
    logsink_text(&log, "after reopening");
    logsink_close(&log);
    CHECK(size_of(path1) > 4096);
    CHECK(file_contains(path, "after reopening"));
    CHECK(size_of(path) < 100);
}

/* Another program holds the log without delete sharing, so the rename is
 * refused: the file stops at twice the limit instead of growing on, and once
 * the rename works again the new file says how many lines were left out. */
static void test_refused_rotation_keeps_the_file_bounded(void)
{
    struct logsink log;
    char err[300], text[128];
    wchar_t *wpath;
    HANDLE holder;

    make_paths("held.log");
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    logsink_set_rotation(&log, 4096, 1);
    wpath = wstr_from_utf8(path, strlen(path));
    holder = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(wpath);
    CHECK(holder != INVALID_HANDLE_VALUE);
    for (int i = 0; i < 400; i++) {
        snprintf(text, sizeof text, "held %03d %s", i,
                 "................................................................");
        logsink_text(&log, text);
    }
    CHECK(size_of(path) > 4096 && size_of(path) <= 2 * 4096);
    CHECK_INT(size_of(path1), -1); /* never renamed */
    CloseHandle(holder);
    Sleep(1100); /* the next try comes a second after a refusal */
    logsink_text(&log, "after the holder let go");
    logsink_close(&log);
    CHECK(size_of(path1) > 4096 && size_of(path1) <= 2 * 4096);
    CHECK(file_contains(path, "line(s) were not written: the log could not be rotated"));
    CHECK(file_contains(path, "after the holder let go"));
}

static int alerts;
static char last_alert[256];

static void on_alert(const char *text)
{
    alerts++;
    snprintf(last_alert, sizeof last_alert, "%s", text);
}

static void request(struct logsink *log, const char *peer, enum outcome result)
{
    struct logsink_request req = {peer, "AUTH", NULL, 0, 0, result, GetTickCount64(), NULL};

    logsink_request(log, &req, line_buf);
}

static void test_repeated_failures_raise_one_alert_a_minute(void)
{
    struct logsink log;
    char err[300];

    make_paths("alert.log");
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    logsink_set_alert(&log, on_alert);
    request(&log, "10.0.0.1:5", OUTCOME_BAD_PASSWORD);
    CHECK_INT(alerts, 0);
    request(&log, "10.0.0.1:5", OUTCOME_TOO_MANY_FAILURES);
    CHECK_INT(alerts, 1);
    CHECK(strstr(last_alert, "10.0.0.1:5") != NULL);
    CHECK(strstr(last_alert, "0 other") != NULL);
    request(&log, "10.0.0.2:6", OUTCOME_TOO_MANY_FAILURES);
    request(&log, "10.0.0.3:7", OUTCOME_TOO_MANY_FAILURES);
    CHECK_INT(alerts, 1); /* held back, counted for the next one */
    CHECK_INT(log.alerts_held, 2);
    logsink_close(&log);
    CHECK(file_contains(path, "too-many-failures"));
}

static int count_in(const char *name, const char *needle)
{
    static char buf[65536];
    FILE *f = fopen(name, "rb");
    size_t n;
    int count = 0;
    const char *at;

    if (f == NULL)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (at = strstr(buf, needle); at != NULL; at = strstr(at + 1, needle))
        count++;
    return count;
}

static void test_rotation_keeps_log_keep_old_files(void)
{
    struct logsink log;
    char err[300], text[128], name[MAX_PATH * 3];

    make_paths("keep.log");
    for (int i = 2; i <= 5; i++) {
        snprintf(name, sizeof name, "%s.%d", path, i);
        DeleteFileA(name);
    }
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    logsink_set_rotation(&log, 4096, 3);
    /* About 60 lines a file: 400 lines rotate six times or so. */
    for (int i = 0; i < 400; i++) {
        snprintf(text, sizeof text, "keep %03d %s", i,
                 "................................................................");
        logsink_text(&log, text);
    }
    logsink_close(&log);
    CHECK(file_contains(path, "keep 399"));
    for (int i = 1; i <= 3; i++) {
        snprintf(name, sizeof name, "%s.%d", path, i);
        CHECK(size_of(name) > 3000 && size_of(name) <= 4096);
    }
    snprintf(name, sizeof name, "%s.4", path);
    CHECK_INT(size_of(name), -1);
    /* Oldest last: .1 follows on from .2, .2 from .3. */
    snprintf(name, sizeof name, "%s.3", path);
    CHECK(!file_contains(name, "keep 399") && !file_contains(name, "keep 000"));
    CHECK(!file_contains(path1, "keep 000"));
}

static void refused(struct logsink *log, const char *addr, enum outcome result)
{
    struct logsink_request req = {NULL, "CONNECT", NULL, 0, 0, OUTCOME_OK, 0, NULL};

    req.peer = addr;
    req.result = result;
    req.started_ms = GetTickCount64();
    logsink_refused(log, addr, &req, line_buf);
}

static void test_repeated_refusals_become_one_line_and_a_count(void)
{
    struct logsink log;
    char err[300];

    make_paths("refused.log");
    CHECK_INT(logsink_open(&log, 0, path, err, sizeof err), 0);
    for (int i = 0; i < 500; i++)
        refused(&log, "10.0.0.9", OUTCOME_DENIED);
    refused(&log, "10.0.0.9", OUTCOME_BANNED);
    refused(&log, "10.0.0.8", OUTCOME_DENIED);
    logsink_tick(&log); /* the minute has not run out: no summary yet */
    CHECK(!file_contains(path, "refused:"));
    logsink_close(&log);
    CHECK_INT(count_in(path, " 10.0.0.9 CONNECT - 0 denied"), 1);
    CHECK_INT(count_in(path, " 10.0.0.9 CONNECT - 0 banned"), 1);
    CHECK_INT(count_in(path, " 10.0.0.8 CONNECT - 0 denied"), 1);
    CHECK(file_contains(path, "refused: 10.0.0.9 denied 499 more time(s) in 60 s"));
    CHECK_INT(count_in(path, "refused:"), 1);
}

int main(void)
{
    RUN_TEST(test_rotates_and_keeps_one_old_file);
    RUN_TEST(test_rotation_counts_what_the_file_already_holds);
    RUN_TEST(test_refused_rotation_keeps_the_file_bounded);
    RUN_TEST(test_repeated_failures_raise_one_alert_a_minute);
    RUN_TEST(test_rotation_keeps_log_keep_old_files);
    RUN_TEST(test_repeated_refusals_become_one_line_and_a_count);
    return check_summary();
}
