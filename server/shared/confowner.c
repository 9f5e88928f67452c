/* confowner.c - the configuration's owners (see confowner.h). */
#include "confowner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include "ownerpol.h"
#include "winerr.h"
#include "wstr.h"

#define SID_TEXT_CAP 200
#define NAME_CAP 256

static void sid_text(PSID sid, char *out, size_t cap)
{
    LPWSTR text = NULL;

    out[0] = '\0';
    if (ConvertSidToStringSidW(sid, &text)) {
        wstr_to_utf8_buf(text, out, cap);
        LocalFree(text);
    }
}

/* The account this process runs as: the administrator who installs, or the
 * service's own account at start. */
static void self_sid(char *out, size_t cap)
{
    HANDLE token;
    union {
        TOKEN_USER user;
        unsigned char bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    } info;
    DWORD n = 0;

    out[0] = '\0';
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return;
    if (GetTokenInformation(token, TokenUser, &info, sizeof info, &n))
        sid_text(info.user.User.Sid, out, cap);
    CloseHandle(token);
}

/* "DOMAIN\name", else the SID's text: who the administrator must look for. */
static void owner_name(PSID sid, const char *text, char *out, size_t cap)
{
    wchar_t name[NAME_CAP], domain[NAME_CAP], both[2 * NAME_CAP + 2];
    DWORD nn = NAME_CAP, dn = NAME_CAP;
    SID_NAME_USE use;

    if (LookupAccountSidW(NULL, sid, name, &nn, domain, &dn, &use)) {
        swprintf(both, sizeof both / sizeof both[0], L"%ls%ls%ls", domain,
                 domain[0] != L'\0' ? L"\\" : L"", name);
        wstr_to_utf8_buf(both, out, cap);
    } else {
        snprintf(out, cap, "%s", text);
    }
}

/* Makes BUILTIN\Administrators the owner of path, through handle when
 * there is one (opened without following a link, dirguard.h). */
static DWORD give_to_administrators(const wchar_t *path, HANDLE handle)
{
    unsigned char sid[SECURITY_MAX_SID_SIZE];
    DWORD n = sizeof sid;

    if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, sid, &n))
        return GetLastError();
    if (handle != INVALID_HANDLE_VALUE)
        return SetSecurityInfo(handle, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, sid, NULL,
                               NULL, NULL);
    return SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, sid,
                                 NULL, NULL, NULL);
}

/* The one judgement of both entry points: owner read from path, or from
 * handle when it is not INVALID_HANDLE_VALUE. */
static int check_owner(const wchar_t *path, HANDLE handle, enum confowner_mode mode, char *err,
                       size_t errcap)
{
    PSID owner = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    char shown[MAX_PATH * 3], owner_sid[SID_TEXT_CAP], self[SID_TEXT_CAP], who[2 * NAME_CAP * 3];
    char why[300];
    DWORD rc;
    int ok;

    wstr_to_utf8_buf(path, shown, sizeof shown);
    if (handle != INVALID_HANDLE_VALUE)
        rc = GetSecurityInfo(handle, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL,
                             NULL, NULL, &sd);
    else
        rc = GetNamedSecurityInfoW(path, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                                   NULL, NULL, NULL, &sd);
    if (rc != ERROR_SUCCESS) {
        snprintf(err, errcap, "cannot read the owner of %s: %s", shown,
                 winerr_text(rc, why, sizeof why));
        return -1;
    }
    sid_text(owner, owner_sid, sizeof owner_sid);
    self_sid(self, sizeof self);
    ok = ownerpol_owner_trusted(owner_sid, self);
    /* Trusted as this account's own, not as a well-known owner. */
    if (ok && mode == CONFOWNER_CLAIM && !ownerpol_owner_trusted(owner_sid, NULL)) {
        rc = give_to_administrators(path, handle);
        if (rc != ERROR_SUCCESS) {
            owner_name(owner, owner_sid, who, sizeof who);
            snprintf(err, errcap,
                     "%s is owned by %s, not by Administrators, and cannot be given to them "
                     "(%s), so the service would refuse it: run takeown /a /f \"%s\" and run "
                     "this again",
                     shown, who, winerr_text(rc, why, sizeof why), shown);
            ok = 0;
        }
    } else if (!ok) {
        owner_name(owner, owner_sid, who, sizeof who);
        snprintf(err, errcap,
                 "%s is owned by %s, not by Administrators, SYSTEM or this account, so another "
                 "user may have put it there and could read or change the configuration: "
                 "refusing it. Check its contents, then make Administrators its owner "
                 "(takeown /a /f \"%s\") or delete it, and run this again",
                 shown, who, shown);
    }
    LocalFree(sd);
    return ok ? 0 : -1;
}

int confowner_check(const wchar_t *path, enum confowner_mode mode, char *err, size_t errcap)
{
    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES)
        return 0; /* nothing there to trust or refuse yet */
    return check_owner(path, INVALID_HANDLE_VALUE, mode, err, errcap);
}

int confowner_check_handle(void *handle, const wchar_t *path, enum confowner_mode mode,
                           char *err, size_t errcap)
{
    return check_owner(path, (HANDLE)handle, mode, err, errcap);
}

int confowner_check_config(const char *config, enum confowner_mode mode, char *err,
                           size_t errcap)
{
    wchar_t full[MAX_PATH * 2], *slash;
    int rc;

    if (wstr_full_path(config, full, sizeof full / sizeof full[0]) != 0) {
        snprintf(err, errcap, "bad configuration file name %s", config);
        return -1;
    }
    slash = wcsrchr(full, L'\\');
    if (slash != NULL) {
        /* The folder: "C:\" for a file in a drive's root, never "C:". */
        wchar_t *end = slash > full && slash[-1] == L':' ? slash + 1 : slash, keep = *end;
        *end = L'\0';
        rc = confowner_check(full, mode, err, errcap);
        *end = keep;
        if (rc != 0)
            return -1;
    }
    return confowner_check(full, mode, err, errcap);
}
