/* inifile.c - the files the commands edit (see inifile.h). */
#include "inifile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "config.h"
#include "mts_error.h"
#include "settings.h"
#include "wholefile.h"
#include "winerr.h"
#include "wstr.h"

#define ELEVATE_HINT " (run from an elevated prompt)"

/* What to do about a configuration file that could not be read or written,
 * from the cause: a read-only file is not a matter of rights, and a folder
 * that does not exist is not one either. */
static const char *file_hint(const char *path, DWORD e)
{
    wchar_t *w = wstr_from_utf8(path, strlen(path));
    DWORD attr = w != NULL ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

    free(w);
    if (attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_READONLY))
        return " (the file is read-only: clear that with 'attrib -r' and try again)";
    /* The exact code, not the kind: the folder missing, not the file. */
    if (e == ERROR_PATH_NOT_FOUND)
        return " (its folder does not exist: create it, or name another file with --config)";
    return winerr_kind(e) == WINERR_DENIED ? ELEVATE_HINT : "";
}
/* Whether path.new can be made next to the file, as inifile_set_key will:
 * the folder exists and this user may write in it. 0, or 5 with the
 * reason printed. */
static int can_write_beside(const char *path)
{
    size_t n = strlen(path);
    char *temp = malloc(n + 5);
    wchar_t *w = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    DWORD e = ERROR_NOT_ENOUGH_MEMORY;
    char why[300];

    if (temp != NULL) {
        memcpy(temp, path, n);
        memcpy(temp + n, ".new", 5);
        w = wstr_from_utf8(temp, n + 4);
    }
    if (w != NULL) {
        /* Deleted again on close; a leftover .new would be replaced anyway. */
        h = CreateFileW(w, GENERIC_WRITE | DELETE, 0, NULL, CREATE_ALWAYS,
                        FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
        e = GetLastError();
    }
    free(temp);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "mtserver: cannot write %s.new: %s%s\n", path,
                winerr_text(e, why, sizeof why), file_hint(path, e));
        return 5; /* the file cannot be written (ADMIN.md's table) */
    }
    CloseHandle(h);
    return 0;
}

/* What to do, after wholefile's reason in err, from the error it left as
 * the last error. Returns 5, ADMIN.md's exit code for a file that cannot
 * be read or written. */
static int add_hint(const char *path, char *err, size_t errcap)
{
    DWORD e = GetLastError();
    size_t used = strlen(err);

    snprintf(err + used, errcap - used, "%s", file_hint(path, e));
    return 5;
}

/* The file read as it is, without its owner's check: 0, or 5 with the
 * reason and what to do in err. */
static int read_raw(const char *path, unsigned max, char **buf, size_t *len, int *missing,
                    char *err, size_t errcap)
{
    if (wholefile_read(path, max, buf, len, missing, err, errcap) != 0 && !*missing)
        return add_hint(path, err, errcap); /* the file cannot be read */
    return 0;
}

int inifile_load(const char *path, enum confowner_mode mode, unsigned max, char **buf, size_t *len,
                 int *missing, char *err, size_t errcap)
{
    *buf = NULL;
    *len = 0;
    *missing = 0;
    if (confowner_check_config(path, mode, err, errcap) != 0)
        return 1;
    return read_raw(path, max, buf, len, missing, err, errcap);
}

int inifile_read(const char *path, enum confowner_mode mode, unsigned max, char **buf, size_t *len,
                 int *missing)
{
    char err[1024];
    int rc = inifile_load(path, mode, max, buf, len, missing, err, sizeof err);

    if (rc != 0)
        fprintf(stderr, "mtserver: %s\n", err);
    return rc;
}

int inifile_check_writable(const char *path)
{
    wchar_t *w = wstr_from_utf8(path, strlen(path));
    DWORD attr = w != NULL ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

    free(w);
    if (attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_READONLY)) {
        fprintf(stderr, "mtserver: cannot write %s%s\n", path,
                file_hint(path, ERROR_ACCESS_DENIED));
        return 5;
    }
    return can_write_beside(path);
}

int inifile_store(const char *path, int existed, const char *data, size_t len, char *err,
                  size_t errcap)
{
    if (wholefile_replace(path, existed, data, len, err, errcap) != 0)
        return add_hint(path, err, errcap); /* the file cannot be written */
    return 0;
}

int inifile_replace(const char *path, int existed, const char *data, size_t len)
{
    char err[1024];
    int rc = inifile_store(path, existed, data, len, err, sizeof err);

    if (rc != 0)
        fprintf(stderr, "mtserver: %s\n", err);
    return rc;
}

int inifile_check_key(const char *path, const char *key)
{
    char *old = NULL, err[1024];
    size_t old_len = 0, out_len = 0;
    int missing = 0, rc;

    rc = inifile_read(path, CONFOWNER_CLAIM, SETTINGS_FILE_MAX, &old, &old_len, &missing);
    if (rc != 0)
        return rc;
    if (config_set_value(old != NULL ? old : "", old_len, key, "x", NULL, 0, &out_len, err,
                         sizeof err) != MTS_ENOSPC) {
        fprintf(stderr, "mtserver: %s %s\n", path, err);
        rc = 1;
    } else {
        rc = inifile_check_writable(path);
    }
    free(old);
    return rc;
}

int inifile_set_key(const char *path, const char *key, const char *value)
{
    char *old = NULL, *out = NULL, err[1024];
    size_t old_len = 0, out_len = 0;
    int missing = 0, rc;

    rc = inifile_read(path, CONFOWNER_CLAIM, SETTINGS_FILE_MAX, &old, &old_len, &missing);
    if (rc != 0)
        return rc;
    rc = 1;
    out_len = old_len + strlen(key) + strlen(value) + 64;
    out = malloc(out_len);
    if (out == NULL || config_set_value(old != NULL ? old : "", old_len, key, value, out, out_len,
                                        &out_len, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s %s\n", path, out == NULL ? "out of memory" : err);
        goto out;
    }
    rc = inifile_replace(path, !missing, out, out_len);
out:
    free(old);
    free(out);
    return rc;
}
