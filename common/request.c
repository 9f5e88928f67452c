/* request.c - the client's request lines (see request.h). */
#include "request.h"

#include <string.h>

#include "mts_error.h"
#include "utf8.h"

enum arg_rule {
    ARG_NONE,     /* QUIT */
    ARG_OPTIONAL, /* LIST, HELP */
    ARG_REQUIRED,
    ARG_DIGITS,   /* REST: the offset */
};

static int arg_rule(enum command_verb verb, enum arg_rule *rule)
{
    switch (verb) {
    case CMD_QUIT: *rule = ARG_NONE; return 0;
    case CMD_LIST:
    case CMD_HELP: *rule = ARG_OPTIONAL; return 0;
    case CMD_REST: *rule = ARG_DIGITS; return 0;
    case CMD_USER:
    case CMD_AUTH:
    case CMD_FILE:
    case CMD_GET:
    case CMD_HASH: *rule = ARG_REQUIRED; return 0;
    default: return MTS_EINVAL; /* blank, unknown: no line to send */
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int request_check(enum command_verb verb, const char *arg, size_t len)
{
    enum arg_rule rule;

    if (arg_rule(verb, &rule) != 0 || (rule == ARG_NONE && len > 0))
        return MTS_EINVAL;
    if (len == 0)
        return rule == ARG_REQUIRED || rule == ARG_DIGITS ? MTS_EMISSING : 0;
    /* The server trims blanks around the argument: one sent would not be
     * the argument it reads. */
    if (is_blank(arg[0]) || is_blank(arg[len - 1]))
        return MTS_EBADCHAR;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)arg[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return MTS_EBADCHAR;
        if (rule == ARG_DIGITS && (c < '0' || c > '9'))
            return MTS_EBADCHAR;
    }
    if (!utf8_is_valid(arg, len))
        return MTS_EBADCHAR;
    if (strlen(command_name(verb)) + 1 + len > LINEBUF_MAX)
        return MTS_ETOOLONG;
    return 0;
}

size_t request_format(enum command_verb verb, const char *arg, size_t len, char *out,
                      size_t cap)
{
    const char *name = command_name(verb);
    size_t nlen = strlen(name), total = nlen + (len > 0 ? 1 + len : 0) + 2;

    if (request_check(verb, arg, len) != 0 || total > cap)
        return 0;
    memcpy(out, name, nlen);
    if (len > 0) {
        out[nlen] = ' ';
        memcpy(out + nlen + 1, arg, len);
    }
    memcpy(out + total - 2, "\r\n", 2);
    return total;
}
