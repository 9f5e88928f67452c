/* confowner.h - the configuration's owners, checked before it is trusted.
 *
 * install, configure, passwd and the service's start refuse a configuration
 * file, or the folder holding it, that a user other than an administrator
 * owns (ownerpol.h says whom mtserver trusts), rather than adopt it. */
#ifndef MTS_CONFOWNER_H
#define MTS_CONFOWNER_H

#include <stddef.h>
#include <wchar.h>

enum confowner_mode {
    CONFOWNER_CHECK, /* the service's start: only check */
    /* An administrator's command (install, configure, passwd): what its
     * account owns is given to Administrators, since the service, running
     * as its own account, trusts that account no more than any user. An
     * administrator's files are the account's own when made without
     * elevation (Explorer's "New folder"). */
    CONFOWNER_CLAIM,
};

/* Checks the owner of path (a file or folder; one that does not exist
 * passes). Returns 0 when trusted, or -1 with the reason in err: an owner
 * not trusted (named, with what to do), an owner that cannot be read, or
 * (CONFOWNER_CLAIM) one that cannot be given to Administrators. */
int confowner_check(const wchar_t *path, enum confowner_mode mode, char *err, size_t errcap);

/* As confowner_check, on the object open at handle (a HANDLE: opened
 * without following a link, with READ_CONTROL, and WRITE_OWNER to claim);
 * path names it in the messages. */
int confowner_check_handle(void *handle, const wchar_t *path, enum confowner_mode mode,
                           char *err, size_t errcap);

/* Checks the folder holding the configuration file config (UTF-8), then the
 * file. Returns 0, or -1 with the reason in err. */
int confowner_check_config(const char *config, enum confowner_mode mode, char *err,
                           size_t errcap);

#endif
