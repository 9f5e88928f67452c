/* schancred.c - the server's Schannel credential: its certificate (from a
 * store or a PFX file), the checks before serving with it, and the key
 * containers a PFX import leaves (see schan.h). Made by one thread, then
 * shared read-only by every connection (tlscred.h counts its users). */
#include "schan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ncrypt.h>

#include "certkey.h"
#include "certstore.h"
#include "hexfmt.h"
#include "tlsacquire.h"
#include "tlspolicy.h"
#include "winerr.h"
#include "wstr.h"

#define PFX_MAX (1u << 20) /* a PFX file larger than this is not one */

/* Imports a PFX file into a memory store; its private key is persisted in
 * the user's key set, since Schannel serves only with a persisted key. */
static int open_pfx(struct schannel_cred *c, const char *path, const char *password, char *err,
                    size_t errcap)
{
    wchar_t *wpath = wstr_from_utf8(path, strlen(path));
    wchar_t *wpass = wstr_from_utf8(password != NULL ? password : "",
                                    password != NULL ? strlen(password) : 0);
    HANDLE f = INVALID_HANDLE_VALUE;
    BYTE *data = NULL;
    DWORD size = 0, got = 0;
    CRYPT_DATA_BLOB blob;
    PCCERT_CONTEXT cert = NULL;
    char why[300];
    int rc = -1;

    if (wpath == NULL || wpass == NULL) {
        snprintf(err, errcap, "tls_certificate: out of memory");
        goto out;
    }
    f = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        /* Not there at all: most likely a thumbprint that lost or gained a
         * digit in the copy, so say what was expected and what was read. */
        if (winerr_kind(e) == WINERR_NOT_FOUND || winerr_kind(e) == WINERR_BAD_NAME) {
            int digits = hexfmt_parse_loose(path, NULL, 0);
            char counted[32] = "";
            if (digits > 0)
                snprintf(counted, sizeof counted, "; it has %d", digits);
            snprintf(err, errcap,
                     "tls_certificate: %s is neither a certificate thumbprint (40 hex "
                     "digits%s) nor a PFX file that exists",
                     path, counted);
            goto out;
        }
        snprintf(err, errcap, "tls_certificate: cannot read %s: %s", path,
                 winerr_text(e, why, sizeof why));
        goto out;
    }
    size = GetFileSize(f, NULL);
    if (size == INVALID_FILE_SIZE || size == 0 || size > PFX_MAX ||
        (data = malloc(size)) == NULL || !ReadFile(f, data, size, &got, NULL) || got != size) {
        snprintf(err, errcap, "tls_certificate: cannot read %s as a PFX file", path);
        goto out;
    }
    blob.cbData = size;
    blob.pbData = data;
    if (!PFXIsPFXBlob(&blob)) {
        snprintf(err, errcap, "tls_certificate: %s is not a PFX (PKCS #12) file", path);
        goto out;
    }
    /* Persisted, not PKCS12_NO_PERSIST_KEY: Schannel refuses an ephemeral
     * key. The containers this makes are deleted by schannel_cred_close. */
    c->store = PFXImportCertStore(&blob, wpass, CRYPT_USER_KEYSET);
    if (c->store == NULL) {
        /* Wine leaves the error 0, and refuses a file without a private key
         * here too (Windows imports it, and the search below says so);
         * PFXVerifyPassword, which could tell the two apart, is a stub there. */
        DWORD e = GetLastError();
        snprintf(err, errcap, "tls_certificate: %s cannot be opened (wrong tls_pfx_password%s)%s%s",
                 path, e != 0 ? "?" : ", or no private key in it? this system does not say which",
                 e != 0 ? ": " : "", e != 0 ? winerr_text(e, why, sizeof why) : "");
        goto out;
    }
    c->from_pfx = 1;
    while ((cert = CertEnumCertificatesInStore(c->store, cert)) != NULL) {
        if (certstore_has_key(cert)) {
            c->cert = CertDuplicateCertificateContext(cert);
            CertFreeCertificateContext(cert);
            break;
        }
    }
    if (c->cert == NULL) {
        snprintf(err, errcap, "tls_certificate: %s holds no certificate with its private key",
                 path);
        goto out;
    }
    rc = 0;
out:
    if (wpass != NULL) {
        SecureZeroMemory(wpass, wcslen(wpass) * sizeof *wpass);
        free(wpass);
    }
    free(wpath);
    free(data);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    return rc;
}

static int check_certificate(struct schannel_cred *c, char *err, size_t errcap)
{
    LONG when = CertVerifyTimeValidity(NULL, c->cert->pCertInfo);
    char why[300];

    if (when != 0) {
        snprintf(err, errcap, "tls_certificate %s is %s", c->thumbprint,
                 when > 0 ? "expired" : "not valid yet");
        return -1;
    }
    if (!certstore_has_key(c->cert)) {
        snprintf(err, errcap, "tls_certificate %s has no private key", c->thumbprint);
        return -1;
    }
    if (!certstore_key_opens(c->cert)) {
        snprintf(err, errcap, "tls_certificate %s: its private key cannot be read: %s",
                 c->thumbprint, winerr_text(GetLastError(), why, sizeof why));
        return -1;
    }
    return 0;
}

/* Asks the new credential for a context with the first bytes of a
 * ClientHello: a Schannel that can serve wants the rest of it; Wine before
 * 9 has no server side at all (SEC_E_UNSUPPORTED_FUNCTION), which must stop
 * the start rather than fail every client. */
static int probe_server_side(struct schannel_cred *c, char *err, size_t errcap)
{
    static const unsigned char hello[5] = {0x16, 0x03, 0x01, 0x00, 0x40};
    unsigned char copy[sizeof hello];
    struct schannel_ctx x;
    SecBuffer in[2], out[1];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, out};
    SECURITY_STATUS st;
    char why[80];

    memcpy(copy, hello, sizeof hello);
    schannel_ctx_init(&x, c);
    in[0].BufferType = SECBUFFER_TOKEN;
    in[0].pvBuffer = copy;
    in[0].cbBuffer = sizeof copy;
    in[1].BufferType = SECBUFFER_EMPTY;
    in[1].pvBuffer = NULL;
    in[1].cbBuffer = 0;
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].pvBuffer = NULL;
    out[0].cbBuffer = 0;
    st = schannel_ops.handshake(&x, &in_desc, &out_desc);
    if (out[0].pvBuffer != NULL)
        FreeContextBuffer(out[0].pvBuffer);
    schannel_ctx_free(&x);
    if (st == SEC_E_UNSUPPORTED_FUNCTION || st == SEC_E_UNKNOWN_CREDENTIALS ||
        st == SEC_E_NO_CREDENTIALS || st == SEC_E_INTERNAL_ERROR) {
        snprintf(err, errcap,
                 "TLS: this system's Schannel cannot act as a TLS server with certificate %s "
                 "(AcceptSecurityContext: %s)%s",
                 c->thumbprint, schannel_status_text(st, why, sizeof why),
                 st == SEC_E_UNSUPPORTED_FUNCTION ? "; Wine before 9 has no server-side TLS" : "");
        return -1;
    }
    return 0;
}

static void close_refused(struct schannel_cred *c, const struct schannel_cred *live);

int schannel_cred_open(struct schannel_cred *c, const char *certificate, const char *pfx_password,
                       unsigned min_version, const struct schannel_cred *live, char *err,
                       size_t errcap)
{
    return schannel_cred_open_policy(c, certificate, pfx_password, min_version,
                                     TLSPOLICY_INTERMEDIATE, live, err, errcap);
}

int schannel_cred_open_policy(struct schannel_cred *c, const char *certificate,
                              const char *pfx_password, unsigned min_version, unsigned policy,
                              const struct schannel_cred *live, char *err, size_t errcap)
{
    BYTE hash[20];
    DWORD hash_len = sizeof hash;
    int rc;

    memset(c, 0, sizeof *c);
    /* A thumbprint or subject:NAME from the stores; else a PFX file. */
    rc = certstore_resolve(c, certificate, c->chosen, sizeof c->chosen, err, errcap);
    if (rc < 0 || (rc > 0 && open_pfx(c, certificate, pfx_password, err, errcap) != 0))
        goto fail;
    if (CertGetCertificateContextProperty(c->cert, CERT_SHA1_HASH_PROP_ID, hash, &hash_len))
        hexfmt_upper(hash, 20, c->thumbprint);
    if (check_certificate(c, err, errcap) != 0)
        goto fail;
    if (tlsacquire_credential(c, min_version, policy, err, errcap) != 0)
        goto fail;
    if (probe_server_side(c, err, errcap) != 0)
        goto fail;
    return 0;
fail:
    close_refused(c, live);
    return -1;
}

/* The certificate's CERT_KEY_PROV_INFO (malloc'd), or NULL. */
static CRYPT_KEY_PROV_INFO *key_prov_info(PCCERT_CONTEXT cert)
{
    CRYPT_KEY_PROV_INFO *kpi = NULL;
    DWORD size = 0;

    if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) ||
        (kpi = malloc(size)) == NULL)
        return NULL;
    if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, kpi, &size) ||
        kpi->pwszContainerName == NULL) {
        free(kpi);
        return NULL;
    }
    return kpi;
}

/* Deletes the key container the PFX import made for cert, if any, unless it
 * is the one named spare (NULL: none): without this each start or reload
 * from a PFX left one more key in the account's key set. CryptoAPI keys
 * have a provider type; CNG ones (type 0) live in a key storage provider. */
static void delete_imported_key(PCCERT_CONTEXT cert, const wchar_t *spare)
{
    CRYPT_KEY_PROV_INFO *kpi = key_prov_info(cert);

    if (kpi == NULL)
        return;
    if (spare != NULL && _wcsicmp(kpi->pwszContainerName, spare) == 0) {
        free(kpi);
        return;
    }
    certkey_delete(kpi);
    free(kpi);
}

void schannel_cred_hand_over_keys(struct schannel_cred *old, const struct schannel_cred *next)
{
    CRYPT_KEY_PROV_INFO *a, *b;

    if (!old->from_pfx || !next->from_pfx)
        return;
    a = key_prov_info(old->cert);
    b = key_prov_info(next->cert);
    if (a != NULL && b != NULL && _wcsicmp(a->pwszContainerName, b->pwszContainerName) == 0)
        old->from_pfx = 0;
    free(a);
    free(b);
}

/* The key containers of c's PFX import, all but the one named spare. */
static void delete_imported_keys(struct schannel_cred *c, const wchar_t *spare)
{
    PCCERT_CONTEXT cert = NULL;

    if (c->from_pfx && c->store != NULL) {
        while ((cert = CertEnumCertificatesInStore(c->store, cert)) != NULL)
            delete_imported_key(cert, spare);
    }
    c->from_pfx = 0;
}

/* A credential refused on the way to serving: its import's containers go,
 * except the one live's certificate serves from. Windows gives every import
 * a container of its own, so there this spares nothing; Wine names them all
 * after the user, so a reload refused after the import (an expired
 * certificate with the same key, a Schannel that will not serve it) would
 * otherwise delete the key of the certificate still serving. */
static void close_refused(struct schannel_cred *c, const struct schannel_cred *live)
{
    CRYPT_KEY_PROV_INFO *keep = live != NULL && live->cert != NULL ? key_prov_info(live->cert)
                                                                   : NULL;

    delete_imported_keys(c, keep != NULL ? keep->pwszContainerName : NULL);
    free(keep);
    schannel_cred_close(c);
}

void schannel_cred_close(struct schannel_cred *c)
{
    if (c->have_handle)
        FreeCredentialsHandle(&c->handle);
    c->have_handle = 0;
    delete_imported_keys(c, NULL);
    if (c->cert != NULL)
        CertFreeCertificateContext(c->cert);
    c->cert = NULL;
    if (c->store != NULL)
        CertCloseStore(c->store, 0);
    c->store = NULL;
}

