/* svcacl.c - the service's SID and the folders' permissions (see svcacl.h). */
#include "svcacl.h"

#include <wchar.h>
#include <aclapi.h>
#include <bcrypt.h>
#include <sddl.h>

#define SDDL_CAP 400

/* The SID of NT SERVICE\<name>, as the system derives it: S-1-5-80- and the
 * SHA-1 of the upper-case service name in UTF-16LE, as five little-endian
 * 32-bit numbers. Computed rather than looked up, because the account only
 * exists once the system has made it, and Wine never does. */
static int service_sid_string(wchar_t *out, size_t cap)
{
    static const wchar_t upper[] = L"MTSERVER";
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_HASH_HANDLE hash = NULL;
    unsigned char d[20], bytes[sizeof upper - sizeof upper[0]];
    unsigned long part[5];
    int ok;

    for (size_t i = 0; i + 1 < sizeof upper / sizeof upper[0]; i++) {
        bytes[2 * i] = (unsigned char)(upper[i] & 0xff);
        bytes[2 * i + 1] = (unsigned char)(upper[i] >> 8);
    }
    ok = BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA1_ALGORITHM, NULL, 0)) &&
         BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0)) &&
         BCRYPT_SUCCESS(BCryptHashData(hash, bytes, sizeof bytes, 0)) &&
         BCRYPT_SUCCESS(BCryptFinishHash(hash, d, sizeof d, 0));
    if (hash != NULL)
        BCryptDestroyHash(hash);
    if (alg != NULL)
        BCryptCloseAlgorithmProvider(alg, 0);
    if (!ok)
        return -1;
    for (int i = 0; i < 5; i++)
        part[i] = (unsigned long)d[4 * i] | (unsigned long)d[4 * i + 1] << 8 |
                  (unsigned long)d[4 * i + 2] << 16 | (unsigned long)d[4 * i + 3] << 24;
    return swprintf(out, cap, L"S-1-5-80-%lu-%lu-%lu-%lu-%lu", part[0], part[1], part[2], part[3],
                    part[4]) > 0
               ? 0
               : -1;
}

void svcacl_account_sid(int local_service, wchar_t *sid, size_t cap)
{
    if (local_service || service_sid_string(sid, cap) != 0)
        wcscpy(sid, L"LS");
}

/* Makes the folder; one that exists gets the permissions only when adopt is
 * set and it still inherits its own. */
static DWORD make_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid,
                         int adopt)
{
    wchar_t sddl[SDDL_CAP];
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
    PSECURITY_DESCRIPTOR now = NULL;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    DWORD revision, rc = ERROR_SUCCESS;

    if (sddl_format != NULL) {
        int n = swprintf(sddl, SDDL_CAP, sddl_format, sid);
        if (n < 0 || n >= SDDL_CAP)
            return ERROR_INSUFFICIENT_BUFFER;
        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1,
                                                                  &sa.lpSecurityDescriptor, NULL))
            return GetLastError();
    }
    if (CreateDirectoryW(path, sa.lpSecurityDescriptor != NULL ? &sa : NULL))
        goto out;
    rc = GetLastError();
    if (rc != ERROR_ALREADY_EXISTS || sa.lpSecurityDescriptor == NULL || !adopt) {
        rc = rc == ERROR_ALREADY_EXISTS ? ERROR_SUCCESS : rc;
        goto out;
    }
    rc = GetNamedSecurityInfoW(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL,
                               NULL, &now);
    if (rc != ERROR_SUCCESS)
        goto out;
    if (!GetSecurityDescriptorControl(now, &control, &revision)) {
        rc = GetLastError();
        goto out;
    }
    if (control & SE_DACL_PROTECTED)
        goto out; /* set on purpose: not ours to change */
    if (!GetSecurityDescriptorDacl(sa.lpSecurityDescriptor, &present, &dacl, &defaulted)) {
        rc = GetLastError();
        goto out;
    }
    /* Protected: no longer inherits from ProgramData, where users may read. */
    rc = SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT,
                               DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                               NULL, NULL, dacl, NULL);
out:
    if (now != NULL)
        LocalFree(now);
    if (sa.lpSecurityDescriptor != NULL)
        LocalFree(sa.lpSecurityDescriptor);
    return rc;
}

DWORD svcacl_secure_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid)
{
    return make_folder(path, sddl_format, sid, 0);
}

DWORD svcacl_adopt_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid)
{
    return make_folder(path, sddl_format, sid, 1);
}

DWORD svcacl_protect_file(const wchar_t *path, const wchar_t *sid)
{
    wchar_t sddl[SDDL_CAP];
    PSECURITY_DESCRIPTOR sd = NULL;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    DWORD rc;
    int n = swprintf(sddl, SDDL_CAP, SVCACL_CONFIG_FILE, sid);

    if (n < 0 || n >= SDDL_CAP)
        return ERROR_INSUFFICIENT_BUFFER;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
        return GetLastError();
    if (!GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted))
        rc = GetLastError();
    else
        rc = SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT,
                                   DACL_SECURITY_INFORMATION |
                                       PROTECTED_DACL_SECURITY_INFORMATION,
                                   NULL, NULL, dacl, NULL);
    LocalFree(sd);
    return rc;
}
