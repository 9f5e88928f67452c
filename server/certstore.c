/* certstore.c - finding the server's certificate in the system stores
 * (see certstore.h): by thumbprint in LocalMachine\\My, then
 * CurrentUser\\My. Called from the thread that opens a credential. */
#include "certstore.h"

#include <stdio.h>
#include <string.h>

#include "hexfmt.h"
#include "wstr.h"

/* The certificate with this SHA-1 hash in LocalMachine\My, else in
 * CurrentUser\My (a console-mode server run by a user; Wine also keeps no
 * LocalMachine\My between processes). */
int certstore_find(struct schannel_cred *c, const BYTE hash[20], char *err, size_t errcap)
{
    static const DWORD where[] = {CERT_SYSTEM_STORE_LOCAL_MACHINE, CERT_SYSTEM_STORE_CURRENT_USER};
    static const char *const names[] = {"LocalMachine\\My", "CurrentUser\\My"};
    CRYPT_HASH_BLOB blob;

    blob.cbData = 20;
    blob.pbData = (BYTE *)hash;
    for (size_t i = 0; i < 2; i++) {
        HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                                     where[i] | CERT_STORE_OPEN_EXISTING_FLAG |
                                         CERT_STORE_READONLY_FLAG,
                                     L"MY");
        PCCERT_CONTEXT cert;
        if (s == NULL)
            continue;
        cert = CertFindCertificateInStore(s, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0,
                                          CERT_FIND_SHA1_HASH, &blob, NULL);
        if (cert != NULL) {
            c->cert = cert;
            c->store = s;
            c->store_name = names[i];
            return 0;
        }
        CertCloseStore(s, 0);
    }
    snprintf(err, errcap,
             "tls_certificate: no certificate with thumbprint %s in LocalMachine\\My or "
             "CurrentUser\\My",
             c->thumbprint);
    return -1;
}

int certstore_has_key(PCCERT_CONTEXT cert)
{
    DWORD size = 0;

    return CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) ||
           CertGetCertificateContextProperty(cert, CERT_NCRYPT_KEY_HANDLE_PROP_ID, NULL, &size) ||
           CertGetCertificateContextProperty(cert, CERT_KEY_CONTEXT_PROP_ID, NULL, &size);
}

int certstore_describe(const char *certificate, char *out, size_t cap)
{
    struct schannel_cred c;
    BYTE hash[20];
    wchar_t subject[512];
    SYSTEMTIME until;
    char subject8[1024], err[600];

    memset(&c, 0, sizeof c);
    /* Found as schannel_cred_open finds it; a PFX is named, not opened: its
     * password is the service's, and importing it would persist a key. */
    if (hexfmt_parse_loose(certificate, hash, sizeof hash) != 40) {
        snprintf(out, cap, "PFX file %s (not opened here)", certificate);
        return 0;
    }
    hexfmt_upper(hash, 20, c.thumbprint);
    if (certstore_find(&c, hash, err, sizeof err) != 0) {
        snprintf(out, cap, "%s", err);
        return -1;
    }
    if (CertNameToStrW(X509_ASN_ENCODING, &c.cert->pCertInfo->Subject, CERT_X500_NAME_STR,
                       subject, sizeof subject / sizeof subject[0]) <= 1)
        wcscpy(subject, L"(no subject)");
    wstr_to_utf8_buf(subject, subject8, sizeof subject8);
    if (!FileTimeToSystemTime(&c.cert->pCertInfo->NotAfter, &until))
        memset(&until, 0, sizeof until);
    snprintf(out, cap, "%s, thumbprint %s, valid until %04u-%02u-%02u, in %s", subject8,
             c.thumbprint, until.wYear, until.wMonth, until.wDay, c.store_name);
    CertFreeCertificateContext(c.cert);
    CertCloseStore(c.store, 0);
    return 0;
}
