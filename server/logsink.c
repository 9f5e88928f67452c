/* logsink.c - the access log writer (see logsink.h). */
#include "logsink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accesslog.h"
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
    log->out = to_stdout ? GetStdHandle(STD_OUTPUT_HANDLE) : NULL;
    log->file = INVALID_HANDLE_VALUE;
    if (file_utf8 != NULL) {
        char why[300];
        LARGE_INTEGER size;
        log->path = wstr_from_utf8(file_utf8, strlen(file_utf8));
        if (log->path == NULL) {
            snprintf(err, errcap, "log file name is not valid UTF-8");
            return -1;
        }
        log->file = open_for_append(log->path);
        if (log->file == INVALID_HANDLE_VALUE) {
            snprintf(err, errcap, "cannot open log file %s: %s", file_utf8,
                     winerr_text(GetLastError(), why, sizeof why));
            free(log->path);
            log->path = NULL;
            return -1;
        }
        if (GetFileSizeEx(log->file, &size))
            log->size = (uint64_t)size.QuadPart;
    }
    return 0;
}

void logsink_close(struct logsink *log)
{
    if (log->file != INVALID_HANDLE_VALUE)
        CloseHandle(log->file);
    log->file = INVALID_HANDLE_VALUE;
    free(log->path);
    log->path = NULL;
    DeleteCriticalSection(&log->lock);
}

void logsink_set_rotation(struct logsink *log, uint64_t max_bytes)
{
    log->max_bytes = max_bytes;
}

void logsink_set_alert(struct logsink *log, void (*alert)(const char *text))
{
    log->alert = alert;
}

/* FILE -> FILE.1, then a fresh FILE; returns 0 when done. Called with the
 * lock held. If the rename is refused (another program holds the file
 * without FILE_SHARE_DELETE), the same file is kept and the next try waits
 * ROTATE_RETRY_MS; emit() then lets the file reach twice max_bytes and no
 * more, so it never grows without bound. */
static int rotate(struct logsink *log)
{
    size_t n = wcslen(log->path);
    wchar_t *old = malloc((n + 3) * sizeof *old);
    LARGE_INTEGER size;
    BOOL moved;

    if (old == NULL)
        return -1;
    memcpy(old, log->path, n * sizeof *old);
    memcpy(old + n, L".1", 3 * sizeof *old);
    CloseHandle(log->file);
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

static void write_all(HANDLE h, const char *text, size_t len)
{
    DWORD done;

    while (len > 0 && WriteFile(h, text, (DWORD)len, &done, NULL) && done > 0) {
        text += done;
        len -= done;
    }
}

/* 1 when len more bytes would take the file past limit (a file that is
 * still empty takes any line). */
static int would_pass(const struct logsink *log, size_t len, uint64_t limit)
{
    return log->max_bytes > 0 && log->size > 0 && log->size + len > limit;
}

static void append(struct logsink *log, const char *text, size_t len)
{
    write_all(log->file, text, len);
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

static void emit(struct logsink *log, const char *line, size_t len)
{
    EnterCriticalSection(&log->lock);
    if (log->out != NULL && log->out != INVALID_HANDLE_VALUE)
        write_all(log->out, line, len);
    if (log->file != INVALID_HANDLE_VALUE && would_pass(log, len, log->max_bytes) &&
        GetTickCount64() >= log->rotate_retry_ms && rotate(log) == 0)
        say_left_out(log);
    if (log->file != INVALID_HANDLE_VALUE) {
        if (would_pass(log, len, 2 * log->max_bytes))
            log->left_out++;
        else
            append(log, line, len);
    }
    LeaveCriticalSection(&log->lock);
}

void logsink_text(struct logsink *log, const char *text)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "%s\n", text);

    if (n > 0)
        emit(log, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
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

void logsink_request(struct logsink *log, const struct logsink_request *req, char *line_buf)
{
    struct accesslog_entry e;
    SYSTEMTIME t;
    size_t len;

    GetSystemTime(&t);
    e.when.year = t.wYear;
    e.when.month = t.wMonth;
    e.when.day = t.wDay;
    e.when.hour = t.wHour;
    e.when.minute = t.wMinute;
    e.when.second = t.wSecond;
    e.when.millisecond = t.wMilliseconds;
    e.peer = req->peer;
    e.command = req->command;
    e.path = req->path;
    e.path_len = req->path_len;
    e.bytes = req->bytes;
    e.result = req->result;
    e.ms = (unsigned long)(GetTickCount64() - req->started_ms);
    e.tls = req->tls;
    len = accesslog_format(line_buf, ACCESSLOG_LINE_MAX, &e);
    if (len > 0)
        emit(log, line_buf, len);
    /* "banned": a connection or AUTH line refused because its address is
     * banned after too many failures (server/addrguard.c). */
    if (log->alert != NULL && (strcmp(req->result, "too-many-failures") == 0 ||
                               strcmp(req->result, "banned") == 0))
        raise_alert(log, req->peer);
}
