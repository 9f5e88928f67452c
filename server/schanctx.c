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
