/* password.c - getting the password (see password.h).
 *
 * While echo is off, a console control handler puts the console mode back
 * if the user presses Ctrl+C, so the shell is not left without echo. */
#include "password.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "say.h"

static HANDLE prompt_input;
static DWORD prompt_saved_mode;

static int from_wide(const wchar_t *w, char *buf, size_t cap)
{
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, buf, (int)cap, NULL, NULL);

    return n > 0 ? 0 : -1;
}

static int from_environment(char *buf, size_t cap, int *found)
{
    wchar_t w[PASSWORD_MAX + 1];
    DWORD n = GetEnvironmentVariableW(L"MTS_PASSWORD", w, PASSWORD_MAX + 1);
    int rc;

    *found = n > 0;
    if (n == 0)
        return 0;
    if (n > PASSWORD_MAX)
        return -1;
    rc = from_wide(w, buf, cap);
    SecureZeroMemory(w, sizeof w);
    return rc;
}

static BOOL WINAPI restore_echo(DWORD event)
{
    (void)event;
    SetConsoleMode(prompt_input, prompt_saved_mode);
    return FALSE; /* and let the default handler end the process */
}

static int from_console(HANDLE in, DWORD mode, char *buf, size_t cap)
{
    wchar_t w[PASSWORD_MAX + 3];
    DWORD got = 0;
    int rc = -1;

    prompt_input = in;
    prompt_saved_mode = mode;
    SetConsoleCtrlHandler(restore_echo, TRUE);
    /* Echo goes off before the prompt shows, so nothing typed after the
     * prompt can be echoed. */
    if (SetConsoleMode(in, (mode & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT |
                               ENABLE_PROCESSED_INPUT)) {
        say_err("Password: ");
        if (ReadConsoleW(in, w, PASSWORD_MAX + 2, &got, NULL)) {
            while (got > 0 && (w[got - 1] == L'\n' || w[got - 1] == L'\r'))
                got--;
            w[got] = L'\0';
            rc = got <= PASSWORD_MAX ? from_wide(w, buf, cap) : -1;
        }
        SetConsoleMode(in, mode);
        say_err("\n");
    }
    SetConsoleCtrlHandler(restore_echo, FALSE);
    SecureZeroMemory(w, sizeof w);
    return rc;
}

/* One line of redirected input, read a byte at a time so nothing past the
 * line is taken from whoever reads stdin next. */
static int from_pipe(HANDLE in, char *buf, size_t cap)
{
    size_t len = 0;
    DWORD got;
    char ch;

    while (ReadFile(in, &ch, 1, &got, NULL) && got == 1 && ch != '\n') {
        if (len + 1 >= cap)
            return -1;
        buf[len++] = ch;
    }
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    return 0;
}

int password_get(char *buf, size_t cap, char *err, size_t errcap)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode;
    int found = 0, rc;

    buf[0] = '\0';
    if (from_environment(buf, cap, &found) != 0) {
        snprintf(err, errcap, "MTS_PASSWORD is longer than %d characters or not valid text",
                 PASSWORD_MAX);
        return -1;
    }
    if (!found) {
        if (in == NULL || in == INVALID_HANDLE_VALUE) {
            snprintf(err, errcap, "no password: set MTS_PASSWORD or run from a console");
            return -1;
        }
        rc = GetConsoleMode(in, &mode) ? from_console(in, mode, buf, cap)
                                       : from_pipe(in, buf, cap);
        if (rc != 0) {
            snprintf(err, errcap, "could not read the password");
            return -1;
        }
    }
    if (buf[0] == '\0') {
        snprintf(err, errcap, "the password is empty");
        return -1;
    }
    if (strpbrk(buf, "\r\n") != NULL) {
        snprintf(err, errcap, "the password may not contain line breaks");
        return -1;
    }
    return 0;
}

void password_forget(char *buf, size_t cap)
{
    SecureZeroMemory(buf, cap);
}
