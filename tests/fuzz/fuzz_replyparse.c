/* fuzz_replyparse.c - the client's reply parser over any line, and the
 * round trip from the server's formatters through it.
 *
 * Invariants: the kind follows the first byte; every pointer handed back
 * lies inside the line; "#File <p> sent successfully." and the other framed
 * replies that the server formats from any path or number parse back to
 * that very path or number. */
#include <string.h>

#include "fuzz.h"
#include "mts_error.h"
#include "reply.h"
#include "replyparse.h"

static void inside(const char *p, size_t n, const char *line, size_t len)
{
    FUZZ_CHECK(p >= line && p + n <= line + len);
}

static void round_trip_path(const char *path, size_t len)
{
    char line[REPLY_MAX];
    struct replyparse_reply r;
    size_t n = reply_file_sent(line, sizeof line, path, len);

    if (n == 0 || len == 0)
        return;
    FUZZ_CHECK(replyparse_line(line, n - 2, &r) == 0);
    FUZZ_CHECK(r.type == REPLY_T_FILE_SENT && replyparse_is_file_sent(&r, path, len));
    n = reply_file_failed(line, sizeof line, path, len);
    FUZZ_CHECK(n > 0 && replyparse_line(line, n - 2, &r) == 0);
    FUZZ_CHECK(r.type == REPLY_T_FILE_FAILED && r.path_len == len);
    FUZZ_CHECK(memcmp(r.path, path, len) == 0);
}

static void round_trip_number(uint64_t v)
{
    char line[64];
    struct replyparse_reply r;
    size_t n = reply_sending(line, sizeof line, v);

    FUZZ_CHECK(n > 0 && replyparse_line(line, n - 1, &r) == 0); /* with its CR, as linebuf gives it */
    FUZZ_CHECK(r.type == REPLY_T_SENDING && r.number == v);
    n = reply_restarting(line, sizeof line, v);
    FUZZ_CHECK(n > 0 && replyparse_line(line, n - 2, &r) == 0);
    FUZZ_CHECK(r.type == REPLY_T_RESTARTING && r.number == v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size ? size : 1);
    struct replyparse_reply r;
    uint64_t v = 0;
    int rc;

    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    rc = replyparse_line(line, size, &r);
    if (size == 0 || (line[0] != '#' && line[0] != '!') || (size == 1 && line[0] == '\r')) {
        FUZZ_CHECK(rc == MTS_ESYNTAX && r.kind == REPLY_KIND_OTHER);
    } else {
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(r.kind == (line[0] == '#' ? REPLY_KIND_OK : REPLY_KIND_ERROR));
        inside(r.text, r.text_len, line, size);
        if (r.type == REPLY_T_FILE_SENT || r.type == REPLY_T_FILE_FAILED) {
            FUZZ_CHECK(r.path_len > 0);
            inside(r.path, r.path_len, line, size);
        }
    }
    round_trip_path(line, size);
    for (size_t i = 0; i < size && i < 8; i++)
        v = v << 8 | data[i];
    round_trip_number(v);
    free(line);
    return 0;
}
