/* logconsole.h - the access log's stdout in console mode: a ring queue of
 * bytes and the writer thread that empties it.
 *
 * Client threads and the look thread put lines in and never wait for
 * stdout (a console window being selected, a pipe nobody reads): a line
 * that does not fit is counted and reported, not waited for. The writer
 * writes with no lock held, sleeps on a condition variable when the queue
 * is empty (under Wine an event's SetEvent and wait are wineserver round
 * trips; a condition variable's are not), and once woken lets more lines
 * come for a few milliseconds before it writes. */
#ifndef MTS_LOGCONSOLE_H
#define MTS_LOGCONSOLE_H

#include <stddef.h>
#include <windows.h>

struct logconsole;

/* The queue and its writer thread over out; NULL when either cannot be made. */
struct logconsole *logconsole_start(HANDLE out);

/* Queues line[0..len) (CRLF-ended); any thread. */
void logconsole_put(struct logconsole *c, const char *line, size_t len);

/* Waits up to wait_ms for the queue to be written out: 0, or -1 if not. */
int logconsole_drain(struct logconsole *c, DWORD wait_ms);

/* Writes out what is queued (for up to 2 s) and ends the writer. A writer
 * stuck in WriteFile on a stdout nobody reads is cancelled; if even that
 * fails, it and its queue are left to the process exit rather than freed
 * under it. */
void logconsole_stop(struct logconsole *c);

/* Writes every byte of text to h (stdout, or the log file), as far as
 * WriteFile takes them. */
void logconsole_write_all(HANDLE h, const char *text, size_t len);

#endif
