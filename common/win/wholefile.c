/* wholefile.c - a file read whole and replaced whole (see wholefile.h). */
#include "wholefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "winerr.h"
#include "wstr.h"

int wholefile_read(const char *path, unsigned max, char **buf, size_t *len, int *missing, char *err,
                   size_t errcap)
{
    wchar_t *wpath = wstr_from_utf8(path, strlen(path));
    HANDLE f = INVALID_HANDLE_VALUE;
    LARGE_INTEGER size;
    char why[300];
    char *data = NULL;
    DWORD got = 0, failure = ERROR_SUCCESS;
    int rc = -1;

    *buf = NULL;
    *len = 0;
    *missing = 0;
    if (wpath == NULL) {
        snprintf(err, errcap, "the file name %s is not valid UTF-8", path);
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return -1;
    }
    f = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        failure = GetLastError();
        *missing = winerr_kind(failure) == WINERR_NOT_FOUND;
        snprintf(err, errcap, "cannot read %s: %s", path, winerr_text(failure, why, sizeof why));
        goto out;
    }
    if (!GetFileSizeEx(f, &size)) {
        failure = GetLastError();
        snprintf(err, errcap, "cannot read %s: %s", path, winerr_text(failure, why, sizeof why));
        goto out;
    }
    if (size.QuadPart > max) {
        failure = ERROR_FILE_TOO_LARGE;
        snprintf(err, errcap, "%s is larger than %u bytes: not a configuration file", path, max);
        goto out;
    }
    data = malloc((size_t)size.QuadPart + 1);
    if (data == NULL) {
        failure = ERROR_NOT_ENOUGH_MEMORY;
        snprintf(err, errcap, "out of memory reading %s", path);
        goto out;
    }
    if (!ReadFile(f, data, (DWORD)size.QuadPart, &got, NULL)) {
        failure = GetLastError();
        snprintf(err, errcap, "cannot read %s: %s", path, winerr_text(failure, why, sizeof why));
        goto out;
    }
    data[got] = '\0';
    *buf = data;
    *len = got;
    data = NULL;
    rc = 0;
out:
    free(data);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    free(wpath);
    SetLastError(failure); /* the clean-up above may have changed it */
    return rc;
}

/* Returns 0, or -1 with the failing call's error as the last error: the
 * clean-up after it (CloseHandle, DeleteFileW) must not replace it. */
static int write_file(const wchar_t *name, const char *data, size_t len)
{
    HANDLE f;
    DWORD done = 0, e = ERROR_SUCCESS;

    if (len > MAXDWORD) {
        SetLastError(ERROR_FILE_TOO_LARGE); /* one WriteFile takes a DWORD's worth */
        return -1;
    }
    f = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return -1;
    if (!WriteFile(f, data, (DWORD)len, &done, NULL))
        e = GetLastError();
    else if (done != len)
        e = ERROR_HANDLE_DISK_FULL; /* a short write on a disk file: no room */
    else if (!FlushFileBuffers(f))
        e = GetLastError();
    CloseHandle(f);
    if (e == ERROR_SUCCESS)
        return 0;
    DeleteFileW(name);
    SetLastError(e);
    return -1;
}

int wholefile_replace(const char *path, int existed, const char *data, size_t len, char *err,
                      size_t errcap)
{
    wchar_t *target = wstr_from_utf8(path, strlen(path)), *temp = NULL;
    size_t n;
    char why[300];
    DWORD e = ERROR_NOT_ENOUGH_MEMORY;
    int rc = -1;

    if (target == NULL) {
        snprintf(err, errcap, "the file name %s is not valid UTF-8", path);
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return -1;
    }
    n = wcslen(target);
    temp = malloc((n + 5) * sizeof *temp);
    if (temp == NULL) {
        snprintf(err, errcap, "out of memory writing %s", path);
        goto out;
    }
    memcpy(temp, target, n * sizeof *temp);
    memcpy(temp + n, L".new", 5 * sizeof *temp);
    if (write_file(temp, data, len) != 0) {
        e = GetLastError();
        snprintf(err, errcap, "cannot write %s.new: %s", path, winerr_text(e, why, sizeof why));
        goto out;
    }
    /* No MOVEFILE_REPLACE_EXISTING: a first write must not replace a file
     * it did not read. */
    if (existed ? !ReplaceFileW(target, temp, NULL, REPLACEFILE_IGNORE_MERGE_ERRORS, NULL, NULL)
                : !MoveFileExW(temp, target, MOVEFILE_WRITE_THROUGH)) {
        e = GetLastError();
        snprintf(err, errcap, "cannot replace %s: %s", path, winerr_text(e, why, sizeof why));
        DeleteFileW(temp);
        goto out;
    }
    e = ERROR_SUCCESS;
    rc = 0;
out:
    free(temp);
    free(target);
    SetLastError(e); /* for the caller's hint ("run from an elevated prompt") */
    return rc;
}
