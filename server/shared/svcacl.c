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

DWORD svcacl_descriptor(const wchar_t *sddl_format, const wchar_t *sid, PSECURITY_DESCRIPTOR *sd)
{
    wchar_t sddl[SDDL_CAP];
    int n = swprintf(sddl, SDDL_CAP, sddl_format, sid);

    *sd = NULL;
    if (n < 0 || n >= SDDL_CAP)
        return ERROR_INSUFFICIENT_BUFFER;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sd, NULL))
        return GetLastError();
    return ERROR_SUCCESS;
}

DWORD svcacl_make_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
    DWORD rc = ERROR_SUCCESS;

    if (sddl_format != NULL) {
        rc = svcacl_descriptor(sddl_format, sid, &sa.lpSecurityDescriptor);
        if (rc != ERROR_SUCCESS)
            return rc;
    }
    if (!CreateDirectoryW(path, sa.lpSecurityDescriptor != NULL ? &sa : NULL))
        rc = GetLastError();
    if (sa.lpSecurityDescriptor != NULL)
        LocalFree(sa.lpSecurityDescriptor);
    return rc;
}

DWORD svcacl_secure_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid)
{
    DWORD rc = svcacl_make_folder(path, sddl_format, sid);

    return rc == ERROR_ALREADY_EXISTS ? ERROR_SUCCESS : rc;
}

DWORD svcacl_protect_file(const wchar_t *path, const wchar_t *sid)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    DWORD rc = svcacl_descriptor(SVCACL_CONFIG_FILE, sid, &sd);

    if (rc != ERROR_SUCCESS)
        return rc;
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
