/* rootfs.c - root-confined file opening (see rootfs.h). */
#include "rootfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "linebuf.h"
#include "ntname.h"
#include "pathpol.h"
#include "samefile.h"
#include "underwine.h"
#include "winerr.h"
#include "wstr.h"

#define REL_MAX (LINEBUF_MAX + 1) /* pathpol never lengthens a path */

/* The path of an open file on its volume ("\srv\a.txt"), after links and
 * junctions were followed; malloc'd, NULL on failure. GetFinalPathNameByHandleW
 * would also give the drive, but Wine's fails beyond MAX_PATH; the volume is
 * compared separately by serial number instead. */
static wchar_t *name_on_volume(HANDLE h)
{
    DWORD size = 1024;

    for (int attempt = 0; attempt < 2; attempt++) {
        FILE_NAME_INFO *info = malloc(size);
        wchar_t *name;
        DWORD chars;

        if (info == NULL)
            return NULL;
        if (!GetFileInformationByHandleEx(h, FileNameInfo, info, size)) {
            DWORD need = info->FileNameLength + sizeof *info;
            int more = GetLastError() == ERROR_MORE_DATA && need > size;
            free(info);
            if (!more)
                return NULL;
            size = need;
            continue;
        }
        chars = info->FileNameLength / sizeof(wchar_t);
        name = malloc((chars + 1) * sizeof *name);
        if (name != NULL) {
            memcpy(name, info->FileName, chars * sizeof *name);
            name[chars] = L'\0';
        }
        free(info);
        return name;
    }
    return NULL;
}

/* 1 when the open file is on a network share (the redirector answers
 * FileRemoteProtocolInfo; a local file system does not). */
static int is_remote(HANDLE h)
{
    FILE_REMOTE_PROTOCOL_INFO info;

    return GetFileInformationByHandleEx(h, FileRemoteProtocolInfo, &info, sizeof info) != 0;
}

static int volume_serial(HANDLE h, DWORD *serial)
{
    BY_HANDLE_FILE_INFORMATION info;

    if (!GetFileInformationByHandle(h, &info))
        return -1;
    *serial = info.dwVolumeSerialNumber;
    return 0;
}

static wchar_t *with_trailing_slash(const wchar_t *prefix, const wchar_t *path)
{
    size_t plen = wcslen(prefix), len = wcslen(path);
    int has = len > 0 && path[len - 1] == L'\\';
    wchar_t *out = malloc((plen + len + 2) * sizeof *out);

    if (out == NULL)
        return NULL;
    memcpy(out, prefix, plen * sizeof *out);
    memcpy(out + plen, path, len * sizeof *out);
    if (!has)
        out[plen + len++] = L'\\';
    out[plen + len] = L'\0';
    return out;
}

static int fail(char *err, size_t errcap, const char *what, const char *root)
{
    char why[300];

    snprintf(err, errcap, "root folder %s: %s: %s", root ? root : ".", what,
             winerr_text(GetLastError(), why, sizeof why));
    return -1;
}

int rootfs_init(struct rootfs *r, const char *root_utf8, char *err, size_t errcap)
{
    wchar_t *given = NULL, *full = NULL;
    char *plain = NULL, why[300];
    HANDLE dir = INVALID_HANDLE_VALUE;
    DWORD n;
    int rc = -1;

    memset(r, 0, sizeof *r);
    /* "\\?\C:\srv" would pass GetFullPathNameW unchanged and then be taken
     * for a UNC name: every file would be missing. Such roots are brought to
     * their plain form, or refused when they have none (a volume GUID, a
     * device). */
    if (root_utf8 != NULL) {
        size_t cap = strlen(root_utf8) + 3;
        plain = malloc(cap);
        if (plain == NULL) {
            snprintf(err, errcap, "out of memory");
            goto out;
        }
        if (pathpol_root_plain(root_utf8, plain, cap, why, sizeof why) != 0) {
            snprintf(err, errcap, "root folder %s: %s", root_utf8, why);
            goto out;
        }
    }
    given = plain ? wstr_from_utf8(plain, strlen(plain)) : _wcsdup(L".");
    if (given == NULL) {
        snprintf(err, errcap, "root folder name is not valid UTF-8");
        goto out;
    }
    n = GetFullPathNameW(given, 0, NULL, NULL);
    full = n ? malloc((n + 1) * sizeof *full) : NULL;
    if (full == NULL || GetFullPathNameW(given, n + 1, full, NULL) == 0) {
        rc = fail(err, errcap, "cannot resolve", root_utf8);
        goto out;
    }
    n = (DWORD)wcslen(full);
    while (n > 3 && full[n - 1] == L'\\')
        full[--n] = L'\0'; /* "C:\srv\" -> "C:\srv", but keep "C:\" */
    /* FILE_FLAG_BACKUP_SEMANTICS is what lets CreateFile open a folder. */
    dir = CreateFileW(full, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                      OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (dir == INVALID_HANDLE_VALUE) {
        rc = fail(err, errcap, "cannot open", root_utf8);
        goto out;
    }
    if (!(GetFileAttributesW(full) & FILE_ATTRIBUTE_DIRECTORY)) {
        snprintf(err, errcap, "root folder %s is not a folder", root_utf8 ? root_utf8 : ".");
        goto out;
    }
    {
        wchar_t *name = name_on_volume(dir);
        if (name == NULL || volume_serial(dir, &r->volume) != 0) {
            free(name);
            rc = fail(err, errcap, "cannot read its name on the volume", root_utf8);
            goto out;
        }
        r->final_base = with_trailing_slash(L"", name);
        free(name);
        r->remote = is_remote(dir);
    }
    {
        wchar_t buf[MAX_PATH + 1], *heap, *nt = ntname_of(dir, buf, MAX_PATH + 1, &heap);
        if (nt != NULL) {
            r->nt_base = with_trailing_slash(L"", nt);
            r->nt_len = r->nt_base != NULL ? wcslen(r->nt_base) : 0;
        }
        free(heap);
    }
    /* UNC roots take the "\\?\UNC\server\share" long form, drive roots "\\?\C:\". */
    if (full[0] == L'\\' && full[1] == L'\\')
        r->open_base = with_trailing_slash(L"\\\\?\\UNC\\", full + 2);
    else
        r->open_base = with_trailing_slash(L"\\\\?\\", full);
    r->display = wstr_to_utf8(full);
    if (r->final_base == NULL || r->open_base == NULL || r->display == NULL) {
        snprintf(err, errcap, "out of memory");
        goto out;
    }
    r->final_len = wcslen(r->final_base);
    r->under_wine = underwine_running();
    rc = 0;
out:
    if (dir != INVALID_HANDLE_VALUE)
        CloseHandle(dir);
    free(plain);
    free(given);
    free(full);
    if (rc != 0)
        rootfs_free(r);
    return rc;
}

void rootfs_free(struct rootfs *r)
{
    free(r->display);
    free(r->open_base);
    free(r->final_base);
    free(r->nt_base);
    memset(r, 0, sizeof *r);
}

/* 1 when the open file's full name starts with the volume root's own
 * ("\\?\M:\"). Only asked for a volume root, whose name on the volume is
 * "\" and so a prefix of every name there: the serial number then has to
 * tell volumes apart alone (a listing's entries are not even asked for
 * it), and under Wine every drive on one Unix file system shares it, so a
 * link out of "M:\" would look inside. Wine's
 * GetFinalPathNameByHandleW fails beyond MAX_PATH: such a file is refused. */
static int on_root_drive(const struct rootfs *r, HANDLE file)
{
    size_t base_len = wcslen(r->open_base);
    DWORD need = GetFinalPathNameByHandleW(file, NULL, 0, VOLUME_NAME_DOS);
    wchar_t *name = need ? malloc((need + 1) * sizeof *name) : NULL;
    DWORD got;
    int same = 0;

    if (name == NULL)
        return 0;
    got = GetFinalPathNameByHandleW(file, name, need + 1, VOLUME_NAME_DOS);
    if (got != 0 && got <= need && got >= base_len)
        same = CompareStringOrdinal(name, (int)base_len, r->open_base, (int)base_len, TRUE) ==
               CSTR_EQUAL;
    free(name);
    return same;
}

/* Under Wine a name can say "below the root" of a file that is not: Wine
 * makes a file's name from its Unix path and loses on the way what a
 * Windows name cannot hold (a trailing dot, a '\' inside a name) and, on a
 * case-sensitive file system, the case: a link to "<root>./x", "<ROOT>/x"
 * or "<root>\y/x" is named as if it led to "<root>\x" or "<root>\y\x".
 * So there, what the name says lies below the root (rest, "" for the root
 * itself) is looked at again by name below the root, and must be the same
 * file (samefile.c: the change time no writer can set, with the write
 * time, size and folder bit). A stat and an fstat a file, under Wine only;
 * it refuses, rather than serves, a file inside whose Unix name has no
 * exact Windows form, or one changed between the two looks. */
static int confirmed_below_root(const struct rootfs *r, HANDLE file, const wchar_t *rest)
{
    size_t base, len;
    wchar_t *path;
    int same;

    if (!r->under_wine)
        return 1;
    /* open_base is "\\?\Z:\srv\"; its NT form "\??\Z:\srv\". */
    base = wcslen(r->open_base);
    len = wcslen(rest);
    path = malloc((base + len + 1) * sizeof *path);
    if (path == NULL)
        return 0;
    memcpy(path, r->open_base, base * sizeof *path);
    path[1] = L'?';
    memcpy(path + base, rest, (len + 1) * sizeof *path);
    same = samefile_named(path, file);
    free(path);
    return same;
}

/* Whether name (len characters), a name of the open file, lies below the
 * root's name of the same kind, base (base_len characters, its trailing
 * '\' included), or with may_be_root is the root's (root_len characters):
 * compared without case as NTFS does, then confirmed under Wine. Both
 * kinds of name (the NT object name, the name on the volume) come here. */
static int name_within(const struct rootfs *r, HANDLE file, const wchar_t *name, size_t len,
                       const wchar_t *base, size_t base_len, size_t root_len, int may_be_root)
{
    if (may_be_root && len == root_len)
        return CompareStringOrdinal(name, (int)len, base, (int)len, TRUE) == CSTR_EQUAL &&
               confirmed_below_root(r, file, L"");
    if (len > base_len)
        return CompareStringOrdinal(name, (int)base_len, base, (int)base_len, TRUE) == CSTR_EQUAL &&
               confirmed_below_root(r, file, name + base_len);
    return 0;
}

/* Where the file's full NT name lies: 1 below the root's (or, with
 * may_be_root, is the root's), 0 not, -1 when it cannot be had. The NT name
 * is the volume's device and the name on it (ntname.c), so one prefix says
 * both what the serial number and the name on the volume say below, where
 * the serial number (GetFileInformationByHandle) is under Wine a round trip
 * to the mount manager's process, about 14 wineserver requests a file
 * (bench/RESULTS.md, issue 24). */
static int nt_within_root(const struct rootfs *r, HANDLE file, int may_be_root)
{
    wchar_t buf[MAX_PATH + 1], *heap, *nt = ntname_of(file, buf, MAX_PATH + 1, &heap);
    int inside;

    if (nt == NULL)
        return -1;
    /* The root itself is named without its trailing '\'. */
    inside =
        name_within(r, file, nt, wcslen(nt), r->nt_base, r->nt_len, r->nt_len - 1, may_be_root);
    free(heap);
    return inside;
}

/* 1 when the open file lies below the root (or, with may_be_root, is the
 * root): same volume, and its name on the volume starts with the root's,
 * compared without case as NTFS does. The NT name answers first where it
 * can; a volume's root ("M:\") keeps the checks below, whose drive
 * comparison Wine needs. */
static int within_root(const struct rootfs *r, HANDLE file, int may_be_root, int check_volume)
{
    wchar_t *fin = NULL;
    DWORD volume;
    int inside = 0;

    if (check_volume && r->nt_base != NULL && r->final_len > 1) {
        inside = nt_within_root(r, file, may_be_root);
        if (inside >= 0)
            return inside;
        inside = 0;
    }
    fin = name_on_volume(file);

    if (fin == NULL || (check_volume && (volume_serial(file, &volume) != 0 || volume != r->volume)))
        goto out;
    if (r->final_len == 1 && !on_root_drive(r, file))
        goto out;
    /* The root itself is named without its trailing '\' (final_len - 1),
     * except a volume's root ("D:\"), whose name on the volume is "\" alone. */
    inside = name_within(r, file, fin, wcslen(fin), r->final_base, r->final_len,
                         r->final_len > 1 ? r->final_len - 1 : r->final_len, may_be_root);
out:
    free(fin);
    return inside;
}

static int inside_root(const struct rootfs *r, HANDLE file)
{
    return within_root(r, file, 0, 1);
}

int rootfs_holds(const struct rootfs *r, HANDLE h)
{
    /* As for files (rootfs_open): a local root's link to a share is refused. */
    if (!r->remote && is_remote(h))
        return 0;
    return within_root(r, h, 1, 1);
}

DWORD rootfs_open_flags(const struct rootfs *r)
{
    return r->remote ? 0 : SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION;
}

int rootfs_names_inside(const struct rootfs *r, HANDLE h)
{
    return within_root(r, h, 0, 0);
}

/* A name no file can have is as missing as one no file has. */
static int classify_open_error(DWORD code)
{
    enum winerr_kind kind = winerr_kind(code);

    return kind == WINERR_NOT_FOUND || kind == WINERR_BAD_NAME ? ROOTFS_MISSING : ROOTFS_FAILED;
}

/* The long-path name ("\\?\C:\srv\a\b") of a requested path that passes the
 * path policy, with room for `spare` more characters; len 0 (allowed only
 * with allow_root) names the root itself. malloc'd; NULL with *rc set. */
/* A requested file or folder opened as the session's account: the
 * service's, or a Windows account's (rootfs.h, open_as). */
static HANDLE open_requested(const struct rootfs *r, const wchar_t *path, DWORD access,
                             DWORD flags)
{
    const DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

    if (r->open_as != NULL)
        return r->open_as(r->open_ctx, path, access, share, OPEN_EXISTING, flags);
    return CreateFileW(path, access, share, NULL, OPEN_EXISTING, flags, NULL);
}

static wchar_t *requested_name(const struct rootfs *r, const char *path, size_t len,
                               int allow_root, size_t spare, size_t *name_len, int *rc)
{
    char rel[REL_MAX];
    wchar_t *wrel, *full;
    size_t base_len, rel_len;

    *rc = ROOTFS_DENIED;
    if (len == 0 && allow_root)
        rel[0] = '\0';
    else if (pathpol_resolve(r->display, path, len, rel, sizeof rel) != 0)
        return NULL;
    wrel = wstr_from_utf8(rel, strlen(rel));
    if (wrel == NULL)
        return NULL;
    base_len = wcslen(r->open_base);
    rel_len = wcslen(wrel);
    full = malloc((base_len + rel_len + 1 + spare) * sizeof *full);
    if (full == NULL) {
        *rc = ROOTFS_FAILED;
    } else {
        memcpy(full, r->open_base, base_len * sizeof *full);
        memcpy(full + base_len, wrel, (rel_len + 1) * sizeof *full);
        *name_len = base_len + rel_len;
    }
    free(wrel);
    return full;
}

int rootfs_open(const struct rootfs *r, const char *path, size_t len, HANDLE *file, uint64_t *size)
{
    wchar_t *full;
    HANDLE h = INVALID_HANDLE_VALUE;
    FILE_STANDARD_INFO info;
    size_t full_len;
    int rc;

    *file = INVALID_HANDLE_VALUE;
    full = requested_name(r, path, len, 0, 0, &full_len, &rc);
    if (full == NULL)
        return rc;
    /* Share everything: a file another program is writing can still be sent;
     * a size change during the send is caught and ends the connection. The
     * open follows links before inside_root() can judge them, so for a local
     * root it says the other end may identify the service, no more: a link
     * to \\host\share or a pipe gets no usable impersonation of it. */
    h = open_requested(r, full, GENERIC_READ,
                       FILE_FLAG_SEQUENTIAL_SCAN |
                           (r->remote ? 0 : SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION));
    if (h == INVALID_HANDLE_VALUE) {
        rc = classify_open_error(GetLastError());
        goto out;
    }
    if ((!r->remote && is_remote(h)) || !inside_root(r, h)) {
        rc = ROOTFS_DENIED;
        goto out;
    }
    /* FileStandardInfo, not GetFileInformationByHandle: the latter also
     * reads the volume serial number, which under Wine 8 is a round trip to
     * the mount manager's process (bench/RESULTS.md). */
    if (GetFileType(h) != FILE_TYPE_DISK ||
        !GetFileInformationByHandleEx(h, FileStandardInfo, &info, sizeof info) || info.Directory) {
        rc = ROOTFS_FAILED;
        goto out;
    }
    /* Another name of the file may lie outside the root (a hard link made
     * to a file the root's writer could read but clients should not). */
    if (r->single_link && info.NumberOfLinks > 1) {
        rc = ROOTFS_DENIED;
        goto out;
    }
    *size = (uint64_t)info.EndOfFile.QuadPart;
    *file = h;
    h = INVALID_HANDLE_VALUE;
    rc = ROOTFS_OK;
out:
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(full);
    return rc;
}

int rootfs_open_folder(const struct rootfs *r, const char *path, size_t len, HANDLE *dir,
                       wchar_t **full_out)
{
    wchar_t *full;
    HANDLE h = INVALID_HANDLE_VALUE;
    FILE_STANDARD_INFO info;
    size_t full_len;
    int rc;

    *dir = INVALID_HANDLE_VALUE;
    *full_out = NULL;
    /* One spare character for the trailing '\' added below. */
    full = requested_name(r, path, len, 1, 1, &full_len, &rc);
    if (full == NULL)
        return rc;
    /* FILE_FLAG_BACKUP_SEMANTICS opens a folder; FILE_LIST_DIRECTORY lets
     * GetFileInformationByHandleEx enumerate it through this very handle. */
    h = open_requested(r, full, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                       FILE_FLAG_BACKUP_SEMANTICS | rootfs_open_flags(r));
    if (h == INVALID_HANDLE_VALUE) {
        rc = classify_open_error(GetLastError());
        goto out;
    }
    if (!rootfs_holds(r, h)) {
        rc = ROOTFS_DENIED;
        goto out;
    }
    if (!GetFileInformationByHandleEx(h, FileStandardInfo, &info, sizeof info) ||
        !info.Directory) {
        rc = ROOTFS_FAILED;
        goto out;
    }
    if (full[full_len - 1] != L'\\') {
        full[full_len] = L'\\';
        full[full_len + 1] = L'\0';
    }
    *dir = h;
    h = INVALID_HANDLE_VALUE;
    *full_out = full;
    full = NULL;
    rc = ROOTFS_OK;
out:
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(full);
    return rc;
}
