/* settings.c - command line + configuration file -> settings (see settings.h). */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <shlobj.h>

#include "wholefile.h"
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

int settings_load(const char *path, struct config *cfg, struct server_options *o, char *err,
                  size_t errcap)
{
    char *buf = NULL, why[400];
    size_t len = 0;
    int missing = 0;

    if (wholefile_read(path, SETTINGS_FILE_MAX, &buf, &len, &missing, err, errcap) != 0)
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
