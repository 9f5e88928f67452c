/* svcctl.h - the service commands: install, configure, uninstall, start,
 * stop, status.
 *
 * Each runs in the foreground from a console, talks to the Service Control
 * Manager, waits (with a time limit) for the state to settle and says what
 * happened. Exit codes: 0 done; 1 failed; 3 the service is not installed
 * (status: 1 when installed but not running); 5 administrator rights are
 * needed. */
#ifndef MTS_SVCCTL_H
#define MTS_SVCCTL_H

#include "options.h"

#define SVCCTL_EXIT_FAILED 1
#define SVCCTL_EXIT_NOT_INSTALLED 3
#define SVCCTL_EXIT_ACCESS 5

int svcctl_install(const struct server_options *opts);
/* For a service registered by other means (the MSI's ServiceInstall): sets
 * what install sets besides (recovery actions, SID type, pre-shutdown time)
 * and closes the configuration and logs folders to other users, unless an
 * administrator has set their permissions already. */
int svcctl_configure(const struct server_options *opts);
int svcctl_uninstall(void);
int svcctl_start(void);
int svcctl_stop(void);
int svcctl_status(void);

#endif
