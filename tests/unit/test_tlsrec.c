/* test_tlsrec.c - the TLS record buffering (common/win/tlsrec.c) driven
 * through the fake Schannel of tlsfake.h: records split across receives at
 * every byte boundary, several records in one receive, SECBUFFER_EXTRA
 * after the handshake and after a record, empty records, close_notify, a
 * renegotiation request (TLS 1.2) and a post-handshake message (TLS 1.3)
 * that looks the same, garbage, a handshake step that makes no progress, a
 * record too large for the buffer, and sealing. Windows only (SSPI's
 * types); tests/fuzz/fuzz_tlsrec.c drives the same fake natively. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "check.h"
#include "tlsfake.h"
#include "tlsrec.h"

#define FAKE_TRAILER_ROOM 16 /* more than the fake uses, as Schannel's may be */

static char stream[8192], expected[8192];
static size_t stream_len, expected_len;

/* Two handshake records, then data records (one empty, one of 3000 bytes),
 * then close_notify. */
static void make_stream(void)
{
    static char big[3000];
    const char *parts[] = {"hello ", "", NULL, "world\r\n"};

    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    stream_len = expected_len = 0;
    stream_len += tlsfake_put_record(stream + stream_len, TLSFAKE_HANDSHAKE, "C1", 2);
    stream_len += tlsfake_put_record(stream + stream_len, TLSFAKE_HANDSHAKE, "C2", 2);
    for (size_t i = 0; i < 4; i++) {
        const char *p = parts[i] != NULL ? parts[i] : big;
        size_t n = parts[i] != NULL ? strlen(parts[i]) : sizeof big;
        stream_len += tlsfake_put_record(stream + stream_len, TLSFAKE_DATA, p, n);
        memcpy(expected + expected_len, p, n);
        expected_len += n;
    }
    stream_len += tlsfake_put_record(stream + stream_len, TLSFAKE_ALERT, "close", 5);
}

/* Receives: the stream handed over in pieces ending at cuts[i] (and at its end). */
struct feeder {
    const char *data;
    size_t len, pos;
    const size_t *cuts;
    size_t ncuts, next_cut;
    size_t chunk; /* when not 0: pieces of this size instead of cuts */
};

static int feed(struct feeder *fd, struct tlsrec *r)
{
    size_t cap, end, n;
    char *space = tlsrec_space(r, &cap);

    if (fd->pos == fd->len || cap == 0)
        return 0;
    if (fd->chunk != 0) {
        end = fd->pos + fd->chunk;
    } else {
        while (fd->next_cut < fd->ncuts && fd->cuts[fd->next_cut] <= fd->pos)
            fd->next_cut++;
        end = fd->next_cut < fd->ncuts ? fd->cuts[fd->next_cut] : fd->len;
    }
    if (end > fd->len)
        end = fd->len;
    n = end - fd->pos < cap ? end - fd->pos : cap;
    memcpy(space, fd->data + fd->pos, n);
    fd->pos += n;
    tlsrec_received(r, n);
    return 1;
}

struct outcome {
    char tokens[16];
    size_t tokens_len;
    char out[8192];
    size_t out_len;
    int end; /* the status that ended the run; -100: input ran out */
};

/* Handshake steps, fed as they ask, until one neither goes on nor needs
 * more; the tokens handed out are kept in o. */
static int run_handshake(struct tlsrec *r, struct feeder *fd, struct outcome *o)
{
    for (;;) {
        void *tok;
        size_t tl;
        int st = tlsrec_handshake(r, &tok, &tl);
        if (tok != NULL && o->tokens_len + tl <= sizeof o->tokens) {
            memcpy(o->tokens + o->tokens_len, tok, tl);
            o->tokens_len += tl;
        }
        tlsrec_free_token(r, tok);
        if (st == TLSREC_CONTINUE)
            continue;
        if (st == TLSREC_NEED_MORE && feed(fd, r))
            continue;
        return st;
    }
}

/* The handshake, then everything taken; version: what the handshake
 * negotiated (12 or 13), as the caller of tlsrec tells it. */
static void drive_as(struct feeder *fd, size_t take_cap, unsigned version, struct outcome *o)
{
    struct tlsfake f = {0, 0, 0};
    struct tlsrec r;
    int st;

    memset(o, 0, sizeof *o);
    tlsrec_init(&r, &tlsfake_ops, &f, TLSREC_IN_MIN);
    st = run_handshake(&r, fd, o);
    r.version = version;
    while (st == TLSREC_DONE || st == TLSREC_OK) {
        size_t got;
        st = tlsrec_take(&r, o->out + o->out_len,
                         take_cap < sizeof o->out - o->out_len ? take_cap
                                                               : sizeof o->out - o->out_len,
                         &got);
        if (st == TLSREC_OK)
            o->out_len += got;
        else if (st == TLSREC_NEED_MORE && feed(fd, &r))
            st = TLSREC_OK;
        else if (st == TLSREC_POST_HANDSHAKE)
            st = run_handshake(&r, fd, o);
    }
    o->end = st == TLSREC_NEED_MORE ? -100 : st;
    if (f.allocated != 0)
        o->end = -200; /* a token was not given back */
    tlsrec_free(&r);
}

static void drive(struct feeder *fd, size_t take_cap, struct outcome *o)
{
    drive_as(fd, take_cap, 12, o);
}

static void test_whole_stream_in_one_receive(void)
{
    struct feeder fd = {stream, 0, 0, NULL, 0, 0, 0};
    struct outcome o;

    make_stream();
    fd.len = stream_len;
    drive(&fd, 65536, &o);
    CHECK_INT(o.end, TLSREC_CLOSED);
    CHECK_MEM_STR(o.tokens, o.tokens_len, "S1S2");
    CHECK_INT(o.out_len, expected_len);
    CHECK(memcmp(o.out, expected, expected_len) == 0);
}

static void test_split_at_every_byte_boundary(void)
{
    struct outcome o;

    make_stream();
    for (size_t cut = 1; cut < stream_len; cut++) {
        struct feeder fd = {stream, 0, 0, NULL, 1, 0, 0};
        fd.len = stream_len;
        fd.cuts = &cut;
        drive(&fd, 65536, &o);
        if (o.end != TLSREC_CLOSED || o.out_len != expected_len ||
            memcmp(o.out, expected, expected_len) != 0 || o.tokens_len != 4) {
            fprintf(stderr, "cut at %u\n", (unsigned)cut);
            CHECK_INT(o.end, TLSREC_CLOSED);
            CHECK_INT(o.out_len, expected_len);
            CHECK(memcmp(o.out, expected, expected_len) == 0);
            CHECK_MEM_STR(o.tokens, o.tokens_len, "S1S2");
        }
    }
}

static void test_pieces_of_every_small_size(void)
{
    struct outcome o;

    make_stream();
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        for (size_t take_cap = 1; take_cap <= 4096; take_cap *= 8) {
            struct feeder fd = {stream, 0, 0, NULL, 0, 0, 0};
            fd.len = stream_len;
            fd.chunk = chunk;
            drive(&fd, take_cap, &o);
            if (o.end != TLSREC_CLOSED || o.out_len != expected_len ||
                memcmp(o.out, expected, expected_len) != 0) {
                fprintf(stderr, "pieces of %u, taken %u at a time\n", (unsigned)chunk,
                        (unsigned)take_cap);
                CHECK_INT(o.end, TLSREC_CLOSED);
                CHECK_INT(o.out_len, expected_len);
            }
        }
    }
}

static void test_stream_that_stops_half_way_needs_more(void)
{
    struct outcome o;
    struct feeder fd = {stream, 0, 0, NULL, 0, 0, 0};

    make_stream();
    fd.len = 6; /* inside the first handshake record (7 bytes) */
    drive(&fd, 65536, &o);
    CHECK_INT(o.end, -100);
    CHECK_INT(o.tokens_len, 0);
}

static void test_garbage_after_the_handshake_is_an_error(void)
{
    static char s[256];
    size_t n = 0;
    struct outcome o;
    struct feeder fd = {s, 0, 0, NULL, 0, 0, 0};

    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "C1", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "C2", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_DATA, "ok", 2);
    memcpy(s + n, "GET / HTTP/1.0\r\n\r\n", 18);
    n += 18;
    fd.len = n;
    drive(&fd, 65536, &o);
    CHECK_INT(o.end, TLSREC_ERROR);
    CHECK_MEM_STR(o.out, o.out_len, "ok"); /* what came before the garbage was handed out */
}

static void test_plain_text_in_the_handshake_is_an_error_with_an_alert(void)
{
    static const char s[] = "AUTH secret\r\n";
    struct outcome o;
    struct feeder fd = {s, sizeof s - 1, 0, NULL, 0, 0, 0};

    drive(&fd, 65536, &o);
    CHECK_INT(o.end, TLSREC_ERROR);
    CHECK_MEM_STR(o.tokens, o.tokens_len, "A!");
}

static void test_renegotiation_is_reported(void)
{
    static char s[256];
    size_t n = 0;
    struct outcome o;
    struct feeder fd = {s, 0, 0, NULL, 0, 0, 0};

    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "C1", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "C2", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_DATA, "x", 1);
    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "hello again", 11);
    fd.len = n;
    drive(&fd, 65536, &o);
    CHECK_INT(o.end, TLSREC_RENEGOTIATE);
    CHECK_MEM_STR(o.out, o.out_len, "x");
}

/* The same stream with a handshake record after the first data: what TLS
 * 1.3's KeyUpdate looks like to the caller (SEC_I_RENEGOTIATE). */
static size_t post_handshake_stream(char *s)
{
    size_t n = 0;

    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "C1", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "C2", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_DATA, "x", 1);
    n += tlsfake_put_record(s + n, TLSFAKE_HANDSHAKE, "key update", 10);
    n += tlsfake_put_record(s + n, TLSFAKE_DATA, "yz", 2);
    n += tlsfake_put_record(s + n, TLSFAKE_ALERT, "close", 5);
    return n;
}

static void test_tls13_post_handshake_message_is_passed_on_at_every_byte_boundary(void)
{
    static char s[256];
    size_t n = post_handshake_stream(s);
    struct outcome o;

    for (size_t cut = 0; cut < n; cut++) {
        struct feeder fd = {s, 0, 0, NULL, 1, 0, 0};
        fd.len = n;
        fd.cuts = &cut;
        drive_as(&fd, 65536, 13, &o);
        if (o.end != TLSREC_CLOSED || o.out_len != 3 || memcmp(o.out, "xyz", 3) != 0 ||
            o.tokens_len != 6 || memcmp(o.tokens, "S1S2KU", 6) != 0) {
            fprintf(stderr, "cut at %u\n", (unsigned)cut);
            CHECK_INT(o.end, TLSREC_CLOSED);
            CHECK_MEM_STR(o.out, o.out_len, "xyz");
            CHECK_MEM_STR(o.tokens, o.tokens_len, "S1S2KU");
        }
    }
}

static void test_the_same_message_under_tls12_is_a_renegotiation(void)
{
    static char s[256];
    struct outcome o;
    struct feeder fd = {s, 0, 0, NULL, 0, 0, 0};

    fd.len = post_handshake_stream(s);
    drive_as(&fd, 65536, 12, &o);
    CHECK_INT(o.end, TLSREC_RENEGOTIATE);
    CHECK_MEM_STR(o.out, o.out_len, "x");
    CHECK_MEM_STR(o.tokens, o.tokens_len, "S1S2"); /* nothing answered */
}

/* A step that takes no byte and gives no token would be asked the same
 * question with the same bytes for ever: a core spun until the process
 * ends. It is an error, as a record that consumes nothing is. */
static void test_handshake_step_without_progress_is_an_error(void)
{
    struct tlsfake f = {0, 0, 1};
    struct tlsrec r;
    size_t cap;
    char *space;
    void *tok;
    size_t tl;
    int st = TLSREC_CONTINUE, calls = 0;

    CHECK_INT(tlsrec_init(&r, &tlsfake_ops, &f, TLSREC_IN_MIN), 0);
    space = tlsrec_space(&r, &cap);
    tlsrec_received(&r, tlsfake_put_record(space, TLSFAKE_HANDSHAKE, "C1", 2));
    /* Bounded, so that the test fails rather than hangs without the guard. */
    while (st == TLSREC_CONTINUE && calls < 1000) {
        st = tlsrec_handshake(&r, &tok, &tl);
        tlsrec_free_token(&r, tok);
        calls++;
    }
    CHECK_INT(st, TLSREC_ERROR);
    CHECK_INT(calls, 1);
    CHECK_INT(r.last_status, SEC_I_CONTINUE_NEEDED);
    CHECK_INT(f.allocated, 0);
    tlsrec_free(&r);
}

static void test_record_larger_than_the_buffer_is_full(void)
{
    struct tlsfake f = {TLSFAKE_STEPS, 0, 0};
    struct tlsrec r;
    size_t cap, got;
    char out[16], *space;

    CHECK_INT(tlsrec_init(&r, &tlsfake_ops, &f, 64), 0);
    space = tlsrec_space(&r, &cap);
    CHECK_INT(cap, 64);
    memset(space, 'z', cap);
    memcpy(space, "\x17\x03\x03\x01\x00", 5); /* says 256 bytes follow */
    tlsrec_received(&r, cap);
    CHECK_INT(tlsrec_take(&r, out, sizeof out, &got), TLSREC_FULL);
    CHECK_INT(got, 0);
    tlsrec_free(&r);
}

static void test_sealed_records_open_again(void)
{
    struct tlsfake f = {TLSFAKE_STEPS, 0, 0};
    struct tlsrec r;
    char rec[5 + 100 + FAKE_TRAILER_ROOM], out[200], *space;
    size_t rec_len, cap, got, total = 0;

    CHECK_INT(tlsrec_init(&r, &tlsfake_ops, &f, TLSREC_IN_MIN), 0);
    r.header = 5;
    r.trailer = FAKE_TRAILER_ROOM;
    r.max_message = 100;
    CHECK_INT(tlsrec_record_cap(&r), sizeof rec);
    CHECK_INT(tlsrec_seal(&r, rec, 101, &rec_len), TLSREC_ERROR);
    for (int i = 0; i < 100; i++)
        rec[5 + i] = (char)('0' + i % 10);
    CHECK_INT(tlsrec_seal(&r, rec, 100, &rec_len), 0);
    CHECK_INT(rec_len, 5 + 100 + 4); /* the trailer used less than its room */
    space = tlsrec_space(&r, &cap);
    memcpy(space, rec, rec_len);
    tlsrec_received(&r, rec_len);
    CHECK_INT(tlsrec_pending(&r), rec_len);
    while (tlsrec_take(&r, out + total, 7, &got) == TLSREC_OK)
        total += got;
    CHECK_INT(total, 100);
    CHECK(out[0] == '0' && out[99] == '9' && out[55] == '5');
    CHECK_INT(tlsrec_pending(&r), 0);
    tlsrec_free(&r);
}

/* A TLS download's records per send (server/transport_tls.c: four
 * records' room plus at most 256 KiB while a file is sent, issue 24): 19
 * with Wine's record sizes and with Windows' shorter trailers, and never
 * more than the budget allows. */
static void test_records_per_send_stay_within_the_budget(void)
{
    static const unsigned long trailers[] = {256, 16, 64, 0};
    const size_t extra = 256u << 10;
    struct tlsrec r;

    memset(&r, 0, sizeof r);
    r.header = 5;
    r.max_message = 16384;
    for (size_t i = 0; i < sizeof trailers / sizeof trailers[0]; i++) {
        size_t n;
        r.trailer = trailers[i];
        n = tlsrec_records_per_send(&r, 4, extra);
        CHECK_INT(n, 19);
        CHECK((n - 4) * tlsrec_record_cap(&r) <= extra);
    }
    r.trailer = 256;
    CHECK_INT(tlsrec_records_per_send(&r, 4, 0), 4);
    CHECK_INT(tlsrec_records_per_send(&r, 4, tlsrec_record_cap(&r) - 1), 4);
    CHECK_INT(tlsrec_records_per_send(&r, 4, tlsrec_record_cap(&r)), 5);
    r.header = r.max_message = r.trailer = 0; /* before the handshake's sizes */
    CHECK_INT(tlsrec_records_per_send(&r, 4, extra), 4);
}

int main(void)
{
    RUN_TEST(test_whole_stream_in_one_receive);
    RUN_TEST(test_split_at_every_byte_boundary);
    RUN_TEST(test_pieces_of_every_small_size);
    RUN_TEST(test_stream_that_stops_half_way_needs_more);
    RUN_TEST(test_garbage_after_the_handshake_is_an_error);
    RUN_TEST(test_plain_text_in_the_handshake_is_an_error_with_an_alert);
    RUN_TEST(test_renegotiation_is_reported);
    RUN_TEST(test_tls13_post_handshake_message_is_passed_on_at_every_byte_boundary);
    RUN_TEST(test_the_same_message_under_tls12_is_a_renegotiation);
    RUN_TEST(test_handshake_step_without_progress_is_an_error);
    RUN_TEST(test_record_larger_than_the_buffer_is_full);
    RUN_TEST(test_sealed_records_open_again);
    RUN_TEST(test_records_per_send_stay_within_the_budget);
    return check_summary();
}
