/* firstini.c - the first configuration file (see firstini.h), and the one
 * admin place that reads the settings naming where the data goes (root and
 * log_file), as given to install or prepare.
 *
 * One template, installer/mtserver.ini, is both the MSI's sample and the
 * text written here (a resource of mtserver.exe, mtserver.rc): its comments,
 * examples and order are the same in both. It shows every setting at its
 * default (tests/unit/test_config.c checks each number of setting.h); a
 * setting given to install takes the place of its example line. */
#include "firstini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "config.h"
#include "datalayout.h"
#include "inifile.h"
#include "mts_error.h"
#include "ownerpol.h"
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

int firstini_config_paths(const struct server_options *opts, wchar_t *config, wchar_t *base)
{
    char text[PATH_CAP * 3], err[400];
    wchar_t *slash;

    if (settings_config_path_of(opts, text, sizeof text, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return -1;
    }
    if (wstr_full_path(text, config, PATH_CAP) != 0) {
        fprintf(stderr, "mtserver: bad configuration file name %s: %s\n", text,
                winerr_text(GetLastError(), err, sizeof err));
        return -1;
    }
    wcscpy(base, config);
    slash = wcsrchr(base, L'\\');
    if (slash != NULL)
        *slash = L'\0';
    /* The one place for this rule: install, configure and prepare all find
     * their folder here. A volume's root is not mtserver's to lock down
     * (svcacl.h), and prepare would make "files" and "logs" beside the
     * system's own folders. */
    wstr_to_utf8_buf(base, text, sizeof text);
    if (ownerpol_is_volume_root(text)) {
        wstr_to_utf8_buf(config, text, sizeof text);
        fprintf(stderr,
                "mtserver: %s is in the root folder of a drive or share, whose permissions "
                "mtserver does not change: give a configuration file in a folder of its own, "
                "such as --config C:\\mtserver\\mtserver.ini\n",
                text);
        return -1;
    }
    return 0;
}

/* Sets key in the text *text[0..*len), in the place of its example line
 * when it has no line of its own (config.h), reallocating *text. */
static int set_value(char **text, size_t *len, const char *key, const char *value, char *err,
                     size_t errcap)
{
    size_t need = 0;
    char *out;

    if (config_set_value_at_example(*text, *len, key, value, NULL, 0, &need, err, errcap) !=
        MTS_ENOSPC)
        return -1;
    out = malloc(need);
    if (out == NULL) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (config_set_value_at_example(*text, *len, key, value, out, need, len, err, errcap) != 0) {
        free(out);
        return -1;
    }
    free(*text);
    *text = out;
    return 0;
}

/* The settings the install command was given, and root and log (full
 * paths, or NULL), into the text; *changed counts them. */
static int apply_settings(char **text, size_t *len, const struct server_options *o,
                          const char *root, const char *log, int *changed, char *err, size_t errcap)
{
    char number[24];
    int rc = 0;

    for (int id = 0; rc == 0 && id < SETTING_COUNT; id++) {
        int given = (o->set & SETTING_ID_BIT(id)) != 0;
        const char *value = options_value_text(o, id, number, sizeof number);
        /* root and log are the caller's full paths, given or not. */
        if (id == SETTING_ID_root || id == SETTING_ID_log_file) {
            value = id == SETTING_ID_root ? root : log;
            given = value != NULL;
        }
        if (!given || setting_rows[id].key == NULL)
            continue;
        rc = set_value(text, len, setting_rows[id].key, value, err, errcap);
        (*changed)++;
    }
    return rc;
}

int firstini_given_options(const struct server_options *o, char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (int id = 0; id < SETTING_COUNT; id++) {
        if ((o->set & SETTING_ID_BIT(id)) && setting_rows[id].key != NULL && used < cap)
            used += (size_t)snprintf(out + used, cap - used, "%s--%s", used > 0 ? ", " : "",
                                     setting_rows[id].option);
    }
    return out[0] != '\0';
}

/* The template (installer/mtserver.ini, the resource FIRSTINI of
 * mtserver.rc) with CRLF line endings, as Notepad before Windows 10 1809
 * needs them; the caller frees *text. */
static int load_template(char **text, size_t *len, char *err, size_t errcap)
{
    HRSRC res = FindResourceW(NULL, L"FIRSTINI", (LPCWSTR)RT_RCDATA);
    HGLOBAL mem = res != NULL ? LoadResource(NULL, res) : NULL;
    const char *src = mem != NULL ? LockResource(mem) : NULL;
    DWORD n = res != NULL ? SizeofResource(NULL, res) : 0;
    size_t used = 0;

    if (src == NULL || n == 0)
        return failed(err, errcap, "the first configuration's template (resource FIRSTINI)", NULL,
                      GetLastError() != ERROR_SUCCESS ? GetLastError()
                                                      : ERROR_RESOURCE_NAME_NOT_FOUND);
    *text = malloc(2 * (size_t)n);
    if (*text == NULL) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    for (DWORD i = 0; i < n; i++) {
        if (src[i] == '\n' && (i == 0 || src[i - 1] != '\r'))
            (*text)[used++] = '\r';
        (*text)[used++] = src[i];
    }
    *len = used;
    return 0;
}

/* Writes the first configuration: the template with root and log_file
 * next to the configuration file (or as given) and the install command's
 * settings in the places of their examples. */
int firstini_write(const wchar_t *config, const wchar_t *base, const struct server_options *o,
                   const wchar_t *sid, char *err, size_t errcap)
{
    wchar_t wroot[PATH_CAP], wlog[PATH_CAP];
    char root[PATH_CAP * 3], log[PATH_CAP * 3], shown[PATH_CAP * 3];
    char *text = NULL, *there = NULL;
    size_t len = 0, there_len = 0;
    int changed = 0, missing = 0, rc = -1;

    if (o->root != NULL) {
        if (wstr_full_path(o->root, wroot, PATH_CAP) != 0)
            return failed(err, errcap, "bad root folder name", o->root, GetLastError());
    } else {
        datalayout_default_root(base, sid, wroot, PATH_CAP);
    }
    if (o->log_file != NULL) {
        if (wstr_full_path(o->log_file, wlog, PATH_CAP) != 0)
            return failed(err, errcap, "bad log file name", o->log_file, GetLastError());
    } else {
        datalayout_default_log(base, sid, wlog, PATH_CAP);
    }
    wstr_to_utf8_buf(wroot, root, sizeof root);
    wstr_to_utf8_buf(wlog, log, sizeof log);
    if (load_template(&text, &len, err, errcap) != 0)
        return -1;
    if (apply_settings(&text, &len, o, root, log, &changed, err, errcap) != 0)
        goto out;
    /* Through the commands' one editor: the folder's owner checked (install
     * and prepare have claimed it already), the text written beside the
     * file and moved in only while nothing has its name, so that neither a
     * crash nor a file that appeared meanwhile leaves half of one. */
    wstr_to_utf8_buf(config, shown, sizeof shown);
    if (inifile_load(shown, CONFOWNER_CLAIM, SETTINGS_FILE_MAX, &there, &there_len, &missing, err,
                     errcap) != 0)
        goto out;
    if (!missing) {
        snprintf(err, errcap, "%s exists already: not replaced", shown);
        goto out;
    }
    if (inifile_store(shown, 0, text, len, err, errcap) != 0)
        goto out;
    rc = 0;
out:
    free(there);
    free(text);
    return rc;
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

int firstini_given_folders(const struct server_options *o, const wchar_t *sid, char *root,
                           char *log, char *err, size_t errcap)
{
    wchar_t full[PATH_CAP], *slash;

    root[0] = log[0] = '\0';
    if (o->root != NULL) {
        if (wstr_full_path(o->root, full, PATH_CAP) != 0) {
            snprintf(err, errcap, "bad root folder name %s", o->root);
            return -1;
        }
        wstr_to_utf8_buf(full, root, PATH_CAP * 3);
        if (firstini_make_folder(full, SVCACL_CONFIG_FOLDER, sid, err, errcap) != 0)
            return -1;
    }
    if (o->log_file != NULL) {
        if (wstr_full_path(o->log_file, full, PATH_CAP) != 0) {
            snprintf(err, errcap, "bad log file name %s", o->log_file);
            return -1;
        }
        wstr_to_utf8_buf(full, log, PATH_CAP * 3);
        slash = wcsrchr(full, L'\\');
        if (slash != NULL) {
            *slash = L'\0';
            if (firstini_make_folder(full, SVCACL_LOGS_FOLDER, sid, err, errcap) != 0)
                return -1;
        }
    }
    return 0;
}

int firstini_update(const char *config, const struct server_options *o, const char *root,
                    const char *log, int *changed, char *err, size_t errcap)
{
    char *text = NULL, why[600];
    size_t len = 0;
    int missing = 0, rc;

    *changed = 0;
    /* A file gone since the caller looked is not updated: err then says
     * "cannot read PATH". */
    if (inifile_load(config, CONFOWNER_CLAIM, SETTINGS_FILE_MAX, &text, &len, &missing, err,
                     errcap) != 0 ||
        missing)
        return -1;
    rc = apply_settings(&text, &len, o, root, log, changed, why, sizeof why);
    if (rc != 0)
        snprintf(err, errcap, "%s %s", config, why);
    else if (*changed > 0 && inifile_store(config, 1, text, len, err, errcap) != 0)
        rc = -1;
    free(text);
    return rc;
}
