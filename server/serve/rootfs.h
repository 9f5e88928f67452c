/* rootfs.h - opens files strictly inside the served root folder.
 *
 * Two gates: the portable path policy (pathpol) refuses what is wrong on its
 * face, then the opened handle's final path is checked to lie under the
 * root's own, which catches links and junctions leading out. A hard link
 * is a name of its own, so its final path is inside whatever file it names:
 * with single_link set, a file with more than one link is refused.
 * Files are opened with SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
 * so a link to \\host\share or a pipe cannot make the service's token
 * usable by the other end beyond identifying it; and a file that turns out
 * to be remote is refused unless the root itself is remote (a share needs
 * the full impersonation level to serve files, so there the flags are
 * left off and the volume check keeps files on the root's share).
 * A Windows account's session (windows_accounts) opens its files through
 * open_as, which impersonates the account around CreateFileW, so that the
 * file's DACL judges the account as well as the two gates here.
 * Set up once before the server starts (or an account session's, at its
 * login, by its client thread); read-only afterwards. */
#ifndef MTS_ROOTFS_H
#define MTS_ROOTFS_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

struct rootfs {
    char *display;       /* "C:\srv", UTF-8, for pathpol and messages */
    wchar_t *open_base;  /* "\\?\C:\srv\": long-path form that names are appended to */
    wchar_t *final_base; /* the root's name on its volume, with a trailing '\' */
    size_t final_len;
    unsigned long volume; /* the root volume's serial number */
    /* The root's NT object name with a trailing '\' ("\Device\HarddiskVolume3\srv\"):
     * the volume's device and the name on it in one, which a file's own NT
     * name is compared with first (rootfs.c says why); NULL when the root
     * has none to give (then only the name and serial checks are used). */
    wchar_t *nt_base;
    size_t nt_len;
    int single_link;      /* refuse files with more than one hard link */
    int remote;           /* the root is on a network share */
    /* Running under Wine (set by rootfs_init), which the checks must make up
     * for twice. A Unix symbolic link to a file shows in a folder's entries
     * without FILE_ATTRIBUTE_REPARSE_POINT (one to a folder has it), so
     * every entry must be opened to see where it leads; on Windows only
     * reparse points can lead elsewhere. And a file's name is made from
     * its Unix path and can look like one below the root when it is not,
     * so such a name is looked at again (rootfs.c, confirmed_below_root). */
    int under_wine;
    /* NULL: files are opened as the service (CreateFileW). Else called in
     * its place with open_ctx, and it sets the last error as CreateFileW
     * does (a Windows account's session: winlogon_open_file; connacct.c). */
    HANDLE (*open_as)(void *ctx, const wchar_t *path, DWORD access, DWORD share,
                      DWORD disposition, DWORD flags);
    void *open_ctx;
};

enum rootfs_result {
    ROOTFS_OK = 0,
    ROOTFS_DENIED = -1,  /* refused by policy, or led outside the root */
    ROOTFS_MISSING = -2, /* no such file */
    ROOTFS_FAILED = -3,  /* exists but cannot be served (a folder, locked, ...) */
};

/* root_utf8 NULL means the current folder. Returns 0, or -1 with err set. */
int rootfs_init(struct rootfs *r, const char *root_utf8, char *err, size_t errcap);
void rootfs_free(struct rootfs *r);

/* Opens a requested path for sending. On ROOTFS_OK, *file and *size are set
 * and the caller closes *file. */
int rootfs_open(const struct rootfs *r, const char *path, size_t len, HANDLE *file, uint64_t *size);

/* Opens a requested folder for listing (len 0: the root itself), under the
 * same two gates. On ROOTFS_OK, *dir is a handle that can enumerate
 * (FILE_LIST_DIRECTORY) and *full its long-path name with a trailing '\'
 * (malloc'd); the caller closes and frees both. A file gives ROOTFS_FAILED. */
int rootfs_open_folder(const struct rootfs *r, const char *path, size_t len, HANDLE *dir,
                       wchar_t **full);

/* 1 when the open handle lies at or below the root (links followed); 0 for
 * a network share when the root is local. */
int rootfs_holds(const struct rootfs *r, HANDLE h);

/* CreateFileW flags for an open that may follow a link: for a local root,
 * the other end of a link to \\host\share may identify the service, no more. */
DWORD rootfs_open_flags(const struct rootfs *r);

/* 1 when the open handle's name on its volume lies below the root's, the
 * volume left unchecked (but for a volume root, whose drive is compared): for a folder's entries that are no reparse point,
 * which cannot be on another volume, but which Wine resolves when they are
 * Unix symbolic links (its directory entries do not mark links to files). */
int rootfs_names_inside(const struct rootfs *r, HANDLE h);

#endif
