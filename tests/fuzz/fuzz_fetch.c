/* fuzz_fetch.c - the client's per-file steps under any replies and any order
 * of outcomes.
 *
 * Input: the first byte picks the partial file's size (0: none), then a
 * stream of events split at LF: a line starting with 0x01 says the file's
 * bytes have all arrived, 0x02 and 0x03 that emptying the partial worked or
 * failed; any other line is a reply line from the server.
 *
 * Invariants: every request line fits, ends in CR LF and names the path;
 * RECEIVE hands out the size "#Sending" announced; SAVE's size is the offset
 * asked for plus that size, and comes only after RECEIVE; FAILED, FATAL and
 * SAVE end the file, and everything after them is FATAL; kept text fits.
 * Every reply line is also taken as the answer to --verify's HASH. */
#include <string.h>

#include "fetch.h"
#include "fuzz.h"

static const char path[] = "dir/file.bin";

static void check_action(const struct fetch *f, const struct fetch_action *act, int received)
{
    switch (act->kind) {
    case FETCH_SEND:
        FUZZ_CHECK(act->waiting_for != NULL);
        if (act->line_len > 0) {
            FUZZ_CHECK(act->line_len <= FETCH_LINE_MAX && act->line_len >= 2);
            FUZZ_CHECK(memcmp(act->line + act->line_len - 2, "\r\n", 2) == 0);
        }
        break;
    case FETCH_RECEIVE:
        FUZZ_CHECK(act->size == f->size);
        break;
    case FETCH_SAVE:
        FUZZ_CHECK(received);
        FUZZ_CHECK(act->size == fetch_offset(f) + f->size);
        break;
    case FETCH_FAILED:
    case FETCH_FATAL:
        FUZZ_CHECK(act->said_len <= FETCH_SAID_MAX);
        FUZZ_CHECK(act->said_len == 0 || act->said != NULL);
        break;
    case FETCH_TRUNCATE:
        FUZZ_CHECK(fetch_offset(f) > 0);
        break;
    }
}

/* --verify's decision on any line taken as the answer to HASH: a match is
 * exactly "#SHA-256 <mine> <path>"; what is said for a message lies in the
 * line. */
static void check_verdict(const struct fetch *f, const char *line, size_t len)
{
    static const char mine[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    const char *said = NULL;
    size_t said_len = 0;
    enum fetch_verdict v = fetch_hash_verdict(f, line, len, mine, &said, &said_len);

    FUZZ_CHECK(said_len == 0 || (said >= line && said + said_len <= line + len));
    if (v == FETCH_HASH_NONE)
        return;
    FUZZ_CHECK(said_len == FETCH_HASH_HEX_LEN && len >= 9 + FETCH_HASH_HEX_LEN);
    FUZZ_CHECK(memcmp(line, "#SHA-256 ", 9) == 0);
    FUZZ_CHECK((memcmp(said, mine, FETCH_HASH_HEX_LEN) == 0) == (v == FETCH_HASH_MATCH));
    if (len > 0 && line[len - 1] == '\r')
        len--; /* a line end's CR, which replies may keep */
    if (v == FETCH_HASH_MATCH)
        FUZZ_CHECK(len == 9 + FETCH_HASH_HEX_LEN + 1 + sizeof path - 1 &&
                   memcmp(line + 9, mine, FETCH_HASH_HEX_LEN) == 0 &&
                   memcmp(line + len - (sizeof path - 1), path, sizeof path - 1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fetch f;
    struct fetch_action act;
    uint64_t offset;
    size_t pos = 1;
    int ended = 0, received = 0;

    if (size == 0)
        return 0;
    offset = data[0] == 0 ? 0 : (uint64_t)data[0] << (data[0] % 40);
    fetch_begin(&f, path, sizeof path - 1, offset, &act);
    check_action(&f, &act, 0);
    while (pos < size) {
        const uint8_t *end = memchr(data + pos, '\n', size - pos);
        size_t len = end != NULL ? (size_t)(end - (data + pos)) : size - pos;
        const char *line = (const char *)data + pos;

        if (len > 0 && line[0] == 0x01) {
            received |= act.kind == FETCH_RECEIVE;
            fetch_received(&f, &act);
        } else if (len > 0 && (line[0] == 0x02 || line[0] == 0x03)) {
            fetch_truncated(&f, line[0] == 0x02, &act);
        } else {
            fetch_reply(&f, line, len, &act);
        }
        check_verdict(&f, line, len);
        if (ended)
            FUZZ_CHECK(act.kind == FETCH_FATAL);
        check_action(&f, &act, received);
        if (act.kind == FETCH_FAILED || act.kind == FETCH_FATAL || act.kind == FETCH_SAVE)
            ended = 1;
        pos += len + 1;
    }
    return 0;
}
