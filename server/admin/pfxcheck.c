/* pfxcheck.c - a PFX file checked at install (see pfxcheck.h).
 *
 * PKCS12_NO_PERSIST_KEY: the check leaves no key container behind; the
 * service imports the file again, with a persisted key, when it starts
 * (schannel.c). Wine ignores the flag and imports every PFX into the
 * user's default container: that one is deleted again, unless it was there
 * before (then a server of this user may be serving from it). Whether Schannel will serve with it is the start's to say:
 * Wine 8 has no server side at all. */
#include "pfxcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

#include "certpin.h"
#include "winerr.h"
#include "wstr.h"

#define PFX_MAX (1u << 20) /* as the server reads one */

static BYTE *read_all(const wchar_t *path, DWORD *size)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    BYTE *data = NULL;
    DWORD got = 0;

    if (f == INVALID_HANDLE_VALUE)
        return NULL;
    *size = GetFileSize(f, NULL);
    if (*size != INVALID_FILE_SIZE && *size > 0 && *size <= PFX_MAX &&
        (data = malloc(*size)) != NULL &&
        (!ReadFile(f, data, *size, &got, NULL) || got != *size)) {
        free(data);
        data = NULL;
    }
    CloseHandle(f);
    return data;
}

/* 1 when the certificate may serve TLS: server authentication among its
 * usages, or no usage limits at all. */
static int for_server_auth(PCCERT_CONTEXT cert)
{
    CERT_ENHKEY_USAGE *usage = NULL;
    DWORD size = 0;
    int ok = 0;

    if (!CertGetEnhancedKeyUsage(cert, 0, NULL, &size) || (usage = malloc(size)) == NULL ||
        !CertGetEnhancedKeyUsage(cert, 0, usage, &size)) {
        free(usage);
        return 0;
    }
    /* None listed, and CRYPT_E_NOT_FOUND: good for every usage. */
    ok = usage->cUsageIdentifier == 0 && GetLastError() == (DWORD)CRYPT_E_NOT_FOUND;
    for (DWORD i = 0; i < usage->cUsageIdentifier && !ok; i++)
        ok = strcmp(usage->rgpszUsageIdentifier[i], szOID_PKIX_KP_SERVER_AUTH) == 0;
    free(usage);
    return ok;
}

static int has_key(PCCERT_CONTEXT cert)
{
    DWORD size = 0;

    return CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) ||
           CertGetCertificateContextProperty(cert, CERT_KEY_CONTEXT_PROP_ID, NULL, &size) ||
           CertGetCertificateContextProperty(cert, CERT_NCRYPT_KEY_HANDLE_PROP_ID, NULL, &size);
}

/* 1 when this user's default CryptoAPI key container exists. */
static int default_container_exists(void)
{
    HCRYPTPROV prov = 0;

    if (!CryptAcquireContextW(&prov, NULL, MS_ENHANCED_PROV_W, PROV_RSA_FULL, CRYPT_SILENT))
        return 0;
    CryptReleaseContext(prov, 0);
    return 1;
}

int pfxcheck_file(const char *path, const char *password, char fingerprint[65],
                  char key_pin[65], char *err, size_t errcap)
{
    wchar_t *wpath = wstr_from_utf8(path, strlen(path));
    wchar_t *wpass = wstr_from_utf8(password != NULL ? password : "",
                                    password != NULL ? strlen(password) : 0);
    CRYPT_DATA_BLOB blob = {0, NULL};
    HCERTSTORE store = NULL;
    PCCERT_CONTEXT cert = NULL;
    char why[300];
    LONG when;
    int rc = -1, had_default = default_container_exists();

    if (wpath == NULL || wpass == NULL) {
        snprintf(err, errcap, "--tls-certificate: out of memory");
        goto out;
    }
    blob.pbData = read_all(wpath, &blob.cbData);
    if (blob.pbData == NULL) {
        DWORD e = GetLastError();
        /* Most likely a thumbprint that lost or gained a digit in the copy. */
        if (winerr_kind(e) == WINERR_NOT_FOUND || winerr_kind(e) == WINERR_BAD_NAME)
            snprintf(err, errcap, "--tls-certificate: %s is neither a certificate thumbprint "
                                  "(40 hex digits) nor a PFX file that exists",
                     path);
        else
            snprintf(err, errcap, "--tls-certificate: cannot read %s as a PFX file: %s", path,
                     winerr_text(e, why, sizeof why));
        goto out;
    }
    if (!PFXIsPFXBlob(&blob)) {
        snprintf(err, errcap, "--tls-certificate: %s is not a PFX (PKCS #12) file", path);
        goto out;
    }
    store = PFXImportCertStore(&blob, wpass, PKCS12_NO_PERSIST_KEY);
    if (store == NULL) {
        snprintf(err, errcap,
                 "--tls-certificate: %s cannot be opened with %s (or holds no private key)",
                 path, password != NULL ? "the password given" : "no password: give --pfx-password");
        goto out;
    }
    while ((cert = CertEnumCertificatesInStore(store, cert)) != NULL && !has_key(cert))
        ;
    if (cert == NULL) {
        snprintf(err, errcap, "--tls-certificate: %s holds no certificate with its private key",
                 path);
        goto out;
    }
    when = CertVerifyTimeValidity(NULL, cert->pCertInfo);
    if (when != 0) {
        snprintf(err, errcap, "--tls-certificate: the certificate in %s is %s", path,
                 when > 0 ? "expired" : "not valid yet");
    } else if (!for_server_auth(cert)) {
        snprintf(err, errcap, "--tls-certificate: the certificate in %s is not for server "
                              "authentication (its extended key usage leaves it out)",
                 path);
    } else if (certpin_fingerprint(cert->pbCertEncoded, cert->cbCertEncoded, fingerprint) != 0 ||
               certpin_key(cert->pbCertEncoded, cert->cbCertEncoded, key_pin) != 0) {
        snprintf(err, errcap, "--tls-certificate: cannot hash the certificate in %s: %s", path,
                 winerr_text(GetLastError(), why, sizeof why));
    } else {
        rc = 0;
    }
out:
    if (cert != NULL)
        CertFreeCertificateContext(cert);
    if (store != NULL)
        CertCloseStore(store, 0);
    if (!had_default && default_container_exists()) {
        HCRYPTPROV prov = 0;
        CryptAcquireContextW(&prov, NULL, MS_ENHANCED_PROV_W, PROV_RSA_FULL, CRYPT_DELETEKEYSET);
    }
    if (wpass != NULL) {
        SecureZeroMemory(wpass, wcslen(wpass) * sizeof *wpass);
        free(wpass);
    }
    free(wpath);
    free(blob.pbData);
    return rc;
}
