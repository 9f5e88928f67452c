/* settings.c - command line + configuration file -> settings (see settings.h). */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <shlobj.h>

#include "winerr.h"
#include "wstr.h"

/* %ProgramData%\mtserver as UTF-8. Returns 0 or -1. */
static int default_folder(char *out, size_t cap)
{
    wchar_t base[MAX_PATH];
    DWORD n;
    char *utf8;
    int rc;

    /* The known folder, not %ProgramData%: Wine gives services a different
     * ProgramData variable (C:\users\Public) than it gives console programs. */
    if (SHGetFolderPathW(NULL, CSIDL_COMMON_APPDATA, NULL, SHGFP_TYPE_CURRENT, base) != S_OK) {
        n = GetEnvironmentVariableW(L"ProgramData", base, MAX_PATH);
        if (n == 0 || n >= MAX_PATH)
            wcscpy(base, L"C:\\ProgramData");
    }
    utf8 = wstr_to_utf8(base);
    if (utf8 == NULL)
        return -1;
    rc = snprintf(out, cap, "%s\\mtserver", utf8);
    free(utf8);
    return rc > 0 && (size_t)rc < cap ? 0 : -1;
}

int settings_default_config_path(char *out, size_t cap)
{
    char folder[MAX_PATH * 3];
    int rc;

    if (default_folder(folder, sizeof folder) != 0)
        return -1;
    rc = snprintf(out, cap, "%s\\mtserver.ini", folder);
    return rc > 0 && (size_t)rc < cap ? 0 : -1;
}

int settings_config_path(const char *given, char *out, size_t cap, char *err, size_t errcap)
{
    int n;

    if (given == NULL) {
        if (settings_default_config_path(out, cap) == 0)
            return 0;
        snprintf(err, errcap, "cannot find the ProgramData folder");
        return -1;
    }
    n = snprintf(out, cap, "%s", given);
    if (n < 0 || (size_t)n >= cap) {
        snprintf(err, errcap, "the configuration file name is too long: %s", given);
        return -1;
    }
    return 0;
}

int settings_config_path_of(const struct server_options *o, char *out, size_t cap, char *err,
                            size_t errcap)
{
    return settings_config_path(o->config, out, cap, err, errcap);
}

int settings_config_named(const struct server_options *o)
{
    return o->config != NULL;
}

int settings_config_inherit(struct server_options *o, const struct server_options *from)
{
    if (o->config != NULL || from->config == NULL)
        return 0;
    o->config = from->config;
    return 1;
}

int settings_read_file(const char *path, char **buf, size_t *len, int *missing, char *err,
                       size_t errcap)
{
    return settings_read_file_max(path, SETTINGS_FILE_MAX, buf, len, missing, err, errcap);
}

int settings_read_file_max(const char *path, unsigned max, char **buf, size_t *len, int *missing,
                           char *err, size_t errcap)
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
    if (!GetFileSizeEx(f, &size) || size.QuadPart > max) {
        snprintf(err, errcap, "%s is larger than %u bytes: not a configuration file", path, max);
        goto out;
    }
    data = malloc((size_t)size.QuadPart + 1);
    if (data == NULL) {
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
    SetLastError(failure); /* for callers that tell "access denied" apart */
    return rc;
}

/* Returns 0, or -1 with the failing call's error as the last error: the
 * clean-up after it (CloseHandle, DeleteFileW) must not replace it. */
static int write_file(const wchar_t *name, const char *data, size_t len)
{
    HANDLE f = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0, e = ERROR_SUCCESS;

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

int settings_replace_file(const char *path, int existed, const char *data, size_t len,
                          char *err, size_t errcap)
{
    wchar_t *target = wstr_from_utf8(path, strlen(path)), *temp = NULL;
    size_t n;
    char why[300];
    DWORD e = ERROR_OUTOFMEMORY;
    int rc = -1;

    if (target == NULL) {
        snprintf(err, errcap, "the file name %s is not valid UTF-8", path);
        return -1;
    }
    n = wcslen(target);
    temp = malloc((n + 5) * sizeof *temp);
    if (temp == NULL)
        goto out;
    memcpy(temp, target, n * sizeof *temp);
    memcpy(temp + n, L".new", 5 * sizeof *temp);
    if (write_file(temp, data, len) != 0) {
        e = GetLastError();
        snprintf(err, errcap, "cannot write %s.new: %s", path, winerr_text(e, why, sizeof why));
        goto out;
    }
    if (existed ? !ReplaceFileW(target, temp, NULL, REPLACEFILE_IGNORE_MERGE_ERRORS, NULL, NULL)
                : !MoveFileExW(temp, target, MOVEFILE_WRITE_THROUGH)) {
        e = GetLastError();
        snprintf(err, errcap, "cannot replace %s: %s", path, winerr_text(e, why, sizeof why));
        DeleteFileW(temp);
        goto out;
    }
    rc = 0;
out:
    free(temp);
    free(target);
    SetLastError(e); /* for the caller's "elevated prompt" hint */
    return rc;
}

int settings_load(const char *path, struct config *cfg, struct server_options *o, char *err,
                  size_t errcap)
{
    char *buf = NULL, why[400];
    size_t len = 0;
    int missing = 0;

    if (settings_read_file(path, &buf, &len, &missing, err, errcap) != 0)
        return -1;
    if (config_parse(cfg, buf, len, why, sizeof why) != 0) {
        snprintf(err, errcap, "%s %s", path, why);
        free(buf);
        return -1;
    }
    free(buf);
    config_apply(cfg, o);
    return 0;
}
