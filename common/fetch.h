/* fetch.h - one file's download as the client sees the protocol, free of I/O.
 *
 * The client's side of what session.h is for the server: it decides which
 * request lines go out (REST when a partial file is there, then GET), reads
 * the server's reply lines, and says what to do next - send a line, receive
 * the file's bytes, empty the partial file and start over (the server said
 * the partial is longer than its file), save, or give up on this file or on
 * the whole connection. client/download.c performs the actions with the disk,
 * the socket and the console.
 *
 * Per file versus fatal: a refusal the server words for this file alone (not
 * found, a name it will not take) fails the file and leaves the connection
 * in step for the next one; anything else - an unexpected or unreadable
 * reply, a lost connection - ends the connection, since after it nobody can
 * tell whether file bytes follow. One fetch belongs to one thread. */
#ifndef MTS_FETCH_H
#define MTS_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "clientpath.h"

#define FETCH_LINE_MAX (CLIENTPATH_MAX + 32) /* the longest request line */
#define FETCH_SAID_MAX 300                   /* how much of a reply is kept for messages */
#define FETCH_HASH_HEX_LEN 64                /* a SHA-256 in hex, as HASH answers it */

enum fetch_action_kind {
    FETCH_SEND,     /* send line[0..line_len), then hand the next reply to fetch_reply */
    FETCH_RECEIVE,  /* receive `size` bytes for the partial file, then fetch_received */
    FETCH_TRUNCATE, /* empty the partial file, then fetch_truncated */
    FETCH_SAVE,     /* every byte and the confirmation came: the file should hold `size` bytes */
    FETCH_FAILED,   /* this file failed (reason); the connection is fine for the next */
    FETCH_FATAL,    /* the connection is gone or out of step (reason): stop */
};

enum fetch_reason {
    FETCH_R_NONE,
    FETCH_R_NOT_FOUND,    /* FAILED: "!File ... could not be opened." */
    FETCH_R_NAME_REFUSED, /* FAILED: the server would not take the name (said: its words) */
    FETCH_R_UNEXPECTED,   /* FATAL: a reply line that does not belong here (said) */
    FETCH_R_NONSENSE,     /* FATAL: a line that is no reply at all */
    FETCH_R_TOO_LONG,     /* FATAL: no request line (request_format): too long, bad bytes */
};

struct fetch_action {
    enum fetch_action_kind kind;
    enum fetch_reason reason;
    const char *line;        /* FETCH_SEND: valid until the next call */
    size_t line_len;
    const char *waiting_for; /* FETCH_SEND: what the reply is, for messages */
    uint64_t size;           /* FETCH_RECEIVE: bytes to come; FETCH_SAVE: the file's size */
    const char *said;        /* FAILED, FATAL: the reply's text (without '#'/'!') */
    size_t said_len;
};

enum fetch_state {
    FETCH_WAIT_REST,    /* REST sent */
    FETCH_WAIT_GET,     /* GET sent */
    FETCH_TRUNCATING,   /* TRUNCATE handed out */
    FETCH_RECEIVING,    /* RECEIVE handed out */
    FETCH_WAIT_CONFIRM, /* all bytes in; the "#File ... sent successfully." line is due */
    FETCH_DONE,
};

struct fetch {
    enum fetch_state state;
    const char *path; /* the trimmed request (clientpath_trim_request), not copied */
    size_t path_len;
    uint64_t offset; /* bytes of the partial file the server is asked to skip */
    uint64_t size;   /* what "#Sending n bytes." announced */
    char line[FETCH_LINE_MAX];
    char said[FETCH_SAID_MAX]; /* the last refusal's text, cut to fit */
    size_t said_len;
};

/* Starts a file: path[0..path_len) as it goes on the wire (it must outlive
 * the fetch), offset the size of a partial file to continue (0: none). */
void fetch_begin(struct fetch *f, const char *path, size_t path_len, uint64_t offset,
                 struct fetch_action *act);

/* One reply line, without its line end (a trailing CR is ignored). */
void fetch_reply(struct fetch *f, const char *line, size_t len, struct fetch_action *act);

/* FETCH_TRUNCATE's outcome: ok is 1 when the partial file is empty now. */
void fetch_truncated(struct fetch *f, int ok, struct fetch_action *act);

/* FETCH_RECEIVE's bytes have all arrived; act says to read the next line
 * (FETCH_SEND with line_len 0: nothing to send) for fetch_reply. */
void fetch_received(struct fetch *f, struct fetch_action *act);

/* --verify: what the answer to HASH, sent after FETCH_SAVE for the same
 * path, says of mine, the 64 lowercase hex digits of the SHA-256 of the
 * bytes received. */
enum fetch_verdict {
    FETCH_HASH_MATCH,    /* the server's SHA-256 of this file is mine: save it */
    FETCH_HASH_NONE,     /* no SHA-256 of this file (said: the reply's text) */
    FETCH_HASH_MISMATCH, /* the server has another (said: its 64 hex digits) */
};

/* line[0..len) is the reply, without its line end; *said and *said_len
 * point into it, for the message. */
enum fetch_verdict fetch_hash_verdict(const struct fetch *f, const char *line, size_t len,
                                      const char *mine, const char **said, size_t *said_len);

/* The offset now asked for (0 after starting over). */
uint64_t fetch_offset(const struct fetch *f);

#endif
