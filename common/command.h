/* command.h - parses one protocol line into a verb and its argument.
 *
 * Verbs are case-insensitive; spaces and tabs around the line and between
 * verb and argument are trimmed; the argument keeps inner spaces (paths may
 * have them). The argument points into the caller's line. */
#ifndef MTS_COMMAND_H
#define MTS_COMMAND_H

#include <stddef.h>

enum command_verb {
    CMD_BLANK,   /* an empty or all-blank line */
    CMD_UNKNOWN, /* a verb the protocol does not have */
    CMD_QUIT,
    CMD_AUTH,
    CMD_FILE,
    CMD_GET,
    CMD_REST,
    CMD_HELP,
    CMD_LIST,
    CMD_HASH,
    CMD_USER,
};

struct command {
    enum command_verb verb;
    const char *arg; /* never NULL; arg_len 0 when there is none */
    size_t arg_len;
};

/* Returns 0, or MTS_EBADCHAR when the line has a NUL, a control character
 * other than tab, or bytes that are not UTF-8. */
int command_parse(const char *line, size_t len, struct command *out);

/* Whether a password can be stored for AUTH to match: NULL when it can,
 * else the reason, for the user ("begins or ends with a blank, which AUTH
 * trims"). AUTH trims blanks around its argument and refuses a line with a
 * control character, so such a password could never log in; tab is refused
 * anywhere, as it is a control character too. */
const char *command_password_problem(const char *pw, size_t len);

/* The verb's name in capitals, for logs ("AUTH"); "-" for blank, "?" unknown. */
const char *command_name(enum command_verb verb);

#endif
