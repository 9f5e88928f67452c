/* download.c - one file from request to final name (see download.h): the
 * disk and the console. Which line goes out next and what each reply means
 * is the portable core's (common/fetch.h); this file carries out its actions.
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
#include "fetch.h"
#include "mts_error.h"
#include "progress.h"
#include "request.h"
#include "say.h"
#include "sha256.h"
#include "underwine.h"
#include "winerr.h"
#include "writebehind.h"
#include "wstr.h"

#define PROGRESS_MIN_BYTES (1u << 20) /* smaller files finish before a bar helps */
#define PROGRESS_EVERY_MS 200

_Static_assert(SHA256_HEX_LEN == FETCH_HASH_HEX_LEN, "fetch_hash_verdict compares SHA-256 hex");

struct job {
    struct conn *c;
    const struct client_options *opts;
    char *path;       /* the trimmed request, NUL-terminated */
    size_t path_len;
    char name[1024];  /* the local base name, UTF-8 */
    wchar_t *final_w; /* out_dir\name */
    wchar_t *part_w;  /* out_dir\name.mtspart */
    HANDLE file;
    struct writebehind behind; /* the disk's writing while the file arrives */
    uint64_t offset;  /* bytes of the .mtspart file already there */
    struct fetch f;   /* the protocol's side of this file */
    struct sha256 sum; /* --verify: of every byte in the .mtspart file */
    int summing;       /* sum is begun and not yet finished */
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

static int send_line(struct job *j, const char *line, size_t len)
{
    int rc = conn_send(j->c, line, len);

    if (rc != CONN_OK)
        say_err("mtsclient: %s: cannot send the request: %s\n", j->path, conn_text(j->c, rc));
    return rc;
}

/* Says why the core gave up on the file or the connection. */
static void say_outcome(const struct job *j, const struct fetch_action *act)
{
    switch (act->reason) {
    case FETCH_R_NOT_FOUND:
        /* The article's message. */
        say_err("File %s not found on server\n", j->path);
        break;
    case FETCH_R_NAME_REFUSED:
        say_err("mtsclient: %s: the server refused the name: %.*s\n", j->path,
                (int)act->said_len, act->said);
        break;
    case FETCH_R_NONSENSE:
        say_err("mtsclient: %s: the server's answer makes no sense here\n", j->path);
        break;
    case FETCH_R_TOO_LONG:
        say_err("mtsclient: %s: the request does not fit one line\n", j->path);
        break;
    default:
        say_err("mtsclient: %s: the server said: %.*s\n", j->path, (int)act->said_len,
                act->said);
        break;
    }
}

static int open_part(struct job *j)
{
    LARGE_INTEGER size;

    /* Share reading only: a second client writing the same .mtspart at the
     * same time would interleave two downloads into one file. */
    j->file = CreateFileW(j->part_w, GENERIC_WRITE | (j->opts->verify ? GENERIC_READ : 0),
                          FILE_SHARE_READ, NULL,
                          j->opts->resume ? OPEN_ALWAYS : CREATE_ALWAYS,
                          FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (j->file == INVALID_HANDLE_VALUE) {
        say_err("mtsclient: cannot write %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                win_text(GetLastError()));
        return -1;
    }
    /* Only where nothing writes behind the program (writebehind.h). */
    writebehind_begin(&j->behind, j->file, underwine_running());
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

/* --verify: starts the sum over the bytes the .mtspart file already holds
 * (with -c), read back from its start; the file pointer ends at its end. */
static int begin_sum(struct job *j)
{
    static char buf[1u << 16];
    LARGE_INTEGER zero;
    uint64_t left = j->offset;
    DWORD got;

    if (!j->opts->verify)
        return 0;
    if (sha256_begin(&j->sum) != 0) {
        say_err("mtsclient: %s: SHA-256 is not available\n", j->path);
        return -1;
    }
    j->summing = 1;
    zero.QuadPart = 0;
    if (!SetFilePointerEx(j->file, zero, NULL, FILE_BEGIN))
        goto fail;
    while (left > 0) {
        DWORD want = left < sizeof buf ? (DWORD)left : (DWORD)sizeof buf;
        if (!ReadFile(j->file, buf, want, &got, NULL) || got == 0)
            goto fail;
        if (sha256_update(&j->sum, buf, got) != 0)
            goto fail;
        left -= got;
    }
    if (!SetFilePointerEx(j->file, zero, NULL, FILE_END))
        goto fail;
    return 0;
fail:
    say_err("mtsclient: cannot read %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
            win_text(GetLastError()));
    return -1;
}

static void end_sum(struct job *j)
{
    if (j->summing)
        sha256_abandon(&j->sum);
    j->summing = 0;
}

/* Starts over after the server said the partial file is longer than its own. */
static int truncate_part(struct job *j)
{
    LARGE_INTEGER zero;

    zero.QuadPart = 0;
    j->offset = 0;
    if (!SetFilePointerEx(j->file, zero, NULL, FILE_BEGIN) || !SetEndOfFile(j->file))
        return -1;
    end_sum(j);
    return begin_sum(j);
}

/* --verify: asks the server for the file's SHA-256 and compares it with the
 * sum of what was written. 0 when they match. */
static int verify(struct job *j)
{
    char mine[SHA256_HEX_LEN + 1], *req;
    const char *line, *said;
    size_t len, said_len;
    int rc, ok;

    ok = sha256_finish(&j->sum, mine) == 0;
    j->summing = 0;
    if (!ok) {
        say_err("mtsclient: %s: SHA-256 failed; not saved\n", j->path);
        return -1;
    }
    req = malloc(j->path_len + 8);
    if (req == NULL)
        return -1;
    /* The path made a GET line already, so it makes a HASH line too. */
    len = request_format(CMD_HASH, j->path, j->path_len, req, j->path_len + 8);
    rc = len > 0 ? conn_send(j->c, req, len) : CONN_OK;
    free(req);
    if (len == 0) {
        say_err("mtsclient: %s: the HASH request does not fit one line; the download is kept "
                "in %s%s\n", j->path, j->name, DOWNLOAD_PART_SUFFIX);
        return -1;
    }
    if (rc == CONN_OK)
        rc = conn_read_line(j->c, &line, &len);
    if (rc != CONN_OK) {
        say_err("mtsclient: %s: %s while waiting for the server's SHA-256; the download is "
                "kept in %s%s\n", j->path, conn_text(j->c, rc), j->name, DOWNLOAD_PART_SUFFIX);
        return -1;
    }
    switch (fetch_hash_verdict(&j->f, line, len, mine, &said, &said_len)) {
    case FETCH_HASH_MATCH:
        return 0;
    case FETCH_HASH_NONE:
        say_err("mtsclient: %s: no SHA-256 from the server (%.*s); the download is kept in "
                "%s%s\n", j->path, (int)said_len, said, j->name, DOWNLOAD_PART_SUFFIX);
        return -1;
    case FETCH_HASH_MISMATCH:
        break;
    }
    say_err("mtsclient: %s: SHA-256 mismatch: received %s, the server has %.*s; the download "
            "is kept in %s%s, not saved\n", j->path, mine, (int)said_len, said, j->name,
            DOWNLOAD_PART_SUFFIX);
    return -1;
}

static void close_part(struct job *j, int remove)
{
    DWORD behind = writebehind_end(&j->behind);

    /* A part kept for -c must hold what was written: -c checks only its
     * size. After a flush behind the writing failed it may not, and a
     * failed flush is told once, so it is removed, and said so. */
    if (behind != 0 && !remove) {
        say_err("mtsclient: %s%s is removed after all: writing it to disk failed (%s)\n",
                j->name, DOWNLOAD_PART_SUFFIX, win_text(behind));
        remove = 1;
    }
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
        if (!WriteFile(j->file, data, (DWORD)n, &written, NULL) || written != n ||
            (j->summing && sha256_update(&j->sum, data, n) != 0)) {
            /* The bytes still on their way cannot be skipped without reading
             * them all, so the connection goes with the file. */
            say_progress_clear();
            say_err("mtsclient: cannot write %s%s: %s\n", j->name, DOWNLOAD_PART_SUFFIX,
                    win_text(GetLastError()));
            return DOWNLOAD_FATAL;
        }
        writebehind_wrote(&j->behind, n);
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
    DWORD code;
    DWORD flags = MOVEFILE_WRITE_THROUGH | (j->opts->force ? MOVEFILE_REPLACE_EXISTING : 0);

    if (!GetFileSizeEx(j->file, &size) || (uint64_t)size.QuadPart != expected) {
        say_err("mtsclient: %s: %s%s has %lld bytes, not the %llu expected; not saved\n",
                j->path, j->name, DOWNLOAD_PART_SUFFIX, (long long)size.QuadPart,
                (unsigned long long)expected);
        close_part(j, 1);
        return DOWNLOAD_FAILED;
    }
    /* A flush that failed behind the writing may have been the only one
     * told: the final flush of the same file can then succeed. Either way
     * the bytes may not all be on disk, and -c, which checks only the
     * size, would take such a part for whole: it goes. */
    code = writebehind_end(&j->behind);
    if (code == 0 && !FlushFileBuffers(j->file))
        code = GetLastError();
    if (!CloseHandle(j->file) && code == 0)
        code = GetLastError();
    j->file = INVALID_HANDLE_VALUE;
    if (code != 0) {
        say_err("mtsclient: cannot write %s%s: %s; not saved, and the part is removed\n",
                j->name, DOWNLOAD_PART_SUFFIX, win_text(code));
        DeleteFileW(j->part_w);
        return DOWNLOAD_FAILED;
    }
    /* The sum covers the bytes as they were written, read back only for
     * what an earlier run (-c) had left. */
    if (j->summing && verify(j) != 0)
        return DOWNLOAD_FAILED;
    if (!MoveFileExW(j->part_w, j->final_w, flags)) {
        code = GetLastError();
        if (winerr_kind(code) == WINERR_EXISTS)
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

static enum download_result run(struct job *j)
{
    struct fetch_action act;
    enum download_result res;
    const char *line;
    size_t len;
    int created, rc, all_in = 0; /* all_in: every byte is in the .mtspart file */

    if (exists(j->final_w) && !j->opts->force) {
        say_err("mtsclient: %s already exists; kept it (use -f to overwrite)\n", j->name);
        return DOWNLOAD_FAILED;
    }
    created = !exists(j->part_w);
    if (open_part(j) != 0 || begin_sum(j) != 0) {
        close_part(j, created);
        return DOWNLOAD_FAILED;
    }
    fetch_begin(&j->f, j->path, j->path_len, j->offset, &act);
    for (;;) {
        switch (act.kind) {
        case FETCH_SEND:
            if (act.line_len > 0 && send_line(j, act.line, act.line_len) != CONN_OK) {
                close_part(j, created || j->offset == 0);
                return DOWNLOAD_FATAL;
            }
            rc = conn_read_line(j->c, &line, &len);
            if (rc == CONN_OK) {
                fetch_reply(&j->f, line, len, &act);
                continue;
            }
            if (all_in) {
                say_err("mtsclient: %s: all %llu bytes came but not the confirmation (%s); "
                        "the file may have changed while it was sent; not saved\n",
                        j->path, (unsigned long long)(j->offset + j->f.size),
                        conn_text(j->c, rc));
                close_part(j, 1);
            } else {
                say_err("mtsclient: %s: %s while waiting for %s\n", j->path,
                        conn_text(j->c, rc), act.waiting_for);
                /* Remove only what this run made empty; a partial from before stays. */
                close_part(j, created || j->offset == 0);
            }
            return DOWNLOAD_FATAL;
        case FETCH_RECEIVE:
            res = receive(j, act.size);
            if (res != DOWNLOAD_SAVED) {
                close_part(j, 0);
                return res;
            }
            all_in = 1;
            fetch_received(&j->f, &act);
            continue;
        case FETCH_TRUNCATE:
            rc = truncate_part(j);
            if (rc == 0)
                say_err("mtsclient: %s%s is longer than %s on the server; starting again\n",
                        j->name, DOWNLOAD_PART_SUFFIX, j->path);
            fetch_truncated(&j->f, rc == 0, &act);
            continue;
        case FETCH_SAVE:
            return finish(j, act.size);
        case FETCH_FAILED:
        case FETCH_FATAL:
            say_outcome(j, &act);
            close_part(j, all_in || created || j->offset == 0);
            return act.kind == FETCH_FAILED ? DOWNLOAD_FAILED : DOWNLOAD_FATAL;
        }
        return DOWNLOAD_FATAL; /* not reached: every action is handled above */
    }
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
    end_sum(&j);
    free(j.final_w);
    free(j.part_w);
    free(j.path);
    return res;
}
