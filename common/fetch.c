/* fetch.c - the client's per-file protocol steps (see fetch.h). */
#include "fetch.h"

#include <stdio.h>
#include <string.h>

#include "replyparse.h"
#include "request.h"

static void act_init(struct fetch_action *act, enum fetch_action_kind kind)
{
    memset(act, 0, sizeof *act);
    act->kind = kind;
}

/* Keeps a reply's text for a message to come (it may already be f->said). */
static void keep_said(struct fetch *f, const char *text, size_t len)
{
    f->said_len = len < sizeof f->said ? len : sizeof f->said;
    memmove(f->said, text, f->said_len);
}

/* Ends the file (FETCH_FAILED) or the connection (FETCH_FATAL), keeping
 * what the server said for the message. */
static void give_up(struct fetch *f, enum fetch_action_kind kind, enum fetch_reason reason,
                    const struct replyparse_reply *r, struct fetch_action *act)
{
    act_init(act, kind);
    act->reason = reason;
    f->state = FETCH_DONE;
    if (r != NULL) {
        keep_said(f, r->text, r->text_len);
        act->said = f->said;
        act->said_len = f->said_len;
        if (r->kind == REPLY_KIND_OTHER)
            act->reason = FETCH_R_NONSENSE;
    }
}

static void send_request(struct fetch *f, enum command_verb verb, const char *arg,
                         size_t arg_len, enum fetch_state next, const char *waiting_for,
                         struct fetch_action *act)
{
    /* request_format copies the argument byte for byte or refuses it whole. */
    size_t len = request_format(verb, arg, arg_len, f->line, sizeof f->line);

    if (len == 0) {
        give_up(f, FETCH_FATAL, FETCH_R_TOO_LONG, NULL, act);
        return;
    }
    act_init(act, FETCH_SEND);
    act->line = f->line;
    act->line_len = len;
    act->waiting_for = waiting_for;
    f->state = next;
}

/* REST when continuing a partial file, else GET at once. */
static void ask(struct fetch *f, struct fetch_action *act)
{
    char offset[24];

    if (f->offset > 0) {
        snprintf(offset, sizeof offset, "%llu", (unsigned long long)f->offset);
        send_request(f, CMD_REST, offset, strlen(offset), FETCH_WAIT_REST, "the answer to REST",
                     act);
    } else {
        send_request(f, CMD_GET, f->path, f->path_len, FETCH_WAIT_GET, "the answer to GET", act);
    }
}

void fetch_begin(struct fetch *f, const char *path, size_t path_len, uint64_t offset,
                 struct fetch_action *act)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    f->path_len = path_len;
    f->offset = offset;
    ask(f, act);
}

static void after_get(struct fetch *f, const struct replyparse_reply *r, struct fetch_action *act)
{
    switch (r->type) {
    case REPLY_T_SENDING:
        f->size = r->number;
        f->state = FETCH_RECEIVING;
        act_init(act, FETCH_RECEIVE);
        act->size = r->number;
        return;
    case REPLY_T_FILE_FAILED:
        /* The server says the same for a file it will not serve as for one
         * that is not there, on purpose. */
        give_up(f, FETCH_FAILED, FETCH_R_NOT_FOUND, r, act);
        return;
    case REPLY_T_OFFSET_PAST_END:
        if (f->offset == 0)
            break; /* we asked for no offset: the server is out of step */
        f->state = FETCH_TRUNCATING;
        keep_said(f, r->text, r->text_len);
        act_init(act, FETCH_TRUNCATE);
        return;
    case REPLY_T_USAGE_PATH:
    case REPLY_T_BAD_CHARS:
    case REPLY_T_LINE_TOO_LONG:
        give_up(f, FETCH_FAILED, FETCH_R_NAME_REFUSED, r, act);
        return;
    default:
        break;
    }
    give_up(f, FETCH_FATAL, FETCH_R_UNEXPECTED, r, act);
}

void fetch_reply(struct fetch *f, const char *line, size_t len, struct fetch_action *act)
{
    struct replyparse_reply r;

    replyparse_line(line, len, &r);
    switch (f->state) {
    case FETCH_WAIT_REST:
        if (r.type == REPLY_T_RESTARTING && r.number == f->offset)
            send_request(f, CMD_GET, f->path, f->path_len, FETCH_WAIT_GET, "the answer to GET",
                         act);
        else
            give_up(f, FETCH_FATAL, FETCH_R_UNEXPECTED, &r, act);
        return;
    case FETCH_WAIT_GET:
        after_get(f, &r, act);
        return;
    case FETCH_WAIT_CONFIRM:
        if (replyparse_is_file_sent(&r, f->path, f->path_len)) {
            f->state = FETCH_DONE;
            act_init(act, FETCH_SAVE);
            act->size = f->offset + f->size;
        } else {
            give_up(f, FETCH_FATAL, FETCH_R_UNEXPECTED, &r, act);
        }
        return;
    default:
        /* A line while bytes or a truncation were due, or after the end:
         * the caller is out of step with us, and so with the server. */
        give_up(f, FETCH_FATAL, FETCH_R_UNEXPECTED, &r, act);
        return;
    }
}

void fetch_truncated(struct fetch *f, int ok, struct fetch_action *act)
{
    struct replyparse_reply r;

    if (f->state != FETCH_TRUNCATING || !ok) {
        /* Unchanged from before the split: a partial that cannot be emptied
         * is reported with the server's words, and the connection goes. */
        memset(&r, 0, sizeof r);
        r.kind = REPLY_KIND_ERROR;
        r.text = f->said;
        r.text_len = f->said_len;
        give_up(f, FETCH_FATAL, FETCH_R_UNEXPECTED, &r, act);
        return;
    }
    f->offset = 0;
    ask(f, act);
}

void fetch_received(struct fetch *f, struct fetch_action *act)
{
    if (f->state != FETCH_RECEIVING) {
        give_up(f, FETCH_FATAL, FETCH_R_UNEXPECTED, NULL, act);
        return;
    }
    f->state = FETCH_WAIT_CONFIRM;
    act_init(act, FETCH_SEND); /* nothing to send: read the confirmation */
    act->waiting_for = "the confirmation";
}

uint64_t fetch_offset(const struct fetch *f)
{
    return f->offset;
}

enum fetch_verdict fetch_hash_verdict(const struct fetch *f, const char *line, size_t len,
                                      const char *mine, const char **said, size_t *said_len)
{
    struct replyparse_reply r;

    replyparse_line(line, len, &r);
    /* The path is checked too: an answer about another file is none. */
    if (!replyparse_is_hash_of(&r, f->path, f->path_len)) {
        *said = r.text;
        *said_len = r.text_len;
        return FETCH_HASH_NONE;
    }
    *said = r.hex;
    *said_len = FETCH_HASH_HEX_LEN;
    return memcmp(r.hex, mine, FETCH_HASH_HEX_LEN) == 0 ? FETCH_HASH_MATCH : FETCH_HASH_MISMATCH;
}
