/* folder.c - -l and -r (see folder.h). */
#include "folder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "clientlist.h"
#include "clientpath.h"
#include "mts_error.h"
#include "request.h"
#include "say.h"
#include "winerr.h"
#include "wstr.h"

struct name_list {
    char **names;
    int *is_dir;
    size_t count, cap;
};

static void names_free(struct name_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
    free(l->is_dir);
    memset(l, 0, sizeof *l);
}

static int names_add(struct name_list *l, const char *name, size_t len, int is_dir)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **names = realloc(l->names, cap * sizeof *names);
        int *dirs;
        if (names == NULL)
            return -1;
        l->names = names;
        dirs = realloc(l->is_dir, cap * sizeof *dirs);
        if (dirs == NULL)
            return -1;
        l->is_dir = dirs;
        l->cap = cap;
    }
    l->names[l->count] = malloc(len + 1);
    if (l->names[l->count] == NULL)
        return -1;
    memcpy(l->names[l->count], name, len);
    l->names[l->count][len] = '\0';
    l->is_dir[l->count++] = is_dir;
    return 0;
}

static void print_entry(const struct client_options *opts, const struct listing_entry *e)
{
    char when[LISTING_TIME_LEN + 1], size[24];

    if (opts->quiet) {
        say_out("%.*s\n", (int)e->name_len, e->name);
        return;
    }
    listing_format_time(e->write_time, when);
    when[10] = ' '; /* "2026-11-30 05:08:43", the 'Z' dropped: a table for people */
    when[19] = '\0';
    if (e->is_dir)
        snprintf(size, sizeof size, "<DIR>");
    else
        snprintf(size, sizeof size, "%llu", (unsigned long long)e->size);
    say_out("%s UTC  %15s  %.*s\n", when, size, (int)e->name_len, e->name);
}

/* Sends LIST and reads the whole listing, handing each entry to one of
 * print (when opts) or into names. Which line may come when is
 * common/clientlist.c's to say. */
static enum download_result read_listing(struct conn *c, const struct client_options *opts,
                                         const char *folder, struct name_list *names)
{
    struct clientlist cl;
    struct listing_entry e;
    const char *line, *trimmed = NULL;
    char why[300], *req;
    size_t len, tlen = 0, flen = folder ? strlen(folder) : 0;
    int rc;

    /* Blanks around the folder go, as the server would trim them; nothing
     * left is the root, as it is to the server. */
    rc = flen > 0 ? clientpath_trim_request(folder, flen, &trimmed, &tlen) : MTS_EMISSING;
    if (rc == MTS_EMISSING)
        tlen = 0;
    else if (rc != 0) {
        say_err("mtsclient: '%s': %s\n", folder,
                rc == MTS_ETOOLONG ? "the name is too long" : "not a name the server can take");
        return DOWNLOAD_FAILED;
    }
    req = malloc(tlen + 8);
    if (req == NULL) {
        say_err("mtsclient: out of memory\n");
        return DOWNLOAD_FATAL;
    }
    len = request_format(CMD_LIST, trimmed, tlen, req, tlen + 8);
    rc = len > 0 ? conn_send(c, req, len) : CONN_OK;
    free(req);
    if (len == 0) {
        say_err("mtsclient: '%s': not a name the server can take\n", folder);
        return DOWNLOAD_FAILED;
    }
    if (rc != CONN_OK) {
        say_err("mtsclient: cannot send LIST: %s\n", conn_describe(c, rc, why, sizeof why));
        return DOWNLOAD_FATAL;
    }
    clientlist_begin(&cl);
    for (;;) {
        rc = conn_read_line(c, &line, &len);
        if (rc != CONN_OK) {
            say_err("mtsclient: %s while waiting for the listing\n",
                    conn_describe(c, rc, why, sizeof why));
            return DOWNLOAD_FATAL;
        }
        switch (clientlist_line(&cl, line, len, &e)) {
        case CLIENTLIST_MORE:
            continue;
        case CLIENTLIST_NOT_FOUND:
            say_err("Folder %s not found on server\n", flen ? folder : ".");
            return DOWNLOAD_FAILED;
        case CLIENTLIST_NONSENSE:
            say_err("mtsclient: the server's listing makes no sense: %.*s\n",
                    (int)(len > 200 ? 200 : len), line);
            return DOWNLOAD_FATAL;
        case CLIENTLIST_MISCOUNT:
            say_err("mtsclient: the listing ended after %llu entries but says %llu\n",
                    (unsigned long long)cl.seen, (unsigned long long)cl.said);
            return DOWNLOAD_FATAL;
        case CLIENTLIST_END:
            if (names == NULL && !opts->quiet)
                say_out("%llu %s\n", (unsigned long long)cl.seen,
                        cl.seen == 1 ? "entry" : "entries");
            return DOWNLOAD_SAVED;
        case CLIENTLIST_ENTRY:
            break;
        }
        if (names == NULL)
            print_entry(opts, &e);
        else if (names_add(names, e.name, e.name_len, e.is_dir) != 0) {
            say_err("mtsclient: out of memory\n");
            return DOWNLOAD_FATAL;
        }
    }
}

enum download_result folder_list(struct conn *c, const struct client_options *opts,
                                 const char *folder)
{
    return read_listing(c, opts, folder, NULL);
}

/* "a\b" from a and b; a NULL or empty a gives b. malloc'd. */
static char *join(const char *a, const char *b)
{
    size_t al = a ? strlen(a) : 0, bl = strlen(b);
    int sep = al > 0 && a[al - 1] != '\\' && a[al - 1] != '/';
    char *out = malloc(al + bl + 2);

    if (out == NULL)
        return NULL;
    if (al)
        memcpy(out, a, al);
    if (sep)
        out[al++] = '\\';
    memcpy(out + al, b, bl + 1);
    return out;
}

static int make_folder(const char *path)
{
    wchar_t *w = wstr_from_utf8(path, strlen(path));
    DWORD attrs;
    int rc = -1;

    if (w != NULL) {
        if (CreateDirectoryW(w, NULL) || winerr_kind(GetLastError()) == WINERR_EXISTS) {
            attrs = GetFileAttributesW(w);
            rc = attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY) ? 0 : -1;
        }
        if (rc != 0) {
            char why[300];
            say_err("mtsclient: cannot make the folder %s: %s\n", path,
                    winerr_text(GetLastError(), why, sizeof why));
        }
    }
    free(w);
    return rc;
}

static enum download_result walk(struct conn *c, const struct client_options *opts,
                                 const char *remote, const char *local, int depth)
{
    struct name_list names;
    struct client_options here = *opts;
    enum download_result res, worst = DOWNLOAD_SAVED;

    memset(&names, 0, sizeof names);
    if (make_folder(local) != 0)
        return DOWNLOAD_FAILED;
    res = read_listing(c, opts, remote, &names);
    if (res != DOWNLOAD_SAVED) {
        names_free(&names);
        return res;
    }
    here.out_dir = local;
    /* Files first, then subfolders: each LIST is read to its end before the
     * next request goes out, so the connection stays in step. */
    for (int pass = 0; pass < 2 && worst != DOWNLOAD_FATAL; pass++) {
        for (size_t i = 0; i < names.count && worst != DOWNLOAD_FATAL; i++) {
            char *child, *child_local;
            if (names.is_dir[i] != pass)
                continue;
            if (clientpath_check_listed(names.names[i], strlen(names.names[i])) != 0) {
                say_err("mtsclient: %s: the server listed a name that cannot be saved: %s\n",
                        remote[0] != '\0' ? remote : ".", names.names[i]);
                worst = DOWNLOAD_FAILED;
                continue;
            }
            child = join(remote, names.names[i]);
            child_local = join(local, names.names[i]);
            if (child == NULL || child_local == NULL) {
                say_err("mtsclient: out of memory\n");
                res = DOWNLOAD_FATAL;
            } else if (!pass) {
                res = download_file(c, &here, child);
            } else if (depth >= FOLDER_MAX_DEPTH) {
                say_err("mtsclient: %s: more than %d folders deep; not followed\n", child,
                        FOLDER_MAX_DEPTH);
                res = DOWNLOAD_FAILED;
            } else {
                res = walk(c, opts, child, child_local, depth + 1);
            }
            free(child);
            free(child_local);
            if (res != DOWNLOAD_SAVED)
                worst = res;
        }
    }
    names_free(&names);
    return worst;
}

enum download_result folder_download(struct conn *c, const struct client_options *opts,
                                     const char *folder)
{
    char base[1024], *local;
    const char *trimmed;
    size_t len;
    enum download_result res;

    if (clientpath_trim_request(folder, strlen(folder), &trimmed, &len) != 0) {
        say_err("mtsclient: '%s': not a folder name that can be saved\n", folder);
        return DOWNLOAD_FAILED;
    }
    /* The root has no name to save under: its files and folders go
     * straight into -o, and it is listed as LIST with no folder. */
    if (clientpath_is_root(trimmed, len))
        return walk(c, opts, "", opts->out_dir != NULL ? opts->out_dir : ".", 0);
    if (clientpath_save_name(trimmed, len, base, sizeof base) != 0) {
        say_err("mtsclient: '%s': not a folder name that can be saved\n", folder);
        return DOWNLOAD_FAILED;
    }
    local = join(opts->out_dir, base);
    if (local == NULL) {
        say_err("mtsclient: out of memory\n");
        return DOWNLOAD_FATAL;
    }
    res = walk(c, opts, folder, local, 0);
    free(local);
    return res;
}
