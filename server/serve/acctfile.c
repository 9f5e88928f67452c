/* acctfile.c - accounts.ini from disk (see acctfile.h). */
#include "acctfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "winerr.h"
#include "wstr.h"

static uint64_t filetime_u64(FILETIME t)
{
    return ((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

void acctfile_stamp(const char *path, struct acctfile_stamp *st)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    wchar_t *w = wstr_from_utf8(path, strlen(path));

    memset(st, 0, sizeof *st);
    if (w != NULL && GetFileAttributesExW(w, GetFileExInfoStandard, &a)) {
        st->exists = 1;
        st->written = filetime_u64(a.ftLastWriteTime);
        st->size = ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
    }
    free(w);
}

int acctfile_same(const struct acctfile_stamp *a, const struct acctfile_stamp *b)
{
    return a->exists == b->exists && a->written == b->written && a->size == b->size;
}

enum acctfile_result acctfile_read(const char *path, struct accounts **table,
                                   struct winacct_table **windows, struct acctfile_stamp *st,
                                   char *err, size_t errcap)
{
    wchar_t *w = wstr_from_utf8(path, strlen(path));
    HANDLE f = INVALID_HANDLE_VALUE;
    BY_HANDLE_FILE_INFORMATION info;
    char why[300], perr[300];
    char *data = NULL;
    DWORD got = 0, failure;
    enum acctfile_result rc = ACCTFILE_BAD;

    *table = NULL;
    *windows = NULL;
    memset(st, 0, sizeof *st);
    if (w == NULL) {
        snprintf(err, errcap, "the file name %s is not valid UTF-8", path);
        return ACCTFILE_BAD;
    }
    /* Shared for writing and deleting: an editor that saves while the
     * server reads must not fail; a half-written store does not parse, and
     * the next look reads it again. */
    f = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        failure = GetLastError();
        if (winerr_kind(failure) == WINERR_NOT_FOUND) {
            rc = ACCTFILE_ABSENT;
            goto out;
        }
        snprintf(err, errcap, "cannot read %s: CreateFileW: %s", path,
                 winerr_text(failure, why, sizeof why));
        goto out;
    }
    if (!GetFileInformationByHandle(f, &info)) {
        failure = GetLastError();
        snprintf(err, errcap, "cannot read %s: GetFileInformationByHandle: %s", path,
                 winerr_text(failure, why, sizeof why));
        goto out;
    }
    st->exists = 1;
    st->written = filetime_u64(info.ftLastWriteTime);
    st->size = ((uint64_t)info.nFileSizeHigh << 32) | info.nFileSizeLow;
    if (st->size > ACCOUNTS_FILE_MAX) {
        snprintf(err, errcap, "%s is larger than %u bytes: not an account store", path,
                 ACCOUNTS_FILE_MAX);
        goto out;
    }
    data = malloc((size_t)st->size + 1);
    if (data == NULL) {
        snprintf(err, errcap, "out of memory reading %s", path);
        goto out;
    }
    if (!ReadFile(f, data, (DWORD)st->size, &got, NULL)) {
        failure = GetLastError();
        snprintf(err, errcap, "cannot read %s: ReadFile: %s", path,
                 winerr_text(failure, why, sizeof why));
        goto out;
    }
    if (accounts_parse(data, got, table, perr, sizeof perr) != 0) {
        snprintf(err, errcap, "%s: %s", path, perr);
        goto out;
    }
    /* The same text again for the Windows accounts' sections, which
     * accounts_parse passes over: read whether or not windows_accounts is
     * on, so that a section is checked when it is written, not first when
     * the setting is turned on. */
    if (winacct_parse(data, got, windows, perr, sizeof perr) != 0) {
        snprintf(err, errcap, "%s: %s", path, perr);
        accounts_free(*table);
        *table = NULL;
        goto out;
    }
    rc = ACCTFILE_OK;
out:
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    if (data != NULL) {
        SecureZeroMemory(data, (size_t)st->size); /* password hashes */
        free(data);
    }
    free(w);
    return rc;
}
