/* inifile.h - the one editor of the files the commands change: the
 * configuration (passwd, cert, install's PFX password) and the account
 * store (user). Each file is owner-checked before it is read (confowner.h:
 * a file a user planted is not trusted, and a command's own file is given
 * to Administrators before a secret goes into it), read whole, and written
 * back through FILE.new and ReplaceFileW (common/win/wholefile.h), so that
 * a crash leaves the old or the new file and the old one's permissions
 * stay; the first INI (firstini.c) is written the same way. Every function
 * says on stderr what failed and what to do (inifile_load and
 * inifile_store put it in err instead), and returns an exit code of
 * ADMIN.md's table: 0 done, 1 failed (an owner not trusted, a file that
 * does not parse), 5 no right to read or write. */
#ifndef MTS_INIFILE_H
#define MTS_INIFILE_H

#include <stddef.h>

#include "confowner.h"

/* The whole file, at most max bytes, into a malloc'd *buf, after its
 * owner's check in mode (CONFOWNER_CHECK to only read, CONFOWNER_CLAIM
 * before a change). *buf is NULL, with *missing set, when it is not there. */
int inifile_read(const char *path, enum confowner_mode mode, unsigned max, char **buf, size_t *len,
                 int *missing);
/* As inifile_read, with the reason in err instead of on stderr, for a
 * caller that puts it in its own words (firstini.c). When the file is
 * missing, err says so too ("cannot read PATH: error 2: ..."). */
int inifile_load(const char *path, enum confowner_mode mode, unsigned max, char **buf, size_t *len,
                 int *missing, char *err, size_t errcap);

/* Not read-only, and path.new can be made beside it. */
int inifile_check_writable(const char *path);

/* data in place of the file (existed: it was there when read). */
int inifile_replace(const char *path, int existed, const char *data, size_t len);
/* As inifile_replace, with the reason in err instead of on stderr. A new
 * file (existed 0) is moved in only while nothing has that name. */
int inifile_store(const char *path, int existed, const char *data, size_t len, char *err,
                  size_t errcap);

/* What inifile_set_key(path, key, ...) will need, checked before anything
 * is made (cert makes keys and certificates, passwd asks for a password):
 * the owner trusted, the file readable (or missing) and parseable, not
 * read-only, and its folder there and writable. */
int inifile_check_key(const char *path, const char *key);

/* key = value in the configuration at path (made when missing), every
 * other byte kept. */
int inifile_set_key(const char *path, const char *key, const char *value);

#endif
