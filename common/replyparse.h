/* replyparse.h - reads the server's reply lines, for the client.
 *
 * The other side of reply.h: the texts are the same macros the server sends,
 * so the two cannot drift apart. A line is given without its line end (as
 * linebuf delivers it); a trailing CR is ignored all the same. Pure functions,
 * no state: any thread may call them. */
#ifndef MTS_REPLYPARSE_H
#define MTS_REPLYPARSE_H

#include <stddef.h>
#include <stdint.h>

enum replyparse_kind {
    REPLY_KIND_OTHER, /* neither '#' nor '!': not a reply line at all */
    REPLY_KIND_OK,    /* '#' */
    REPLY_KIND_ERROR, /* '!' */
};

enum replyparse_type {
    REPLY_T_UNKNOWN, /* a '#' or '!' line this client does not know */
    REPLY_T_READY,
    REPLY_T_LOGGED_IN,
    REPLY_T_BAD_PASSWORD,
    REPLY_T_NOT_LOGGED_IN,
    REPLY_T_INVALID_COMMAND,
    REPLY_T_TOO_MANY_FAILURES,
    REPLY_T_LINE_TOO_LONG,
    REPLY_T_BAD_CHARS,
    REPLY_T_SERVER_BUSY,
    REPLY_T_IDLE_TIMEOUT,
    REPLY_T_SERVER_STOPPING,
    REPLY_T_USAGE_AUTH,
    REPLY_T_USAGE_PATH,
    REPLY_T_BAD_OFFSET,
    REPLY_T_OFFSET_PAST_END,
    REPLY_T_HELP,
    REPLY_T_SENDING,     /* "#Sending <n> bytes.": number */
    REPLY_T_RESTARTING,  /* "#Restarting at <offset>.": number */
    REPLY_T_FILE_SENT,   /* "#File <path> sent successfully.": path */
    REPLY_T_FILE_FAILED, /* "!File <path> could not be opened.": path */
    REPLY_T_USAGE_HASH,
    REPLY_T_HASH,         /* "#SHA-256 <hex> <path>": hex (64 lowercase digits), path */
    REPLY_T_HASH_FAILED,  /* "!File <path> could not be hashed.": path */
    REPLY_T_HASH_CHANGED, /* "!File <path> changed while it was hashed.": path */
    REPLY_T_LIST_FAILED,  /* "!Folder <path> could not be listed.": path */
};

struct replyparse_reply {
    enum replyparse_kind kind;
    enum replyparse_type type;
    uint64_t number;  /* REPLY_T_SENDING, REPLY_T_RESTARTING */
    const char *path; /* the replies that name a path: points into the line */
    const char *hex;  /* REPLY_T_HASH: 64 hex digits in the line */
    size_t path_len;
    const char *text; /* the line without its '#'/'!' and line end, for messages */
    size_t text_len;
};

/* Classifies line[0..len). Always fills *out; returns 0, or MTS_ESYNTAX when
 * the line is no reply line at all (kind REPLY_KIND_OTHER). A '#Sending' or
 * '#Restarting' line whose number is malformed or out of range is
 * REPLY_T_UNKNOWN: a client must not trust a size it cannot read. */
int replyparse_line(const char *line, size_t len, struct replyparse_reply *out);

/* 1 when the reply is "#SHA-256 <hex> <path>" for exactly this path. */
int replyparse_is_hash_of(const struct replyparse_reply *r, const char *path, size_t path_len);

/* 1 when the reply is "#File <path> sent successfully." for exactly this path. */
int replyparse_is_file_sent(const struct replyparse_reply *r, const char *path, size_t path_len);

#endif
