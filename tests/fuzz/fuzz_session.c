/* fuzz_session.c - the protocol state machine driven by any byte stream,
 * with the outcomes the platform would report taken from the stream too.
 *
 * Layout: byte 0 picks the piece size; then the stream. Whenever the session
 * asks for a password check or a file, the next stream byte decides the
 * outcome (bit 0: ok; the rest: a file size). Invariants: progress on every
 * call, replies are whole lines ("#" or "!", CRLF at the end, only there),
 * a file is only asked for after a correct password, a password check and
 * a file path are NUL-terminated, non-empty and without the verb, and after
 * three wrong passwords the session closes. LIST and HASH come only after
 * login, with their outcome also taken from the stream. Bit 6 of byte 0
 * puts the session on the plain port (bit 7: with a TLS port): a stream
 * that opens as a TLS ClientHello is refused there at its first or second
 * feed, and only such a stream is. */
#include <string.h>

#include "fuzz.h"
#include "session.h"

static struct session s;

static void check_reply(const struct session_action *a)
{
    FUZZ_CHECK(a->text != NULL && a->text_len >= 3 && a->text_len <= REPLY_MAX);
    FUZZ_CHECK(a->text[0] == '#' || a->text[0] == '!');
    FUZZ_CHECK(a->text[a->text_len - 2] == '\r' && a->text[a->text_len - 1] == '\n');
    FUZZ_CHECK(memchr(a->text, '\n', a->text_len - 1) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t step, pos = 1;
    unsigned failures = 0, feeds = 0;
    int logged_in = 0, plain;

    if (size < 1)
        return 0;
    step = (size_t)(data[0] & 0x3f) + 1;
    plain = (data[0] & 0x40) != 0;
    session_init(&s);
    if (plain)
        session_on_plain_port(&s, (data[0] & 0x80) ? 2122 : 0);
    /* Without the plain port's look, the same bit says the server takes
     * Windows names (USER's longer names and their rules). */
    else if (data[0] & 0x80)
        session_allow_windows_names(&s);
    while (pos < size) {
        struct session_action a, next;
        size_t piece = size - pos < step ? size - pos : step;
        size_t used = session_feed(&s, (const char *)data + pos, piece, &a);

        feeds++;

        FUZZ_CHECK(used > 0 && used <= piece);
        pos += used;
        switch (a.kind) {
        case SA_NONE:
        case SA_CLOSE:
            break;
        case SA_REPLY:
        case SA_REPLY_CLOSE:
            check_reply(&a);
            break;
        case SA_REFUSE:
            /* Only a plain session's first bytes can be a ClientHello. */
            check_reply(&a);
            FUZZ_CHECK(plain && feeds <= 2 && size >= 3 && data[1] == 0x16 && data[2] == 0x03);
            return 0;
        case SA_AUTH: {
            int ok = pos < size && (data[pos] & 1);
            FUZZ_CHECK(a.arg != NULL && a.arg_len > 0 && a.arg[a.arg_len] == '\0');
            FUZZ_CHECK(strlen(a.arg) == a.arg_len);
            if (pos < size)
                pos++;
            session_auth_result(&s, ok, &next);
            check_reply(&next);
            if (ok) {
                logged_in = 1;
                FUZZ_CHECK(next.kind == SA_REPLY);
            } else if (++failures >= SESSION_MAX_AUTH_FAILURES) {
                FUZZ_CHECK(next.kind == SA_REPLY_CLOSE);
                return 0; /* the connection is closed */
            }
            break;
        }
        case SA_SEND_FILE: {
            uint8_t b = pos < size ? data[pos] : 0;
            uint64_t fsize = (uint64_t)(b >> 1) * 1000u;
            FUZZ_CHECK(logged_in);
            FUZZ_CHECK(a.arg != NULL && a.arg_len > 0 && a.arg[a.arg_len] == '\0');
            if (pos < size)
                pos++;
            if (session_file_opened(&s, b & 1, fsize, &next)) {
                FUZZ_CHECK(a.offset <= fsize);
                if (next.kind != SA_NONE)
                    check_reply(&next);
                session_file_done(&s, (b & 3) != 3, &next);
                if (next.kind == SA_CLOSE)
                    return 0;
                check_reply(&next);
            } else {
                check_reply(&next);
            }
            break;
        }
        case SA_LIST:
        case SA_HASH: {
            /* The next byte: bit 0 lists or hashes fine, bit 1 as changed. */
            uint8_t b = pos < size ? data[pos] : 0;
            static const char hex[] =
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
            FUZZ_CHECK(logged_in);
            FUZZ_CHECK(a.arg != NULL && a.arg[a.arg_len] == '\0' && strlen(a.arg) == a.arg_len);
            FUZZ_CHECK(a.kind == SA_LIST || a.arg_len > 0);
            if (pos < size)
                pos++;
            if (a.kind == SA_LIST) {
                if (!(b & 1)) {
                    session_list_failed(&s, &next);
                    check_reply(&next);
                    FUZZ_CHECK(next.text[0] == '!');
                }
            } else {
                session_hash_result(&s, (b & 1) ? SESSION_HASH_OK
                                                : ((b & 2) ? SESSION_HASH_CHANGED
                                                           : SESSION_HASH_FAILED),
                                    hex, &next);
                check_reply(&next);
                FUZZ_CHECK((next.text[0] == '#') == (b & 1));
            }
            break;
        }
        }
        /* A ClientHello on the plain port is refused by its second byte. */
        FUZZ_CHECK(!(plain && size >= 3 && data[1] == 0x16 && data[2] == 0x03 && feeds >= 2));
        if (a.kind == SA_CLOSE || a.kind == SA_REPLY_CLOSE)
            return 0;
    }
    return 0;
}
