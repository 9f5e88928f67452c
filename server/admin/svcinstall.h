/* svcinstall.h - registering the service: `mtserver install` and
 * `mtserver configure`. Exit codes as in scm.h. */
#ifndef MTS_SVCINSTALL_H
#define MTS_SVCINSTALL_H

#include "options.h"

/* Registers the service (NT SERVICE\\mtserver, else LocalService), its
 * event source and its refinements, makes the configuration folder and,
 * when there is none, the first configuration file. */
int svcinstall_run(const struct server_options *opts);

/* For a service registered by other means (the MSI's ServiceInstall): sets
 * what install sets besides (recovery actions, SID type, pre-shutdown time)
 * and closes the configuration and logs folders to other users, unless an
 * administrator has set their permissions already. */
int svcinstall_configure(const struct server_options *opts);

#endif
