/* transport_tls.c - the TLS transport (see transport_tls.h).
 *
 * One heap block per connection: the sockio, the security context, the
 * record buffer for what arrives (tlsrec) and one for what leaves (`out`:
 * four records for lines and listings, made on the first send). It belongs
 * to the client thread and goes with shut_down or cancel. Files cannot go
 * through TransmitFile here (it cannot encrypt): they are read straight
 * into `out`'s record payloads and sealed in place, 19 records per send
 * (FILE_EXTRA_BYTES); `out` grows to that only while a file is
 * sent and is given back after it. Every send waits at most the send
 * timeout, and the stop event ends any wait (sockio). A renegotiation request (TLS 1.2) ends the
 * connection; a TLS 1.3 post-handshake message goes back to Schannel as
 * tlsrec.h says, and the session goes on. Before Schannel sees a byte,
 * the first ones must be able to open a TLS handshake record
 * (common/portsniff.h): anything else (a person typing AUTH, an HTTP
 * request, an SSLv2 hello) is turned away at once instead of holding the
 * connection until the handshake timeout, and text is told why in clear. */
#include "transport_tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockio.h"
#include "tlscred.h"
#include "tlsstate.h"

/* Received bytes kept: two whole records. */
#define IN_CAP (2u * TLSREC_IN_MIN)
/* Records sealed per send of lines (send_all). */
#define RECORDS_PER_SEND 4u
/* What a file's records may take beyond RECORDS_PER_SEND's room while it
 * is sent (issue 24's budget for a downloading connection): 15 more
 * records, 19 per send, of Wine's 16,645 bytes or Windows' shorter ones.
 * Under Wine each send costs about eleven wineserver round trips whatever
 * its size, so the records per send set the download's CPU
 * (bench/RESULTS.md). */
#define FILE_EXTRA_BYTES (256u << 10)
/* How often a file's send looks at the stop event between sends: a send
 * that completes at once never waits, so never sees the stop, and under
 * Wine each look is a wineserver round trip. */
#define STOP_LOOK_MS 50u


/* A record tlsrec_take would not hand out: garbage, one too large, or a
 * TLS 1.2 renegotiation request, which is refused by ending the
 * connection (a new handshake would bypass the handshake's timeout and
 * limits, and nothing here needs one). */
static int record_failed(struct tls *s, int st)
{
    char status[80];

    if (st == TLSREC_RENEGOTIATE)
        snprintf(s->why, sizeof s->why, "renegotiation-refused");
    else if (st == TLSREC_FULL)
        snprintf(s->why, sizeof s->why, "record-too-large");
    else
        snprintf(s->why, sizeof s->why, "record-refused %s",
                 schannel_status_text(s->rec.last_status, status, sizeof status));
    return TRANSPORT_ERROR;
}

static int tls_receive(void *ctx, char *buf, size_t cap, unsigned timeout_ms)
{
    struct tls *s = ctx;
    ULONGLONG deadline = GetTickCount64() + timeout_ms;

    s->why[0] = '\0';
    if (!s->ready)
        return TRANSPORT_ERROR;
    for (;;) {
        size_t got = 0;
        int st = tlsrec_take(&s->rec, buf, cap, &got), n;
        if (st == TLSREC_OK)
            return (int)got;
        if (st == TLSREC_CLOSED)
            return TRANSPORT_CLOSED;
        if (st == TLSREC_POST_HANDSHAKE) {
            n = tls_run_handshake(s, deadline, "post-handshake", s->why, sizeof s->why);
            if (n != 0)
                return n;
            continue;
        }
        if (st != TLSREC_NEED_MORE)
            return record_failed(s, st);
        n = tls_receive_more(s, tls_left_of(deadline));
        if (n <= 0)
            return n;
    }
}

/* Makes `out` hold at least `records` records (it keeps a larger one) and
 * returns how many it holds, 0 when there is no memory even for one. A
 * file asks for many; when they cannot be had it makes do with fewer. */
static size_t out_records(struct tls *s, size_t records)
{
    size_t rec_cap = tlsrec_record_cap(&s->rec);

    if (s->out_cap >= records * rec_cap)
        return s->out_cap / rec_cap;
    /* Nothing in it is kept between sends. Freed first, so that the old
     * and the new buffer are never held together: the budget is the new
     * one's size alone. */
    free(s->out);
    s->out = NULL;
    s->out_cap = 0;
    for (; records > 0; records /= 2) {
        s->out = malloc(records * rec_cap);
        if (s->out != NULL) {
            s->out_cap = records * rec_cap;
            break;
        }
    }
    return s->out_cap / rec_cap;
}

/* Gives back a file's large `out`; the next send_all makes a small one. */
static void out_shrink(struct tls *s)
{
    if (s->out_cap > RECORDS_PER_SEND * tlsrec_record_cap(&s->rec)) {
        free(s->out);
        s->out = NULL;
        s->out_cap = 0;
    }
}

/* Seals n bytes already at out + used + header into a record there. */
static int seal_at(struct tls *s, size_t *used, size_t n)
{
    size_t rec_len;

    if (tlsrec_seal(&s->rec, s->out + *used, n, &rec_len) != 0)
        return TRANSPORT_ERROR;
    *used += rec_len;
    return 0;
}

static int tls_send_all(void *ctx, const char *buf, size_t len, unsigned timeout_ms)
{
    struct tls *s = ctx;
    size_t records;

    if (!s->ready || (records = out_records(s, RECORDS_PER_SEND)) == 0)
        return TRANSPORT_ERROR;
    while (len > 0) {
        size_t used = 0;
        int rc;
        for (size_t i = 0; i < records && len > 0; i++) {
            size_t n = len < s->rec.max_message ? len : s->rec.max_message;
            memcpy(s->out + used + s->rec.header, buf, n);
            if (seal_at(s, &used, n) != 0)
                return TRANSPORT_ERROR;
            buf += n;
            len -= n;
        }
        rc = sockio_send_all(&s->io, s->out, used, timeout_ms);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Sends len bytes of file from offset, `records` records per send. */
static int send_file_records(struct tls *s, HANDLE file, uint64_t offset, uint64_t len,
                             size_t records, unsigned timeout_ms, uint64_t *sent)
{
    ULONGLONG next_look = 0;

    while (*sent < len) {
        size_t used = 0;
        uint64_t batch = 0;
        ULONGLONG now = GetTickCount64();
        int rc;
        if (s->stop != NULL && now >= next_look) {
            if (WaitForSingleObject(s->stop, 0) == WAIT_OBJECT_0)
                return TRANSPORT_STOPPED;
            next_look = now + STOP_LOOK_MS;
        }
        for (size_t i = 0; i < records && *sent + batch < len; i++) {
            uint64_t left = len - *sent - batch, at = offset + *sent + batch;
            DWORD want = (DWORD)(left < s->rec.max_message ? left : s->rec.max_message), got = 0;
            OVERLAPPED ov;
            memset(&ov, 0, sizeof ov);
            ov.Offset = (DWORD)at;
            ov.OffsetHigh = (DWORD)(at >> 32);
            if (!ReadFile(file, s->out + used + s->rec.header, want, &got, &ov) || got == 0)
                return TRANSPORT_ERROR; /* the file shrank or cannot be read */
            if (seal_at(s, &used, got) != 0)
                return TRANSPORT_ERROR;
            batch += got;
        }
        /* The account's end cuts the download here, as on the plain port. */
        rc = sockio_send_file_data(&s->io, s->out, used, timeout_ms);
        if (rc != 0)
            return rc;
        *sent += batch;
    }
    return 0;
}

static int tls_send_file(void *ctx, HANDLE file, uint64_t offset, uint64_t len,
                         unsigned timeout_ms, uint64_t *sent)
{
    struct tls *s = ctx;
    size_t records;
    int rc;

    *sent = 0;
    if (!s->ready)
        return TRANSPORT_ERROR;
    records = out_records(s, tlsrec_records_per_send(&s->rec, RECORDS_PER_SEND, FILE_EXTRA_BYTES));
    if (records == 0)
        return TRANSPORT_ERROR;
    rc = send_file_records(s, file, offset, len, records, timeout_ms, sent);
    out_shrink(s);
    return rc;
}

static void tls_free(struct tls *s)
{
    schannel_ctx_free(&s->sc);
    tlsrec_free(&s->rec);
    free(s->out);
    /* After the context, which was made with it. */
    tlscred_release(s->cred);
    free(s);
}

static void tls_shut_down(void *ctx, unsigned linger_ms, int last_word)
{
    struct tls *s = ctx;
    size_t len = 0;
    void *alert = s->ready ? schannel_ctx_close_notify(&s->sc, &len) : NULL;

    if (alert != NULL) {
        sockio_send_all(&s->io, alert, len, TLS_CLOSE_NOTIFY_MS);
        tlsrec_free_token(&s->rec, alert);
    }
    /* Records received and not yet read (a close_notify among them) are
     * bytes after the last word too. */
    if (last_word && tlsrec_pending(&s->rec) == 0)
        sockio_close_after_last_word(&s->io, linger_ms);
    else
        sockio_close_gracefully(&s->io, linger_ms);
    tls_free(s);
}

static void tls_cancel(void *ctx)
{
    struct tls *s = ctx;

    sockio_close(&s->io);
    tls_free(s);
}

static const char *tls_failure(void *ctx)
{
    return ((struct tls *)ctx)->why;
}

static void tls_watch(void *ctx, HANDLE ended)
{
    ((struct tls *)ctx)->io.ended = ended;
}

static const struct transport_ops tls_ops = {
    tls_handshake_start, tls_receive, tls_send_all, tls_send_file, tls_shut_down,
    tls_cancel,          tls_failure, tls_watch,
};

int transport_tls_open(struct transport *t, SOCKET sock, const struct transport_tls_params *p,
                       HANDLE io_event)
{
    struct tls *s = calloc(1, sizeof *s);

    t->ops = &tls_ops;
    t->ctx = NULL;
    if (s == NULL)
        return -1;
    /* The credential current now, held to the end: a reload later does not
     * change what this connection serves. */
    s->cred = tlscred_take(p->slot);
    if (s->cred == NULL) {
        free(s);
        return -1;
    }
    schannel_ctx_init(&s->sc, &s->cred->cred);
    if (tlsrec_init(&s->rec, &schannel_ops, &s->sc, IN_CAP) != 0) {
        tlscred_release(s->cred);
        free(s);
        return -1;
    }
    if (sockio_init(&s->io, sock, p->stop, io_event) != 0) {
        tlsrec_free(&s->rec);
        tlscred_release(s->cred);
        free(s);
        return -1;
    }
    s->io.drain = p->drain;
    s->handshake_timeout_ms = p->handshake_timeout_ms;
    s->min_version = p->min_version;
    s->stop = p->stop;
    s->gate = p->gate;
    s->gate_waits = p->waits;
    s->fault_step_ms = p->fault_step_ms;
    t->ctx = s;
    return 0;
}
