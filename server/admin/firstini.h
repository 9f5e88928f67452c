/* firstini.h - the first configuration file `mtserver install` writes, and
 * the folders its root and log_file name. */
#ifndef MTS_FIRSTINI_H
#define MTS_FIRSTINI_H

#include <stddef.h>
#include <wchar.h>

#include "options.h"

#define FIRSTINI_PATH_CAP 1024 /* UTF-16 units; the configuration's text values fit too */

/* The configuration file's full path (--config, else the default under
 * ProgramData) into config and the folder it is in into base, both
 * FIRSTINI_PATH_CAP units. Returns 0, or -1 once the reason is printed. */
int firstini_config_paths(const struct server_options *opts, wchar_t *config, wchar_t *base);

/* Writes the file config (which must not exist yet): the install command's
 * options, the defaults for the rest as comments, and root and log folders
 * next to it under base (made, the logs folder with the permissions for
 * sid). Written through inifile.h: the owners checked (and claimed), the
 * text put beside the file and moved in. Returns 0, or -1 with the reason
 * (and Win32 error) in err. */
int firstini_write(const wchar_t *config, const wchar_t *base, const struct server_options *o,
                   const wchar_t *sid, char *err, size_t errcap);

/* Makes folder, and the folders above it that are missing, unless it
 * exists: the folder itself with the permissions sddl_format gives with sid
 * (svcacl.h), as the default folders get. Returns 0, or -1 with the reason
 * in err (also when a file has its name). */
int firstini_make_folder(const wchar_t *folder, const wchar_t *sddl_format, const wchar_t *sid,
                         char *err, size_t errcap);

/* Makes the root folder and the log file's folder when install was given
 * them (--root, --log), with the permissions the default ones get (the root
 * as the configuration folder, read by the service; the log folder writable
 * by it). root and log get their full paths as UTF-8 (FIRSTINI_PATH_CAP * 3
 * bytes each), "" when not given. Returns 0, or -1 with the reason in err. */
int firstini_given_folders(const struct server_options *o, const wchar_t *sid, char *root,
                           char *log, char *err, size_t errcap);

/* Applies the settings the install command was given (o->set; root and log
 * as full paths, or NULL) to the existing configuration file config (UTF-8),
 * in place: each key's line is replaced, or appended when the file has none;
 * every other line, comments included, stays as it was. *changed counts the
 * keys set. Read and replaced through inifile.h (the owners checked and
 * claimed first). Returns 0, or -1 with the reason in err (the file
 * unchanged). */
int firstini_update(const char *config, const struct server_options *o, const char *root,
                    const char *log, int *changed, char *err, size_t errcap);

/* The options among those firstini_update applies that o was given, as
 * "--port, --bind" in out. Returns 1 when there is any, else 0. */
int firstini_given_options(const struct server_options *o, char *out, size_t cap);

#endif
