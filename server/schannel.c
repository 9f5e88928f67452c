/* schannel.c - the SSPI and certificate calls of the TLS server (see
 * schannel.h). Nothing here buffers or touches a socket: tlsrec.c gathers
 * the records, transport_tls.c moves them. */
#include "schannel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ncrypt.h>
/* SCH_CREDENTIALS and TLS_PARAMETERS: the SDK's, MinGW's and Wine's
 * schannel.h declare them only under SCHANNEL_USE_BLACKLISTS, and they hold
 * UNICODE_STRINGs, which winternl.h declares. */
#define SCHANNEL_USE_BLACKLISTS
#include <winternl.h>
#include <schannel.h>

#include "hexfmt.h"
#include "hresult.h"
#include "winerr.h"
#include "wstr.h"

#define ACCEPT_FLAGS                                                                          \
    (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY |              \
     ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)

#define PFX_MAX (1u << 20) /* a PFX file larger than this is not one */

/* Every server-side stream protocol Schannel names, oldest first. */
#define SERVER_PROTOCOLS                                                                      \
    (SP_PROT_PCT1_SERVER | SP_PROT_SSL2_SERVER | SP_PROT_SSL3_SERVER | SP_PROT_TLS1_0_SERVER |  \
     SP_PROT_TLS1_1_SERVER | SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER)

const char *schannel_status_text(SECURITY_STATUS st, char *buf, size_t cap)
{
    return hresult_format((unsigned long)st, buf, cap);
}

/* The certificate with this SHA-1 hash in LocalMachine\My, else in
 * CurrentUser\My (a console-mode server run by a user; Wine also keeps no
 * LocalMachine\My between processes). */
static int find_in_stores(struct schannel_cred *c, const BYTE hash[20], char *err, size_t errcap)
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

static int has_private_key(PCCERT_CONTEXT cert)
{
    DWORD size = 0;

    return CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) ||
           CertGetCertificateContextProperty(cert, CERT_NCRYPT_KEY_HANDLE_PROP_ID, NULL, &size) ||
           CertGetCertificateContextProperty(cert, CERT_KEY_CONTEXT_PROP_ID, NULL, &size);
}

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
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND || e == ERROR_INVALID_NAME) {
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
        if (has_private_key(cert)) {
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
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key = 0;
    DWORD spec = 0;
    BOOL must_free = FALSE;
    char why[300];

    if (when != 0) {
        snprintf(err, errcap, "tls_certificate %s is %s", c->thumbprint,
                 when > 0 ? "expired" : "not valid yet");
        return -1;
    }
    if (!has_private_key(c->cert)) {
        snprintf(err, errcap, "tls_certificate %s has no private key", c->thumbprint);
        return -1;
    }
    if (!CryptAcquireCertificatePrivateKey(c->cert,
                                           CRYPT_ACQUIRE_SILENT_FLAG |
                                               CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG,
                                           NULL, &key, &spec, &must_free)) {
        snprintf(err, errcap, "tls_certificate %s: its private key cannot be read: %s",
                 c->thumbprint, winerr_text(GetLastError(), why, sizeof why));
        return -1;
    }
    if (must_free) {
        if (spec == CERT_NCRYPT_KEY_SPEC)
            NCryptFreeObject(key);
        else
            CryptReleaseContext(key, 0);
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

/* The versions tls_min_version allows: TLS 1.2 and 1.3, or 1.3 alone. This
 * is the one place that says so; transport_tls.c holds each connection to
 * the same minimum after its handshake. */
static DWORD wanted_protocols(unsigned min_version)
{
    return min_version >= 13 ? SP_PROT_TLS1_3_SERVER
                             : SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER;
}

/* "TLS 1.0, TLS 1.2" style names of the server protocols in bits. */
static void protocol_names(DWORD bits, char *out, size_t cap)
{
    static const struct {
        DWORD bit;
        const char *name;
    } names[] = {
        {SP_PROT_PCT1_SERVER, "PCT 1"},   {SP_PROT_SSL2_SERVER, "SSL 2"},
        {SP_PROT_SSL3_SERVER, "SSL 3"},   {SP_PROT_TLS1_0_SERVER, "TLS 1.0"},
        {SP_PROT_TLS1_1_SERVER, "TLS 1.1"}, {SP_PROT_TLS1_2_SERVER, "TLS 1.2"},
        {SP_PROT_TLS1_3_SERVER, "TLS 1.3"},
    };
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && used < cap; i++) {
        if (bits & names[i].bit) {
            int n = snprintf(out + used, cap - used, "%s%s", used > 0 ? ", " : "", names[i].name);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    if (out[0] == '\0')
        snprintf(out, cap, "none");
}

/* The server protocols a credential will negotiate, as Schannel reports
 * them. Returns 0, or -1 when it cannot say: the query fails, or answers
 * none at all for a credential it has just made (Wine 8 does so for every
 * server credential). Then each connection's version is still checked
 * after its handshake (transport_tls.c). */
static int offered_protocols(CredHandle *h, DWORD *offered)
{
    SecPkgCred_SupportedProtocols p;

    if (QueryCredentialsAttributesW(h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &p) != SEC_E_OK)
        return -1;
    *offered = p.grbitProtocol & SERVER_PROTOCOLS;
    return *offered != 0 ? 0 : -1;
}

/* SCH_CREDENTIALS (Windows 10 1809 and later): the only form that offers
 * TLS 1.3. It names the versions to refuse; everything not wanted is
 * refused, so that a version a later Windows adds is not offered before
 * this code has been checked with it. */
static SECURITY_STATUS acquire_current(struct schannel_cred *c, unsigned min_version)
{
    TLS_PARAMETERS tp;
    SCH_CREDENTIALS sc;
    TimeStamp expiry;

    memset(&tp, 0, sizeof tp);
    tp.grbitDisabledProtocols = ~wanted_protocols(min_version);
    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCH_CREDENTIALS_VERSION;
    sc.cCreds = 1;
    sc.paCred = &c->cert;
    sc.dwFlags = SCH_CRED_NO_SYSTEM_MAPPER | SCH_USE_STRONG_CRYPTO;
    sc.cTlsParameters = 1;
    sc.pTlsParameters = &tp;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL,
                                     &sc, NULL, NULL, &c->handle, &expiry);
}

/* SCHANNEL_CRED, for a Schannel that refuses SCH_CREDENTIALS (Windows
 * before 10 1809) or ignores its TLS parameters (Wine). It names the
 * versions to allow and predates TLS 1.3, so it is asked for TLS 1.2 only. */
static SECURITY_STATUS acquire_legacy(struct schannel_cred *c, DWORD protocols)
{
    SCHANNEL_CRED sc;
    TimeStamp expiry;

    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = 1;
    sc.paCred = &c->cert;
    sc.grbitEnabledProtocols = protocols;
    sc.dwFlags = SCH_CRED_NO_SYSTEM_MAPPER | SCH_USE_STRONG_CRYPTO;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL,
                                     &sc, NULL, NULL, &c->handle, &expiry);
}

/* Keeps the credential just acquired when what it offers is within
 * tls_min_version, or cannot be known; else releases it and says why in
 * `why`. note: added to the description, "" for none. Returns 1 when kept. */
static int keep_if_within(struct schannel_cred *c, unsigned min_version, const char *form,
                          const char *note, char *why, size_t whycap)
{
    DWORD wanted = wanted_protocols(min_version), offered = 0;
    int known = offered_protocols(&c->handle, &offered) == 0;
    char names[80];

    if (known && ((offered & ~wanted) != 0 || (offered & wanted) == 0)) {
        protocol_names(offered, names, sizeof names);
        snprintf(why, whycap, "given %s, it offers %s", form, names);
        FreeCredentialsHandle(&c->handle);
        return 0;
    }
    c->have_handle = 1;
    protocol_names(known ? offered : wanted, names, sizeof names);
    snprintf(c->offered, sizeof c->offered, "%s (%s%s%s)", names, form,
             known ? "" : "; Schannel does not say which it offers", note);
    return 1;
}

/* The credential: SCH_CREDENTIALS where Schannel takes and honours it,
 * else SCHANNEL_CRED for TLS 1.2; nothing older than tls_min_version either
 * way. Returns 0, or -1 with the cause in err. */
static int acquire(struct schannel_cred *c, unsigned min_version, char *err, size_t errcap)
{
    DWORD legacy = wanted_protocols(min_version) & ~SP_PROT_TLS1_3_SERVER;
    SECURITY_STATUS st = acquire_current(c, min_version);
    char why[200], why_legacy[200], note[240], status[80];

    if (st == SEC_E_OK) {
        if (keep_if_within(c, min_version, "SCH_CREDENTIALS", "", why, sizeof why))
            return 0;
    } else {
        snprintf(why, sizeof why, "it refuses SCH_CREDENTIALS: %s",
                 schannel_status_text(st, status, sizeof status));
    }
    if (legacy == 0) {
        snprintf(err, errcap,
                 "TLS: tls_min_version is 13, but this system's Schannel offers no TLS 1.3 "
                 "server for certificate %s (%s)",
                 c->thumbprint, why);
        return -1;
    }
    st = acquire_legacy(c, legacy);
    if (st != SEC_E_OK) {
        snprintf(err, errcap, "TLS: AcquireCredentialsHandle for certificate %s failed: %s%s",
                 c->thumbprint, schannel_status_text(st, status, sizeof status),
                 st == SEC_E_UNKNOWN_CREDENTIALS ? " (its private key cannot be used)" : "");
        return -1;
    }
    snprintf(note, sizeof note, "; %s", why);
    if (!keep_if_within(c, min_version, "SCHANNEL_CRED", note, why_legacy, sizeof why_legacy)) {
        snprintf(err, errcap,
                 "TLS: this system's Schannel offers no credential for certificate %s within "
                 "tls_min_version %u (%s; %s)",
                 c->thumbprint, min_version, why, why_legacy);
        return -1;
    }
    return 0;
}

static void close_refused(struct schannel_cred *c, const struct schannel_cred *live);

int schannel_cred_open(struct schannel_cred *c, const char *certificate, const char *pfx_password,
                       unsigned min_version, const struct schannel_cred *live, char *err,
                       size_t errcap)
{
    BYTE hash[20];
    DWORD hash_len = sizeof hash;

    memset(c, 0, sizeof *c);
    /* 40 hex digits, as certificate dialogs show them and certmgr copies
     * them (hexfmt.h); anything else is the path of a PFX file. */
    if (hexfmt_parse_loose(certificate, hash, sizeof hash) == 40) {
        hexfmt_upper(hash, 20, c->thumbprint);
        if (find_in_stores(c, hash, err, errcap) != 0)
            goto fail;
    } else if (open_pfx(c, certificate, pfx_password, err, errcap) != 0) {
        goto fail;
    }
    if (CertGetCertificateContextProperty(c->cert, CERT_SHA1_HASH_PROP_ID, hash, &hash_len))
        hexfmt_upper(hash, 20, c->thumbprint);
    if (check_certificate(c, err, errcap) != 0)
        goto fail;
    if (acquire(c, min_version, err, errcap) != 0)
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

void schannel_ctx_init(struct schannel_ctx *x, const struct schannel_cred *cred)
{
    x->cred = cred;
    x->have_handle = 0;
}

void schannel_ctx_free(struct schannel_ctx *x)
{
    if (x->have_handle)
        DeleteSecurityContext(&x->handle);
    x->have_handle = 0;
}

static SECURITY_STATUS ctx_accept(void *ctx, SecBufferDesc *in, SecBufferDesc *out)
{
    struct schannel_ctx *x = ctx;
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS st;

    st = AcceptSecurityContext((PCredHandle)&x->cred->handle, x->have_handle ? &x->handle : NULL,
                               in, ACCEPT_FLAGS, 0, &x->handle, out, &attrs, &expiry);
    /* The first call makes the context only when it succeeds or goes on. */
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
        x->have_handle = 1;
    return st;
}

static SECURITY_STATUS ctx_decrypt(void *ctx, SecBufferDesc *msg)
{
    struct schannel_ctx *x = ctx;

    return DecryptMessage(&x->handle, msg, 0, NULL);
}

static SECURITY_STATUS ctx_encrypt(void *ctx, SecBufferDesc *msg)
{
    struct schannel_ctx *x = ctx;

    return EncryptMessage(&x->handle, 0, msg, 0);
}

static void ctx_free_token(void *ctx, void *token)
{
    (void)ctx;
    FreeContextBuffer(token);
}

const struct tlsrec_ops schannel_ops = {ctx_accept, ctx_decrypt, ctx_encrypt, ctx_free_token};

int schannel_ctx_sizes(struct schannel_ctx *x, unsigned long *header, unsigned long *trailer,
                       unsigned long *max_message)
{
    SecPkgContext_StreamSizes s;

    if (QueryContextAttributesW(&x->handle, SECPKG_ATTR_STREAM_SIZES, &s) != SEC_E_OK)
        return -1;
    *header = s.cbHeader;
    *trailer = s.cbTrailer;
    *max_message = s.cbMaximumMessage;
    return 0;
}

static const char *protocol_name(DWORD p, unsigned *version)
{
    *version = 0;
    if (p & (SP_PROT_TLS1_3_SERVER | SP_PROT_TLS1_3_CLIENT)) {
        *version = 13;
        return "TLSv1.3";
    }
    if (p & (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_2_CLIENT)) {
        *version = 12;
        return "TLSv1.2";
    }
    if (p & (SP_PROT_TLS1_1_SERVER | SP_PROT_TLS1_1_CLIENT))
        return "TLSv1.1";
    if (p & (SP_PROT_TLS1_0_SERVER | SP_PROT_TLS1_0_CLIENT))
        return "TLSv1.0";
    return "TLS?";
}

void schannel_ctx_describe(struct schannel_ctx *x, char *out, size_t cap, unsigned *version)
{
    SecPkgContext_ConnectionInfo ci;
    const char *cipher;

    *version = 0;
    if (QueryContextAttributesW(&x->handle, SECPKG_ATTR_CONNECTION_INFO, &ci) != SEC_E_OK) {
        snprintf(out, cap, "TLS");
        return;
    }
    switch (ci.aiCipher) {
    case CALG_AES_128: cipher = "AES-128"; break;
    case CALG_AES_256: cipher = "AES-256"; break;
    default: cipher = NULL; break;
    }
    if (cipher != NULL)
        snprintf(out, cap, "%s/%s", protocol_name(ci.dwProtocol, version), cipher);
    else
        snprintf(out, cap, "%s/alg-0x%lx-%lu", protocol_name(ci.dwProtocol, version),
                 (unsigned long)ci.aiCipher, (unsigned long)ci.dwCipherStrength);
}

void *schannel_ctx_close_notify(struct schannel_ctx *x, size_t *len)
{
    DWORD kind = SCHANNEL_SHUTDOWN;
    SecBuffer b[1];
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, b};
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS st;

    *len = 0;
    if (!x->have_handle)
        return NULL;
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].pvBuffer = &kind;
    b[0].cbBuffer = sizeof kind;
    if (ApplyControlToken(&x->handle, &desc) != SEC_E_OK)
        return NULL;
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].pvBuffer = NULL;
    b[0].cbBuffer = 0;
    st = AcceptSecurityContext((PCredHandle)&x->cred->handle, &x->handle, NULL, ACCEPT_FLAGS, 0,
                               &x->handle, &desc, &attrs, &expiry);
    if (FAILED(st) || b[0].pvBuffer == NULL) {
        if (b[0].pvBuffer != NULL)
            FreeContextBuffer(b[0].pvBuffer);
        return NULL;
    }
    *len = b[0].cbBuffer;
    return b[0].pvBuffer;
}

int schannel_cert_describe(const char *certificate, char *out, size_t cap)
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
    if (find_in_stores(&c, hash, err, sizeof err) != 0) {
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
