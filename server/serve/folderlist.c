/* folderlist.c - a folder's entries, through its handle (see folderlist.h). */
#include "folderlist.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "listsend.h"

/* One GetFileInformationByHandleEx call fills this much; entries with names
 * of up to 255 UTF-16 units are about 620 bytes, so it never holds less
 * than a hundred. */
#define ENUM_BUFFER (64u << 10)

struct folderlist {
    const struct rootfs *root;
    HANDLE dir;
    wchar_t *full; /* the folder's long-path name with a trailing '\' */
    size_t full_len;
    int show_hidden;
    void *buf;           /* ENUM_BUFFER bytes, DWORD-aligned (malloc's alignment) */
    const HANDLE *stops; /* events that end the LIST when set (folderlist_send) */
    unsigned nstops;
    HANDLE spill; /* the temporary file of sorted runs, once one is needed */
};

int folderlist_open(const struct rootfs *r, const char *path, size_t len, int show_hidden,
                    struct folderlist **out)
{
    struct folderlist *f = calloc(1, sizeof *f);
    int rc;

    *out = NULL;
    if (f == NULL)
        return ROOTFS_FAILED;
    f->root = r;
    f->show_hidden = show_hidden;
    rc = rootfs_open_folder(r, path, len, &f->dir, &f->full);
    if (rc == ROOTFS_OK) {
        f->full_len = wcslen(f->full);
        f->buf = malloc(ENUM_BUFFER);
        if (f->buf == NULL)
            rc = ROOTFS_FAILED;
    }
    if (rc != ROOTFS_OK) {
        folderlist_close(f);
        return rc;
    }
    *out = f;
    return ROOTFS_OK;
}

void folderlist_close(struct folderlist *f)
{
    if (f == NULL)
        return;
    if (f->dir != INVALID_HANDLE_VALUE && f->dir != NULL)
        CloseHandle(f->dir);
    if (f->spill != NULL)
        CloseHandle(f->spill);
    free(f->full);
    free(f->buf);
    free(f);
}

static int is_dot_name(const wchar_t *name, size_t len)
{
    return (len == 1 && name[0] == L'.') || (len == 2 && name[0] == L'.' && name[1] == L'.');
}

/* A link or junction is shown only when what it leads to lies inside the
 * root: opening it follows it, and rootfs checks where the handle landed
 * (the volume too for a reparse point; an entry that is none cannot leave
 * the volume, and the volume serial costs Wine a round trip to another
 * process). Under Wine every entry comes here (rootfs.h: under_wine):
 * bench/RESULTS.md has what that costs a large folder. */
static int link_stays_inside(const struct folderlist *f, const wchar_t *name, size_t len,
                             int reparse)
{
    wchar_t *path = malloc((f->full_len + len + 1) * sizeof *path);
    HANDLE h;
    int inside = 0;

    if (path == NULL)
        return 0;
    memcpy(path, f->full, f->full_len * sizeof *path);
    memcpy(path + f->full_len, name, len * sizeof *path);
    path[f->full_len + len] = L'\0';
    h = CreateFileW(path, FILE_READ_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                    FILE_FLAG_BACKUP_SEMANTICS | rootfs_open_flags(f->root), NULL);
    if (h != INVALID_HANDLE_VALUE) {
        inside = reparse ? rootfs_holds(f->root, h) : rootfs_names_inside(f->root, h);
        CloseHandle(h);
    }
    free(path);
    return inside;
}

/* Tags of entries whose destination must be checked before they are shown,
 * and of those that are reparse points (checked with the volume too). */
#define TAG_CHECK_LINK 1
#define TAG_REPARSE 2

/* Returns fn's result, or 0 for an entry not shown. */
static int show(struct folderlist *f, const FILE_ID_BOTH_DIR_INFO *d, int check_links,
                int (*fn)(void *arg, const struct listing_entry *e), void *arg)
{
    char name[LISTING_NAME_MAX];
    size_t wlen = d->FileNameLength / sizeof(wchar_t);
    struct listing_entry e;
    int n, reparse;

    if (is_dot_name(d->FileName, wlen))
        return 0;
    if (!f->show_hidden &&
        (d->FileAttributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) != 0)
        return 0;
    n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, d->FileName, (int)wlen, name,
                            (int)sizeof name - 1, NULL, NULL);
    if (n <= 0)
        return 0;
    reparse = (d->FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    e.tag = reparse ? TAG_CHECK_LINK | TAG_REPARSE : (f->root->under_wine ? TAG_CHECK_LINK : 0);
    if (check_links && e.tag != 0 && !link_stays_inside(f, d->FileName, wlen, reparse))
        return 0;
    e.is_dir = (d->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    e.size = e.is_dir ? 0 : (uint64_t)d->EndOfFile.QuadPart;
    e.write_time = d->LastWriteTime.QuadPart < 0 ? 0 : (uint64_t)d->LastWriteTime.QuadPart;
    e.name = name;
    e.name_len = (size_t)n;
    return fn(arg, &e);
}

static int stopping(const struct folderlist *f)
{
    return f->nstops > 0 &&
           WaitForMultipleObjects(f->nstops, f->stops, FALSE, 0) < WAIT_OBJECT_0 + f->nstops;
}

int folderlist_pass(struct folderlist *f, int check_links,
                    int (*fn)(void *arg, const struct listing_entry *e), void *arg)
{
    /* The Restart class rewinds the handle's enumeration; the plain class
     * carries on from where the last call stopped. */
    FILE_INFO_BY_HANDLE_CLASS cls = FileIdBothDirectoryRestartInfo;

    for (;;) {
        const unsigned char *p = f->buf;
        /* Once per buffer, a hundred entries or more: a stop is seen within
         * milliseconds even when each entry costs a link check. */
        if (stopping(f))
            return LISTSEND_STOPPED;
        if (!GetFileInformationByHandleEx(f->dir, cls, f->buf, ENUM_BUFFER))
            return GetLastError() == ERROR_NO_MORE_FILES ? 0 : LISTSEND_UNREADABLE;
        cls = FileIdBothDirectoryInfo;
        for (unsigned seen = 1;; seen++) {
            const FILE_ID_BOTH_DIR_INFO *d = (const FILE_ID_BOTH_DIR_INFO *)p;
            if (check_links && seen % 256 == 0 && stopping(f))
                return LISTSEND_STOPPED; /* each link check is a file opened */
            if (show(f, d, check_links, fn, arg) != 0)
                return LISTSEND_ABORTED;
            if (d->NextEntryOffset == 0)
                break;
            p += d->NextEntryOffset;
        }
    }
}

/* The link check of an entry about to be sent, by its name turned back
 * into UTF-16. */
static int entry_stays_inside(void *arg, const struct listing_entry *e)
{
    const struct folderlist *f = arg;
    wchar_t name[LISTING_NAME_MAX];
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, e->name, (int)e->name_len, name,
                                LISTING_NAME_MAX);

    return n > 0 && link_stays_inside(f, name, (size_t)n, (e->tag & TAG_REPARSE) != 0);
}

static int source_pass(void *arg, int check_links,
                       int (*fn)(void *fn_arg, const struct listing_entry *e), void *fn_arg)
{
    return folderlist_pass(arg, check_links, fn, fn_arg);
}

static int source_stopping(void *arg)
{
    return stopping(arg);
}

/* The runs go to a file in the temporary folder that no one else may open
 * and that goes when its handle is closed, however the LIST ends. */
static int spill_open(struct folderlist *f)
{
    wchar_t dir[MAX_PATH + 1], name[MAX_PATH + 1];

    if (GetTempPathW(MAX_PATH + 1, dir) == 0 || GetTempFileNameW(dir, L"mts", 0, name) == 0)
        return -1;
    f->spill = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (f->spill == INVALID_HANDLE_VALUE) {
        f->spill = NULL;
        DeleteFileW(name);
        return -1;
    }
    return 0;
}

static int spill_io(struct folderlist *f, uint64_t offset, void *buf, size_t len, int writing)
{
    OVERLAPPED at;
    DWORD done = 0;
    BOOL ok;

    if (f->spill == NULL && (!writing || spill_open(f) != 0))
        return -1;
    if (len > 0x7fffffff)
        return -1;
    memset(&at, 0, sizeof at);
    at.Offset = (DWORD)offset;
    at.OffsetHigh = (DWORD)(offset >> 32);
    ok = writing ? WriteFile(f->spill, buf, (DWORD)len, &done, &at)
                 : ReadFile(f->spill, buf, (DWORD)len, &done, &at);
    return ok && done == len ? 0 : -1;
}

static int spill_write(void *arg, uint64_t offset, const void *buf, size_t len)
{
    return spill_io(arg, offset, (void *)buf, len, 1);
}

static int spill_read(void *arg, uint64_t offset, void *buf, size_t len)
{
    return spill_io(arg, offset, buf, len, 0);
}

int folderlist_send(struct folderlist *f, const HANDLE *stops, unsigned nstops,
                    int (*send)(void *arg, const char *buf, size_t len), void *arg,
                    uint64_t *entries, uint64_t *bytes)
{
    struct listsend_source src = {source_pass, entry_stays_inside, source_stopping, f};
    struct listsort_store store = {spill_write, spill_read, f};
    int rc;

    f->stops = stops;
    f->nstops = nstops;
    rc = listsend_run(&src, &store, LISTSEND_SORT_MEMORY, send, arg, entries, bytes, NULL);
    f->stops = NULL;
    f->nstops = 0;
    return rc;
}
