/* test_filewriter.c - the client's writer thread: bytes land in the order
 * they were handed over, whatever the buffer lengths and flushes, and a
 * failing write is reported without leaving the caller waiting. Windows
 * only (a thread and WriteFile). */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

#include "check.h"
#include "filewriter.h"

static wchar_t path[MAX_PATH + 16];

static HANDLE open_temp(DWORD access)
{
    wchar_t dir[MAX_PATH];

    GetTempPathW(MAX_PATH, dir);
    if (path[0] == 0)
        GetTempFileNameW(dir, L"mfw", 0, path);
    return CreateFileW(path, access, 0, NULL, access == GENERIC_READ ? OPEN_ALWAYS : CREATE_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL, NULL);
}

static unsigned char expected(size_t i)
{
    return (unsigned char)(i * 7 + i / 251);
}

static void test_bytes_arrive_in_order(void)
{
    HANDLE f = open_temp(GENERIC_READ | GENERIC_WRITE);
    struct filewriter *w;
    size_t total = 0, i;
    unsigned char *back;
    DWORD got = 0;

    CHECK(f != INVALID_HANDLE_VALUE);
    /* Three small buffers and a flush every 10,000 bytes: the ring wraps
     * many times and flushes fall between and inside buffers. */
    w = filewriter_start(f, 4096, 3, 10000);
    CHECK(w != NULL);
    for (int k = 0; k < 200; k++) {
        size_t cap = 0, n = (size_t)(k * 37 % 4096) + 1;
        char *buf = filewriter_get(w, &cap);
        CHECK(buf != NULL);
        CHECK_INT(cap, 4096);
        for (i = 0; i < n; i++)
            buf[i] = (char)expected(total + i);
        filewriter_put(w, n);
        total += n;
    }
    CHECK_INT(filewriter_finish(w), 0);
    back = malloc(total + 1);
    CHECK(back != NULL);
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    CHECK(ReadFile(f, back, (DWORD)total + 1, &got, NULL));
    CloseHandle(f);
    CHECK_INT(got, total);
    for (i = 0; i < total && back[i] == expected(i); i++)
        ;
    free(back);
    CHECK_INT(i, total);
}

static void test_nothing_handed_over_writes_nothing(void)
{
    HANDLE f = open_temp(GENERIC_READ | GENERIC_WRITE);
    struct filewriter *w;
    LARGE_INTEGER size;

    CHECK(f != INVALID_HANDLE_VALUE);
    w = filewriter_start(f, 1024, 2, 0);
    CHECK(w != NULL);
    CHECK_INT(filewriter_finish(w), 0);
    CHECK(GetFileSizeEx(f, &size));
    CloseHandle(f);
    CHECK_INT(size.QuadPart, 0);
}

static void test_failed_write_is_reported_and_stops_the_caller(void)
{
    HANDLE f = open_temp(GENERIC_READ); /* WriteFile on it fails */
    struct filewriter *w;
    int handed = 0;

    CHECK(f != INVALID_HANDLE_VALUE);
    w = filewriter_start(f, 1024, 2, 0);
    CHECK(w != NULL);
    /* The caller learns of the failure from filewriter_get within a few
     * buffers (those already queued), never by waiting forever. */
    for (;;) {
        size_t cap = 0;
        char *buf = filewriter_get(w, &cap);
        if (buf == NULL)
            break;
        memset(buf, 'x', cap);
        filewriter_put(w, cap);
        if (++handed > 1000)
            break;
    }
    CHECK(handed <= 1000);
    CHECK(handed >= 1);
    CHECK_INT(filewriter_finish(w), ERROR_ACCESS_DENIED);
    CloseHandle(f);
}

int main(void)
{
    RUN_TEST(test_bytes_arrive_in_order);
    RUN_TEST(test_nothing_handed_over_writes_nothing);
    RUN_TEST(test_failed_write_is_reported_and_stops_the_caller);
    DeleteFileW(path);
    return check_summary();
}
