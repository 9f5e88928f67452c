/* certsign.h - signs a self-signed certificate over a key that exists
 * already, with a serial and a validity chosen here, and takes one back out
 * of its store. Used by `mtserver cert` for a new key (certmake.c) and by
 * `mtserver cert --renew` for the serving certificate's key (certrenew.c).
 *
 * Why not CertCreateSelfSignCertificate: it draws a 16-byte serial with no
 * regard to its sign, so half of Wine's were negative, which RFC 5280
 * forbids and Go and newer Python `cryptography` refuse (issue 20 item 2). */
#ifndef MTS_CERTSIGN_H
#define MTS_CERTSIGN_H

#include <windows.h>
#include <wincrypt.h>

#define CERTSIGN_DAYS_DEFAULT 397 /* within the 398 browsers and Mozilla's profile allow */

struct certsign_request {
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key; /* signs, and gives the public key */
    DWORD key_spec;                       /* AT_KEYEXCHANGE, or CERT_NCRYPT_KEY_SPEC */
    const CRYPT_KEY_PROV_INFO *kpi;       /* where the key lives: the certificate's key property */
    const CERT_NAME_BLOB *subject;        /* also the issuer */
    DWORD extension_count;
    CERT_EXTENSION *extensions;
    unsigned days; /* from now */
};

/* The signed certificate (not in any store; CertFreeCertificateContext),
 * with a positive 16-byte random serial and the key property set, or NULL
 * with GetLastError() saying why. */
PCCERT_CONTEXT certsign_make(const struct certsign_request *r);

/* Its SHA-1 thumbprint, its SHA-256 fingerprint and the SHA-256 of its
 * SubjectPublicKeyInfo (the key pin, x509der.h), each as upper-case hex.
 * Returns 0, or -1 with GetLastError(). */
int certsign_hashes(PCCERT_CONTEXT cert, BYTE sha1[20], char thumb[41], char fingerprint[65],
                    char key_pin[65]);

/* Deletes the certificate with this SHA-1 hash from My in the given system
 * store location (CERT_SYSTEM_STORE_CURRENT_USER or _LOCAL_MACHINE).
 * Through the registry store itself: deleting through the system store (a
 * collection) leaves it in place under Wine. Returns 0 or -1. */
int certsign_remove(DWORD location, const BYTE sha1[20]);

#endif
