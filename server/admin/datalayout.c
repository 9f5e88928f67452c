/* datalayout.c - the data folder's layout (see datalayout.h). */
#include "datalayout.h"

#include <stdio.h>
#include <windows.h>

#include "dirguard.h"
#include "svcacl.h"

/* A base a command accepts (FIRSTINI_PATH_CAP) and a part's name. */
#define PART_CAP 1100

const wchar_t *datalayout_name(enum datalayout_part part)
{
    switch (part) {
    case DATALAYOUT_LOGS: return L"logs";
    case DATALAYOUT_FILES: return L"files";
    case DATALAYOUT_ACCESS_LOG: return L"logs\\access.log";
    }
    return L"";
}

int datalayout_path(const wchar_t *base, enum datalayout_part part, wchar_t *out, size_t cap)
{
    int n = swprintf(out, cap, L"%ls\\%ls", base, datalayout_name(part));

    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* A part's path, or a message in err when the base is too long for it. */
static int part_path(const wchar_t *base, enum datalayout_part part, wchar_t *out, size_t cap,
                     char *err, size_t errcap)
{
    if (datalayout_path(base, part, out, cap) == 0)
        return 0;
    snprintf(err, errcap, "the configuration folder's path is too long for its %ls folder",
             datalayout_name(part));
    return -1;
}

int datalayout_adopt(const wchar_t *base, const wchar_t *sid, char *err, size_t errcap)
{
    wchar_t logs[PART_CAP];

    /* The folder first: its permissions pass on to logs\, which then gets
     * its own. */
    if (part_path(base, DATALAYOUT_LOGS, logs, sizeof logs / sizeof logs[0], err, errcap) != 0)
        return -1;
    if (dirguard_adopt_folder(base, SVCACL_CONFIG_FOLDER, sid, err, errcap) != 0)
        return -1;
    return dirguard_adopt_folder(logs, SVCACL_LOGS_FOLDER, sid, err, errcap);
}

unsigned long datalayout_secure_logs(const wchar_t *base, const wchar_t *sid)
{
    wchar_t logs[PART_CAP];

    if (datalayout_path(base, DATALAYOUT_LOGS, logs, sizeof logs / sizeof logs[0]) != 0)
        return ERROR_FILENAME_EXCED_RANGE;
    return svcacl_secure_folder(logs, SVCACL_LOGS_FOLDER, sid);
}

int datalayout_make_parts(const wchar_t *base, const wchar_t *sid, char *err, size_t errcap)
{
    wchar_t part[PART_CAP];
    const size_t cap = sizeof part / sizeof part[0];

    if (part_path(base, DATALAYOUT_LOGS, part, cap, err, errcap) != 0 ||
        dirguard_make_folder(part, SVCACL_LOGS_FOLDER, sid, err, errcap) != 0)
        return -1;
    if (part_path(base, DATALAYOUT_FILES, part, cap, err, errcap) != 0 ||
        dirguard_make_folder(part, NULL, sid, err, errcap) != 0)
        return -1;
    return 0;
}

void datalayout_default_root(const wchar_t *base, const wchar_t *sid, wchar_t *out, size_t cap)
{
    if (datalayout_path(base, DATALAYOUT_FILES, out, cap) == 0)
        svcacl_secure_folder(out, NULL, sid); /* inherits the folder's permissions */
}

void datalayout_default_log(const wchar_t *base, const wchar_t *sid, wchar_t *out, size_t cap)
{
    wchar_t logs[PART_CAP];

    if (datalayout_path(base, DATALAYOUT_LOGS, logs, sizeof logs / sizeof logs[0]) == 0)
        svcacl_secure_folder(logs, SVCACL_LOGS_FOLDER, sid);
    datalayout_path(base, DATALAYOUT_ACCESS_LOG, out, cap);
}
