/* svcctl.h - the service commands: uninstall, start, stop, status.
 *
 * Each runs in the foreground from a console, talks to the Service Control
 * Manager, waits (with a time limit) for the state to settle and says what
 * happened. Exit codes (scm.h, shared with svcinstall.h): 0 done; 1 failed;
 * 3 the service is not installed (status: 1 when installed but not
 * running); 5 administrator rights are needed. */
#ifndef MTS_SVCCTL_H
#define MTS_SVCCTL_H

int svcctl_uninstall(void);
int svcctl_start(void);
int svcctl_stop(void);
int svcctl_status(void);

struct server_options;

/* For the commands that edit the configuration (passwd, cert): when o has
 * no --config, takes the installed service's --config (from its command
 * line in the SCM, ImagePath) so that they edit the file the service reads.
 * Quiet when no service is installed or it names no --config: the default
 * file is then the service's too. Returns 1 when it took the service's. */
int svcctl_use_service_config(struct server_options *o);

#endif
