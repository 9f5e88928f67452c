/* session.c - the protocol state machine (see session.h). */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "numparse.h"
#include "portsniff.h"

void session_init(struct session *s)
{
    memset(s, 0, sizeof *s);
    linebuf_init(&s->lb);
    s->pending = CMD_BLANK;
    s->head_judged = 1;
}

void session_on_plain_port(struct session *s, unsigned tls_port)
{
    s->tls_port = tls_port;
    s->head_judged = 0;
}

void session_set_accounts_only(struct session *s)
{
    s->accounts_only = 1;
}

void session_allow_windows_names(struct session *s)
{
    s->windows_names = 1;
}

const char *session_account(const struct session *s)
{
    return s->logged_in && s->user_len > 0 ? s->user : NULL;
}

const char *session_greeting(size_t *len)
{
    *len = sizeof REPLY_READY - 1;
    return REPLY_READY;
}

static void say(struct session_action *act, enum session_action_kind kind, const char *text,
                size_t len)
{
    act->kind = kind;
    act->text = text;
    act->text_len = len;
}

#define SAY(act, kind, literal) say((act), (kind), (literal), sizeof(literal) - 1)

static void on_path_command(struct session *s, const struct command *cmd,
                            struct session_action *act)
{
    if (!s->logged_in) {
        SAY(act, SA_REPLY, REPLY_NOT_LOGGED_IN);
        return;
    }
    /* REST applies to the next GET or FILE only, even one without a path. */
    s->file_offset = s->rest_offset;
    s->rest_offset = 0;
    if (cmd->arg_len == 0) {
        SAY(act, SA_REPLY, REPLY_USAGE_PATH);
        return;
    }
    s->pending = cmd->verb;
    s->path = cmd->arg;
    s->path_len = cmd->arg_len;
    /* The argument ends where the trimmed line ends; terminate it there. */
    s->lb.data[(size_t)(cmd->arg - s->lb.data) + cmd->arg_len] = '\0';
    act->kind = SA_SEND_FILE;
    act->arg = cmd->arg;
    act->arg_len = cmd->arg_len;
    act->offset = s->file_offset;
}

/* LIST and HASH: a path (optional for LIST) handed out as it came; REST is
 * neither used nor cleared. */
static void on_find_command(struct session *s, const struct command *cmd,
                            struct session_action *act)
{
    if (!s->logged_in) {
        SAY(act, SA_REPLY, REPLY_NOT_LOGGED_IN);
        return;
    }
    if (cmd->verb == CMD_HASH && cmd->arg_len == 0) {
        SAY(act, SA_REPLY, REPLY_USAGE_HASH);
        return;
    }
    s->pending = cmd->verb;
    s->path = cmd->arg;
    s->path_len = cmd->arg_len;
    s->lb.data[(size_t)(cmd->arg - s->lb.data) + cmd->arg_len] = '\0';
    act->kind = cmd->verb == CMD_LIST ? SA_LIST : SA_HASH;
    act->arg = cmd->arg;
    act->arg_len = cmd->arg_len;
}

static void on_rest(struct session *s, const struct command *cmd, struct session_action *act)
{
    uint64_t offset;

    if (!s->logged_in) {
        SAY(act, SA_REPLY, REPLY_NOT_LOGGED_IN);
        return;
    }
    if (numparse_u64(cmd->arg, cmd->arg_len, UINT64_MAX, &offset) != 0) {
        SAY(act, SA_REPLY, REPLY_BAD_OFFSET);
        return;
    }
    s->rest_offset = offset;
    say(act, SA_REPLY, s->out, reply_restarting(s->out, sizeof s->out, offset));
}

/* USER names the account the next AUTH is for. Any valid name gets the same
 * answer, whether or not an account has it: AUTH alone tells, and it says
 * the same for an unknown name as for a wrong password. */
static void on_user(struct session *s, const struct command *cmd, struct session_action *act)
{
    char why[200];

    if (s->logged_in) {
        SAY(act, SA_REPLY, REPLY_ALREADY_LOGGED_IN);
        return;
    }
    if (cmd->arg_len == 0) {
        SAY(act, SA_REPLY, REPLY_USAGE_USER);
        return;
    }
    if (winacct_check_user_name(cmd->arg, cmd->arg_len, s->windows_names, why, sizeof why) != 0) {
        SAY(act, SA_REPLY, REPLY_BAD_USER_NAME);
        return;
    }
    memcpy(s->user, cmd->arg, cmd->arg_len);
    s->user[cmd->arg_len] = '\0';
    s->user_len = cmd->arg_len;
    SAY(act, SA_REPLY, REPLY_USER_ACCEPTED);
    act->arg = s->user; /* for the log */
    act->arg_len = s->user_len;
}

static void on_auth(struct session *s, const struct command *cmd, struct session_action *act)
{
    if (cmd->arg_len == 0) {
        SAY(act, SA_REPLY, REPLY_USAGE_AUTH);
        return;
    }
    if (s->user_len == 0 && s->accounts_only) {
        /* Not a failure to count: no password could have been right. */
        SAY(act, SA_REPLY, REPLY_USER_FIRST);
        return;
    }
    s->pending = CMD_AUTH;
    s->lb.data[(size_t)(cmd->arg - s->lb.data) + cmd->arg_len] = '\0';
    act->kind = SA_AUTH;
    act->arg = cmd->arg;
    act->arg_len = cmd->arg_len;
    if (s->user_len > 0) {
        act->user = s->user;
        act->user_len = s->user_len;
    }
}

static void on_line(struct session *s, struct session_action *act)
{
    struct command cmd;

    if (command_parse(s->lb.data, s->lb.len, &cmd) != 0) {
        SAY(act, SA_REPLY, REPLY_BAD_CHARS);
        return;
    }
    act->verb = cmd.verb;
    switch (cmd.verb) {
    case CMD_BLANK:
        act->kind = SA_NONE;
        return;
    case CMD_UNKNOWN:
        SAY(act, SA_REPLY, REPLY_INVALID_COMMAND);
        return;
    case CMD_QUIT:
        act->kind = SA_CLOSE;
        return;
    case CMD_HELP:
        SAY(act, SA_REPLY, REPLY_HELP);
        return;
    case CMD_AUTH:
        on_auth(s, &cmd, act);
        return;
    case CMD_USER:
        on_user(s, &cmd, act);
        return;
    case CMD_REST:
        on_rest(s, &cmd, act);
        return;
    case CMD_FILE:
    case CMD_GET:
        on_path_command(s, &cmd, act);
        return;
    case CMD_LIST:
    case CMD_HASH:
        on_find_command(s, &cmd, act);
        return;
    }
}

/* 1 when the connection's first bytes, those seen before and buf's, open a
 * TLS handshake: the client meant the TLS port. Its bytes would otherwise
 * be read as lines of invalid characters until the idle timeout; it is
 * told where TLS is instead (act), and the connection closes. */
static int tls_on_plain(struct session *s, const char *buf, size_t len,
                        struct session_action *act)
{
    char first[2];
    size_t n = s->head_len;
    int hello;

    if (s->head_judged)
        return 0;
    if (n == 1)
        first[0] = s->head;
    while (n < 2 && len > n - s->head_len) {
        first[n] = buf[n - s->head_len];
        n++;
    }
    hello = portsniff_client_hello(first, n);
    if (hello < 0)
        return 0; /* one byte so far, 22: the next one tells */
    s->head_judged = 1;
    if (!hello)
        return 0;
    if (s->tls_port == 0)
        SAY(act, SA_REFUSE, REPLY_PLAIN_NO_TLS);
    else
        say(act, SA_REFUSE, s->out,
            (size_t)snprintf(s->out, sizeof s->out, REPLY_PLAIN_NOT_TLS_FMT, s->tls_port));
    return 1;
}

size_t session_feed(struct session *s, const char *buf, size_t len, struct session_action *act)
{
    size_t consumed = 0;

    memset(act, 0, sizeof *act);
    act->kind = SA_NONE;
    act->verb = CMD_BLANK;
    s->pending = CMD_BLANK;
    if (tls_on_plain(s, buf, len, act))
        return len; /* the rest of the ClientHello is not read */

    switch (linebuf_feed(&s->lb, buf, len, &consumed)) {
    case LINEBUF_TOO_LONG:
        SAY(act, SA_REPLY, REPLY_LINE_TOO_LONG);
        break;
    case LINEBUF_LINE:
        on_line(s, act);
        break;
    default:
        break;
    }
    if (!s->head_judged && s->head_len == 0 && consumed == 1) {
        s->head = buf[0]; /* a lone 22: kept for the next byte's verdict */
        s->head_len = 1;
    }
    return consumed;
}

int session_has_partial_line(const struct session *s)
{
    return linebuf_has_partial(&s->lb);
}

void session_auth_result(struct session *s, int ok, struct session_action *act)
{
    memset(act, 0, sizeof *act);
    act->verb = CMD_AUTH;
    if (s->pending != CMD_AUTH) {
        act->kind = SA_NONE;
        return;
    }
    s->pending = CMD_BLANK;
    if (ok) {
        s->logged_in = 1;
        SAY(act, SA_REPLY, REPLY_LOGGED_IN);
        return;
    }
    if (++s->auth_failures >= SESSION_MAX_AUTH_FAILURES) {
        SAY(act, SA_REPLY_CLOSE, REPLY_TOO_MANY_FAILURES);
        return;
    }
    SAY(act, SA_REPLY, REPLY_BAD_PASSWORD);
}

void session_auth_refused(struct session *s, enum session_refusal why, struct session_action *act)
{
    memset(act, 0, sizeof *act);
    act->verb = CMD_AUTH;
    act->kind = SA_NONE;
    if (s->pending != CMD_AUTH)
        return;
    s->pending = CMD_BLANK;
    if (why == SESSION_ACCOUNT_FULL)
        SAY(act, SA_REPLY, REPLY_ACCOUNT_FULL);
    else
        SAY(act, SA_REPLY, REPLY_ACCOUNT_NO_ROOT);
}

int session_file_opened(struct session *s, int ok, uint64_t size, struct session_action *act)
{
    memset(act, 0, sizeof *act);
    act->verb = s->pending;
    act->kind = SA_NONE;
    if (s->pending != CMD_FILE && s->pending != CMD_GET)
        return 0;
    if (!ok) {
        s->pending = CMD_BLANK;
        say(act, SA_REPLY, s->out, reply_file_failed(s->out, sizeof s->out, s->path, s->path_len));
        return 0;
    }
    if (s->file_offset > size) {
        s->pending = CMD_BLANK;
        SAY(act, SA_REPLY, REPLY_OFFSET_PAST_END);
        return 0;
    }
    if (s->pending == CMD_GET)
        say(act, SA_REPLY, s->out, reply_sending(s->out, sizeof s->out, size - s->file_offset));
    return 1;
}

void session_file_done(struct session *s, int ok, struct session_action *act)
{
    memset(act, 0, sizeof *act);
    act->verb = s->pending;
    if (s->pending != CMD_FILE && s->pending != CMD_GET) {
        act->kind = SA_NONE;
        return;
    }
    s->pending = CMD_BLANK;
    if (!ok) {
        act->kind = SA_CLOSE;
        return;
    }
    say(act, SA_REPLY, s->out, reply_file_sent(s->out, sizeof s->out, s->path, s->path_len));
}

void session_list_failed(struct session *s, struct session_action *act)
{
    memset(act, 0, sizeof *act);
    act->verb = CMD_LIST;
    act->kind = SA_NONE;
    if (s->pending != CMD_LIST)
        return;
    s->pending = CMD_BLANK;
    say(act, SA_REPLY, s->out, reply_list_failed(s->out, sizeof s->out, s->path, s->path_len));
}

void session_hash_result(struct session *s, enum session_hash_outcome outcome, const char *hex,
                         struct session_action *act)
{
    size_t n;

    memset(act, 0, sizeof *act);
    act->verb = CMD_HASH;
    act->kind = SA_NONE;
    if (s->pending != CMD_HASH)
        return;
    s->pending = CMD_BLANK;
    switch (outcome) {
    case SESSION_HASH_OK:
        n = reply_hash(s->out, sizeof s->out, hex, s->path, s->path_len);
        if (n > 0) {
            say(act, SA_REPLY, s->out, n);
            return;
        }
        break; /* a digest that is not 64 characters is no digest */
    case SESSION_HASH_CHANGED:
        say(act, SA_REPLY, s->out,
            reply_hash_changed(s->out, sizeof s->out, s->path, s->path_len));
        return;
    case SESSION_HASH_FAILED:
        break;
    }
    say(act, SA_REPLY, s->out, reply_hash_failed(s->out, sizeof s->out, s->path, s->path_len));
}
