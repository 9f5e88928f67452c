/* fuzz_request.c - the client's request lines.
 *
 * The first byte picks the verb, the rest is the argument. Invariants:
 * request_format makes a line exactly when request_check accepts; the line
 * is one protocol line (CR LF only at its end, within LINEBUF_MAX, framed
 * by linebuf as one line), and the server's parser reads back the same
 * verb and the same argument, byte for byte. */
#include <string.h>

#include "command.h"
#include "fuzz.h"
#include "linebuf.h"
#include "request.h"

static const enum command_verb verbs[] = {CMD_BLANK, CMD_UNKNOWN, CMD_QUIT, CMD_AUTH,
                                          CMD_FILE,  CMD_GET,     CMD_REST, CMD_HELP,
                                          CMD_LIST,  CMD_HASH,    CMD_USER};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char line[REQUEST_LINE_MAX];
    static struct linebuf lb;
    enum command_verb verb;
    const char *arg;
    size_t len, n, used = 0;
    struct command cmd;
    int ok;

    if (size == 0)
        return 0;
    verb = verbs[data[0] % (sizeof verbs / sizeof verbs[0])];
    arg = (const char *)data + 1;
    len = size - 1;
    ok = request_check(verb, len ? arg : NULL, len) == 0;
    /* A cap cut short now and then: refused whole, never written in part. */
    n = request_format(verb, len ? arg : NULL, len, line, data[0] & 0x80 ? len : sizeof line);
    FUZZ_CHECK(ok || n == 0);
    if (n == 0)
        return 0;
    FUZZ_CHECK(n >= 6 && n <= REQUEST_LINE_MAX);
    FUZZ_CHECK(line[n - 2] == '\r' && line[n - 1] == '\n');
    FUZZ_CHECK(memchr(line, '\r', n - 2) == NULL && memchr(line, '\n', n - 2) == NULL);
    linebuf_init(&lb);
    FUZZ_CHECK(linebuf_feed(&lb, line, n, &used) == LINEBUF_LINE && used == n);
    FUZZ_CHECK(command_parse(line, n - 2, &cmd) == 0);
    FUZZ_CHECK(cmd.verb == verb);
    FUZZ_CHECK(cmd.arg_len == len && memcmp(cmd.arg, arg, len) == 0);
    return 0;
}
