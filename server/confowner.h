/* confowner.h - the configuration's owners, checked before it is trusted.
 *
 * install, configure, passwd and the service's start refuse a configuration
 * file, or the folder holding it, that a user other than an administrator
 * owns (ownerpol.h says whom mtserver trusts), rather than adopt it. */
#ifndef MTS_CONFOWNER_H
#define MTS_CONFOWNER_H

#include <stddef.h>
#include <wchar.h>

/* Checks the owner of path (a file or folder; one that does not exist
 * passes). Returns 0 when trusted, or -1 with the reason in err: an owner
 * not trusted (named, with what to do), or an owner that cannot be read. */
int confowner_check(const wchar_t *path, char *err, size_t errcap);

/* Checks the folder holding the configuration file config (UTF-8), then the
 * file. Returns 0, or -1 with the reason in err. */
int confowner_check_config(const char *config, char *err, size_t errcap);

#endif
