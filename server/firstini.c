/* firstini.c - the first configuration file (see firstini.h).
 *
 * Every setting is listed, the numbers from OPTIONS_NUMBERS (options.h), so
 * a new option shows up in new files without a change here. */
#include "firstini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "config.h"
#include "mts_error.h"
#include "settings.h"
#include "svcacl.h"
#include "winerr.h"
#include "wstr.h"

#define PATH_CAP FIRSTINI_PATH_CAP

/* "what name: error N: text" into err; returns -1. */
static int failed(char *err, size_t errcap, const char *what, const char *name, DWORD code)
{
    char why[300];

    snprintf(err, errcap, "%s%s%s: %s", what, name != NULL ? " " : "", name != NULL ? name : "",
             winerr_text(code, why, sizeof why));
    return -1;
}

/* Appends "key = value" for a number given on the command line, else the
 * default as a comment, so that the file lists every setting. *n is the
 * length so far, or negative once the text does not fit. */
static void append_number(char *text, size_t cap, int *n, const char *key, unsigned value,
                          int given)
{
    int more;

    if (*n < 0 || (size_t)*n >= cap)
        return;
    more = snprintf(text + *n, cap - (size_t)*n, "%s%s = %u\r\n", given ? "" : "; ", key, value);
    *n = more < 0 ? -1 : *n + more;
}

#define NUMBER_LINE(field, option, key, min, max, def, option_bit, config_bit) \
    append_number(text, sizeof text, &n, key, o->field, (o->set & (option_bit)) != 0);

/* Writes the first configuration: the install command's options, defaults
 * for the rest, and folders next to the configuration file. */
int firstini_write(const wchar_t *config, const wchar_t *base, const struct server_options *o,
                   const wchar_t *sid, char *err, size_t errcap)
{
    static char text[8 * PATH_CAP * 3];
    wchar_t wroot[PATH_CAP], wlog[PATH_CAP], logs[PATH_CAP];
    char root[PATH_CAP * 3], log[PATH_CAP * 3], bind[300], tls[300];
    HANDLE f;
    DWORD done;
    int n;

    if (o->root != NULL) {
        if (wstr_full_path(o->root, wroot, PATH_CAP) != 0)
            return failed(err, errcap, "bad root folder name", o->root, GetLastError());
    } else {
        swprintf(wroot, PATH_CAP, L"%ls\\files", base);
        svcacl_secure_folder(wroot, NULL, sid); /* inherits the base folder's permissions */
    }
    swprintf(logs, PATH_CAP, L"%ls\\logs", base);
    if (o->log_file != NULL) {
        if (wstr_full_path(o->log_file, wlog, PATH_CAP) != 0)
            return failed(err, errcap, "bad log file name", o->log_file, GetLastError());
    } else {
        svcacl_secure_folder(logs, SVCACL_LOGS_FOLDER, sid);
        swprintf(wlog, PATH_CAP, L"%ls\\access.log", logs);
    }
    wstr_to_utf8_buf(wroot, root, sizeof root);
    wstr_to_utf8_buf(wlog, log, sizeof log);
    if (o->bind != NULL)
        snprintf(bind, sizeof bind, "bind = %s", o->bind);
    else
        snprintf(bind, sizeof bind, "; bind = 127.0.0.1");
    /* Given (--tls-certificate, or the thumbprint install --self-signed made),
     * else the form of a value as an example. */
    if (o->tls_certificate != NULL)
        snprintf(tls, sizeof tls, "tls_certificate = %s", o->tls_certificate);
    else
        snprintf(tls, sizeof tls, "; tls_certificate = 0123456789ABCDEF0123456789ABCDEF01234567");
    n = snprintf(text, sizeof text,
                 "; mtserver configuration, UTF-8. Every key is described in docs/ADMIN.md.\r\n"
                 "; Lines are \"key = value\"; lines starting with ';' or '#' are comments.\r\n"
                 "; The service reads this file when it starts: restart it after a change.\r\n"
                 "[mtserver]\r\n"
                 "%s\r\n"
                 "root = %s\r\n"
                 "log_file = %s\r\n"
                 "; log_max_bytes = %u\r\n"
                 "; allow = 192.168.0.0/16, fe80::/10\r\n"
                 "; deny = 192.168.0.66\r\n"
                 "; TLS: the SHA-1 thumbprint of a certificate in LocalMachine\\My, or a PFX\r\n"
                 "; file with tls_pfx_password (docs\\ADMIN.md, \"TLS\").\r\n"
                 "%s\r\n"
                 "; password_hash is written by \"mtserver passwd\"; the service needs one.\r\n"
                 "; The numbers not given to \"mtserver install\" are shown at their defaults.\r\n",
                 bind, root, log, CONFIG_DEFAULT_LOG_MAX_BYTES, tls);
    OPTIONS_NUMBERS(NUMBER_LINE)
    if (n < 0 || (size_t)n >= sizeof text) {
        /* Not a system failure: there is no Win32 error to tell. */
        snprintf(err, errcap, "the configuration text does not fit %u bytes",
                 (unsigned)sizeof text);
        return -1;
    }
    f = CreateFileW(config, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return failed(err, errcap, "CreateFileW", NULL, GetLastError());
    if (!WriteFile(f, text, (DWORD)n, &done, NULL) || done != (DWORD)n) {
        DWORD e = GetLastError();
        CloseHandle(f);
        DeleteFileW(config);
        return failed(err, errcap, "WriteFile", NULL, e != ERROR_SUCCESS ? e : ERROR_WRITE_FAULT);
    }
    CloseHandle(f);
    return 0;
}

/* Makes the folders above path that are missing, with inherited permissions. */
static void make_parents(const wchar_t *path)
{
    wchar_t part[PATH_CAP];
    size_t n = wcslen(path);

    if (n >= PATH_CAP)
        return;
    wcscpy(part, path);
    /* Skip the drive ("C:\") or the server and share ("\\server\share\"). */
    for (size_t i = 3; i < n; i++) {
        if (part[i] != L'\\')
            continue;
        part[i] = L'\0';
        CreateDirectoryW(part, NULL);
        part[i] = L'\\';
    }
}

int firstini_make_folder(const wchar_t *folder, const wchar_t *sddl_format, const wchar_t *sid,
                         char *err, size_t errcap)
{
    DWORD attr = GetFileAttributesW(folder), e;
    char shown[PATH_CAP * 3];

    wstr_to_utf8_buf(folder, shown, sizeof shown);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        if (attr & FILE_ATTRIBUTE_DIRECTORY)
            return 0; /* an administrator's folder: its permissions are theirs */
        snprintf(err, errcap, "%s exists and is not a folder", shown);
        return -1;
    }
    make_parents(folder);
    e = svcacl_secure_folder(folder, sddl_format, sid);
    if (e != ERROR_SUCCESS)
        return failed(err, errcap, "cannot create the folder", shown, e);
    return 0;
}

static int set_value(char **text, size_t *len, const char *key, const char *value, char *err,
                     size_t errcap)
{
    size_t need = 0;
    char *out;

    if (config_set_value(*text, *len, key, value, NULL, 0, &need, err, errcap) != MTS_ENOSPC)
        return -1;
    out = malloc(need);
    if (out == NULL) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (config_set_value(*text, *len, key, value, out, need, len, err, errcap) != 0) {
        free(out);
        return -1;
    }
    free(*text);
    *text = out;
    return 0;
}

#define NUMBER_SET(field, option, key, min, max, def, option_bit, config_bit) \
    if (rc == 0 && (o->set & (option_bit))) { \
        snprintf(number, sizeof number, "%u", o->field); \
        rc = set_value(&text, &len, key, number, why, sizeof why); \
        (*changed)++; \
    }

int firstini_update(const char *config, const struct server_options *o, const char *root,
                    const char *log, int *changed, char *err, size_t errcap)
{
    char *text = NULL, why[600], number[24];
    size_t len = 0;
    int missing = 0, rc;

    *changed = 0;
    if (settings_read_file(config, &text, &len, &missing, err, errcap) != 0)
        return -1;
    rc = 0;
    if (o->bind != NULL) {
        rc = set_value(&text, &len, "bind", o->bind, why, sizeof why);
        (*changed)++;
    }
    if (rc == 0 && root != NULL) {
        rc = set_value(&text, &len, "root", root, why, sizeof why);
        (*changed)++;
    }
    if (rc == 0 && log != NULL) {
        rc = set_value(&text, &len, "log_file", log, why, sizeof why);
        (*changed)++;
    }
    if (rc == 0 && o->tls_certificate != NULL) {
        rc = set_value(&text, &len, "tls_certificate", o->tls_certificate, why, sizeof why);
        (*changed)++;
    }
    OPTIONS_NUMBERS(NUMBER_SET)
    if (rc != 0)
        snprintf(err, errcap, "%s %s", config, why);
    else if (*changed > 0)
        rc = settings_replace_file(config, 1, text, len, err, errcap);
    free(text);
    return rc;
}
