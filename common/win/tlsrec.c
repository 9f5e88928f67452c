/* tlsrec.c - TLS record buffering (see tlsrec.h).
 *
 * The one buffer, in[0..in_len), holds what was received and not yet
 * consumed. DecryptMessage decrypts a record in place, so after it in[]
 * holds [consumed record, its plain text at plain_at][unconsumed bytes from
 * `used` on]; once the plain text is taken, the unconsumed tail moves to the
 * front. Schannel names the unconsumed tail by its size only
 * (SECBUFFER_EXTRA's cbBuffer; its pointer is not always set), so it is
 * always taken as the last cbBuffer bytes of the input. */
#include "tlsrec.h"

#include <stdlib.h>
#include <string.h>

int tlsrec_init(struct tlsrec *r, const struct tlsrec_ops *ops, void *ctx, size_t in_cap)
{
    memset(r, 0, sizeof *r);
    r->ops = ops;
    r->ctx = ctx;
    r->in = malloc(in_cap);
    if (r->in == NULL)
        return -1;
    r->in_cap = in_cap;
    return 0;
}

void tlsrec_free(struct tlsrec *r)
{
    free(r->in);
    r->in = NULL;
    r->in_len = r->in_cap = 0;
}

char *tlsrec_space(struct tlsrec *r, size_t *cap)
{
    *cap = r->in_cap - r->in_len;
    return r->in + r->in_len;
}

void tlsrec_received(struct tlsrec *r, size_t n)
{
    r->in_len += n;
}

size_t tlsrec_pending(const struct tlsrec *r)
{
    return r->plain_len + (r->in_len - r->used);
}

/* Drops in[0..used), the bytes Schannel has finished with. */
static void compact(struct tlsrec *r)
{
    memmove(r->in, r->in + r->used, r->in_len - r->used);
    r->in_len -= r->used;
    r->used = 0;
    r->plain_at = 0;
}

static int need_more(const struct tlsrec *r)
{
    return r->in_len == r->in_cap ? TLSREC_FULL : TLSREC_NEED_MORE;
}

static void set_buffer(SecBuffer *b, unsigned long type, void *p, size_t len)
{
    b->BufferType = type;
    b->pvBuffer = p;
    b->cbBuffer = (unsigned long)len;
}

/* The size of the SECBUFFER_EXTRA among n buffers, 0 when there is none. */
static size_t extra_size(const SecBuffer *b, unsigned n, size_t input)
{
    for (unsigned i = 0; i < n; i++) {
        if (b[i].BufferType == SECBUFFER_EXTRA)
            return b[i].cbBuffer <= input ? b[i].cbBuffer : input;
    }
    return 0;
}

int tlsrec_handshake(struct tlsrec *r, void **token, size_t *token_len)
{
    SecBuffer in[2], out[1];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, out};
    SECURITY_STATUS st;
    size_t extra;

    *token = NULL;
    *token_len = 0;
    if (r->used > 0)
        compact(r); /* the post-handshake message's record, decrypted */
    if (r->in_len == 0 && !r->post_handshake)
        return TLSREC_NEED_MORE;
    r->post_handshake = 0;
    set_buffer(&in[0], SECBUFFER_TOKEN, r->in, r->in_len);
    set_buffer(&in[1], SECBUFFER_EMPTY, NULL, 0);
    set_buffer(&out[0], SECBUFFER_TOKEN, NULL, 0);
    st = r->ops->handshake(r->ctx, &in_desc, &out_desc);
    r->last_status = st;
    if (st == SEC_E_INCOMPLETE_MESSAGE)
        return need_more(r);
    if (out[0].pvBuffer != NULL && out[0].cbBuffer > 0) {
        *token = out[0].pvBuffer;
        *token_len = out[0].cbBuffer;
    } else if (out[0].pvBuffer != NULL) {
        r->ops->free_token(r->ctx, out[0].pvBuffer);
    }
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
        return TLSREC_ERROR;
    extra = extra_size(in, 2, r->in_len);
    r->used = r->in_len - extra;
    /* A step that took none of the bytes and gave no token made no
     * progress: the next call would hand Schannel the same bytes and get
     * the same answer, a core spun for ever. As in open_record, that is an
     * error. (A token is progress: it goes to the peer, and the caller's
     * deadline bounds a Schannel that only ever talks.) */
    if (st == SEC_I_CONTINUE_NEEDED && r->used == 0 && r->in_len > 0 && *token == NULL)
        return TLSREC_ERROR;
    compact(r);
    return st == SEC_E_OK ? TLSREC_DONE : TLSREC_CONTINUE;
}

void tlsrec_free_token(struct tlsrec *r, void *token)
{
    if (token != NULL)
        r->ops->free_token(r->ctx, token);
}

/* Decrypts the record at the front of in[]. */
static int open_record(struct tlsrec *r)
{
    SecBuffer b[4];
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st;
    size_t extra;

    set_buffer(&b[0], SECBUFFER_DATA, r->in, r->in_len);
    for (int i = 1; i < 4; i++)
        set_buffer(&b[i], SECBUFFER_EMPTY, NULL, 0);
    st = r->ops->decrypt(r->ctx, &desc);
    r->last_status = st;
    if (st == SEC_E_INCOMPLETE_MESSAGE)
        return need_more(r);
    if (st == SEC_I_CONTEXT_EXPIRED)
        return TLSREC_CLOSED;
    if (st != SEC_E_OK && st != SEC_I_RENEGOTIATE)
        return TLSREC_ERROR;
    extra = extra_size(b, 4, r->in_len);
    r->used = r->in_len - extra;
    r->plain_len = 0;
    for (int i = 0; i < 4; i++) {
        const char *p = b[i].pvBuffer;
        if (b[i].BufferType != SECBUFFER_DATA || p == NULL || b[i].cbBuffer == 0)
            continue;
        /* The plain text lies inside the record just consumed. */
        if (p < r->in || (size_t)(p - r->in) + b[i].cbBuffer > r->used)
            return TLSREC_ERROR;
        r->plain_at = (size_t)(p - r->in);
        r->plain_len = b[i].cbBuffer;
        break;
    }
    if (st == SEC_I_RENEGOTIATE) {
        /* TLS 1.2: the peer asks for a new handshake. TLS 1.3 has none:
         * Schannel says this of a post-handshake message (a KeyUpdate, a
         * NewSessionTicket), which it wants passed to Accept- or
         * InitializeSecurityContext with the bytes that follow it, as
         * SECBUFFER_EXTRA names them (Microsoft, "Recognizing a Request to
         * Renegotiate a Connection"). Such a record carries no data. */
        if (r->version < 13)
            return TLSREC_RENEGOTIATE;
        r->plain_len = 0;
        r->post_handshake = 1;
        return TLSREC_POST_HANDSHAKE;
    }
    if (r->used == 0)
        return TLSREC_ERROR; /* nothing consumed: calling again would loop */
    return TLSREC_OK;
}

int tlsrec_take(struct tlsrec *r, char *out, size_t cap, size_t *got)
{
    *got = 0;
    for (;;) {
        int rc;
        if (r->plain_len > 0) {
            size_t n = r->plain_len < cap ? r->plain_len : cap;
            memcpy(out, r->in + r->plain_at, n);
            r->plain_at += n;
            r->plain_len -= n;
            if (r->plain_len == 0)
                compact(r);
            *got = n;
            return TLSREC_OK;
        }
        if (r->used > 0)
            compact(r);
        if (r->in_len == 0)
            return TLSREC_NEED_MORE;
        rc = open_record(r);
        if (rc != TLSREC_OK)
            return rc;
        /* A record with no plain text (an empty one) is consumed; go on. */
    }
}

size_t tlsrec_record_cap(const struct tlsrec *r)
{
    return (size_t)r->header + r->max_message + r->trailer;
}

size_t tlsrec_records_per_send(const struct tlsrec *r, size_t base, size_t extra)
{
    size_t cap = tlsrec_record_cap(r);

    return cap == 0 ? base : base + extra / cap;
}

int tlsrec_seal(struct tlsrec *r, char *rec, size_t n, size_t *rec_len)
{
    SecBuffer b[4];
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st;

    *rec_len = 0;
    if (n > r->max_message)
        return TLSREC_ERROR;
    set_buffer(&b[0], SECBUFFER_STREAM_HEADER, rec, r->header);
    set_buffer(&b[1], SECBUFFER_DATA, rec + r->header, n);
    set_buffer(&b[2], SECBUFFER_STREAM_TRAILER, rec + r->header + n, r->trailer);
    set_buffer(&b[3], SECBUFFER_EMPTY, NULL, 0);
    st = r->ops->encrypt(r->ctx, &desc);
    r->last_status = st;
    if (st != SEC_E_OK)
        return TLSREC_ERROR;
    /* The three parts stay where they were put; the trailer may be shorter
     * than its room, and ends the record. */
    *rec_len = (size_t)b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
    return 0;
}
