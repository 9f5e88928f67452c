/* logsink.h - where the access log goes: stdout in console mode, and a file.
 *
 * Shared by every client thread; a critical section keeps lines whole. */
#ifndef MTS_LOGSINK_H
#define MTS_LOGSINK_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

struct logsink {
    CRITICAL_SECTION lock;
    HANDLE out;  /* stdout, or NULL */
    HANDLE file; /* the --log file, or INVALID_HANDLE_VALUE */
};

struct logsink_request {
    const char *peer;
    const char *command;
    const char *path; /* NULL when none */
    size_t path_len;
    uint64_t bytes;
    const char *result;
    ULONGLONG started_ms; /* GetTickCount64() when the request began */
};

/* Returns 0, or -1 with a message in err when the file cannot be opened. */
int logsink_open(struct logsink *log, int to_stdout, const char *file_utf8, char *err,
                 size_t errcap);
void logsink_close(struct logsink *log);
/* Writes one access-log line. line_buf is scratch space of ACCESSLOG_LINE_MAX
 * bytes that the caller owns, so threads need not carry it on their stacks. */
void logsink_request(struct logsink *log, const struct logsink_request *req, char *line_buf);
/* Writes a line of text as it is (a newline is added). */
void logsink_text(struct logsink *log, const char *text);

#endif
