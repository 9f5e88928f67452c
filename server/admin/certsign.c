/* certsign.c - a self-signed certificate over an existing key (see certsign.h).
 *
 * CryptSignAndEncodeCertificate with a CERT_INFO built here: the same call
 * CertCreateSelfSignCertificate makes inside, with the serial and dates
 * in this file's hands. CERT_INFO holds the serial little-endian. */
#include "certsign.h"

#include <stdlib.h>
#include <string.h>
#include <bcrypt.h>

#include "certpin.h"
#include "hexfmt.h"

#define SERIAL_BYTES 16
#define FILETIME_PER_DAY 864000000000ull /* 100-ns units */

/* 16 random bytes read as a positive number with no leading zero octet:
 * the most significant one (last here) gets 01 in its top bits. */
static int new_serial(BYTE serial[SERIAL_BYTES])
{
    if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, serial, SERIAL_BYTES,
                                        BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
        return -1;
    serial[SERIAL_BYTES - 1] = (BYTE)((serial[SERIAL_BYTES - 1] & 0x3F) | 0x40);
    return 0;
}

static FILETIME days_after(FILETIME t, unsigned days)
{
    ULARGE_INTEGER u;

    u.LowPart = t.dwLowDateTime;
    u.HighPart = t.dwHighDateTime;
    u.QuadPart += (unsigned long long)days * FILETIME_PER_DAY;
    t.dwLowDateTime = u.LowPart;
    t.dwHighDateTime = u.HighPart;
    return t;
}

PCCERT_CONTEXT certsign_make(const struct certsign_request *r)
{
    /* sha256WithRSAEncryption takes NULL parameters (RFC 4055). */
    static BYTE null_params[] = {0x05, 0x00};
    BYTE serial[SERIAL_BYTES], *der = NULL;
    CERT_PUBLIC_KEY_INFO *pub = NULL;
    CRYPT_ALGORITHM_IDENTIFIER alg;
    CERT_INFO ci;
    DWORD pub_len = 0, der_len = 0, e = 0;
    PCCERT_CONTEXT cert = NULL;

    if (new_serial(serial) != 0) {
        SetLastError(NTE_FAIL);
        return NULL;
    }
    if (!CryptExportPublicKeyInfo(r->key, r->key_spec, X509_ASN_ENCODING, NULL, &pub_len) ||
        (pub = malloc(pub_len)) == NULL ||
        !CryptExportPublicKeyInfo(r->key, r->key_spec, X509_ASN_ENCODING, pub, &pub_len))
        goto out;
    memset(&alg, 0, sizeof alg);
    if (strcmp(pub->Algorithm.pszObjId, szOID_ECC_PUBLIC_KEY) == 0) {
        alg.pszObjId = szOID_ECDSA_SHA256; /* no parameters (RFC 5758) */
    } else {
        alg.pszObjId = szOID_RSA_SHA256RSA;
        alg.Parameters.cbData = sizeof null_params;
        alg.Parameters.pbData = null_params;
    }
    memset(&ci, 0, sizeof ci);
    ci.dwVersion = CERT_V3;
    ci.SerialNumber.cbData = SERIAL_BYTES;
    ci.SerialNumber.pbData = serial;
    ci.SignatureAlgorithm = alg;
    ci.Issuer = *r->subject;
    ci.Subject = *r->subject;
    GetSystemTimeAsFileTime(&ci.NotBefore);
    ci.NotAfter = days_after(ci.NotBefore, r->days);
    ci.SubjectPublicKeyInfo = *pub;
    ci.cExtension = r->extension_count;
    ci.rgExtension = r->extensions;
    if (!CryptSignAndEncodeCertificate(r->key, r->key_spec, X509_ASN_ENCODING,
                                       X509_CERT_TO_BE_SIGNED, &ci, &alg, NULL, NULL, &der_len) ||
        (der = malloc(der_len)) == NULL ||
        !CryptSignAndEncodeCertificate(r->key, r->key_spec, X509_ASN_ENCODING,
                                       X509_CERT_TO_BE_SIGNED, &ci, &alg, NULL, der, &der_len))
        goto out;
    cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, der_len);
    if (cert != NULL &&
        !CertSetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, 0, r->kpi)) {
        e = GetLastError();
        CertFreeCertificateContext(cert);
        cert = NULL;
        SetLastError(e);
    }
out:
    if (cert == NULL && (pub == NULL || der == NULL) && GetLastError() == 0)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    free(pub);
    free(der);
    return cert;
}

int certsign_hashes(PCCERT_CONTEXT cert, BYTE sha1[20], char thumb[41], char fingerprint[65],
                    char key_pin[65])
{
    DWORD sha1_len = 20;

    if (!CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, sha1, &sha1_len) ||
        certpin_fingerprint(cert->pbCertEncoded, cert->cbCertEncoded, fingerprint) != 0 ||
        certpin_key(cert->pbCertEncoded, cert->cbCertEncoded, key_pin) != 0)
        return -1;
    hexfmt_upper(sha1, 20, thumb);
    return 0;
}

int certsign_remove(DWORD location, const BYTE sha1[20])
{
    CRYPT_HASH_BLOB blob = {20, (BYTE *)sha1};
    HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0, location, L"MY");
    PCCERT_CONTEXT cert;
    int rc = -1;

    if (store == NULL)
        return -1;
    cert = CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0,
                                      CERT_FIND_SHA1_HASH, &blob, NULL);
    if (cert != NULL && CertDeleteCertificateFromStore(cert)) /* frees cert */
        rc = 0;
    CertCloseStore(store, 0);
    return rc;
}
