/* schanctx.c - a connection's Schannel security context: the handshake
 * steps, record decryption and encryption, its sizes and description, and
 * close_notify (see schan.h). One context per connection, used by its
 * thread alone. Nothing here buffers or touches a socket: tlsrec.c gathers
 * the records, transport_tls.c moves them. */
#include "schan.h"

#include <stdio.h>
#include <string.h>
#define SCHANNEL_USE_BLACKLISTS
#include <winternl.h>
#include <schannel.h>

#include "hresult.h"
#include "suitename.h"

#define ACCEPT_FLAGS                                                                          \
    (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY |              \
     ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)

const char *schannel_status_text(SECURITY_STATUS st, char *buf, size_t cap)
{
    return hresult_format((unsigned long)st, buf, cap);
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

/* The ids common/suitename.c names suites by are wincrypt.h's. */
_Static_assert(SUITENAME_CALG_AES_128 == CALG_AES_128 && SUITENAME_CALG_AES_256 == CALG_AES_256 &&
                   SUITENAME_CALG_3DES == CALG_3DES && SUITENAME_CALG_RC4 == CALG_RC4,
               "cipher ids");
_Static_assert(SUITENAME_CALG_MD5 == CALG_MD5 && SUITENAME_CALG_SHA1 == CALG_SHA1 &&
                   SUITENAME_CALG_SHA_256 == CALG_SHA_256 && SUITENAME_CALG_SHA_384 == CALG_SHA_384,
               "hash ids");
_Static_assert(SUITENAME_CALG_RSA_KEYX == CALG_RSA_KEYX &&
                   SUITENAME_CALG_DH_EPHEM == CALG_DH_EPHEM &&
                   SUITENAME_CALG_ECDH_EPHEM == CALG_ECDH_EPHEM &&
                   SUITENAME_CALG_RSA_SIGN == CALG_RSA_SIGN && SUITENAME_CALG_ECDSA == CALG_ECDSA,
               "exchange and signature ids");

/* Schannel's own name for the suite (SECPKG_ATTR_CIPHER_INFO, Windows
 * Vista and later), taken only with the suite's number beside it and when
 * it is a well-formed IANA name. Wine 10 answers without the number
 * (dwCipherSuite 0) and with names it builds from parts: "<unknown>" in
 * some, and a wrong hash in others (ECDHE-RSA-AES128-GCM-SHA256 came back
 * as ..._GCM_SHA384). Returns 0 with the name in out, else -1. */
static int suite_from_cipher_info(struct schannel_ctx *x, char *out, size_t cap)
{
    SecPkgContext_CipherInfo ci;
    char name[SZ_ALG_MAX_SIZE + 1];
    size_t i;

    memset(&ci, 0, sizeof ci);
    ci.dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    if (QueryContextAttributesW(&x->handle, SECPKG_ATTR_CIPHER_INFO, &ci) != SEC_E_OK ||
        ci.dwCipherSuite == 0)
        return -1;
    for (i = 0; i < SZ_ALG_MAX_SIZE && ci.szCipherSuite[i] != 0; i++) {
        if (ci.szCipherSuite[i] > 0x7e)
            return -1;
        name[i] = (char)ci.szCipherSuite[i];
    }
    name[i] = '\0';
    if (!suitename_is_iana(name))
        return -1;
    snprintf(out, cap, "%s", name);
    return 0;
}

/* The signature a TLS 1.2 suite names is the server certificate's key's:
 * taken from the certificate, not SECPKG_ATTR_KEY_INFO, whose name strings
 * Windows allocates and Wine does not (freeing them would break one). */
static unsigned certificate_signature(const struct schannel_cred *c)
{
    const char *oid;

    if (c == NULL || c->cert == NULL)
        return 0;
    oid = c->cert->pCertInfo->SubjectPublicKeyInfo.Algorithm.pszObjId;
    if (oid != NULL && strcmp(oid, szOID_RSA_RSA) == 0)
        return CALG_RSA_SIGN;
    if (oid != NULL && strcmp(oid, szOID_ECC_PUBLIC_KEY) == 0)
        return CALG_ECDSA;
    return 0;
}

void schannel_ctx_describe(struct schannel_ctx *x, char *out, size_t cap, unsigned *version)
{
    SecPkgContext_ConnectionInfo ci;
    struct suitename_algs a;
    const char *protocol;
    char suite[80];

    *version = 0;
    if (QueryContextAttributesW(&x->handle, SECPKG_ATTR_CONNECTION_INFO, &ci) != SEC_E_OK) {
        snprintf(out, cap, "TLS");
        return;
    }
    protocol = protocol_name(ci.dwProtocol, version);
    if (suite_from_cipher_info(x, suite, sizeof suite) != 0) {
        memset(&a, 0, sizeof a);
        a.tls13 = *version == 13;
        a.cipher = ci.aiCipher;
        a.cipher_bits = ci.dwCipherStrength;
        a.hash = ci.aiHash;
        a.hash_bits = ci.dwHashStrength;
        a.exchange = ci.aiExch;
        a.signature = certificate_signature(x->cred);
        suitename_from_algs(&a, suite, sizeof suite);
    }
    snprintf(out, cap, "%s/%s", protocol, suite);
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
