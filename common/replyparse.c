/* replyparse.c - the client's reading of reply lines (see replyparse.h).
 *
 * Fixed replies are matched against reply.h's own macros, minus their CRLF;
 * the few replies that carry a value are split into head, value and tail
 * with the heads and tails written once, here, beside the formatters'. */
#include "replyparse.h"

#include <string.h>

#include "mts_error.h"
#include "numparse.h"
#include "reply.h"

#define CRLF_LEN 2

static const struct {
    const char *text; /* with CRLF, as sent */
    enum replyparse_type type;
} fixed[] = {
    {REPLY_READY, REPLY_T_READY},
    {REPLY_LOGGED_IN, REPLY_T_LOGGED_IN},
    {REPLY_BAD_PASSWORD, REPLY_T_BAD_PASSWORD},
    {REPLY_NOT_LOGGED_IN, REPLY_T_NOT_LOGGED_IN},
    {REPLY_INVALID_COMMAND, REPLY_T_INVALID_COMMAND},
    {REPLY_TOO_MANY_FAILURES, REPLY_T_TOO_MANY_FAILURES},
    {REPLY_LINE_TOO_LONG, REPLY_T_LINE_TOO_LONG},
    {REPLY_BAD_CHARS, REPLY_T_BAD_CHARS},
    {REPLY_SERVER_BUSY, REPLY_T_SERVER_BUSY},
    {REPLY_IDLE_TIMEOUT, REPLY_T_IDLE_TIMEOUT},
    {REPLY_SERVER_STOPPING, REPLY_T_SERVER_STOPPING},
    {REPLY_USAGE_AUTH, REPLY_T_USAGE_AUTH},
    {REPLY_USAGE_PATH, REPLY_T_USAGE_PATH},
    {REPLY_BAD_OFFSET, REPLY_T_BAD_OFFSET},
    {REPLY_OFFSET_PAST_END, REPLY_T_OFFSET_PAST_END},
    {REPLY_HELP, REPLY_T_HELP},
    {REPLY_USAGE_HASH, REPLY_T_USAGE_HASH},
};

/* The replies with a value in the middle: head, value, tail. */
static const struct {
    const char *head, *tail;
    enum replyparse_type type;
    int numeric;
} framed[] = {
    {"#Sending ", " bytes.", REPLY_T_SENDING, 1},
    {"#Restarting at ", ".", REPLY_T_RESTARTING, 1},
    {"#File ", " sent successfully.", REPLY_T_FILE_SENT, 0},
    {"!File ", " could not be opened.", REPLY_T_FILE_FAILED, 0},
    {"!File ", " could not be hashed.", REPLY_T_HASH_FAILED, 0},
    {"!File ", " changed while it was hashed.", REPLY_T_HASH_CHANGED, 0},
    {"!Folder ", " could not be listed.", REPLY_T_LIST_FAILED, 0},
};

static int has_prefix(const char *s, size_t len, const char *prefix, size_t plen)
{
    return len >= plen && memcmp(s, prefix, plen) == 0;
}

static int has_suffix(const char *s, size_t len, const char *suffix, size_t slen)
{
    return len >= slen && memcmp(s + len - slen, suffix, slen) == 0;
}

#define HASH_HEAD "#SHA-256 "
#define HASH_HEAD_LEN (sizeof HASH_HEAD - 1)
#define HASH_HEX_LEN 64

/* "#SHA-256 <64 lowercase hex digits> <path>", the path not empty. */
static int match_hash(const char *line, size_t len, struct replyparse_reply *out)
{
    const char *hex = line + HASH_HEAD_LEN;

    if (len < HASH_HEAD_LEN + HASH_HEX_LEN + 2 || !has_prefix(line, len, HASH_HEAD, HASH_HEAD_LEN)
        || hex[HASH_HEX_LEN] != ' ')
        return 0;
    for (size_t i = 0; i < HASH_HEX_LEN; i++) {
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return 0;
    }
    out->type = REPLY_T_HASH;
    out->hex = hex;
    out->path = hex + HASH_HEX_LEN + 1;
    out->path_len = len - HASH_HEAD_LEN - HASH_HEX_LEN - 1;
    return 1;
}

static int match_framed(const char *line, size_t len, struct replyparse_reply *out)
{
    for (size_t i = 0; i < sizeof framed / sizeof framed[0]; i++) {
        size_t hl = strlen(framed[i].head), tl = strlen(framed[i].tail);
        const char *mid;
        size_t mid_len;

        /* The value must not be empty: head and tail may not overlap. */
        if (len <= hl + tl || !has_prefix(line, len, framed[i].head, hl) ||
            !has_suffix(line, len, framed[i].tail, tl))
            continue;
        mid = line + hl;
        mid_len = len - hl - tl;
        if (framed[i].numeric) {
            if (numparse_u64(mid, mid_len, UINT64_MAX, &out->number) != 0)
                return 0;
        } else {
            out->path = mid;
            out->path_len = mid_len;
        }
        out->type = framed[i].type;
        return 1;
    }
    return 0;
}

int replyparse_line(const char *line, size_t len, struct replyparse_reply *out)
{
    memset(out, 0, sizeof *out);
    out->kind = REPLY_KIND_OTHER;
    out->type = REPLY_T_UNKNOWN;
    out->text = line;
    out->path = line;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (len == 0 || (line[0] != '#' && line[0] != '!'))
        return MTS_ESYNTAX;
    out->kind = line[0] == '#' ? REPLY_KIND_OK : REPLY_KIND_ERROR;
    out->text = line + 1;
    out->text_len = len - 1;

    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        size_t tl = strlen(fixed[i].text) - CRLF_LEN;
        if (tl == len && memcmp(fixed[i].text, line, len) == 0) {
            out->type = fixed[i].type;
            return 0;
        }
    }
    if (!match_hash(line, len, out))
        match_framed(line, len, out);
    return 0;
}

int replyparse_is_hash_of(const struct replyparse_reply *r, const char *path, size_t path_len)
{
    return r->type == REPLY_T_HASH && r->path_len == path_len &&
           memcmp(r->path, path, path_len) == 0;
}

int replyparse_is_file_sent(const struct replyparse_reply *r, const char *path, size_t path_len)
{
    return r->type == REPLY_T_FILE_SENT && r->path_len == path_len &&
           memcmp(r->path, path, path_len) == 0;
}
