/* certkey.c - the private key of a new certificate (see certkey.h). */
#include "certkey.h"

#include <stdio.h>
#include <string.h>
#include <sddl.h>
#include <bcrypt.h>

#include "svcacl.h"
#include "winerr.h"

static int fail(const char *what, unsigned long code)
{
    char why[300];

    fprintf(stderr, "mtserver: cert: %s: %s\n", what, winerr_text(code, why, sizeof why));
    return 1;
}

/* The DACL a machine key gets: its default lets only its maker and SYSTEM
 * in, so the service (another account) could not serve with it. Returns a
 * self-relative descriptor (LocalFree) or NULL. */
static PSECURITY_DESCRIPTOR key_dacl(const wchar_t *service_sid, DWORD *len)
{
    wchar_t sddl[300];
    PSECURITY_DESCRIPTOR sd = NULL;
    ULONG n = 0;

    swprintf(sddl, sizeof sddl / sizeof sddl[0], SVCACL_KEY, service_sid);
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, &n))
        return NULL;
    *len = n;
    return sd;
}

static int make_rsa(struct certkey *k, DWORD bits, const wchar_t *service_sid)
{
    DWORD len = sizeof k->bits, sd_len = 0;
    PSECURITY_DESCRIPTOR sd;
    BOOL ok;

    /* Said first: a key left half made is deleted through it. */
    k->kpi.pwszProvName = MS_ENH_RSA_AES_PROV_W;
    k->kpi.dwProvType = PROV_RSA_AES;
    k->kpi.dwFlags = k->machine ? CRYPT_MACHINE_KEYSET : 0;
    k->kpi.dwKeySpec = AT_KEYEXCHANGE;
    if (!CryptAcquireContextW(&k->prov, k->container, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                              CRYPT_NEWKEYSET | (k->machine ? CRYPT_MACHINE_KEYSET : 0))) {
        k->prov = 0;
        return fail("CryptAcquireContext", GetLastError());
    }
    /* The key size goes in the upper 16 bits of the flags. */
    if (!CryptGenKey(k->prov, AT_KEYEXCHANGE, bits << 16, &k->key)) {
        k->key = 0;
        return fail("CryptGenKey", GetLastError());
    }
    if (!CryptGetKeyParam(k->key, KP_KEYLEN, (BYTE *)&k->bits, &len, 0))
        return fail("CryptGetKeyParam", GetLastError());
    if (k->bits < bits) {
        fprintf(stderr, "mtserver: cert: asked for an RSA key of %lu bits, got %lu: refused\n",
                (unsigned long)bits, (unsigned long)k->bits);
        return 1;
    }
    /* Once the key exists, so that its container's file has it to keep. */
    if (k->machine) {
        if ((sd = key_dacl(service_sid, &sd_len)) == NULL)
            return fail("the key's permissions", GetLastError());
        ok = CryptSetProvParam(k->prov, PP_KEYSET_SEC_DESCR, (const BYTE *)sd,
                               DACL_SECURITY_INFORMATION);
        LocalFree(sd);
        if (!ok)
            return fail("setting the key's permissions", GetLastError());
    }
    return 0;
}

static int make_ecdsa(struct certkey *k, const wchar_t *service_sid)
{
    DWORD flags = k->machine ? NCRYPT_MACHINE_KEY_FLAG : 0, sd_len = 0, len = 0;
    NCRYPT_KEY_HANDLE again = 0;
    PSECURITY_DESCRIPTOR sd;
    SECURITY_STATUS st;

    k->kpi.pwszProvName = MS_KEY_STORAGE_PROVIDER;
    k->kpi.dwProvType = 0; /* 0: a CNG key */
    k->kpi.dwFlags = flags;
    k->kpi.dwKeySpec = 0;
    st = NCryptOpenStorageProvider(&k->nprov, MS_KEY_STORAGE_PROVIDER, 0);
    if (st != ERROR_SUCCESS) {
        k->nprov = 0;
        return fail("opening the Software Key Storage Provider", (unsigned long)st);
    }
    st = NCryptCreatePersistedKey(k->nprov, &k->nkey, BCRYPT_ECDSA_P256_ALGORITHM, k->container, 0,
                                  flags);
    if (st != ERROR_SUCCESS) {
        k->nkey = 0;
        fail("this Windows cannot make an ECDSA P-256 key (NCryptCreatePersistedKey)",
             (unsigned long)st);
        /* Not here, in any key set: the caller need not try another. */
        return st == NTE_NOT_SUPPORTED || st == NTE_BAD_ALGID ? 2 : 1;
    }
    st = NCryptFinalizeKey(k->nkey, 0);
    if (st != ERROR_SUCCESS)
        return fail("NCryptFinalizeKey", (unsigned long)st);
    /* A provider that made the key but does not keep it (Wine's CNG names
     * no key it persists) would give a certificate nothing can serve with. */
    st = NCryptOpenKey(k->nprov, &again, k->container, 0, flags);
    if (st != ERROR_SUCCESS)
        return fail("the ECDSA key was made but not kept by its name", (unsigned long)st);
    NCryptFreeObject(again);
    st = NCryptGetProperty(k->nkey, NCRYPT_LENGTH_PROPERTY, (PBYTE)&k->bits, sizeof k->bits, &len,
                           0);
    if (st != ERROR_SUCCESS)
        return fail("reading the key's length", (unsigned long)st);
    if (k->bits != 256) {
        fprintf(stderr,
                "mtserver: cert: asked for an ECDSA P-256 key, got one of %lu bits: "
                "refused\n",
                (unsigned long)k->bits);
        return 1;
    }
    if (k->machine) {
        if ((sd = key_dacl(service_sid, &sd_len)) == NULL)
            return fail("the key's permissions", GetLastError());
        st = NCryptSetProperty(k->nkey, NCRYPT_SECURITY_DESCR_PROPERTY, (PBYTE)sd, sd_len,
                               DACL_SECURITY_INFORMATION);
        LocalFree(sd);
        if (st != ERROR_SUCCESS)
            return fail("setting the key's permissions", (unsigned long)st);
    }
    return 0;
}

int certkey_make(struct certkey *k, enum options_key kind, DWORD bits, int machine,
                 const wchar_t *container, const wchar_t *service_sid)
{
    int rc;

    memset(k, 0, sizeof *k);
    k->cng = kind == OPTIONS_KEY_ECDSA_P256;
    k->machine = machine;
    wcsncpy(k->container, container, sizeof k->container / sizeof k->container[0] - 1);
    k->kpi.pwszContainerName = k->container;
    rc = k->cng ? make_ecdsa(k, service_sid) : make_rsa(k, bits, service_sid);
    if (rc != 0) {
        certkey_close(k);
        certkey_remove(k);
    }
    return rc;
}

void certkey_remove(const struct certkey *k)
{
    CRYPT_KEY_PROV_INFO kpi = k->kpi;

    kpi.pwszContainerName = (LPWSTR)k->container; /* k may have been copied */
    certkey_delete(&kpi);
}

HCRYPTPROV_OR_NCRYPT_KEY_HANDLE certkey_signer(const struct certkey *k, DWORD *key_spec)
{
    *key_spec = k->cng ? CERT_NCRYPT_KEY_SPEC : AT_KEYEXCHANGE;
    return k->cng ? (HCRYPTPROV_OR_NCRYPT_KEY_HANDLE)k->nkey
                  : (HCRYPTPROV_OR_NCRYPT_KEY_HANDLE)k->prov;
}

void certkey_describe(const struct certkey *k, char *out, size_t cap)
{
    if (k->cng)
        snprintf(out, cap, "ECDSA P-256");
    else
        snprintf(out, cap, "RSA %lu bits", (unsigned long)k->bits);
}

void certkey_close(struct certkey *k)
{
    if (k->key != 0)
        CryptDestroyKey(k->key);
    if (k->prov != 0)
        CryptReleaseContext(k->prov, 0);
    if (k->nkey != 0)
        NCryptFreeObject(k->nkey);
    if (k->nprov != 0)
        NCryptFreeObject(k->nprov);
    k->key = 0;
    k->prov = 0;
    k->nkey = 0;
    k->nprov = 0;
}

void certkey_delete(const CRYPT_KEY_PROV_INFO *kpi)
{
    if (kpi->pwszProvName == NULL || kpi->pwszContainerName == NULL)
        return; /* nothing was made */
    if (kpi->dwProvType != 0) {
        HCRYPTPROV prov = 0;
        CryptAcquireContextW(&prov, kpi->pwszContainerName, kpi->pwszProvName, kpi->dwProvType,
                             CRYPT_DELETEKEYSET | (kpi->dwFlags & CRYPT_MACHINE_KEYSET));
    } else {
        NCRYPT_PROV_HANDLE prov = 0;
        NCRYPT_KEY_HANDLE key = 0;
        if (NCryptOpenStorageProvider(&prov, kpi->pwszProvName, 0) == ERROR_SUCCESS) {
            if (NCryptOpenKey(prov, &key, kpi->pwszContainerName, 0,
                              kpi->dwFlags & NCRYPT_MACHINE_KEY_FLAG) == ERROR_SUCCESS)
                NCryptDeleteKey(key, 0); /* frees the handle too */
            NCryptFreeObject(prov);
        }
    }
}
