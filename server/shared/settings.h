/* settings.h - where the server's settings come from: the command line
 * first, then the configuration file, then the defaults.
 *
 * Used by console mode, service mode and the service commands, each from
 * one thread before any server thread starts. */
#ifndef MTS_SETTINGS_H
#define MTS_SETTINGS_H

#include <stddef.h>

#include "config.h"
#include "options.h"

#define SETTINGS_FILE_MAX (1u << 20) /* a configuration file larger than 1 MiB is refused */

/* %ProgramData%\mtserver\mtserver.ini as UTF-8. Returns 0 or -1. */
int settings_default_config_path(char *out, size_t cap);

/* The configuration file to use: `given` (--config) when not NULL, else the
 * default above. The one place that choice is made (service, passwd,
 * install). Returns 0, or -1 with the reason in err. */
int settings_config_path(const char *given, char *out, size_t cap, char *err, size_t errcap);
/* The same for the file options names (--config FILE, or the default):
 * with the two below, the one place that reads that option, so that the
 * commands need not. */
int settings_config_path_of(const struct server_options *o, char *out, size_t cap, char *err,
                            size_t errcap);

/* 1 when --config named the file, 0 when the default is used: console mode
 * reads a file only when named, install writes --config into the
 * service's command line only when given, status says "(the default)". */
int settings_config_named(const struct server_options *o);

/* When o names no file, takes the one `from` names (the installed
 * service's command line), which must outlive o. Returns 1 when it did. */
int settings_config_inherit(struct server_options *o, const struct server_options *from);

/* Reads and parses the configuration file at path into *cfg, then fills in
 * what the command line left unset in *o (config_apply). Returns 0, or -1
 * with "PATH line N: problem" or "cannot read PATH: ..." in err. */
int settings_load(const char *path, struct config *cfg, struct server_options *o, char *err,
                  size_t errcap);

#endif
