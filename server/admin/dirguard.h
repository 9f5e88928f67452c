/* dirguard.h - the configuration folder, opened without following a link.
 *
 * prepare, install and configure run as SYSTEM or an elevated administrator
 * over C:\ProgramData\mtserver, where any user may have made a folder, a
 * junction or a symbolic link first. Each opens the folder here before it
 * touches anything in it: a link (seen on the handle on Windows, on the
 * path under Wine, dirpol.h), a path that opens as another, a file or an
 * owner not trusted (confowner.h, read from the handle) is refused. The
 * handle is held without FILE_SHARE_DELETE, so the folder cannot be
 * renamed or replaced while the command works in it, and permissions are
 * set through it (SetSecurityInfo), never by a path that could lead
 * elsewhere. */
#ifndef MTS_DIRGUARD_H
#define MTS_DIRGUARD_H

#include <stddef.h>
#include <windows.h>

#include "confowner.h"
#include "dirpol.h"

struct dirguard {
    HANDLE handle;        /* INVALID_HANDLE_VALUE when closed */
    struct dirpol_mark id; /* file ID, and owner and DACL as SDDL, from the handle */
};

/* Opens folder and checks it as above (CONFOWNER_CLAIM gives an
 * administrator's own folder to Administrators). Returns 0 with g open, 1
 * when nothing has that name, or -1 with the reason in err (g closed). */
int dirguard_open(const wchar_t *folder, enum confowner_mode mode, struct dirguard *g, char *err,
                  size_t errcap);

/* Closes g (a closed one too). */
void dirguard_close(struct dirguard *g);

/* Gives the folder open in g the permissions sddl_format (svcacl.h) gives
 * with sid, protected, unless an administrator has protected its DACL
 * already. Returns ERROR_SUCCESS or the Win32 error. */
DWORD dirguard_adopt(struct dirguard *g, const wchar_t *sddl_format, const wchar_t *sid);

/* Opens path with dirguard_open, and gives it the permissions as
 * dirguard_adopt; makes it with them first when it does not exist. For
 * install and configure. Returns 0, or -1 with the reason in err. */
int dirguard_adopt_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid,
                          char *err, size_t errcap);

/* As dirguard_adopt_folder, but a folder that exists keeps its
 * permissions: it is only checked (no link, a trusted owner). For logs\
 * and files\ in a folder whose permissions may have let users make them
 * before an administrator's command closed it. */
int dirguard_make_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid,
                         char *err, size_t errcap);

#endif
