/* certstore.c - finding the server's certificate in the system stores
 * (see certstore.h): by thumbprint in LocalMachine\\My, then
 * CurrentUser\\My. Called from the thread that opens a credential. */
#include "certstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ncrypt.h>

#include "certpick.h"
#include "hexfmt.h"
#include "wstr.h"

static const DWORD where[] = {CERT_SYSTEM_STORE_LOCAL_MACHINE, CERT_SYSTEM_STORE_CURRENT_USER};
static const char *const where_names[] = {"LocalMachine\\My", "CurrentUser\\My"};

static HCERTSTORE open_my(size_t i)
{
    return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                         where[i] | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG,
                         L"MY");
}

/* The certificate with this SHA-1 hash in LocalMachine\My, else in
 * CurrentUser\My (a console-mode server run by a user; Wine also keeps no
 * LocalMachine\My between processes). */
int certstore_find(struct schannel_cred *c, const BYTE hash[20], char *err, size_t errcap)
{
    CRYPT_HASH_BLOB blob;

    blob.cbData = 20;
    blob.pbData = (BYTE *)hash;
    for (size_t i = 0; i < 2; i++) {
        HCERTSTORE s = open_my(i);
        PCCERT_CONTEXT cert;
        if (s == NULL)
            continue;
        cert = CertFindCertificateInStore(s, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0,
                                          CERT_FIND_SHA1_HASH, &blob, NULL);
        if (cert != NULL) {
            c->cert = cert;
            c->store = s;
            c->store_name = where_names[i];
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
    wchar_t subject[512];
    SYSTEMTIME until;
    char subject8[1024], err[600], note[300];
    int rc;

    memset(&c, 0, sizeof c);
    /* Found as schannel_cred_open finds it; a PFX is named, not opened: its
     * password is the service's, and importing it would persist a key. */
    rc = certstore_resolve(&c, certificate, note, sizeof note, err, sizeof err);
    if (rc > 0) {
        snprintf(out, cap, "PFX file %s (not opened here)", certificate);
        return 0;
    }
    if (rc < 0) {
        snprintf(out, cap, "%s", err);
        return -1;
    }
    if (CertNameToStrW(X509_ASN_ENCODING, &c.cert->pCertInfo->Subject, CERT_X500_NAME_STR,
                       subject, sizeof subject / sizeof subject[0]) <= 1)
        wcscpy(subject, L"(no subject)");
    wstr_to_utf8_buf(subject, subject8, sizeof subject8);
    if (!FileTimeToSystemTime(&c.cert->pCertInfo->NotAfter, &until))
        memset(&until, 0, sizeof until);
    snprintf(out, cap, "%s, thumbprint %s, valid until %04u-%02u-%02u, in %s%s%s%s", subject8,
             c.thumbprint, until.wYear, until.wMonth, until.wDay, c.store_name,
             note[0] != '\0' ? " (" : "", note, note[0] != '\0' ? ")" : "");
    CertFreeCertificateContext(c.cert);
    CertCloseStore(c.store, 0);
    return 0;
}

/* Seconds since 1601 (FILETIME's epoch): certpick.h wants one epoch only. */
static int64_t seconds(const FILETIME *t)
{
    return (int64_t)((((uint64_t)t->dwHighDateTime << 32) | t->dwLowDateTime) / 10000000u);
}

/* Whether the certificate may serve TLS: its EKU names server
 * authentication, or it has no EKU (every use). */
static int for_server_auth(PCCERT_CONTEXT cert)
{
    DWORD size = 0;
    CERT_ENHKEY_USAGE *eku;
    int ok = 0;

    if (!CertGetEnhancedKeyUsage(cert, 0, NULL, &size))
        return GetLastError() == (DWORD)CRYPT_E_NOT_FOUND;
    eku = malloc(size);
    if (eku == NULL || !CertGetEnhancedKeyUsage(cert, 0, eku, &size)) {
        free(eku);
        return 0;
    }
    /* No identifier at all, with success, also means every use. */
    ok = eku->cUsageIdentifier == 0 && GetLastError() == (DWORD)CRYPT_E_NOT_FOUND;
    for (DWORD i = 0; i < eku->cUsageIdentifier; i++) {
        if (strcmp(eku->rgpszUsageIdentifier[i], szOID_PKIX_KP_SERVER_AUTH) == 0)
            ok = 1;
    }
    free(eku);
    return ok;
}

int certstore_key_opens(PCCERT_CONTEXT cert)
{
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key = 0;
    DWORD spec = 0;
    BOOL must_free = FALSE;

    if (!CryptAcquireCertificatePrivateKey(
            cert, CRYPT_ACQUIRE_SILENT_FLAG | CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG, NULL, &key,
            &spec, &must_free))
        return 0;
    if (must_free) {
        if (spec == CERT_NCRYPT_KEY_SPEC)
            NCryptFreeObject(key);
        else
            CryptReleaseContext(key, 0);
    }
    return 1;
}

/* Room for one certificate's names as UTF-8. */
struct names {
    char text[CERTPICK_MAX_NAMES][256];
};

/* The row certpick.h judges: validity, key, usage, CN and DNS names. */
static void row_of(PCCERT_CONTEXT cert, struct certpick_cert *row, struct names *n)
{
    CERT_EXTENSION *ext;
    CERT_ALT_NAME_INFO *alt = NULL;
    DWORD size = 0;
    wchar_t cn[256];

    memset(row, 0, sizeof *row);
    row->not_before = seconds(&cert->pCertInfo->NotBefore);
    row->not_after = seconds(&cert->pCertInfo->NotAfter);
    row->has_key = certstore_has_key(cert);
    row->server_auth = for_server_auth(cert);
    if (CertGetNameStringW(cert, CERT_NAME_ATTR_TYPE, 0, (void *)szOID_COMMON_NAME, cn,
                           sizeof cn / sizeof cn[0]) > 1) {
        wstr_to_utf8_buf(cn, n->text[0], sizeof n->text[0]);
        row->names[row->name_count] = n->text[row->name_count];
        row->name_count++;
    }
    ext = CertFindExtension(szOID_SUBJECT_ALT_NAME2, cert->pCertInfo->cExtension,
                            cert->pCertInfo->rgExtension);
    if (ext == NULL ||
        !CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, ext->Value.pbData,
                             ext->Value.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &alt, &size))
        return;
    for (DWORD i = 0; i < alt->cAltEntry && row->name_count < CERTPICK_MAX_NAMES; i++) {
        if (alt->rgAltEntry[i].dwAltNameChoice != CERT_ALT_NAME_DNS_NAME)
            continue;
        wstr_to_utf8_buf(alt->rgAltEntry[i].pwszDNSName, n->text[row->name_count],
                         sizeof n->text[0]);
        row->names[row->name_count] = n->text[row->name_count];
        row->name_count++;
    }
    LocalFree(alt);
}

/* tls_certificate = subject:NAME: the newest certificate that may serve
 * NAME now, from LocalMachine\My, then CurrentUser\My (a tie goes to the
 * machine's). */
static int find_by_subject(struct schannel_cred *c, const char *name, char *err, size_t errcap)
{
    struct certpick_cert best_row, row;
    struct names *names = malloc(sizeof *names);
    FILETIME now_ft;
    int64_t now;
    int miss = 1, found = 0;

    if (names == NULL) {
        snprintf(err, errcap, "tls_certificate: out of memory");
        return -1;
    }
    GetSystemTimeAsFileTime(&now_ft);
    now = seconds(&now_ft);
    for (size_t i = 0; i < 2; i++) {
        HCERTSTORE s = open_my(i);
        PCCERT_CONTEXT cert = NULL;
        int kept = 0;
        if (s == NULL)
            continue;
        while ((cert = CertEnumCertificatesInStore(s, cert)) != NULL) {
            int fit;
            row_of(cert, &row, names);
            fit = certpick_fit(&row, name, now);
            /* A key named by a property may be gone (its container deleted):
             * only one that opens counts. Checked last: it is the slow part. */
            if (fit == 0 && !certstore_key_opens(cert)) {
                row.has_key = 0;
                fit = certpick_fit(&row, name, now);
            }
            if (fit != 0) {
                miss = fit > miss ? fit : miss;
                continue;
            }
            if (found && !certpick_newer(&row, &best_row))
                continue;
            if (c->cert != NULL)
                CertFreeCertificateContext(c->cert);
            if (c->store != NULL && c->store != s)
                CertCloseStore(c->store, 0);
            c->cert = CertDuplicateCertificateContext(cert);
            c->store = s;
            c->store_name = where_names[i];
            best_row = row;
            found = kept = 1;
        }
        if (!kept)
            CertCloseStore(s, 0);
    }
    free(names);
    if (!found) {
        snprintf(err, errcap,
                 "tls_certificate: subject:%s: no certificate in LocalMachine\\My or "
                 "CurrentUser\\My can serve it now: %s",
                 name, certpick_miss_text(miss));
        return -1;
    }
    return 0;
}

/* The certificate's SHA-1 thumbprint as hex into out (41 bytes). */
static void thumbprint_of(PCCERT_CONTEXT cert, char out[41])
{
    BYTE hash[20];
    DWORD len = sizeof hash;

    if (CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash, &len) && len == 20)
        hexfmt_upper(hash, 20, out);
    else
        out[0] = '\0';
}

/* A thumbprint's certificate renewed (certreq, win-acme, Switch-Certificate
 * set CERT_RENEWAL_PROP_ID on the old one: the new one's SHA-1 hash): the
 * newest of the chain serves, and the note says from which. A renewal
 * that is not in the stores ends the walk where it is. */
static void follow_renewals(struct schannel_cred *c, char *note, size_t notecap)
{
    char first[41];
    int steps = 0;

    thumbprint_of(c->cert, first);
    for (; steps < CERTPICK_MAX_RENEWALS; steps++) {
        struct schannel_cred next;
        BYTE hash[20];
        DWORD len = sizeof hash;
        char why[300];
        if (!CertGetCertificateContextProperty(c->cert, CERT_RENEWAL_PROP_ID, hash, &len) ||
            len != 20)
            break;
        memset(&next, 0, sizeof next);
        hexfmt_upper(hash, 20, next.thumbprint);
        if (certstore_find(&next, hash, why, sizeof why) != 0)
            break;
        CertFreeCertificateContext(c->cert);
        CertCloseStore(c->store, 0);
        c->cert = next.cert;
        c->store = next.store;
        c->store_name = next.store_name;
    }
    if (steps > 0) {
        thumbprint_of(c->cert, c->thumbprint);
        snprintf(note, notecap, "thumbprint %s was renewed: following its renewal%s to %s%s",
                 first, steps > 1 ? "s" : "", c->thumbprint,
                 steps == CERTPICK_MAX_RENEWALS ? " (the chain goes on: a loop?)" : "");
    }
}

int certstore_resolve(struct schannel_cred *c, const char *setting, char *note, size_t notecap,
                      char *err, size_t errcap)
{
    const char *name;
    BYTE hash[20];

    note[0] = '\0';
    if (certpick_subject(setting, &name)) {
        if (find_by_subject(c, name, err, errcap) != 0)
            return -1;
        thumbprint_of(c->cert, c->thumbprint);
        snprintf(note, notecap, "subject:%s chose %s, the newest valid one in %s", name,
                 c->thumbprint, c->store_name);
        return 0;
    }
    /* 40 hex digits, as certificate dialogs show them and certmgr copies
     * them (hexfmt.h); anything else is the path of a PFX file. */
    if (hexfmt_parse_loose(setting, hash, sizeof hash) != 40)
        return 1;
    hexfmt_upper(hash, 20, c->thumbprint);
    if (certstore_find(c, hash, err, errcap) != 0)
        return -1;
    follow_renewals(c, note, notecap);
    return 0;
}
