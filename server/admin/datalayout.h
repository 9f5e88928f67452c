/* datalayout.h - the data folder's layout, decided in one place.
 *
 * The configuration folder (by default %ProgramData%\mtserver) holds
 * mtserver.ini and two folders: logs\, where the service writes
 * access.log, and files\, the root served when none is set. How each is
 * secured for the service's account (svcacl.h) is decided here too: the
 * folder itself readable by the service and no user, logs\ writable by the
 * service, files\ inheriting the folder's permissions. install, configure,
 * prepare, prepare-rollback and the first INI ask here, so that no two of
 * them can lay the folder out differently. */
#ifndef MTS_DATALAYOUT_H
#define MTS_DATALAYOUT_H

#include <stddef.h>
#include <wchar.h>

enum datalayout_part {
    DATALAYOUT_LOGS,       /* logs\ */
    DATALAYOUT_FILES,      /* files\ */
    DATALAYOUT_ACCESS_LOG, /* logs\access.log */
};

/* The part's name inside the folder: L"logs", L"files", L"logs\\access.log". */
const wchar_t *datalayout_name(enum datalayout_part part);

/* base\name into out[cap]. Returns 0, or -1 when it does not fit. */
int datalayout_path(const wchar_t *base, enum datalayout_part part, wchar_t *out, size_t cap);

/* install and configure: the folder, then its logs\, each opened without
 * following a link, refused if one is a link or a stranger's, and given
 * the permissions of its part for sid. Returns 0, or -1 with why in err. */
int datalayout_adopt(const wchar_t *base, const wchar_t *sid, char *err, size_t errcap);

/* configure, where the folder is the administrator's own (OWNERPOL_LEAVE):
 * only logs\ gets the service's write access. A Win32 error code. */
unsigned long datalayout_secure_logs(const wchar_t *base, const wchar_t *sid);

/* prepare: logs\ and files\ made in base, or, where there, checked as the
 * folder is (a user may have made them while it inherited ProgramData's
 * permissions). Returns 0, or -1 with why in err. */
int datalayout_make_parts(const wchar_t *base, const wchar_t *sid, char *err, size_t errcap);

/* The first INI's defaults, where the command line gave none: files\ as
 * the root and logs\access.log as the log, each folder given its
 * permissions (a folder not there yet is made by prepare or the service). */
void datalayout_default_root(const wchar_t *base, const wchar_t *sid, wchar_t *out, size_t cap);
void datalayout_default_log(const wchar_t *base, const wchar_t *sid, wchar_t *out, size_t cap);

#endif
