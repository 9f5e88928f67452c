/* datadir.c - `mtserver prepare` (see datadir.h).
 *
 * Runs on the main thread of a console process, once: under the MSI, a
 * deferred custom action as LocalSystem. The folders' permissions are
 * svcacl.c's, the first configuration firstini.c's, the owner decision
 * ownerpol.c's; this file puts them in the order that leaves no window. */
#include "datadir.h"

#include <stdio.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include "firstini.h"
#include "ownerpol.h"
#include "scm.h"
#include "svcacl.h"
#include "wstr.h"

#define PATH_CAP FIRSTINI_PATH_CAP
#define SID_CAP 192

/* The SID (string form) of the account this process runs as, "" if unknown. */
static void self_sid(char *out, size_t cap)
{
    HANDLE token = NULL;
    union {
        TOKEN_USER user;
        unsigned char bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    } info;
    DWORD n = 0;
    char *text = NULL;

    out[0] = '\0';
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return;
    if (GetTokenInformation(token, TokenUser, &info, sizeof info, &n) &&
        ConvertSidToStringSidA(info.user.User.Sid, &text)) {
        snprintf(out, cap, "%s", text);
        LocalFree(text);
    }
    CloseHandle(token);
}

/* The owner of path (string form) into out; returns the Win32 error. */
static DWORD owner_sid(const wchar_t *path, char *out, size_t cap)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID owner = NULL;
    char *text = NULL;
    DWORD rc;

    out[0] = '\0';
    rc = GetNamedSecurityInfoW(path, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL,
                               NULL, NULL, &sd);
    if (rc != ERROR_SUCCESS)
        return rc;
    if (owner != NULL && ConvertSidToStringSidA(owner, &text)) {
        snprintf(out, cap, "%s", text);
        LocalFree(text);
    } else {
        rc = owner == NULL ? ERROR_INVALID_OWNER : GetLastError();
    }
    LocalFree(sd);
    return rc;
}

/* Whether an existing folder or file may be adopted: not a link (whose
 * owner would be read from its target) and owned by an account to trust.
 * Prints the reason when not. */
static int may_adopt(const wchar_t *path, DWORD attr, const char *self)
{
    char shown[PATH_CAP * 3], owner[SID_CAP];
    DWORD e;

    wstr_to_utf8_buf(path, shown, sizeof shown);
    if (attr & FILE_ATTRIBUTE_REPARSE_POINT) {
        fprintf(stderr,
                "mtserver: %s is a link (a junction or symbolic link), not a folder or file "
                "of its own: remove the link and install again\n",
                shown);
        return 0;
    }
    e = owner_sid(path, owner, sizeof owner);
    if (e != ERROR_SUCCESS) {
        char what[PATH_CAP * 3 + 40];
        snprintf(what, sizeof what, "cannot read the owner of %s", shown);
        scm_report(what, e);
        return 0;
    }
    if (ownerpol_is_trusted(owner, self))
        return 1;
    fprintf(stderr,
            "mtserver: %s is owned by %s, not by the Administrators, SYSTEM or the account "
            "installing: another user may have made it to plant settings. Check it, then "
            "delete it (or make the Administrators its owner: takeown /a) and install again\n",
            shown, owner);
    return 0;
}

int datadir_prepare(const struct server_options *opts)
{
    wchar_t config[PATH_CAP], base[PATH_CAP], part[PATH_CAP], sid[128];
    char self[SID_CAP], shown[PATH_CAP * 3], err[600];
    DWORD attr, e;
    HANDLE mark;

    if (firstini_config_paths(opts, config, base) != 0)
        return SCM_EXIT_FAILED;
    self_sid(self, sizeof self);
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
        if (!may_adopt(base, attr, self))
            return SCM_EXIT_FAILED;
    } else {
        /* Owner and protected DACL in the one call that makes the folder:
         * it is never open to other users, not even for a moment. */
        e = svcacl_secure_folder(base, L"O:BA" SVCACL_CONFIG_FOLDER, sid);
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
        if (!may_adopt(config, attr, self))
            return SCM_EXIT_FAILED;
        printf("mtserver: keeping the existing configuration %s\n", shown);
    } else if (firstini_write(config, base, opts, sid, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: cannot write the configuration %s: %s\n", shown, err);
        return SCM_EXIT_FAILED;
    } else {
        printf("mtserver: wrote the configuration %s\n", shown);
    }
    return 0;
}
