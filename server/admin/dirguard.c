/* dirguard.c - the configuration folder, opened without following a link
 * (see dirguard.h). Main thread of a one-shot command. */
#include "dirguard.h"

#include <stdio.h>
#include <aclapi.h>
#include <sddl.h>

#include "svcacl.h"
#include "winerr.h"
#include "wstr.h"

#define PATH_CAP 1100

/* "\\?\C:\x" and "C:\x" name the same folder; short (8.3) names, which
 * have a '~', are spelt out first, so that only a link makes the two
 * differ. (GetLongPathNameW is kept to those: under Wine it fails on a
 * folder inside one this process holds open.) */
static int same_path(const wchar_t *asked, const wchar_t *final)
{
    wchar_t spelt[PATH_CAP];
    const wchar_t *longer = asked;

    if (wcschr(asked, L'~') != NULL) {
        DWORD n = GetLongPathNameW(asked, spelt, PATH_CAP);
        if (n == 0 || n >= PATH_CAP)
            return 0; /* cannot tell: fail closed */
        longer = spelt;
    }
    /* "\\?\UNC\server\share" is "\\server\share". */
    if (wcsncmp(final, L"\\\\?\\UNC\\", 8) == 0)
        return longer[0] == L'\\' && longer[1] == L'\\' && lstrcmpiW(longer + 2, final + 8) == 0;
    if (wcsncmp(final, L"\\\\?\\", 4) == 0)
        final += 4;
    return lstrcmpiW(longer, final) == 0;
}

/* The ID, owner and DACL of the object open at h, as the rollback compares
 * them. */
static DWORD read_id(HANDLE h, struct dirpol_mark *id)
{
    BY_HANDLE_FILE_INFORMATION fi;
    PSECURITY_DESCRIPTOR sd = NULL;
    LPWSTR text = NULL;
    DWORD rc;

    if (!GetFileInformationByHandle(h, &fi))
        return GetLastError();
    id->volume = fi.dwVolumeSerialNumber;
    id->index = (unsigned long long)fi.nFileIndexHigh << 32 | fi.nFileIndexLow;
    rc = GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                         NULL, NULL, NULL, NULL, &sd);
    if (rc != ERROR_SUCCESS)
        return rc;
    if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(
            sd, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &text,
            NULL))
        rc = GetLastError();
    else if (wcslen(text) >= sizeof id->sddl) /* SDDL is ASCII: a unit is a byte */
        rc = ERROR_INSUFFICIENT_BUFFER;
    else
        wstr_to_utf8_buf(text, id->sddl, sizeof id->sddl);
    LocalFree(text);
    LocalFree(sd);
    return rc;
}

static const char *verdict_text(enum dirpol_verdict v)
{
    switch (v) {
    case DIRPOL_LINK:
        return "is a link (a junction or symbolic link), not a folder of its own: remove the "
               "link and run this again";
    case DIRPOL_ELSEWHERE:
        return "opens as another folder (a link in its path?): refusing it; give the folder's "
               "own path";
    case DIRPOL_NOT_FOLDER:
        return "exists and is not a folder";
    case DIRPOL_OK:
        break;
    }
    return "";
}

int dirguard_open(const wchar_t *folder, enum confowner_mode mode, struct dirguard *g, char *err,
                  size_t errcap)
{
    /* Most access first: DELETE for the rollback, which deletes the folder
     * through this handle; WRITE_DAC and WRITE_OWNER to set permissions
     * and claim it; and at least enough to check it, when an administrator
     * may not change it (setting its permissions then says why not). */
    static const DWORD access[] = {
        READ_CONTROL | WRITE_DAC | WRITE_OWNER | DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
        READ_CONTROL | WRITE_DAC | WRITE_OWNER | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
        READ_CONTROL | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    };
    const DWORD flags = FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS;
    char shown[PATH_CAP * 3], why[300];
    wchar_t final[PATH_CAP];
    BY_HANDLE_FILE_INFORMATION fi;
    struct dirpol_facts f = {0, 0, 0, 0};
    enum dirpol_verdict v;
    DWORD e, attr, n;

    g->handle = INVALID_HANDLE_VALUE;
    wstr_to_utf8_buf(folder, shown, sizeof shown);
    /* No FILE_SHARE_DELETE: nobody renames it away while we work in it. */
    for (size_t i = 0; i < sizeof access / sizeof access[0]; i++) {
        g->handle = CreateFileW(folder, access[i], FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, flags, NULL);
        if (g->handle != INVALID_HANDLE_VALUE || winerr_kind(GetLastError()) != WINERR_DENIED)
            break;
    }
    if (g->handle == INVALID_HANDLE_VALUE) {
        e = GetLastError();
        if (winerr_kind(e) == WINERR_NOT_FOUND)
            return 1;
        snprintf(err, errcap, "cannot open %s: %s", shown, winerr_text(e, why, sizeof why));
        return -1;
    }
    if (!GetFileInformationByHandle(g->handle, &fi)) {
        e = GetLastError();
        snprintf(err, errcap, "cannot read what %s is: %s", shown, winerr_text(e, why, sizeof why));
        goto refused;
    }
    f.handle_is_link = (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    f.is_folder = (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    /* Read after the open: Wine's handle is the link's target, its path
     * attributes still show the link. */
    attr = GetFileAttributesW(folder);
    f.path_is_link = attr == INVALID_FILE_ATTRIBUTES || (attr & FILE_ATTRIBUTE_REPARSE_POINT);
    n = GetFinalPathNameByHandleW(g->handle, final, PATH_CAP, FILE_NAME_NORMALIZED);
    f.same_path = n > 0 && n < PATH_CAP && same_path(folder, final);
    v = dirpol_judge(&f);
    if (v != DIRPOL_OK) {
        snprintf(err, errcap, "%s %s", shown, verdict_text(v));
        goto refused;
    }
    if (confowner_check_handle(g->handle, folder, mode, err, errcap) != 0)
        goto refused;
    e = read_id(g->handle, &g->id);
    if (e != ERROR_SUCCESS) {
        snprintf(err, errcap, "cannot read the permissions of %s: %s", shown,
                 winerr_text(e, why, sizeof why));
        goto refused;
    }
    return 0;
refused:
    dirguard_close(g);
    return -1;
}

void dirguard_close(struct dirguard *g)
{
    if (g->handle != INVALID_HANDLE_VALUE)
        CloseHandle(g->handle);
    g->handle = INVALID_HANDLE_VALUE;
}

DWORD dirguard_adopt(struct dirguard *g, const wchar_t *sddl_format, const wchar_t *sid)
{
    PSECURITY_DESCRIPTOR want = NULL, now = NULL;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    DWORD revision, rc;

    rc = svcacl_descriptor(sddl_format, sid, &want);
    if (rc != ERROR_SUCCESS)
        return rc;
    rc = GetSecurityInfo(g->handle, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL,
                         NULL, &now);
    if (rc != ERROR_SUCCESS)
        goto out;
    if (!GetSecurityDescriptorControl(now, &control, &revision)) {
        rc = GetLastError();
        goto out;
    }
    if (control & SE_DACL_PROTECTED)
        goto out; /* set on purpose: not ours to change */
    if (!GetSecurityDescriptorDacl(want, &present, &dacl, &defaulted)) {
        rc = GetLastError();
        goto out;
    }
    /* Protected: no longer inherits from ProgramData, where users may read. */
    rc = SetSecurityInfo(g->handle, SE_FILE_OBJECT,
                         DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, NULL,
                         NULL, dacl, NULL);
out:
    if (now != NULL)
        LocalFree(now);
    LocalFree(want);
    return rc;
}

/* Makes path with the permissions, or opens and checks the one there, and
 * when adopt gives it the permissions too. */
static int make_or_check(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid,
                         int adopt, char *err, size_t errcap)
{
    struct dirguard g;
    char shown[PATH_CAP * 3], why[300];
    DWORD e;
    int rc;

    wstr_to_utf8_buf(path, shown, sizeof shown);
    /* Made here: with its permissions from the first moment, nothing to adopt. */
    e = svcacl_make_folder(path, sddl_format, sid);
    if (e == ERROR_SUCCESS)
        return 0;
    if (winerr_kind(e) != WINERR_EXISTS) {
        snprintf(err, errcap, "cannot create %s: %s", shown, winerr_text(e, why, sizeof why));
        return -1;
    }
    rc = dirguard_open(path, CONFOWNER_CHECK, &g, err, errcap);
    if (rc == 1)
        snprintf(err, errcap, "%s went away while this ran", shown);
    if (rc != 0)
        return -1;
    e = adopt && sddl_format != NULL ? dirguard_adopt(&g, sddl_format, sid) : ERROR_SUCCESS;
    dirguard_close(&g);
    if (e != ERROR_SUCCESS) {
        snprintf(err, errcap, "cannot set the permissions of %s: %s", shown,
                 winerr_text(e, why, sizeof why));
        return -1;
    }
    return 0;
}

int dirguard_adopt_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid,
                          char *err, size_t errcap)
{
    return make_or_check(path, sddl_format, sid, 1, err, errcap);
}

int dirguard_make_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid,
                         char *err, size_t errcap)
{
    return make_or_check(path, sddl_format, sid, 0, err, errcap);
}
