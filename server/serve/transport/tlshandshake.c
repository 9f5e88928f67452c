/* tlshandshake.c - the TLS transport's handshake (see tlsstate.h): the
 * first bytes judged, then Schannel's steps, each holding a slot of the
 * server's handshake gate, within the handshake's deadline; also a TLS
 * 1.3 post-handshake message met while receiving. */
#include "tlsstate.h"

#include <stdio.h>

#include "portsniff.h"
#include "reply.h"

unsigned tls_left_of(ULONGLONG deadline)
{
    ULONGLONG now = GetTickCount64();

    return now >= deadline ? 0 : (unsigned)(deadline - now);
}

int tls_receive_more(struct tls *s, unsigned timeout_ms)
{
    size_t cap;
    char *space = tlsrec_space(&s->rec, &cap);
    int n;

    if (cap == 0)
        return TRANSPORT_ERROR;
    if (timeout_ms == 0)
        return TRANSPORT_TIMEOUT;
    n = sockio_recv(&s->io, space, cap > 0x7fffffffu ? 0x7fffffff : (int)cap, timeout_ms);
    if (n > 0)
        tlsrec_received(&s->rec, (size_t)n);
    return n;
}

/* A receive during a handshake that gave no bytes (n <= 0): why gets
 * "<stage>-timeout", "-closed" or "-failed"; a close half way through a
 * handshake is an error. */
static int receive_failed(int n, const char *stage, char *why, size_t cap)
{
    snprintf(why, cap, "%s-%s", stage,
             n == TRANSPORT_TIMEOUT ? "timeout" : (n == TRANSPORT_CLOSED ? "closed" : "failed"));
    return n == TRANSPORT_CLOSED ? TRANSPORT_ERROR : n;
}

/* One call into Schannel's handshake, holding a slot of the server's gate
 * (tls_handshakes): this is where the private-key operation happens, the
 * costly part of a handshake. Waiting for the client's bytes and sending
 * the token hold no slot, so a slow or silent client cannot keep others out.
 * A step over the cap waits for a slot rather than being refused at once:
 * a step takes milliseconds, so a burst of honest clients (a script starting
 * many sessions) gets through a little later instead of failing; the wait
 * ends at the handshake's deadline, when the handshake fails as busy, so a
 * flood is turned away with a bounded wait and no CPU spent. Returns 0 with
 * *st and *token set, or a transport_result with why set. */
static int gated_step(struct tls *s, ULONGLONG deadline, const char *stage, int *st, void **token,
                      size_t *token_len, char *why, size_t cap)
{
    enum authgate_result turn = AUTHGATE_ENTERED;

    /* With no bytes to hand over, tlsrec_handshake asks for more without
     * calling Schannel: nothing to compute, no slot needed. */
    if (s->rec.in_len == 0 && !s->rec.post_handshake) {
        *st = tlsrec_handshake(&s->rec, token, token_len);
        return 0;
    }
    if (s->gate != NULL) {
        /* A free slot is taken without a look at the stop event (no
         * wineserver request): the receive that brought these bytes and
         * the one after the step both watch it, and a step is a few ms. */
        turn = authgate_enter(s->gate, NULL, 0);
        if (turn == AUTHGATE_TIMEOUT) {
            if (s->gate_waits != NULL)
                InterlockedIncrement(s->gate_waits);
            turn = authgate_enter(s->gate, s->stop, tls_left_of(deadline));
        }
        if (turn != AUTHGATE_ENTERED) {
            snprintf(why, cap, "%s-%s", stage, turn == AUTHGATE_TIMEOUT ? "busy" : "stopped");
            s->gate_timed_out = turn == AUTHGATE_TIMEOUT;
            return turn == AUTHGATE_TIMEOUT ? TRANSPORT_TIMEOUT : TRANSPORT_STOPPED;
        }
    }
    *st = tlsrec_handshake(&s->rec, token, token_len);
    if (s->fault_step_ms != 0)
        WaitForSingleObject(s->stop, s->fault_step_ms);
    if (s->gate != NULL)
        authgate_leave(s->gate);
    return 0;
}

int tls_run_handshake(struct tls *s, ULONGLONG deadline, const char *stage, char *why, size_t cap)
{
    char status[80];

    for (;;) {
        void *token;
        size_t token_len;
        int st = TLSREC_ERROR, sent = 0, n;
        n = gated_step(s, deadline, stage, &st, &token, &token_len, why, cap);
        if (n != 0)
            return n;
        if (token != NULL) {
            sent = sockio_send_all(&s->io, token, token_len, tls_left_of(deadline) + 1);
            tlsrec_free_token(&s->rec, token);
        }
        if (st == TLSREC_ERROR || st == TLSREC_FULL) {
            snprintf(why, cap, "%s-refused %s", stage,
                     st == TLSREC_FULL
                         ? "record-too-large"
                         : schannel_status_text(s->rec.last_status, status, sizeof status));
            return TRANSPORT_ERROR;
        }
        if (sent != 0) {
            snprintf(why, cap, "%s-send-failed", stage);
            return sent;
        }
        if (st == TLSREC_DONE)
            return 0;
        if (st == TLSREC_CONTINUE) {
            /* Each pass is held to the deadline, not only the ones that
             * wait for bytes: a Schannel that keeps answering CONTINUE
             * (with a token each time) must not hold the thread past it. */
            if (tls_left_of(deadline) == 0) {
                snprintf(why, cap, "%s-timeout", stage);
                return TRANSPORT_TIMEOUT;
            }
            continue;
        }
        n = tls_receive_more(s, tls_left_of(deadline));
        if (n <= 0)
            return receive_failed(n, stage, why, cap);
    }
}

/* Receives until the first bytes tell a TLS handshake from anything else.
 * 0 for TLS; else a transport_result with info "not-tls" (nothing sent:
 * bytes no person typed, which a text line would only confuse), or
 * "not-tls-told" (text: REPLY_TLS_NOT_PLAIN went out in clear, so the
 * connection is to close gracefully for the line to arrive), or the
 * handshake's "handshake-<reason>" when no verdict came in time. */
static int check_first_bytes(struct tls *s, ULONGLONG deadline, char *info, size_t cap)
{
    for (;;) {
        enum portsniff_verdict v = portsniff_tls_record(s->rec.in, s->rec.in_len);
        int n;
        if (v == PORTSNIFF_TLS)
            return 0;
        if (v == PORTSNIFF_TEXT) {
            sockio_send_all(&s->io, REPLY_TLS_NOT_PLAIN, sizeof REPLY_TLS_NOT_PLAIN - 1,
                            TLS_CLOSE_NOTIFY_MS);
            snprintf(info, cap, "not-tls-told");
            return TRANSPORT_NOT_TLS_TOLD;
        }
        if (v == PORTSNIFF_BINARY) {
            snprintf(info, cap, "not-tls");
            return TRANSPORT_NOT_TLS;
        }
        n = tls_receive_more(s, tls_left_of(deadline));
        if (n <= 0)
            return receive_failed(n, "handshake", info, cap);
    }
}

int tls_handshake_start(void *ctx, char *info, size_t cap)
{
    struct tls *s = ctx;
    ULONGLONG deadline = GetTickCount64() + s->handshake_timeout_ms;
    unsigned version = 0;
    int rc = check_first_bytes(s, deadline, info, cap);

    if (rc == 0)
        rc = tls_run_handshake(s, deadline, "handshake", info, cap);
    if (rc != 0)
        return s->gate_timed_out ? TRANSPORT_BUSY : rc;
    if (schannel_ctx_sizes(&s->sc, &s->rec.header, &s->rec.trailer, &s->rec.max_message) != 0 ||
        s->rec.max_message == 0) {
        snprintf(info, cap, "handshake-no-sizes");
        return TRANSPORT_ERROR;
    }
    schannel_ctx_describe(&s->sc, info, cap, &version);
    /* Schannel was told the versions allowed; a Schannel that ignores it
     * (Wine ignores SCH_CREDENTIALS' parameters) is still held to them. */
    if (version < s->min_version) {
        snprintf(info, cap, "handshake-old-version");
        return TRANSPORT_ERROR;
    }
    s->rec.version = version;
    s->ready = 1;
    return 0;
}
