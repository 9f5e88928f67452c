/* useradmin.h - `mtserver user`: the account store's administration. */
#ifndef MTS_USERADMIN_H
#define MTS_USERADMIN_H

#include "options.h"

/* Runs opts->user_action on accounts.ini beside the configuration file
 * (--config FILE, else the default): add (NAME --root DIR, a password read
 * as passwd reads it, or --hash), remove, list, passwd (a new password or
 * --hash), disable, enable. Returns the process exit code (ADMIN.md):
 * 0 done, 1 failed (the store does not parse, an owner not trusted),
 * 2 bad input (a root that is not a folder, a password AUTH could never
 * match, a bad --hash), 3 no such account, 4 the name is taken, 5 the store
 * cannot be read or written. */
int useradmin_run(const struct server_options *opts);

#endif
