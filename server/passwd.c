/* passwd.c - `mtserver passwd` (see passwd.h).
 *
 * The clear password lives only in local buffers that are wiped before they
 * go out of scope. The file is rewritten through FILE.new and ReplaceFileW,
 * so that a crash leaves either the old or the new file, and the old file's
 * permissions (which keep the hash from ordinary users) stay. */
#include "passwd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "config.h"
#include "credential.h"
#include "mts_error.h"
#include "settings.h"
#include "utf8.h"
#include "winerr.h"
#include "wstr.h"

#define ELEVATE_HINT " (run from an elevated prompt)"
#define PASSWORD_MAX 512 /* bytes of UTF-8 */

/* One line typed on the console with echo off, as UTF-8. Returns its
 * length, or -1. */
static int read_console_line(HANDLE in, const char *prompt, char *out, size_t cap)
{
    wchar_t w[PASSWORD_MAX + 2];
    DWORD mode = 0, got = 0;
    int n = -1;

    fputs(prompt, stderr);
    fflush(stderr);
    GetConsoleMode(in, &mode);
    SetConsoleMode(in, (mode & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT);
    if (ReadConsoleW(in, w, PASSWORD_MAX + 1, &got, NULL)) {
        while (got > 0 && (w[got - 1] == L'\n' || w[got - 1] == L'\r'))
            got--;
        n = got == 0 ? 0
                     : WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, (int)got, out,
                                           (int)cap - 1, NULL, NULL);
        if (n >= 0 && (got == 0 || n > 0))
            out[n] = '\0';
        else
            n = -1;
    }
    SetConsoleMode(in, mode);
    SecureZeroMemory(w, sizeof w);
    fputs("\n", stderr); /* the Enter key was not echoed */
    return n;
}

/* One line from a pipe or file (UTF-8), up to CR, LF or the end. */
static int read_piped_line(HANDLE in, char *out, size_t cap)
{
    size_t n = 0;
    DWORD got;
    char ch;

    while (ReadFile(in, &ch, 1, &got, NULL) && got == 1) {
        if (ch == '\n' || ch == '\r')
            break;
        if (n + 1 >= cap)
            return -1;
        out[n++] = ch;
    }
    out[n] = '\0';
    return (int)n;
}

static int read_new_password(char *pw, size_t cap)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    char again[PASSWORD_MAX + 1];
    DWORD mode;
    int n, m;

    if (in == NULL || in == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "mtserver: no input to read the password from\n");
        return -1;
    }
    if (!GetConsoleMode(in, &mode)) {
        n = read_piped_line(in, pw, cap);
        if (n < 0)
            fprintf(stderr, "mtserver: the password is longer than %d bytes\n", PASSWORD_MAX);
        return n;
    }
    n = read_console_line(in, "New password: ", pw, cap);
    if (n < 0) {
        fprintf(stderr, "mtserver: cannot read the password\n");
        return -1;
    }
    m = read_console_line(in, "Again: ", again, sizeof again);
    if (m != n || memcmp(pw, again, (size_t)n) != 0) {
        SecureZeroMemory(again, sizeof again);
        fprintf(stderr, "mtserver: the two passwords differ; nothing was changed\n");
        return -1;
    }
    SecureZeroMemory(again, sizeof again);
    return n;
}

static int write_file(const wchar_t *name, const char *data, size_t len)
{
    HANDLE f = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0;
    int ok;

    if (f == INVALID_HANDLE_VALUE)
        return -1;
    ok = WriteFile(f, data, (DWORD)len, &done, NULL) && done == len && FlushFileBuffers(f);
    CloseHandle(f);
    if (!ok)
        DeleteFileW(name);
    return ok ? 0 : -1;
}

/* Puts data in place of the file `path` (UTF-8), through path.new. */
static int replace_file(const char *path, int existed, const char *data, size_t len, char *err,
                        size_t errcap)
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

/* The password_hash value to store: --hash as given, once it passes the
 * check the service itself makes, or the hash of a new password read from
 * the user. Returns 0, or the exit code. */
static int new_hash(const struct server_options *opts, char *hash, size_t cap)
{
    char pw[PASSWORD_MAX + 1], err[512];
    struct credential c;
    int n, rc = 1;

    if (opts->hash != NULL) {
        /* Unattended installs (the MSI's PASSWORD_HASH) pass the hash, so
         * that no clear password is ever given to an installer. */
        if (credential_from_hash(&c, opts->hash, err, sizeof err) != 0) {
            fprintf(stderr, "mtserver: --hash: %s\n", err);
            return 2;
        }
        credential_free(&c);
        if (strlen(opts->hash) >= cap) {
            fprintf(stderr, "mtserver: --hash: too long\n");
            return 2;
        }
        memcpy(hash, opts->hash, strlen(opts->hash) + 1);
        return 0;
    }
    n = read_new_password(pw, sizeof pw);
    if (n < 0) {
        rc = 2;
        goto out;
    }
    if (n == 0 || !utf8_is_valid(pw, (size_t)n) || memchr(pw, '\0', (size_t)n) != NULL) {
        fprintf(stderr, "mtserver: the password must be non-empty UTF-8 text\n");
        rc = 2;
        goto out;
    }
    if (credential_hash_password(pw, (size_t)n, CREDENTIAL_ITERATIONS, hash, cap) != 0) {
        fprintf(stderr, "mtserver: cannot hash the password (BCrypt failed)\n");
        goto out;
    }
    rc = 0;
out:
    SecureZeroMemory(pw, sizeof pw);
    return rc;
}

int passwd_set_key(const char *path, const char *key, const char *value)
{
    char *old = NULL, *out = NULL, err[1024];
    size_t old_len = 0, out_len = 0;
    int missing = 0, rc = 1;

    if (settings_read_file(path, &old, &old_len, &missing, err, sizeof err) != 0 && !missing) {
        /* The folder `mtserver install` makes is readable by administrators
         * and the service only. */
        DWORD e = GetLastError();
        fprintf(stderr, "mtserver: %s%s\n", err, e == ERROR_ACCESS_DENIED ? ELEVATE_HINT : "");
        return e == ERROR_ACCESS_DENIED ? 5 : 1;
    }
    out_len = old_len + strlen(key) + strlen(value) + 64;
    out = malloc(out_len);
    if (out == NULL || config_set_value(old != NULL ? old : "", old_len, key, value, out, out_len,
                                        &out_len, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s %s\n", path, out == NULL ? "out of memory" : err);
        goto out;
    }
    if (replace_file(path, !missing, out, out_len, err, sizeof err) != 0) {
        DWORD e = GetLastError();
        fprintf(stderr, "mtserver: %s%s\n", err, e == ERROR_ACCESS_DENIED ? ELEVATE_HINT : "");
        rc = e == ERROR_ACCESS_DENIED ? 5 : 1;
        goto out;
    }
    rc = 0;
out:
    free(old);
    free(out);
    return rc;
}

int passwd_run(const struct server_options *opts)
{
    char path[MAX_PATH * 3], hash[PWHASH_TEXT_MAX], err[1024];
    char *old = NULL;
    size_t old_len = 0, out_len = 0;
    int missing = 0, rc = 1;

    if (settings_config_path(opts->config, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    /* Read (and check) the file first: a typo there is better found before
     * the password is typed twice. */
    if (settings_read_file(path, &old, &old_len, &missing, err, sizeof err) != 0 && !missing) {
        DWORD e = GetLastError();
        fprintf(stderr, "mtserver: %s%s\n", err, e == ERROR_ACCESS_DENIED ? ELEVATE_HINT : "");
        return e == ERROR_ACCESS_DENIED ? 5 : 1;
    }
    if (config_set_value(old != NULL ? old : "", old_len, "password_hash", "x", NULL, 0, &out_len,
                         err, sizeof err) != MTS_ENOSPC) {
        fprintf(stderr, "mtserver: %s %s\n", path, err);
        goto out;
    }
    rc = new_hash(opts, hash, sizeof hash);
    if (rc != 0)
        goto out;
    rc = passwd_set_key(path, "password_hash", hash);
    SecureZeroMemory(hash, sizeof hash);
    if (rc == 0)
        printf("mtserver: password_hash written to %s; restart the service to use it\n", path);
out:
    free(old);
    return rc;
}
