/* passwd.c - `mtserver passwd` (see passwd.h).
 *
 * The clear password lives only in local buffers that are wiped before they
 * go out of scope; the file is written by inifile.c. */
#include "passwd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "command.h"
#include "config.h"
#include "credential.h"
#include "inifile.h"
#include "mts_error.h"
#include "settings.h"
#include "winerr.h"
#include "wstr.h"

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

int passwd_read_secret(const char *prompt, int twice, char *out, size_t cap)
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
        n = read_piped_line(in, out, cap);
        if (n < 0)
            fprintf(stderr, "mtserver: the password is longer than %d bytes\n", (int)cap - 1);
        return n;
    }
    n = read_console_line(in, prompt, out, cap);
    if (n < 0) {
        fprintf(stderr, "mtserver: cannot read the password\n");
        return -1;
    }
    if (!twice)
        return n;
    m = read_console_line(in, "Again: ", again, sizeof again);
    if (m != n || memcmp(out, again, (size_t)n) != 0) {
        SecureZeroMemory(again, sizeof again);
        fprintf(stderr, "mtserver: the two passwords differ; nothing was changed\n");
        return -1;
    }
    SecureZeroMemory(again, sizeof again);
    return n;
}

int passwd_new_hash(const char *given, unsigned long iterations, char *hash, size_t cap)
{
    char pw[PASSWORD_MAX + 1], err[512];
    struct credential c;
    const char *problem;
    int n, rc = 1;

    if (given != NULL) {
        /* Unattended installs (the MSI's PASSWORD_HASH) pass the hash, so
         * that no clear password is ever given to an installer. */
        if (credential_from_hash(&c, given, err, sizeof err) != 0) {
            fprintf(stderr, "mtserver: --hash: %s\n", err);
            return 2;
        }
        credential_free(&c);
        if (strlen(given) >= cap) {
            fprintf(stderr, "mtserver: --hash: too long\n");
            return 2;
        }
        memcpy(hash, given, strlen(given) + 1);
        return 0;
    }
    n = passwd_read_secret("New password: ", 1, pw, sizeof pw);
    if (n < 0) {
        rc = 2;
        goto out;
    }
    problem = command_password_problem(pw, (size_t)n);
    if (problem != NULL) {
        fprintf(stderr, "mtserver: the password %s; it could never log in, so nothing was "
                        "changed\n", problem);
        rc = 2;
        goto out;
    }
    if (credential_hash_password(pw, (size_t)n, iterations != 0 ? iterations : CREDENTIAL_ITERATIONS,
                                 hash, cap) != 0) {
        fprintf(stderr, "mtserver: cannot hash the password (BCrypt failed)\n");
        goto out;
    }
    rc = 0;
out:
    SecureZeroMemory(pw, sizeof pw);
    return rc;
}

int passwd_run(const struct server_options *opts)
{
    char path[MAX_PATH * 3], hash[PWHASH_TEXT_MAX], err[1024];
    int rc;

    if (settings_config_path_of(opts, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    /* Check the file first (its owner too: the hash is not written where
     * another user could read it): a typo there, or a folder that is not
     * there, is better found before the password is typed twice. */
    rc = inifile_check_key(path, "password_hash");
    if (rc != 0)
        return rc;
    rc = passwd_new_hash(opts->hash, 0, hash, sizeof hash);
    if (rc != 0)
        return rc;
    rc = inifile_set_key(path, "password_hash", hash);
    SecureZeroMemory(hash, sizeof hash);
    if (rc == 0)
        printf("mtserver: password_hash written to %s; restart the service to use it\n", path);
    return rc;
}
