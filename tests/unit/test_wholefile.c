/* test_wholefile.c - a file read whole and replaced whole: a missing file
 * told apart from an unreadable one, the size limit, a replace that keeps
 * no FILE.new behind, a first write that will not replace a file that
 * appeared, and the failing call's error left for the caller's hint.
 * Windows only (under Wine here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "check.h"
#include "wholefile.h"
#include "winerr.h"
#include "wstr.h"

static char dir[MAX_PATH * 3], path[MAX_PATH * 3], temp[MAX_PATH * 3];

/* This run's own folder under %TEMP%, made once. */
static void make_dir(void)
{
    wchar_t tmp[MAX_PATH], folder[MAX_PATH + 40];

    GetTempPathW(MAX_PATH, tmp);
    swprintf(folder, sizeof folder / sizeof folder[0], L"%lsmts-wholefile-%lu", tmp,
             (unsigned long)GetCurrentProcessId());
    CreateDirectoryW(folder, NULL);
    wstr_to_utf8_buf(folder, dir, sizeof dir);
}

static void remove_dir(void)
{
    wchar_t *w = wstr_from_utf8(dir, strlen(dir));

    if (w != NULL)
        RemoveDirectoryW(w);
    free(w);
}

/* A file name in that folder, and its FILE.new; the names of some are not
 * ASCII, so that the UTF-8 to UTF-16 step is taken too. */
static void make_paths(const char *name)
{
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    snprintf(temp, sizeof temp, "%s.new", path);
}

static int exists(const char *name)
{
    wchar_t *w = wstr_from_utf8(name, strlen(name));
    DWORD attr = w != NULL ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

    free(w);
    return attr != INVALID_FILE_ATTRIBUTES;
}

static void remove_file(const char *name)
{
    wchar_t *w = wstr_from_utf8(name, strlen(name));

    if (w != NULL)
        DeleteFileW(w);
    free(w);
}

/* The file as it is on disk, made without the module under test. */
static int put(const char *name, const char *text)
{
    wchar_t *w = wstr_from_utf8(name, strlen(name));
    HANDLE f = w != NULL ? CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                                       FILE_ATTRIBUTE_NORMAL, NULL)
                         : INVALID_HANDLE_VALUE;
    DWORD done = 0;
    int ok = f != INVALID_HANDLE_VALUE && WriteFile(f, text, (DWORD)strlen(text), &done, NULL) &&
             done == strlen(text);

    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    free(w);
    return ok ? 0 : -1;
}

/* The file at path holds text, read whole and ended by a NUL. */
static void check_holds(const char *text)
{
    char *buf = NULL, err[600];
    size_t len = 0;
    int missing = 1;

    CHECK_INT(wholefile_read(path, 100, &buf, &len, &missing, err, sizeof err), 0);
    CHECK_INT(missing, 0);
    CHECK(buf != NULL);
    CHECK_MEM_STR(buf, len, text);
    CHECK_INT(buf[len], '\0');
    free(buf);
}

static void test_a_missing_file_is_missing(void)
{
    static char before;
    char *buf = &before, err[600] = "";
    size_t len = 7;
    int missing = 0;

    make_paths("gon\xc3\xa9.ini");
    remove_file(path);
    CHECK_INT(wholefile_read(path, 100, &buf, &len, &missing, err, sizeof err), -1);
    CHECK_INT(missing, 1);
    CHECK(buf == NULL);
    CHECK_INT(len, 0);
    CHECK(strncmp(err, "cannot read ", 12) == 0);
    CHECK(strstr(err, path) != NULL);
    CHECK(strstr(err, "error 2:") != NULL);
    CHECK_INT(winerr_kind(GetLastError()), WINERR_NOT_FOUND);
}

static void test_a_missing_folder_is_missing_too(void)
{
    char *buf = NULL, err[600], name[MAX_PATH * 3 + 16];
    size_t len = 0;
    int missing = 0;

    make_paths("x.ini");
    snprintf(name, sizeof name, "%s\\no-such-folder\\x.ini", dir);
    CHECK_INT(wholefile_read(name, 100, &buf, &len, &missing, err, sizeof err), -1);
    CHECK_INT(missing, 1);
    CHECK_INT(GetLastError(), ERROR_PATH_NOT_FOUND);
}

/* Not there is not the same as not readable: a folder by that name. */
static void test_an_unreadable_name_is_not_missing(void)
{
    char *buf = NULL, err[600];
    size_t len = 0;
    int missing = 1;

    make_paths("x.ini");
    CHECK_INT(wholefile_read(dir, 100, &buf, &len, &missing, err, sizeof err), -1);
    CHECK_INT(missing, 0);
    CHECK(buf == NULL);
    CHECK(strncmp(err, "cannot read ", 12) == 0);
    CHECK(GetLastError() != ERROR_SUCCESS);
}

static void test_a_file_over_the_limit_is_refused(void)
{
    char *buf = NULL, err[600], want[MAX_PATH * 3 + 80];
    size_t len = 0;
    int missing = 1;

    make_paths("big.ini");
    CHECK_INT(put(path, "0123456789A"), 0);
    CHECK_INT(wholefile_read(path, 10, &buf, &len, &missing, err, sizeof err), -1);
    CHECK_INT(missing, 0);
    CHECK(buf == NULL);
    snprintf(want, sizeof want, "%s is larger than 10 bytes: not a configuration file", path);
    CHECK_STR(err, want);
    CHECK_INT(GetLastError(), ERROR_FILE_TOO_LARGE);
    /* At the limit it is read. */
    CHECK_INT(wholefile_read(path, 11, &buf, &len, &missing, err, sizeof err), 0);
    CHECK_MEM_STR(buf, len, "0123456789A");
    free(buf);
    remove_file(path);
}

static void test_a_file_is_read_whole_and_ends_in_nul(void)
{
    make_paths("r\xc3\xa9"
               "ad.ini");
    CHECK_INT(put(path, "[a]\r\nkey = value\r\n"), 0);
    check_holds("[a]\r\nkey = value\r\n");
    /* An empty file is a file: zero bytes, not missing. */
    CHECK_INT(put(path, ""), 0);
    check_holds("");
    remove_file(path);
}

static void test_an_existing_file_is_replaced_and_no_new_file_stays(void)
{
    char err[600];

    make_paths("repl\xc3\xa9.ini");
    CHECK_INT(put(path, "old text, longer than the new one\r\n"), 0);
    CHECK_INT(wholefile_replace(path, 1, "new\r\n", 5, err, sizeof err), 0);
    CHECK(!exists(temp));
    check_holds("new\r\n");
    remove_file(path);
}

static void test_a_first_write_makes_the_file(void)
{
    char err[600];

    make_paths("first.ini");
    remove_file(path);
    CHECK_INT(wholefile_replace(path, 0, "[first]\r\n", 9, err, sizeof err), 0);
    CHECK(!exists(temp));
    check_holds("[first]\r\n");
    remove_file(path);
}

/* A file that appeared between the read and the write is somebody's: a
 * first write fails rather than replace it, and says why by its error. */
static void test_a_first_write_leaves_a_file_that_appeared(void)
{
    char err[600] = "";

    make_paths("appeared.ini");
    CHECK_INT(put(path, "theirs\r\n"), 0);
    CHECK_INT(wholefile_replace(path, 0, "ours\r\n", 6, err, sizeof err), -1);
    CHECK_INT(winerr_kind(GetLastError()), WINERR_EXISTS);
    CHECK(strncmp(err, "cannot replace ", 15) == 0);
    CHECK(!exists(temp));
    check_holds("theirs\r\n");
    remove_file(path);
}

/* The caller reads GetLastError for its hint ("its folder does not
 * exist", "run from an elevated prompt") after the call: the clean-up
 * inside must not have replaced it. */
static void test_a_failure_leaves_the_failing_calls_error(void)
{
    char err[600] = "", name[MAX_PATH * 3 + 16], want[MAX_PATH * 3 + 40];

    make_paths("x.ini");
    snprintf(name, sizeof name, "%s\\no-such-folder\\x.ini", dir);
    CHECK_INT(wholefile_replace(name, 1, "x", 1, err, sizeof err), -1);
    CHECK_INT(GetLastError(), ERROR_PATH_NOT_FOUND);
    snprintf(want, sizeof want, "cannot write %s.new: error 3", name);
    CHECK(strncmp(err, want, strlen(want)) == 0);
}

static void test_a_name_that_is_not_utf8_is_refused(void)
{
    char *buf = NULL, err[600] = "";
    size_t len = 0;
    int missing = 1;

    CHECK_INT(wholefile_read("bad\xff.ini", 100, &buf, &len, &missing, err, sizeof err), -1);
    CHECK_INT(missing, 0);
    CHECK(strstr(err, "not valid UTF-8") != NULL);
    err[0] = '\0';
    CHECK_INT(wholefile_replace("bad\xff.ini", 0, "x", 1, err, sizeof err), -1);
    CHECK(strstr(err, "not valid UTF-8") != NULL);
}

int main(void)
{
    make_dir();
    RUN_TEST(test_a_missing_file_is_missing);
    RUN_TEST(test_a_missing_folder_is_missing_too);
    RUN_TEST(test_an_unreadable_name_is_not_missing);
    RUN_TEST(test_a_file_over_the_limit_is_refused);
    RUN_TEST(test_a_file_is_read_whole_and_ends_in_nul);
    RUN_TEST(test_an_existing_file_is_replaced_and_no_new_file_stays);
    RUN_TEST(test_a_first_write_makes_the_file);
    RUN_TEST(test_a_first_write_leaves_a_file_that_appeared);
    RUN_TEST(test_a_failure_leaves_the_failing_calls_error);
    RUN_TEST(test_a_name_that_is_not_utf8_is_refused);
    remove_dir();
    return check_summary();
}
