/* tlsfake.c - the fake Schannel (see tlsfake.h). It checks what it is
 * handed as strictly as the record format allows and trusts nothing of
 * it: lengths come from the record header and are compared with the bytes
 * given before anything is read. */
#include "tlsfake.h"

#include <stdlib.h>
#include <string.h>

/* The payload length of the record at p (n bytes present); *complete when
 * all of it is there. */
static size_t record_len(const unsigned char *p, size_t n, int *complete)
{
    size_t len;

    *complete = 0;
    if (n < 5)
        return 0;
    len = ((size_t)p[3] << 8) | p[4];
    *complete = n >= 5 + len;
    return len;
}

static void *token(struct tlsfake *f, const char *text)
{
    char *t = malloc(strlen(text));

    if (t == NULL)
        abort(); /* a test's fake: no memory is not a case it covers */
    memcpy(t, text, strlen(text));
    f->allocated++;
    return t;
}

static void set_extra(SecBuffer *b, size_t rest)
{
    b->BufferType = rest > 0 ? SECBUFFER_EXTRA : SECBUFFER_EMPTY;
    b->pvBuffer = NULL;
    b->cbBuffer = (unsigned long)rest;
}

static SECURITY_STATUS fake_handshake(void *ctx, SecBufferDesc *in, SecBufferDesc *out)
{
    struct tlsfake *f = ctx;
    const unsigned char *p = in->pBuffers[0].pvBuffer;
    size_t n = in->pBuffers[0].cbBuffer, len;
    int complete;

    if (f->stall) {
        /* A Schannel that makes no progress: nothing taken, nothing said. */
        in->pBuffers[1].BufferType = SECBUFFER_EXTRA;
        in->pBuffers[1].pvBuffer = NULL;
        in->pBuffers[1].cbBuffer = (unsigned long)n;
        return SEC_I_CONTINUE_NEEDED;
    }
    if (f->step >= TLSFAKE_STEPS) {
        /* After the handshake, a TLS 1.3 post-handshake message that
         * decrypt reported: taken in, answered (a KeyUpdate of our own),
         * and whatever followed it handed back as EXTRA, as Schannel does. */
        set_extra(&in->pBuffers[1], n);
        out->pBuffers[0].pvBuffer = token(f, "KU");
        out->pBuffers[0].cbBuffer = 2;
        return SEC_E_OK;
    }
    len = record_len(p, n, &complete);
    if ((n >= 1 && p[0] != TLSFAKE_HANDSHAKE) || (n >= 3 && (p[1] != 3 || p[2] != 3))) {
        out->pBuffers[0].pvBuffer = token(f, "A!");
        out->pBuffers[0].cbBuffer = 2;
        return SEC_E_ILLEGAL_MESSAGE;
    }
    if (!complete)
        return SEC_E_INCOMPLETE_MESSAGE;
    set_extra(&in->pBuffers[1], n - 5 - len);
    f->step++;
    out->pBuffers[0].pvBuffer = token(f, f->step == 1 ? "S1" : "S2");
    out->pBuffers[0].cbBuffer = 2;
    return f->step < TLSFAKE_STEPS ? SEC_I_CONTINUE_NEEDED : SEC_E_OK;
}

static SECURITY_STATUS fake_decrypt(void *ctx, SecBufferDesc *msg)
{
    SecBuffer *b = msg->pBuffers;
    unsigned char *p = b[0].pvBuffer;
    size_t n = b[0].cbBuffer, len;
    int complete;

    (void)ctx;
    len = record_len(p, n, &complete);
    if (n >= 3 && (p[1] != 3 || p[2] != 3))
        return SEC_E_DECRYPT_FAILURE;
    if (!complete)
        return SEC_E_INCOMPLETE_MESSAGE;
    if (p[0] == TLSFAKE_ALERT)
        return SEC_I_CONTEXT_EXPIRED;
    b[0].BufferType = SECBUFFER_STREAM_HEADER;
    b[0].cbBuffer = 5;
    set_extra(&b[3], n - 5 - len);
    if (p[0] == TLSFAKE_HANDSHAKE) {
        b[1].BufferType = SECBUFFER_DATA;
        b[1].pvBuffer = p + 5;
        b[1].cbBuffer = 0;
        return SEC_I_RENEGOTIATE;
    }
    if (p[0] != TLSFAKE_DATA || len < TLSFAKE_MAC_LEN ||
        memcmp(p + 5 + len - TLSFAKE_MAC_LEN, TLSFAKE_MAC, TLSFAKE_MAC_LEN) != 0)
        return SEC_E_DECRYPT_FAILURE;
    for (size_t i = 0; i < len - TLSFAKE_MAC_LEN; i++)
        p[5 + i] ^= TLSFAKE_XOR;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].pvBuffer = p + 5;
    b[1].cbBuffer = (unsigned long)(len - TLSFAKE_MAC_LEN);
    b[2].BufferType = SECBUFFER_STREAM_TRAILER;
    b[2].pvBuffer = p + 5 + len - TLSFAKE_MAC_LEN;
    b[2].cbBuffer = TLSFAKE_MAC_LEN;
    return SEC_E_OK;
}

static SECURITY_STATUS fake_encrypt(void *ctx, SecBufferDesc *msg)
{
    SecBuffer *b = msg->pBuffers;
    unsigned char *h = b[0].pvBuffer, *d = b[1].pvBuffer;
    size_t n = b[1].cbBuffer;

    (void)ctx;
    if (b[0].cbBuffer != 5 || b[2].cbBuffer < TLSFAKE_MAC_LEN ||
        (unsigned char *)b[2].pvBuffer != d + n || n + TLSFAKE_MAC_LEN > 0xffff)
        return SEC_E_INVALID_TOKEN;
    h[0] = TLSFAKE_DATA;
    h[1] = h[2] = 3;
    h[3] = (unsigned char)((n + TLSFAKE_MAC_LEN) >> 8);
    h[4] = (unsigned char)(n + TLSFAKE_MAC_LEN);
    for (size_t i = 0; i < n; i++)
        d[i] ^= TLSFAKE_XOR;
    memcpy(d + n, TLSFAKE_MAC, TLSFAKE_MAC_LEN);
    b[2].cbBuffer = TLSFAKE_MAC_LEN;
    return SEC_E_OK;
}

static void fake_free(void *ctx, void *t)
{
    struct tlsfake *f = ctx;

    f->allocated--;
    free(t);
}

const struct tlsrec_ops tlsfake_ops = {fake_handshake, fake_decrypt, fake_encrypt, fake_free};

size_t tlsfake_put_record(char *s, int type, const char *plain, size_t n)
{
    size_t len = type == TLSFAKE_DATA ? n + TLSFAKE_MAC_LEN : n;

    s[0] = (char)type;
    s[1] = s[2] = 3;
    s[3] = (char)(len >> 8);
    s[4] = (char)len;
    for (size_t i = 0; i < n; i++)
        s[5 + i] = type == TLSFAKE_DATA ? (char)(plain[i] ^ TLSFAKE_XOR) : plain[i];
    if (type == TLSFAKE_DATA)
        memcpy(s + 5 + n, TLSFAKE_MAC, TLSFAKE_MAC_LEN);
    return 5 + len;
}
