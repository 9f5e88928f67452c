/* datadir.c - `mtserver prepare` and its rollback (see datadir.h).
 *
 * Runs on the main thread of a console process, once: under the MSI, a
 * deferred (or rollback) custom action as LocalSystem, over a folder any
 * user may have made first. The folder is opened and checked through
 * dirguard.c before anything in it is touched; its permissions are
 * svcacl.c's, the first configuration firstini.c's; the mark of a folder
 * prepare made is kept in HKLM, where users cannot write (dirpol.h). */
#include "datadir.h"

#include <stdio.h>
#include <windows.h>

#include "confowner.h"
#include "datalayout.h"
#include "dirguard.h"
#include "firstini.h"
#include "scm.h"
#include "svcacl.h"
#include "winerr.h"
#include "wstr.h"

#define PATH_CAP FIRSTINI_PATH_CAP
/* Everything under this key is mtserver's; HKLM\SOFTWARE grants users read only. */
#define MARK_KEY L"SOFTWARE\\mtserver"
#define MARK_VALUE L"PreparedFolder"

static LSTATUS mark_write(const struct dirpol_mark *m)
{
    char text[DIRPOL_MARK_CAP];
    wchar_t wide[DIRPOL_MARK_CAP];
    HKEY key;
    LSTATUS e;

    if (dirpol_format_mark(m, text, sizeof text) != 0 ||
        MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, wide, DIRPOL_MARK_CAP) == 0)
        return ERROR_INVALID_DATA;
    e = RegCreateKeyExW(HKEY_LOCAL_MACHINE, MARK_KEY, 0, NULL, 0,
                        KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &key, NULL);
    if (e != ERROR_SUCCESS)
        return e;
    e = RegSetValueExW(key, MARK_VALUE, 0, REG_SZ, (const BYTE *)wide,
                       (DWORD)((wcslen(wide) + 1) * sizeof wide[0]));
    RegCloseKey(key);
    return e;
}

/* 0 with the mark in m, 1 when there is none, -1 when it is not one
 * prepare wrote. */
static int mark_read(struct dirpol_mark *m)
{
    wchar_t wide[DIRPOL_MARK_CAP];
    char text[DIRPOL_MARK_CAP];
    DWORD size = sizeof wide - sizeof wide[0], type = 0;
    HKEY key;
    LSTATUS e;

    e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, MARK_KEY, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key);
    if (e != ERROR_SUCCESS)
        return 1;
    e = RegQueryValueExW(key, MARK_VALUE, NULL, &type, (BYTE *)wide, &size);
    RegCloseKey(key);
    if (winerr_kind((unsigned long)e) == WINERR_NOT_FOUND)
        return 1;
    if (e != ERROR_SUCCESS || type != REG_SZ)
        return -1;
    wide[size / sizeof wide[0]] = L'\0';
    wstr_to_utf8_buf(wide, text, sizeof text);
    return dirpol_parse_mark(text, m) == 0 ? 0 : -1;
}

/* Forgets the mark, and the key when nothing else is in it. */
static void mark_forget(void)
{
    HKEY key;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, MARK_KEY, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &key) !=
        ERROR_SUCCESS)
        return;
    RegDeleteValueW(key, MARK_VALUE);
    RegCloseKey(key);
    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, MARK_KEY, KEY_WOW64_64KEY, 0); /* fails if not empty */
}

/* Makes the configuration folder, closed from the first moment, and opens
 * it through dirguard; marks it as prepare's. 0, or -1 once said why. */
static int make_base(const wchar_t *base, const char *shown, const wchar_t *sid,
                     struct dirguard *g)
{
    char err[1200];
    DWORD e;
    LSTATUS le;

    /* Owner and protected DACL in the one call that makes the folder
     * (svcacl.h): it is never open to other users, not even for a moment.
     * Made only when this call made it: a folder or link that appeared
     * since prepare looked is someone else's. */
    e = svcacl_make_folder(base, SVCACL_CONFIG_FOLDER, sid);
    if (winerr_kind(e) == WINERR_EXISTS) {
        fprintf(stderr,
                "mtserver: %s appeared while prepare was making it: not made here, so not "
                "trusted; check what it is and run this again\n",
                shown);
        return -1;
    }
    if (e != ERROR_SUCCESS) {
        snprintf(err, sizeof err, "cannot create the configuration folder %s", shown);
        scm_report(err, e);
        return -1;
    }
    if (dirguard_open(base, CONFOWNER_CLAIM, g, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return -1;
    }
    le = mark_write(&g->id);
    if (le != ERROR_SUCCESS) {
        scm_report("cannot mark the new configuration folder for the installer's rollback",
                   (DWORD)le);
        dirguard_close(g);
        RemoveDirectoryW(base);
        return -1;
    }
    printf("mtserver: made the configuration folder %s\n", shown);
    return 0;
}

int datadir_prepare(const struct server_options *opts)
{
    wchar_t config[PATH_CAP], base[PATH_CAP], part[PATH_CAP], sid[128];
    char shown[PATH_CAP * 3], err[1200];
    struct dirguard g;
    DWORD attr;
    int rc = SCM_EXIT_FAILED, opened;

    g.handle = INVALID_HANDLE_VALUE;
    if (firstini_config_paths(opts, config, base) != 0)
        return rc;
    svcacl_account_sid(0, sid, sizeof sid / sizeof sid[0]); /* the MSI's NT SERVICE\mtserver */
    wstr_to_utf8_buf(base, shown, sizeof shown);
    /* An earlier run's mark goes first, so that no failure below leaves it
     * for this install's rollback. It is in the registry: forgetting it
     * touches nothing in the folder. */
    mark_forget();
    if (GetFileAttributesW(base) != INVALID_FILE_ATTRIBUTES) {
        /* Not made by this run: adopted only once checked. */
        opened = dirguard_open(base, CONFOWNER_CLAIM, &g, err, sizeof err);
        if (opened != 0) {
            if (opened > 0)
                snprintf(err, sizeof err, "%s went away while prepare ran: run it again", shown);
            fprintf(stderr, "mtserver: %s\n", err);
            return rc;
        }
        /* Checked and held open: the mark file earlier versions left (no
         * rollback reads it now) may go. */
        swprintf(part, PATH_CAP, L"%ls\\" DATADIR_OLD_MARK, base);
        DeleteFileW(part);
    } else if (make_base(base, shown, sid, &g) != 0) {
        return rc;
    }
    /* logs\ writable by the service, files\ inheriting the folder's
     * permissions, as install makes them. In a folder that was there, they
     * may have been made by a user while it inherited ProgramData's
     * permissions (users may make folders there): checked as the folder. */
    if (datalayout_make_parts(base, sid, err, sizeof err) != 0)
        goto refused;
    wstr_to_utf8_buf(config, shown, sizeof shown);
    attr = GetFileAttributesW(config);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        if (attr & FILE_ATTRIBUTE_REPARSE_POINT) {
            fprintf(stderr, "mtserver: %s is a link, not a file of its own: remove it and "
                            "install again\n", shown);
            goto out;
        }
        if (confowner_check(config, CONFOWNER_CLAIM, err, sizeof err) != 0) {
            fprintf(stderr, "mtserver: %s\n", err);
            goto out;
        }
        printf("mtserver: keeping the existing configuration %s\n", shown);
        /* prepare never edits an existing file (a repair must not undo an
         * administrator's edits), so the settings given go nowhere: say so. */
        if (firstini_given_options(opts, err, sizeof err))
            printf("mtserver: not applied to it: %s (prepare writes settings only into a new "
                   "configuration; edit the file, or use mtserver install, which applies "
                   "them)\n",
                   err);
    } else if (firstini_write(config, base, opts, sid, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: cannot write the configuration %s: %s\n", shown, err);
        goto out;
    } else {
        printf("mtserver: wrote the configuration %s\n", shown);
    }
    rc = 0;
    goto out;
refused:
    fprintf(stderr, "mtserver: %s\n", err);
out:
    dirguard_close(&g);
    return rc;
}

/* Removes one known entry of the folder prepare made; a folder only when
 * empty. What cannot go is named, and left. */
static void remove_entry(const wchar_t *base, const wchar_t *name, int folder)
{
    wchar_t path[PATH_CAP];
    char shown[PATH_CAP * 3], why[300];
    DWORD e;

    swprintf(path, PATH_CAP, L"%ls\\%ls", base, name);
    if ((folder ? RemoveDirectoryW(path) : DeleteFileW(path)) != 0)
        return;
    e = GetLastError();
    if (winerr_kind(e) == WINERR_NOT_FOUND)
        return;
    wstr_to_utf8_buf(path, shown, sizeof shown);
    printf("mtserver: left %s: %s\n", shown, winerr_text(e, why, sizeof why));
}

int datadir_rollback(const struct server_options *opts)
{
    wchar_t config[PATH_CAP], base[PATH_CAP];
    const wchar_t *name;
    char shown[PATH_CAP * 3], err[1200];
    struct dirguard g;
    struct dirpol_mark made;
    FILE_DISPOSITION_INFO gone = {TRUE};
    int rc = SCM_EXIT_FAILED, found;

    g.handle = INVALID_HANDLE_VALUE;
    if (firstini_config_paths(opts, config, base) != 0)
        return rc;
    wstr_to_utf8_buf(base, shown, sizeof shown);
    found = mark_read(&made);
    if (found != 0) {
        printf("mtserver: prepare made no configuration folder to remove%s\n",
               found < 0 ? " (its mark is not one prepare wrote: forgotten)" : "");
        mark_forget();
        return found < 0 ? rc : 0;
    }
    mark_forget(); /* one rollback per mark, whatever it finds */
    found = dirguard_open(base, CONFOWNER_CHECK, &g, err, sizeof err);
    if (found == 1) {
        printf("mtserver: %s is gone already\n", shown);
        return 0;
    }
    if (found < 0) {
        fprintf(stderr, "mtserver: %s; left it as it is\n", err);
        return rc;
    }
    switch (dirpol_rollback_plan(&made, &g.id)) {
    case DIRPOL_ROLLBACK_REMOVE:
        break;
    case DIRPOL_ROLLBACK_NO_ID:
        fprintf(stderr, "mtserver: %s has no file ID to tell it from another folder: left it\n",
                shown);
        goto out;
    case DIRPOL_ROLLBACK_OTHER:
        fprintf(stderr, "mtserver: %s is not the folder prepare made: left it\n", shown);
        goto out;
    case DIRPOL_ROLLBACK_CHANGED:
        fprintf(stderr, "mtserver: the owner or permissions of %s changed since prepare made "
                        "it: left it\n", shown);
        goto out;
    }
    /* The known entries only, never a tree: the first configuration, the
     * log prepare's configuration names, and the folders if empty. */
    name = wcsrchr(config, L'\\');
    if (name != NULL && (size_t)(name - config) == wcslen(base))
        remove_entry(base, name + 1, 0);
    remove_entry(base, datalayout_name(DATALAYOUT_ACCESS_LOG), 0);
    remove_entry(base, datalayout_name(DATALAYOUT_LOGS), 1);
    remove_entry(base, datalayout_name(DATALAYOUT_FILES), 1);
    /* The folder itself through the handle checked: not whatever has its
     * name by now. Deleted when the handle closes, if empty. */
    if (!SetFileInformationByHandle(g.handle, FileDispositionInfo, &gone, sizeof gone)) {
        scm_report("left the configuration folder", GetLastError());
        goto out;
    }
    printf("mtserver: removed the configuration folder %s that prepare made\n", shown);
    rc = 0;
out:
    dirguard_close(&g);
    return rc;
}

void datadir_refresh_mark(const wchar_t *base)
{
    struct dirguard g;
    struct dirpol_mark made;
    char err[1200];

    if (mark_read(&made) != 0)
        return;
    if (dirguard_open(base, CONFOWNER_CHECK, &g, err, sizeof err) != 0)
        return;
    /* Only the very folder marked: the same file ID, whatever its DACL. */
    if (g.id.volume == made.volume && g.id.index == made.index && mark_write(&g.id) != 0)
        scm_report("warning: cannot update the installer's rollback mark", GetLastError());
    dirguard_close(&g);
}

int datadir_keep(void)
{
    mark_forget();
    return 0;
}
