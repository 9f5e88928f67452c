/* svcctl.h - the service commands: uninstall, start, stop, status (and the
 * exit codes that install and configure, svcinstall.h, share).
 *
 * Each runs in the foreground from a console, talks to the Service Control
 * Manager, waits (with a time limit) for the state to settle and says what
 * happened. Exit codes: 0 done; 1 failed; 3 the service is not installed
 * (status: 1 when installed but not running); 5 administrator rights are
 * needed. */
#ifndef MTS_SVCCTL_H
#define MTS_SVCCTL_H

#define SVCCTL_EXIT_FAILED 1
#define SVCCTL_EXIT_NOT_INSTALLED 3
#define SVCCTL_EXIT_ACCESS 5

int svcctl_uninstall(void);
int svcctl_start(void);
int svcctl_stop(void);
int svcctl_status(void);

#endif
