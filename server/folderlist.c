/* folderlist.c - a folder's entries, through its handle (see folderlist.h). */
#include "folderlist.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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
    void *buf; /* ENUM_BUFFER bytes, DWORD-aligned (malloc's alignment) */
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
 * process). Under Wine every entry comes here (rootfs.h: unmarked_links):
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

static int show(struct folderlist *f, const FILE_ID_BOTH_DIR_INFO *d, int check_links,
                void (*fn)(void *arg, const struct listing_entry *e), void *arg)
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
    e.tag = reparse ? TAG_CHECK_LINK | TAG_REPARSE : (f->root->unmarked_links ? TAG_CHECK_LINK : 0);
    if (check_links && e.tag != 0 && !link_stays_inside(f, d->FileName, wlen, reparse))
        return 0;
    e.is_dir = (d->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    e.size = e.is_dir ? 0 : (uint64_t)d->EndOfFile.QuadPart;
    e.write_time = d->LastWriteTime.QuadPart < 0 ? 0 : (uint64_t)d->LastWriteTime.QuadPart;
    e.name = name;
    e.name_len = (size_t)n;
    fn(arg, &e);
    return 1;
}

int folderlist_pass(struct folderlist *f, int check_links,
                    void (*fn)(void *arg, const struct listing_entry *e), void *arg)
{
    /* The Restart class rewinds the handle's enumeration; the plain class
     * carries on from where the last call stopped. */
    FILE_INFO_BY_HANDLE_CLASS cls = FileIdBothDirectoryRestartInfo;

    for (;;) {
        const unsigned char *p = f->buf;
        if (!GetFileInformationByHandleEx(f->dir, cls, f->buf, ENUM_BUFFER))
            return GetLastError() == ERROR_NO_MORE_FILES ? 0 : -1;
        cls = FileIdBothDirectoryInfo;
        for (;;) {
            const FILE_ID_BOTH_DIR_INFO *d = (const FILE_ID_BOTH_DIR_INFO *)p;
            show(f, d, check_links, fn, arg);
            if (d->NextEntryOffset == 0)
                break;
            p += d->NextEntryOffset;
        }
    }
}

/* The link check of a selected entry, by its name turned back into UTF-16. */
static int slot_stays_inside(const struct folderlist *f, const struct listing_slot *s)
{
    wchar_t name[LISTING_NAME_MAX];
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s->name, (int)s->name_len, name,
                                LISTING_NAME_MAX);

    return n > 0 && link_stays_inside(f, name, (size_t)n, (s->tag & TAG_REPARSE) != 0);
}

static void count_one(void *arg, const struct listing_entry *e)
{
    (void)e;
    ++*(uint64_t *)arg;
}

static void offer(void *arg, const struct listing_entry *e)
{
    listing_batch_offer(arg, e);
}

/* Lines are gathered into one buffer and sent when it is nearly full. */
#define SEND_BUFFER (32u << 10)

struct out {
    int (*send)(void *arg, const char *buf, size_t len);
    void *arg;
    char *buf;
    size_t used;
    uint64_t *bytes;
};

static int flush(struct out *o)
{
    if (o->used > 0 && o->send(o->arg, o->buf, o->used) != 0)
        return -1;
    *o->bytes += o->used;
    o->used = 0;
    return 0;
}

/* Makes room for a line of up to LISTING_LINE_MAX bytes. */
static char *room(struct out *o)
{
    if (SEND_BUFFER - o->used < LISTING_LINE_MAX && flush(o) != 0)
        return NULL;
    return o->buf + o->used;
}

int folderlist_send(struct folderlist *f, int (*send)(void *arg, const char *buf, size_t len),
                    void *arg, uint64_t *entries, uint64_t *bytes)
{
    struct listing_batch *batch = NULL;
    struct out o = {send, arg, NULL, 0, bytes};
    uint64_t count = 0;
    size_t n;
    char *line;
    int rc = -1;

    *entries = *bytes = 0;
    o.buf = malloc(SEND_BUFFER);
    batch = listing_batch_create(FOLDERLIST_BATCH);
    if (o.buf == NULL || batch == NULL || folderlist_pass(f, 1, count_one, &count) != 0)
        goto out;
    rc = -2;
    o.used += listing_format_head(o.buf, SEND_BUFFER, count);
    for (;;) {
        listing_batch_begin(batch);
        /* Selecting needs names only; where links lead is checked below,
         * once per entry sent, not once per entry per pass. */
        if (folderlist_pass(f, 0, offer, batch) != 0)
            goto out;
        n = listing_batch_finish(batch);
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            const struct listing_slot *s = batch->heap[i];
            struct listing_entry e = {s->is_dir, s->size, s->write_time, s->name, s->name_len,
                                      s->tag};
            size_t len;
            if (e.tag != 0 && !slot_stays_inside(f, s))
                continue;
            if ((line = room(&o)) == NULL)
                goto out;
            len = listing_format_entry(line, LISTING_LINE_MAX, &e);
            o.used += len;
            *entries += len > 0;
        }
    }
    if ((line = room(&o)) == NULL)
        goto out;
    o.used += listing_format_end(line, LISTING_LINE_MAX, *entries);
    if (flush(&o) != 0)
        goto out;
    rc = 0;
out:
    listing_batch_destroy(batch);
    free(o.buf);
    return rc;
}
