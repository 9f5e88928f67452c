/* tlsrec.h - the TLS record buffering around Schannel's stream calls.
 *
 * Schannel works on whole records that the caller must gather: a receive
 * may end half way through a record (SEC_E_INCOMPLETE_MESSAGE: read more,
 * call again with everything), or hold several (the bytes after the first
 * come back as SECBUFFER_EXTRA, found at the end of the input, and must be
 * fed again). The same holds for the handshake's tokens. This module keeps
 * that bookkeeping in one buffer per connection and reaches Schannel only
 * through struct tlsrec_ops, so that tests/unit/test_tlsrec.c drives it with
 * a fake table and input split at every byte boundary; server/schannel.c
 * (the server) and client/tlsclient.c (mtsclient) supply the real tables.
 *
 * A tlsrec belongs to one thread (the connection's); it calls no socket
 * function: the caller receives into tlsrec_space() and sends what it is
 * handed. */
#ifndef MTS_TLSREC_H
#define MTS_TLSREC_H

#include <stddef.h>
#include <windows.h>
#define SECURITY_WIN32
#include <sspi.h>

/* The SSPI calls this module makes, on one security context (ctx). */
struct tlsrec_ops {
    /* AcceptSecurityContext (server) or InitializeSecurityContext (client,
     * after its first call): in holds [TOKEN: the peer's bytes, EMPTY]; out
     * one TOKEN that the callee allocates (freed with free_token). */
    SECURITY_STATUS (*handshake)(void *ctx, SecBufferDesc *in, SecBufferDesc *out);
    /* DecryptMessage: [DATA: the ciphertext, EMPTY, EMPTY, EMPTY]. */
    SECURITY_STATUS (*decrypt)(void *ctx, SecBufferDesc *msg);
    /* EncryptMessage: [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY]. */
    SECURITY_STATUS (*encrypt)(void *ctx, SecBufferDesc *msg);
    /* FreeContextBuffer for what handshake allocated. */
    void (*free_token)(void *ctx, void *token);
};

enum tlsrec_status {
    TLSREC_OK = 0,          /* take: bytes were handed out */
    TLSREC_NEED_MORE = 1,   /* receive into tlsrec_space, then call again */
    TLSREC_CONTINUE = 2,    /* handshake: send the token (if any), call again */
    TLSREC_DONE = 3,        /* handshake: complete */
    TLSREC_CLOSED = 4,      /* the peer sent close_notify */
    TLSREC_RENEGOTIATE = 5, /* TLS 1.2: the peer asked for a new handshake (refused by the caller) */
    TLSREC_POST_HANDSHAKE = 6, /* TLS 1.3: a post-handshake message (KeyUpdate,
                                * NewSessionTicket) for Schannel: run tlsrec_handshake
                                * to TLSREC_DONE as in the handshake, then take again */
    TLSREC_ERROR = -1,      /* Schannel refused the bytes: last_status says why */
    TLSREC_FULL = -2,       /* a record larger than the buffer */
};

struct tlsrec {
    const struct tlsrec_ops *ops;
    void *ctx;
    char *in;          /* bytes received, not yet consumed */
    size_t in_len, in_cap;
    size_t plain_at, plain_len; /* decrypted bytes not yet taken, inside in[] */
    size_t used;       /* in[0..used) is consumed once the plain bytes are taken */
    SECURITY_STATUS last_status;
    /* From QueryContextAttributes(SECPKG_ATTR_STREAM_SIZES) after the
     * handshake; set by the caller before tlsrec_seal. */
    unsigned long header, trailer, max_message;
    /* The version negotiated, 12 or 13, set by the caller after the
     * handshake: it decides what SEC_I_RENEGOTIATE means (tlsrec_take). */
    unsigned version;
    int post_handshake; /* TLSREC_POST_HANDSHAKE was returned; its step is due */
};

/* in_cap: at least one whole record (TLSREC_IN_MIN). Returns 0 or -1 (no memory). */
#define TLSREC_IN_MIN (5u + 16384u + 2048u)
int tlsrec_init(struct tlsrec *r, const struct tlsrec_ops *ops, void *ctx, size_t in_cap);
void tlsrec_free(struct tlsrec *r);

/* Where the next received bytes go, and how many fit (0 when the buffer is
 * full, which take and handshake report as TLSREC_FULL first). */
char *tlsrec_space(struct tlsrec *r, size_t *cap);
/* n bytes were received into tlsrec_space. */
void tlsrec_received(struct tlsrec *r, size_t n);

/* One handshake step over what has been received. *token, *token_len: bytes
 * to send to the peer (NULL/0 when none), even with TLSREC_ERROR (an alert);
 * give them back with tlsrec_free_token after sending. Returns
 * TLSREC_NEED_MORE, TLSREC_CONTINUE, TLSREC_DONE (bytes received after the
 * handshake stay buffered for tlsrec_take), TLSREC_ERROR or TLSREC_FULL.
 * A CONTINUE from Schannel that took no byte and gave no token is
 * TLSREC_ERROR (last_status SEC_I_CONTINUE_NEEDED): another call would get
 * the same answer for ever. A caller that loops on TLSREC_CONTINUE still
 * checks its deadline on every pass.
 * After TLSREC_POST_HANDSHAKE the same steps hand Schannel the bytes that
 * followed the message, the first step even when there are none. */
int tlsrec_handshake(struct tlsrec *r, void **token, size_t *token_len);
void tlsrec_free_token(struct tlsrec *r, void *token);

/* Copies up to cap decrypted bytes to out, decrypting buffered records as
 * needed. Returns TLSREC_OK with *got > 0, TLSREC_NEED_MORE, TLSREC_CLOSED,
 * TLSREC_RENEGOTIATE, TLSREC_POST_HANDSHAKE, TLSREC_ERROR or TLSREC_FULL. */
int tlsrec_take(struct tlsrec *r, char *out, size_t cap, size_t *got);

/* Bytes of plain text received and decrypted, or still undecrypted, that
 * tlsrec_take has not handed out yet. */
size_t tlsrec_pending(const struct tlsrec *r);

/* The room one record needs: header + max_message + trailer. */
size_t tlsrec_record_cap(const struct tlsrec *r);
/* Records to seal per send when base records' room is held anyway and at
 * most extra bytes more may be taken for the send: base plus as many whole
 * records as extra holds, so the growth stays within extra whatever the
 * trailer's size (Wine's 256, Windows' shorter ones). */
size_t tlsrec_records_per_send(const struct tlsrec *r, size_t base, size_t extra);
/* Encrypts n (<= max_message) bytes that the caller placed at rec + header,
 * in a buffer of tlsrec_record_cap bytes; *rec_len is the record's length.
 * Returns 0, or TLSREC_ERROR. */
int tlsrec_seal(struct tlsrec *r, char *rec, size_t n, size_t *rec_len);

#endif
