/* download.c - one file from request to final name (see download.h).
 *
 * The order matters for never leaving a wrong file behind: the final name is
 * only ever made by renaming a .mtspart file that has been checked (byte
 * count against "#Sending n bytes.", then the server's confirmation line).
 * Until then the file under the final name, if any, is not touched. */
#include "download.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "clientpath.h"
#include "mts_error.h"
#include "progress.h"
#include "replyparse.h"
#include "say.h"
#include "winerr.h"
#include "wstr.h"

#define PROGRESS_MIN_BYTES (1u << 20) /* smaller files finish before a bar helps */
#define PROGRESS_EVERY_MS 200
#define LINE_CAP (CLIENTPATH_MAX + 32)

struct job {
    struct conn *c;
    const struct client_options *opts;
    char *path;       /* the trimmed request, NUL-terminated */
    size_t path_len;
    char name[1024];  /* the local base name, UTF-8 */
    wchar_t *final_w; /* out_dir\name */
    wchar_t *part_w;  /* out_dir\name.mtspart */
    HANDLE file;
    uint64_t offset;  /* bytes of the .mtspart file already there */
};

static const char *win_text(unsigned long code)
{
    static char buf[300];
    return winerr_text(code, buf, sizeof buf);
}

static const char *conn_text(const struct conn *c, int rc)
{
    static char buf[300];
    return conn_describe(c, rc, buf, sizeof buf);
}

static wchar_t *join_path(const char *dir, const char *name, const char *suffix)
{
    size_t cap = (dir ? strlen(dir) : 0) + strlen(name) + strlen(suffix) + 2;
    char *joined = malloc(cap);
    wchar_t *w;

    if (joined == NULL)
        return NULL;
    if (dir == NULL) {
        snprintf(joined, cap, "%s%s", name, suffix);
    } else {
        size_t dl = strlen(dir);
        int has_sep = dl > 0 && (dir[dl - 1] == '\\' || dir[dl - 1] == '/');
        snprintf(joined, cap, "%s%s%s%s", dir, has_sep ? "" : "\\", name, suffix);
    }
    w = wstr_from_utf8(joined, strlen(joined));
    free(joined);
    return w;
}

static int exists(const wchar_t *path)
{
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

static int send_line(struct job *j, const char *verb, const char *arg, size_t arg_len)
{
    char line[LINE_CAP];
    int n = snprintf(line, sizeof line, "%s %.*s\r\n", verb, (int)arg_len, arg);
    int rc;

    if (n < 0 || (size_t)n >= sizeof line)
        return CONN_ERROR;
    rc = conn_send(j->c, line, (size_t)n);
    if (rc != CONN_OK)
        say_err("mtsclient: %s: cannot send the request: %s\n", j->path, conn_text(j->c, rc));
    return rc;
}

/* Reads the next reply line; returns a conn_result. */
static int next_reply(struct job *j, struct replyparse_reply *r)
{
    const char *line;
    size_t len;
    int rc = conn_read_line(j->c, &line, &len);

    if (rc == CONN_OK)
        replyparse_line(line, len, r);
    return rc;
}

/* Reads the next reply line; on a lost connection says why and returns -1. */
static int read_reply(struct job *j, struct replyparse_reply *r, const char *waiting_for)
{
    int rc = next_reply(j, r);

    if (rc != CONN_OK) {
        say_err("mtsclient: %s: %s while waiting for %s\n", j->path, conn_text(j->c, rc),
                waiting_for);
        return -1;
    }
    return 0;
}

/* A reply the client did not expect here. The server ends some lines with a
 * close (idle timeout), and after anything unknown we cannot tell whether
 * file bytes follow, so the connection is given up. */
static enum download_result unexpected(struct job *j, const struct replyparse_reply *r)
{
    if (r->kind == REPLY_KIND_OTHER)
        say_err("mtsclient: %s: the server's answer makes no sense here\n", j->path);
    else
        say_err("mtsclient: %s: the server said: %.*s\n", j->path, (int)r->text_len, r->text);
    return DOWNLOAD_FATAL;
}

static int open_part(struct job *j)
{
    LARGE_INTEGER size;

    /* Share reading only: a second client writing the same .mtspart at the
     * same time would interleave two downloads into one file. */
    j->file = CreateFileW(j->part_w, GENERIC_WRITE, FILE_SHARE_READ, NULL,
                          j->opts->resume ? OPEN_ALWAYS : CREATE_ALWAYS,
                          FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (j->file == INVALID_HANDLE_VALUE) {
        say_err("mtsclient: cannot write %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                win_text(GetLastError()));
        return -1;
    }
    j->offset = 0;
    if (j->opts->resume) {
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        if (!GetFileSizeEx(j->file, &size) || !SetFilePointerEx(j->file, zero, NULL, FILE_END)) {
            say_err("mtsclient: cannot read %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                    win_text(GetLastError()));
            return -1;
        }
        j->offset = (uint64_t)size.QuadPart;
    }
    return 0;
}

/* Starts over after the server said the partial file is longer than its own. */
static int truncate_part(struct job *j)
{
    LARGE_INTEGER zero;

    zero.QuadPart = 0;
    j->offset = 0;
    return SetFilePointerEx(j->file, zero, NULL, FILE_BEGIN) && SetEndOfFile(j->file) ? 0 : -1;
}

static void close_part(struct job *j, int remove)
{
    if (j->file != INVALID_HANDLE_VALUE)
        CloseHandle(j->file);
    j->file = INVALID_HANDLE_VALUE;
    if (remove)
        DeleteFileW(j->part_w);
}

static void show_progress(const struct job *j, uint64_t got, uint64_t size, ULONGLONG began)
{
    char text[160];

    if (progress_format(text, sizeof text, j->offset + got, j->offset + size, j->offset,
                        GetTickCount64() - began) > 0)
        say_progress(text);
}

/* Receives exactly `size` bytes into the .mtspart file. */
static enum download_result receive(struct job *j, uint64_t size)
{
    uint64_t got = 0;
    int bar = !j->opts->quiet && size >= PROGRESS_MIN_BYTES && say_err_is_console();
    ULONGLONG began = GetTickCount64(), shown = began;

    while (got < size) {
        const char *data;
        size_t n;
        DWORD written;
        int rc = conn_read_data(j->c, &data, &n, size - got);

        if (rc != CONN_OK) {
            say_progress_clear();
            say_err("mtsclient: %s: %s after %llu of %llu bytes; the part received is kept "
                    "in %s%s (run again with -c to continue)\n",
                    j->path, conn_text(j->c, rc), (unsigned long long)(j->offset + got),
                    (unsigned long long)(j->offset + size), j->name, DOWNLOAD_PART_SUFFIX);
            return DOWNLOAD_FATAL;
        }
        if (!WriteFile(j->file, data, (DWORD)n, &written, NULL) || written != n) {
            /* The bytes still on their way cannot be skipped without reading
             * them all, so the connection goes with the file. */
            say_progress_clear();
            say_err("mtsclient: cannot write %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                    win_text(GetLastError()));
            return DOWNLOAD_FATAL;
        }
        got += n;
        if (bar && GetTickCount64() - shown >= PROGRESS_EVERY_MS) {
            shown = GetTickCount64();
            show_progress(j, got, size, began);
        }
    }
    if (bar) {
        show_progress(j, got, size, began);
        say_progress_clear();
    }
    return DOWNLOAD_SAVED;
}

/* Checks what is on disk and puts it under the final name. */
static enum download_result finish(struct job *j, uint64_t expected)
{
    LARGE_INTEGER size;
    DWORD flags = MOVEFILE_WRITE_THROUGH | (j->opts->force ? MOVEFILE_REPLACE_EXISTING : 0);

    if (!GetFileSizeEx(j->file, &size) || (uint64_t)size.QuadPart != expected) {
        say_err("mtsclient: %s: %s%s has %lld bytes, not the %llu expected; not saved\n",
                j->path, j->name, DOWNLOAD_PART_SUFFIX, (long long)size.QuadPart,
                (unsigned long long)expected);
        close_part(j, 1);
        return DOWNLOAD_FAILED;
    }
    if (!FlushFileBuffers(j->file) || !CloseHandle(j->file)) {
        DWORD code = GetLastError();
        j->file = INVALID_HANDLE_VALUE;
        say_err("mtsclient: cannot write %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                win_text(code));
        return DOWNLOAD_FAILED;
    }
    j->file = INVALID_HANDLE_VALUE;
    if (!MoveFileExW(j->part_w, j->final_w, flags)) {
        DWORD code = GetLastError();
        if (code == ERROR_ALREADY_EXISTS || code == ERROR_FILE_EXISTS)
            say_err("mtsclient: %s appeared while it was downloaded; kept it, and the "
                    "download is in %s%s (use -f to overwrite)\n",
                    j->name, j->name, DOWNLOAD_PART_SUFFIX);
        else
            say_err("mtsclient: cannot rename %s%s to %s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                    j->name, win_text(code));
        return DOWNLOAD_FAILED;
    }
    if (!j->opts->quiet)
        say_out("%s has been saved.\n", j->name);
    return DOWNLOAD_SAVED;
}

/* REST (when continuing) and GET, up to the "#Sending n bytes." line.
 * Returns DOWNLOAD_SAVED to go on with *size set. */
static enum download_result request(struct job *j, uint64_t *size)
{
    struct replyparse_reply r;
    char offset[24];

    for (;;) {
        if (j->offset > 0) {
            snprintf(offset, sizeof offset, "%llu", (unsigned long long)j->offset);
            if (send_line(j, "REST", offset, strlen(offset)) != CONN_OK ||
                read_reply(j, &r, "the answer to REST") != 0)
                return DOWNLOAD_FATAL;
            if (r.type != REPLY_T_RESTARTING || r.number != j->offset)
                return unexpected(j, &r);
        }
        if (send_line(j, "GET", j->path, j->path_len) != CONN_OK ||
            read_reply(j, &r, "the answer to GET") != 0)
            return DOWNLOAD_FATAL;
        switch (r.type) {
        case REPLY_T_SENDING:
            *size = r.number;
            return DOWNLOAD_SAVED;
        case REPLY_T_FILE_FAILED:
            /* The article's message. The server says the same for a file it
             * will not serve as for one that is not there, on purpose. */
            say_err("File %s not found on server\n", j->path);
            return DOWNLOAD_FAILED;
        case REPLY_T_OFFSET_PAST_END:
            if (j->offset == 0 || truncate_part(j) != 0)
                return unexpected(j, &r);
            say_err("mtsclient: %s%s is longer than %s on the server; starting again\n",
                    j->name, DOWNLOAD_PART_SUFFIX, j->path);
            continue;
        case REPLY_T_USAGE_PATH:
        case REPLY_T_BAD_CHARS:
        case REPLY_T_LINE_TOO_LONG:
            say_err("mtsclient: %s: the server refused the name: %.*s\n", j->path,
                    (int)r.text_len, r.text);
            return DOWNLOAD_FAILED;
        default:
            return unexpected(j, &r);
        }
    }
}

static enum download_result run(struct job *j)
{
    struct replyparse_reply r;
    enum download_result res;
    uint64_t size = 0;
    int created, rc;

    if (exists(j->final_w) && !j->opts->force) {
        say_err("mtsclient: %s already exists; kept it (use -f to overwrite)\n", j->name);
        return DOWNLOAD_FAILED;
    }
    created = !exists(j->part_w);
    if (open_part(j) != 0) {
        close_part(j, created);
        return DOWNLOAD_FAILED;
    }
    res = request(j, &size);
    if (res != DOWNLOAD_SAVED) {
        /* Remove only what this run made empty; a partial from before stays. */
        close_part(j, created || j->offset == 0);
        return res;
    }
    res = receive(j, size);
    if (res != DOWNLOAD_SAVED) {
        close_part(j, 0);
        return res;
    }
    rc = next_reply(j, &r);
    if (rc != CONN_OK) {
        say_err("mtsclient: %s: all %llu bytes came but not the confirmation (%s); the file "
                "may have changed while it was sent; not saved\n",
                j->path, (unsigned long long)(j->offset + size), conn_text(j->c, rc));
        close_part(j, 1);
        return DOWNLOAD_FATAL;
    }
    if (!replyparse_is_file_sent(&r, j->path, j->path_len)) {
        close_part(j, 1);
        return unexpected(j, &r);
    }
    return finish(j, j->offset + size);
}

enum download_result download_file(struct conn *c, const struct client_options *opts,
                                   const char *arg)
{
    struct job j;
    enum download_result res = DOWNLOAD_FAILED;
    const char *trimmed;
    int rc;

    memset(&j, 0, sizeof j);
    j.c = c;
    j.opts = opts;
    j.file = INVALID_HANDLE_VALUE;
    rc = clientpath_trim_request(arg, strlen(arg), &trimmed, &j.path_len);
    if (rc != 0) {
        say_err("mtsclient: '%s': %s\n", arg,
                rc == MTS_ETOOLONG ? "the name is too long" : "not a name the server can take");
        return DOWNLOAD_FAILED;
    }
    if (clientpath_save_name(trimmed, j.path_len, j.name, sizeof j.name) != 0) {
        say_err("mtsclient: %.*s: no file name to save under\n", (int)j.path_len, trimmed);
        return DOWNLOAD_FAILED;
    }
    j.path = malloc(j.path_len + 1);
    if (j.path == NULL) {
        say_err("mtsclient: out of memory\n");
        return DOWNLOAD_FAILED;
    }
    memcpy(j.path, trimmed, j.path_len);
    j.path[j.path_len] = '\0';
    j.final_w = join_path(opts->out_dir, j.name, "");
    j.part_w = join_path(opts->out_dir, j.name, DOWNLOAD_PART_SUFFIX);
    if (j.final_w == NULL || j.part_w == NULL)
        say_err("mtsclient: %s: out of memory\n", j.name);
    else
        res = run(&j);
    free(j.final_w);
    free(j.part_w);
    free(j.path);
    return res;
}
