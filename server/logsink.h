/* logsink.h - where the access log goes: stdout in console mode, and a file.
 *
 * Shared by every client thread; a critical section keeps lines whole and
 * guards the rotation state. The file is rotated when a line would take it
 * past max_bytes: FILE becomes FILE.1 (replacing the previous FILE.1) and a
 * new FILE is started, so the log never takes more than about twice
 * max_bytes. Repeated authentication failures can also be raised to an
 * alert callback (the service's event log), at most once a minute. */
#ifndef MTS_LOGSINK_H
#define MTS_LOGSINK_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

struct logsink {
    CRITICAL_SECTION lock;
    HANDLE out;  /* stdout, or NULL */
    HANDLE file; /* the --log file, or INVALID_HANDLE_VALUE */
    wchar_t *path;      /* the file's name, for rotation; NULL without a file */
    uint64_t size;      /* bytes in the file as far as we know */
    uint64_t max_bytes; /* rotate past this size; 0: never */
    ULONGLONG rotate_retry_ms; /* after a refused rename, no new try before this */
    uint64_t left_out;         /* lines not written while the file was too big */
    void (*alert)(const char *text); /* NULL: no alerts */
    ULONGLONG last_alert_ms;
    unsigned alerts_held; /* failures not raised since the last alert */
};

struct logsink_request {
    const char *peer;
    const char *command;
    const char *path; /* NULL when none */
    size_t path_len;
    uint64_t bytes;
    const char *result;
    ULONGLONG started_ms; /* GetTickCount64() when the request began */
    const char *tls;      /* NULL over plain TCP; else the protocol and cipher */
};

/* Returns 0, or -1 with a message in err when the file cannot be opened. */
int logsink_open(struct logsink *log, int to_stdout, const char *file_utf8, char *err,
                 size_t errcap);
void logsink_close(struct logsink *log);
/* Rotates the file at max_bytes (0: never). Call before the server starts. */
void logsink_set_rotation(struct logsink *log, uint64_t max_bytes);
/* Raises repeated-failure disconnections to alert. Call before the server starts. */
void logsink_set_alert(struct logsink *log, void (*alert)(const char *text));
/* Writes one access-log line. line_buf is scratch space of ACCESSLOG_LINE_MAX
 * bytes that the caller owns, so threads need not carry it on their stacks. */
void logsink_request(struct logsink *log, const struct logsink_request *req, char *line_buf);
/* Writes a line of text as it is (a newline is added). */
void logsink_text(struct logsink *log, const char *text);

#endif
