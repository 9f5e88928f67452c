/* logsink.h - where the access log goes: stdout in console mode, and a file.
 *
 * Shared by every client thread; a critical section keeps lines whole and
 * guards the rotation state and the refusal summaries. The file is rotated
 * when a line would take it past max_bytes: FILE.N-1 becomes FILE.N, ...,
 * FILE becomes FILE.1, and a new FILE is started, keeping `keep` old files
 * (log_keep), so the log never takes more than about (keep + 1) x
 * max_bytes. Refused connections are summarised (common/refusals.h): one
 * full line per address and reason a minute, then a count. Repeated
 * authentication failures can also be raised to an alert callback (the
 * service's event log), at most once a minute.
 *
 * Console output never blocks serving: lines for stdout go into a bounded
 * queue (CONSOLE_QUEUE_BYTES) that a writer thread of its own empties, so a
 * QuickEdit selection or a stdout pipe nobody reads stalls only that thread.
 * A line that does not fit is dropped and counted, and the count is written
 * once stdout takes lines again. */
#ifndef MTS_LOGSINK_H
#define MTS_LOGSINK_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "outcome.h"
#include "refusals.h"

/* The stdout queue and its writer thread (logsink.c). */
struct logconsole;

struct logsink {
    CRITICAL_SECTION lock;
    struct logconsole *console; /* stdout's queue, or NULL */
    HANDLE file; /* the --log file, or INVALID_HANDLE_VALUE */
    wchar_t *path;      /* the file's name, for rotation; NULL without a file */
    uint64_t size;      /* bytes in the file as far as we know */
    uint64_t max_bytes; /* rotate past this size; 0: never */
    unsigned keep;      /* old files kept: FILE.1 .. FILE.keep */
    struct refusals *refusals; /* NULL when it could not be allocated: all logged */
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
    enum outcome result;
    ULONGLONG started_ms; /* GetTickCount64() when the request began */
    const char *tls;      /* NULL over plain TCP; else the protocol and cipher */
};

/* Returns 0, or -1 with a message in err when the file cannot be opened or
 * the console writer cannot be started. */
int logsink_open(struct logsink *log, int to_stdout, const char *file_utf8, char *err,
                 size_t errcap);
void logsink_close(struct logsink *log);
/* Waits up to wait_ms for the console queue to be written out, so that
 * what the caller prints next comes after it. Returns 0 when it was. */
int logsink_drain(struct logsink *log, DWORD wait_ms);
/* Rotates the file at max_bytes (0: never), keeping keep old files (at
 * least 1). Call before the server starts. */
void logsink_set_rotation(struct logsink *log, uint64_t max_bytes, unsigned keep);
/* Raises repeated-failure disconnections to alert. Call before the server starts. */
void logsink_set_alert(struct logsink *log, void (*alert)(const char *text));
/* Writes one access-log line. line_buf is scratch space of ACCESSLOG_LINE_MAX
 * bytes that the caller owns, so threads need not carry it on their stacks. */
void logsink_request(struct logsink *log, const struct logsink_request *req, char *line_buf);
/* Writes a line of text as it is (a newline is added). */
void logsink_text(struct logsink *log, const char *text);
/* A refused connection from addr (no port): its access-log line is written
 * in full when it is the first of its address and reason in the interval,
 * else only counted (refusals.h). */
void logsink_refused(struct logsink *log, const char *addr, const struct logsink_request *req,
                     char *line_buf);
/* Writes the summaries whose interval has run out; the server's look
 * thread calls it every second (and logsink_close writes the rest). */
void logsink_tick(struct logsink *log);

#endif
