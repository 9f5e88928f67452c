/* logsink.c - the access log writer (see logsink.h). */
#include "logsink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accesslog.h"
#include "winerr.h"
#include "wstr.h"

int logsink_open(struct logsink *log, int to_stdout, const char *file_utf8, char *err,
                 size_t errcap)
{
    InitializeCriticalSection(&log->lock);
    log->out = to_stdout ? GetStdHandle(STD_OUTPUT_HANDLE) : NULL;
    log->file = INVALID_HANDLE_VALUE;
    if (file_utf8 != NULL) {
        wchar_t *name = wstr_from_utf8(file_utf8, strlen(file_utf8));
        char why[300];
        if (name == NULL) {
            snprintf(err, errcap, "log file name is not valid UTF-8");
            return -1;
        }
        /* FILE_APPEND_DATA alone makes every write land at the end, even with
         * another process (a log shipper) appending too. */
        log->file = CreateFileW(name, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        free(name);
        if (log->file == INVALID_HANDLE_VALUE) {
            snprintf(err, errcap, "cannot open log file %s: %s", file_utf8,
                     winerr_text(GetLastError(), why, sizeof why));
            return -1;
        }
    }
    return 0;
}

void logsink_close(struct logsink *log)
{
    if (log->file != INVALID_HANDLE_VALUE)
        CloseHandle(log->file);
    log->file = INVALID_HANDLE_VALUE;
    DeleteCriticalSection(&log->lock);
}

static void write_all(HANDLE h, const char *text, size_t len)
{
    DWORD done;

    while (len > 0 && WriteFile(h, text, (DWORD)len, &done, NULL) && done > 0) {
        text += done;
        len -= done;
    }
}

static void emit(struct logsink *log, const char *line, size_t len)
{
    EnterCriticalSection(&log->lock);
    if (log->out != NULL && log->out != INVALID_HANDLE_VALUE)
        write_all(log->out, line, len);
    if (log->file != INVALID_HANDLE_VALUE)
        write_all(log->file, line, len);
    LeaveCriticalSection(&log->lock);
}

void logsink_text(struct logsink *log, const char *text)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "%s\n", text);

    if (n > 0)
        emit(log, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
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
    len = accesslog_format(line_buf, ACCESSLOG_LINE_MAX, &e);
    if (len > 0)
        emit(log, line_buf, len);
}
