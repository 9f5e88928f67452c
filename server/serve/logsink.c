/* logsink.c - the access log writer (see logsink.h). */
#include "logsink.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accesslog.h"
#include "logconsole.h"
#include "winerr.h"
#include "wstr.h"

#define ALERT_INTERVAL_MS 60000
#define ROTATE_RETRY_MS 1000
/* FILE_APPEND_DATA alone makes every write land at the end, even with
 * another process (a log shipper) appending too. FILE_SHARE_DELETE lets the
 * file be renamed by rotation while readers have it open. */
static HANDLE open_for_append(const wchar_t *name)
{
    return CreateFileW(name, FILE_APPEND_DATA,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL, NULL);
}

int logsink_open(struct logsink *log, int to_stdout, const char *file_utf8, char *err,
                 size_t errcap)
{
    memset(log, 0, sizeof *log);
    InitializeCriticalSection(&log->lock);
    log->file = INVALID_HANDLE_VALUE;
    log->keep = 1;
    log->refusals = malloc(sizeof *log->refusals);
    if (log->refusals != NULL)
        refusals_init(log->refusals, REFUSALS_INTERVAL_MS);
    if (file_utf8 != NULL) {
        char why[300];
        LARGE_INTEGER size;
        log->path = wstr_from_utf8(file_utf8, strlen(file_utf8));
        if (log->path == NULL) {
            snprintf(err, errcap, "log file name is not valid UTF-8");
            free(log->refusals);
            log->refusals = NULL;
            return -1;
        }
        log->file = open_for_append(log->path);
        if (log->file == INVALID_HANDLE_VALUE) {
            snprintf(err, errcap, "cannot open log file %s: %s", file_utf8,
                     winerr_text(GetLastError(), why, sizeof why));
            free(log->path);
            log->path = NULL;
            free(log->refusals);
            log->refusals = NULL;
            return -1;
        }
        if (GetFileSizeEx(log->file, &size))
            log->size = (uint64_t)size.QuadPart;
    }
    if (to_stdout) {
        HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
        if (out != NULL && out != INVALID_HANDLE_VALUE) {
            log->console = logconsole_start(out);
            if (log->console == NULL) {
                snprintf(err, errcap, "cannot start the console writer thread");
                logsink_close(log);
                return -1;
            }
        }
    }
    return 0;
}

static void flush_summaries(struct logsink *log, int all);

void logsink_close(struct logsink *log)
{
    flush_summaries(log, 1);
    free(log->refusals);
    log->refusals = NULL;
    if (log->console != NULL)
        logconsole_stop(log->console);
    log->console = NULL;
    if (log->file != INVALID_HANDLE_VALUE)
        CloseHandle(log->file);
    log->file = INVALID_HANDLE_VALUE;
    free(log->path);
    log->path = NULL;
    DeleteCriticalSection(&log->lock);
}

void logsink_set_rotation(struct logsink *log, uint64_t max_bytes, unsigned keep)
{
    log->max_bytes = max_bytes;
    log->keep = keep > 0 ? keep : 1;
}

/* base + "." + n, malloc'd (no swprintf: MinGW's and MSVC's differ). */
static wchar_t *numbered(const wchar_t *base, unsigned n)
{
    size_t len = wcslen(base), digits = 1;
    wchar_t *name;

    for (unsigned m = n; m >= 10; m /= 10)
        digits++;
    name = malloc((len + digits + 2) * sizeof *name);
    if (name == NULL)
        return NULL;
    memcpy(name, base, len * sizeof *name);
    name[len] = L'.';
    name[len + 1 + digits] = L'\0';
    for (size_t i = digits; i > 0; i--, n /= 10)
        name[len + 1 + i - 1] = (wchar_t)(L'0' + n % 10);
    return name;
}

/* FILE.keep-1 -> FILE.keep, ..., FILE.1 -> FILE.2: room for FILE.1. A
 * missing one is skipped; the oldest is replaced, so keep files remain. */
static void shift_old_files(const struct logsink *log)
{
    for (unsigned i = log->keep; i > 1; i--) {
        wchar_t *from = numbered(log->path, i - 1), *to = numbered(log->path, i);
        if (from != NULL && to != NULL)
            MoveFileExW(from, to, MOVEFILE_REPLACE_EXISTING);
        free(from);
        free(to);
    }
}

void logsink_set_alert(struct logsink *log, void (*alert)(const char *text))
{
    log->alert = alert;
}

/* FILE -> FILE.1 (older ones shifted up first), then a fresh FILE; returns
 * 0 when done. Called with the lock held. If the rename is refused (another program holds the file
 * without FILE_SHARE_DELETE), the same file is kept and the next try waits
 * ROTATE_RETRY_MS; emit() then lets the file reach twice max_bytes and no
 * more, so it never grows without bound. */
static int rotate(struct logsink *log)
{
    wchar_t *old = numbered(log->path, 1);
    LARGE_INTEGER size;
    BOOL moved;

    if (old == NULL)
        return -1;
    CloseHandle(log->file);
    shift_old_files(log);
    moved = MoveFileExW(log->path, old, MOVEFILE_REPLACE_EXISTING);
    free(old);
    log->file = open_for_append(log->path);
    log->size = 0;
    if (log->file != INVALID_HANDLE_VALUE && GetFileSizeEx(log->file, &size))
        log->size = (uint64_t)size.QuadPart;
    if (!moved)
        log->rotate_retry_ms = GetTickCount64() + ROTATE_RETRY_MS;
    return moved ? 0 : -1;
}

/* 1 when len more bytes would take the file past limit (a file that is
 * still empty takes any line). */
static int would_pass(const struct logsink *log, size_t len, uint64_t limit)
{
    return log->max_bytes > 0 && log->size > 0 && log->size + len > limit;
}

static void append(struct logsink *log, const char *text, size_t len)
{
    logconsole_write_all(log->file, text, len);
    log->size += len;
}

/* The first line of a file that follows a refused rotation: how many lines
 * the full one could not take. */
static void say_left_out(struct logsink *log)
{
    char note[128];
    int n;

    if (log->left_out == 0 || log->file == INVALID_HANDLE_VALUE)
        return;
    n = snprintf(note, sizeof note,
                 "%llu access-log line(s) were not written: the log could not be rotated\n",
                 (unsigned long long)log->left_out);
    if (n > 0 && (size_t)n < sizeof note)
        append(log, note, (size_t)n);
    log->left_out = 0;
}

/* Writes one line; called with the lock held. */
static void emit_locked(struct logsink *log, const char *line, size_t len)
{
    if (log->console != NULL)
        logconsole_put(log->console, line, len);
    if (log->file != INVALID_HANDLE_VALUE && would_pass(log, len, log->max_bytes) &&
        GetTickCount64() >= log->rotate_retry_ms && rotate(log) == 0)
        say_left_out(log);
    if (log->file != INVALID_HANDLE_VALUE) {
        if (would_pass(log, len, 2 * log->max_bytes))
            log->left_out++;
        else
            append(log, line, len);
    }
}

static void emit(struct logsink *log, const char *line, size_t len)
{
    EnterCriticalSection(&log->lock);
    emit_locked(log, line, len);
    LeaveCriticalSection(&log->lock);
}

static void flush_summaries(struct logsink *log, int all)
{
    char line[256];
    size_t n;

    if (log->refusals == NULL)
        return;
    EnterCriticalSection(&log->lock);
    while ((n = refusals_next_summary(log->refusals, GetTickCount64(), all, line,
                                      sizeof line)) > 0)
        emit_locked(log, line, n);
    LeaveCriticalSection(&log->lock);
}

int logsink_drain(struct logsink *log, DWORD wait_ms)
{
    return log->console != NULL ? logconsole_drain(log->console, wait_ms) : 0;
}

void logsink_tick(struct logsink *log)
{
    flush_summaries(log, 0);
}

static void now_utc(struct accesslog_time *when)
{
    SYSTEMTIME t;

    GetSystemTime(&t);
    when->year = t.wYear;
    when->month = t.wMonth;
    when->day = t.wDay;
    when->hour = t.wHour;
    when->minute = t.wMinute;
    when->second = t.wSecond;
    when->millisecond = t.wMilliseconds;
}

void logsink_text(struct logsink *log, const char *text)
{
    char line[1600]; /* the longest text is the service's start line, under 1200 */
    struct accesslog_time when;
    size_t n;

    /* The same timestamp as a request line, so every line sorts by time. */
    now_utc(&when);
    n = accesslog_format_text(line, sizeof line, &when, text);
    if (n > 0)
        emit(log, line, n);
}

/* One event per minute at most, whatever an attacker does; the count of the
 * held-back ones goes into the next. */
static void raise_alert(struct logsink *log, const char *peer)
{
    char text[256];
    ULONGLONG now = GetTickCount64();
    int due;

    EnterCriticalSection(&log->lock);
    due = log->last_alert_ms == 0 || now - log->last_alert_ms >= ALERT_INTERVAL_MS;
    if (due) {
        snprintf(text, sizeof text,
                 "The client %s was disconnected after repeated wrong passwords. "
                 "%u other such disconnection(s) since the last report.",
                 peer, log->alerts_held);
        log->last_alert_ms = now;
        log->alerts_held = 0;
    } else {
        log->alerts_held++;
    }
    LeaveCriticalSection(&log->lock);
    if (due)
        log->alert(text);
}

/* The outcomes that tell of an attack on passwords (OUTCOME_ALERT: a
 * session cut after too many failures, an address refused as banned). */
static void alert_if_failure(struct logsink *log, const struct logsink_request *req)
{
    if (log->alert != NULL && (outcome_flags(req->result) & OUTCOME_ALERT))
        raise_alert(log, req->peer);
}

void logsink_request(struct logsink *log, const struct logsink_request *req, char *line_buf)
{
    struct accesslog_entry e;
    size_t len;

    now_utc(&e.when);
    e.peer = req->peer;
    e.command = req->command;
    e.path = req->path;
    e.path_len = req->path_len;
    e.bytes = req->bytes;
    e.result = outcome_word(req->result);
    e.ms = (unsigned long)(GetTickCount64() - req->started_ms);
    e.tls = req->tls;
    len = accesslog_format(line_buf, ACCESSLOG_LINE_MAX, &e);
    if (len > 0)
        emit(log, line_buf, len);
    alert_if_failure(log, req);
}

void logsink_refused(struct logsink *log, const char *addr, const struct logsink_request *req,
                     char *line_buf)
{
    int full = 1;

    if (log->refusals != NULL) {
        EnterCriticalSection(&log->lock);
        full = refusals_note(log->refusals, addr, outcome_word(req->result), GetTickCount64());
        LeaveCriticalSection(&log->lock);
    }
    if (full)
        logsink_request(log, req, line_buf);
    else
        alert_if_failure(log, req);
}
