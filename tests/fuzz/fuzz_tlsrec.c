/* fuzz_tlsrec.c - the TLS record layer (common/win/tlsrec.c) over any
 * bytes from the peer, cut anywhere, through the fake Schannel of
 * tests/unit/tlsfake.h (built natively with the stand-in SSPI headers of
 * tests/fuzz/winstub/).
 *
 * Input: four bytes of settings, then the stream the peer sends.
 *   [0] the largest piece a receive hands over, less one (the pieces vary
 *       between 1 and it, from a generator seeded by the input);
 *   [1] how much each take may copy: bit 7 set, 16 KiB; else 1 to 128;
 *   [2] bit 0: TLS 1.3 (else 1.2); bit 1: a Schannel whose handshake step
 *       makes no progress; bits 2-3: the record buffer's size (the usual
 *       TLSREC_IN_MIN, or 64, 300 or 4096 bytes, to reach a full buffer);
 *   [3] the largest message tlsrec_seal is given, less one.
 *
 * Invariants: whatever the cuts, the handshake's tokens, the plain text
 * handed out and the status that ends the run equal those of a reference
 * reading of the whole stream (record by record, as the fake reads them);
 * every take hands out between 1 and cap bytes; every token handed out is
 * given back; the number of calls is bounded by the input's size (no call
 * repeats without progress); and the plain text, sealed again in records
 * of the chosen size, opens to the same bytes. */
#include <string.h>

#include "fuzz.h"
#include "tlsfake.h"
#include "tlsrec.h"

#define RAN_OUT (-100) /* the run stopped for want of bytes: not an error */
#define TRAILER_ROOM 16u

struct result {
    char tokens[64]; /* enough for a run that is not one token per record */
    size_t tokens_len, tokens_all; /* kept, and all handed out */
    char *out;
    size_t out_len;
    int end;
};

static void add_token(struct result *res, const char *t, size_t n)
{
    if (res->tokens_len + n <= sizeof res->tokens) {
        memcpy(res->tokens + res->tokens_len, t, n);
        res->tokens_len += n;
    }
    res->tokens_all += n;
}

/* The whole stream read record by record as the fake Schannel reads it:
 * a record that is not all there ends the run for want of bytes, or as
 * TLSREC_FULL when it does not fit the buffer. */
static void reference(const uint8_t *s, size_t n, size_t cap, unsigned version, int stall,
                      struct result *res)
{
    size_t pos = 0;
    int step = 0;

    res->end = RAN_OUT;
    if (stall) {
        if (n > 0)
            res->end = TLSREC_ERROR;
        return;
    }
    for (;;) {
        size_t avail = n - pos < cap ? n - pos : cap, len;
        const uint8_t *p = s + pos;
        int bad_version = avail >= 3 && (p[1] != 3 || p[2] != 3);

        if (step < TLSFAKE_STEPS && ((avail >= 1 && p[0] != TLSFAKE_HANDSHAKE) || bad_version)) {
            add_token(res, "A!", 2);
            res->end = TLSREC_ERROR;
            return;
        }
        if (step >= TLSFAKE_STEPS && bad_version) {
            res->end = TLSREC_ERROR;
            return;
        }
        len = avail >= 5 ? ((size_t)p[3] << 8 | p[4]) : 0;
        if (avail < 5 || avail < 5 + len) {
            res->end = avail == cap ? TLSREC_FULL : RAN_OUT;
            return;
        }
        pos += 5 + len;
        if (step < TLSFAKE_STEPS) {
            step++;
            add_token(res, step == 1 ? "S1" : "S2", 2);
            continue;
        }
        if (p[0] == TLSFAKE_ALERT) {
            res->end = TLSREC_CLOSED;
            return;
        }
        if (p[0] == TLSFAKE_HANDSHAKE) {
            if (version < 13) {
                res->end = TLSREC_RENEGOTIATE;
                return;
            }
            add_token(res, "KU", 2);
            continue;
        }
        if (p[0] != TLSFAKE_DATA || len < TLSFAKE_MAC_LEN ||
            memcmp(p + 5 + len - TLSFAKE_MAC_LEN, TLSFAKE_MAC, TLSFAKE_MAC_LEN) != 0) {
            res->end = TLSREC_ERROR;
            return;
        }
        for (size_t i = 0; i < len - TLSFAKE_MAC_LEN; i++)
            res->out[res->out_len++] = (char)(p[5 + i] ^ TLSFAKE_XOR);
    }
}

/* The peer's bytes, handed over in pieces of varying size. */
struct feeder {
    const uint8_t *data;
    size_t len, pos, max_piece;
    uint32_t seed;
};

static int feed(struct feeder *fd, struct tlsrec *r)
{
    size_t cap, n;
    char *space = tlsrec_space(r, &cap);

    FUZZ_CHECK(cap <= r->in_cap);
    if (fd->pos == fd->len || cap == 0)
        return 0;
    fd->seed = fd->seed * 1103515245u + 12345u;
    n = 1 + (fd->seed >> 16) % fd->max_piece;
    if (n > fd->len - fd->pos)
        n = fd->len - fd->pos;
    if (n > cap)
        n = cap;
    memcpy(space, fd->data + fd->pos, n);
    fd->pos += n;
    tlsrec_received(r, n);
    FUZZ_CHECK(tlsrec_pending(r) <= r->in_cap);
    return 1;
}

/* Each call takes a record (5 bytes at least), hands out a byte, or is
 * answered by a feed of one byte or more; a few more end the run. */
static void check_calls(size_t calls, const struct feeder *fd)
{
    FUZZ_CHECK(calls <= 3 * fd->len + 8);
}

/* Handshake steps until one neither goes on nor waits for bytes that come. */
static int handshake(struct tlsrec *r, struct feeder *fd, struct result *res, size_t *calls)
{
    for (;;) {
        void *tok;
        size_t tl;
        int st = tlsrec_handshake(r, &tok, &tl);

        check_calls(++*calls, fd);
        FUZZ_CHECK((tok == NULL) == (tl == 0));
        if (tok != NULL)
            add_token(res, tok, tl);
        tlsrec_free_token(r, tok);
        if (st == TLSREC_CONTINUE)
            continue;
        if (st == TLSREC_NEED_MORE && feed(fd, r))
            continue;
        return st;
    }
}

static void run(struct feeder *fd, size_t in_cap, size_t take_cap, unsigned version, int stall,
                struct result *res)
{
    struct tlsfake f = {0, 0, stall};
    struct tlsrec r;
    size_t calls = 0;
    int st;

    FUZZ_CHECK(tlsrec_init(&r, &tlsfake_ops, &f, in_cap) == 0);
    st = handshake(&r, fd, res, &calls);
    r.version = version;
    while (st == TLSREC_DONE || st == TLSREC_OK) {
        size_t got = 0;
        st = tlsrec_take(&r, res->out + res->out_len, take_cap, &got);
        calls++;
        if (st == TLSREC_OK) {
            FUZZ_CHECK(got > 0 && got <= take_cap);
            res->out_len += got;
        } else {
            FUZZ_CHECK(got == 0);
            if (st == TLSREC_NEED_MORE && feed(fd, &r))
                st = TLSREC_OK;
            else if (st == TLSREC_POST_HANDSHAKE)
                st = handshake(&r, fd, res, &calls);
        }
        check_calls(calls, fd);
    }
    res->end = st == TLSREC_NEED_MORE ? RAN_OUT : st;
    FUZZ_CHECK(f.allocated == 0);
    tlsrec_free(&r);
}

/* The plain text sealed in records of at most max_message bytes and
 * opened again by a second tlsrec, a record buffer's worth at a time. */
static void round_trip(const char *plain, size_t n, unsigned long max_message)
{
    struct tlsfake f = {TLSFAKE_STEPS, 0, 0};
    struct tlsrec r;
    size_t done = 0, back = 0;
    char *rec, *out = malloc(n + 1);

    FUZZ_CHECK(out != NULL);
    FUZZ_CHECK(tlsrec_init(&r, &tlsfake_ops, &f, TLSREC_IN_MIN) == 0);
    r.header = 5;
    r.trailer = TRAILER_ROOM;
    r.max_message = max_message;
    rec = malloc(tlsrec_record_cap(&r));
    FUZZ_CHECK(rec != NULL);
    FUZZ_CHECK(tlsrec_seal(&r, rec, max_message + 1, &(size_t){0}) == TLSREC_ERROR);
    while (done < n || tlsrec_pending(&r) > 0) {
        size_t cap, rec_len, got;
        char *space = tlsrec_space(&r, &cap);
        if (done < n && cap >= tlsrec_record_cap(&r)) {
            size_t m = n - done < max_message ? n - done : max_message;
            memcpy(rec + r.header, plain + done, m);
            FUZZ_CHECK(tlsrec_seal(&r, rec, m, &rec_len) == 0);
            FUZZ_CHECK(rec_len == 5 + m + TLSFAKE_MAC_LEN);
            memcpy(space, rec, rec_len);
            tlsrec_received(&r, rec_len);
            done += m;
            continue;
        }
        FUZZ_CHECK(tlsrec_take(&r, out + back, n + 1 - back, &got) == TLSREC_OK);
        back += got;
        FUZZ_CHECK(back <= n);
    }
    FUZZ_CHECK(back == n && memcmp(out, plain, n) == 0);
    free(rec);
    free(out);
    tlsrec_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[] = {TLSREC_IN_MIN, 64, 300, 4096};
    struct feeder fd;
    struct result got, want;
    size_t in_cap, take_cap;
    unsigned version;
    int stall;

    if (size < 4)
        return 0;
    take_cap = (data[1] & 0x80) ? 16384 : (size_t)(data[1] & 0x7f) + 1;
    version = (data[2] & 1) ? 13 : 12;
    stall = (data[2] & 2) != 0;
    in_cap = caps[(data[2] >> 2) & 3];
    memset(&fd, 0, sizeof fd);
    fd.data = data + 4;
    fd.len = size - 4;
    fd.max_piece = (size_t)data[0] + 1;
    fd.seed = (uint32_t)size * 2654435761u ^ data[0];
    memset(&got, 0, sizeof got);
    memset(&want, 0, sizeof want);
    /* Plain text is never longer than the stream it came in. */
    got.out = malloc(fd.len + take_cap);
    want.out = malloc(fd.len + 1);
    FUZZ_CHECK(got.out != NULL && want.out != NULL);

    run(&fd, in_cap, take_cap, version, stall, &got);
    reference(fd.data, fd.len, in_cap, version, stall, &want);
    FUZZ_CHECK(got.end == want.end);
    FUZZ_CHECK(got.tokens_all == want.tokens_all);
    FUZZ_CHECK(got.tokens_len == want.tokens_len &&
               memcmp(got.tokens, want.tokens, got.tokens_len) == 0);
    FUZZ_CHECK(got.out_len == want.out_len && memcmp(got.out, want.out, got.out_len) == 0);
    round_trip(got.out, got.out_len, (unsigned long)data[3] + 1);

    free(got.out);
    free(want.out);
    return 0;
}
