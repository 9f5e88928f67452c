/* datadir.c - `mtserver prepare` (see datadir.h).
 *
 * Runs on the main thread of a console process, once: under the MSI, a
 * deferred custom action as LocalSystem. The folders' permissions are
 * svcacl.c's, the first configuration firstini.c's, the owner check
 * confowner.c's; this file puts them in the order that leaves no window. */
#include "datadir.h"

#include <stdio.h>
#include <windows.h>

#include "confowner.h"
#include "firstini.h"
#include "scm.h"
#include "svcacl.h"
#include "wstr.h"

#define PATH_CAP FIRSTINI_PATH_CAP

/* Whether an existing folder or file may be adopted: not a link (whose
 * owner would be read from its target) and owned by an account to trust
 * (confowner.h). Prints the reason when not. */
static int may_adopt(const wchar_t *path, DWORD attr)
{
    char shown[PATH_CAP * 3], err[1200];

    wstr_to_utf8_buf(path, shown, sizeof shown);
    if (attr & FILE_ATTRIBUTE_REPARSE_POINT) {
        fprintf(stderr,
                "mtserver: %s is a link (a junction or symbolic link), not a folder or file "
                "of its own: remove the link and install again\n",
                shown);
        return 0;
    }
    if (confowner_check(path, CONFOWNER_CLAIM, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 0;
    }
    return 1;
}

int datadir_prepare(const struct server_options *opts)
{
    wchar_t config[PATH_CAP], base[PATH_CAP], part[PATH_CAP], sid[128];
    char shown[PATH_CAP * 3], err[600];
    DWORD attr, e;
    HANDLE mark;

    if (firstini_config_paths(opts, config, base) != 0)
        return SCM_EXIT_FAILED;
    svcacl_account_sid(0, sid, sizeof sid / sizeof sid[0]); /* the MSI's NT SERVICE\mtserver */
    wstr_to_utf8_buf(base, shown, sizeof shown);
    swprintf(part, PATH_CAP, L"%ls\\" DATADIR_ROLLBACK_MARK, base);
    attr = GetFileAttributesW(base);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
            fprintf(stderr, "mtserver: %s exists and is not a folder\n", shown);
            return SCM_EXIT_FAILED;
        }
        /* First, so that no failure below leaves an earlier run's mark for
         * this install's rollback to act on: this folder is not ours. */
        DeleteFileW(part);
        if (!may_adopt(base, attr))
            return SCM_EXIT_FAILED;
    } else {
        /* Owner and protected DACL in the one call that makes the folder
         * (svcacl.h): it is never open to other users, not even for a moment. */
        e = svcacl_secure_folder(base, SVCACL_CONFIG_FOLDER, sid);
        if (e != ERROR_SUCCESS) {
            snprintf(err, sizeof err, "cannot create the configuration folder %s", shown);
            scm_report(err, e);
            return SCM_EXIT_FAILED;
        }
        mark = CreateFileW(part, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                           NULL);
        if (mark == INVALID_HANDLE_VALUE) {
            scm_report("cannot mark the new configuration folder for the installer's rollback",
                       GetLastError());
            RemoveDirectoryW(base);
            return SCM_EXIT_FAILED;
        }
        CloseHandle(mark);
        printf("mtserver: made the configuration folder %s\n", shown);
        /* The mark tells an MSI rollback that this folder is the install's
         * to remove; run by hand, nothing removes it. */
        printf("mtserver: left the mark %ls in it: an MSI rollback would remove this folder; "
               "delete the mark when you ran prepare by hand\n",
               DATADIR_ROLLBACK_MARK);
    }
    /* Inside the closed folder: logs\ writable by the service, files\
     * inheriting the folder's permissions, as install makes them. */
    swprintf(part, PATH_CAP, L"%ls\\logs", base);
    e = svcacl_secure_folder(part, SVCACL_LOGS_FOLDER, sid);
    swprintf(part, PATH_CAP, L"%ls\\files", base);
    if (e == ERROR_SUCCESS)
        e = svcacl_secure_folder(part, NULL, sid);
    if (e != ERROR_SUCCESS) {
        snprintf(err, sizeof err, "cannot create the folders in %s", shown);
        scm_report(err, e);
        return SCM_EXIT_FAILED;
    }
    wstr_to_utf8_buf(config, shown, sizeof shown);
    attr = GetFileAttributesW(config);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        if (!may_adopt(config, attr))
            return SCM_EXIT_FAILED;
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
        return SCM_EXIT_FAILED;
    } else {
        printf("mtserver: wrote the configuration %s\n", shown);
    }
    return 0;
}
