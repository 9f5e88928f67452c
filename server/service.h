/* service.h - service mode: mtserver run by the Service Control Manager.
 *
 * The same server core as console mode (server_start / server_request_stop
 * / server_finish); what differs is who says stop (the SCM, through the
 * control handler), where the password comes from (password_hash only) and
 * where events go (the Event Log). */
#ifndef MTS_SERVICE_H
#define MTS_SERVICE_H

#include <stddef.h>

#include "config.h"
#include "credential.h"
#include "options.h"

#define MTS_SERVICE_NAME L"mtserver"
#define MTS_SERVICE_DISPLAY_NAME L"MT File Server"
#define MTS_SERVICE_DESCRIPTION                                                                        \
    L"Serves the files of one folder to mtsclient over TCP (mtserver protocol)."

/* Service-specific exit codes, reported with ERROR_SERVICE_SPECIFIC_ERROR
 * when the service stops because it could not run (see docs/ADMIN.md). */
enum service_exit {
    SERVICE_EXIT_CONFIG = 1,   /* configuration file missing, unreadable or invalid */
    SERVICE_EXIT_PASSWORD = 2, /* password_hash missing or invalid */
    SERVICE_EXIT_ROOT = 3,     /* root not set or not a folder */
    SERVICE_EXIT_LOG = 4,      /* the access log cannot be opened */
    SERVICE_EXIT_START = 5,    /* the server could not start (bind failed, ...) */
    SERVICE_EXIT_SYSTEM = 6,   /* Winsock or another system call failed */
};

/* What the service does before it starts the server, shared with `mtserver
 * start` so that it can say why a start failed: reads the configuration
 * file (o->config, else the default; its name goes to path), requires a
 * valid password_hash (into *credential) and an existing root folder.
 * Returns 0, or a service_exit code with the reason in err. */
int service_prepare(struct server_options *o, struct config *cfg, struct credential *credential,
                    char *path, size_t pathcap, char *err, size_t errcap);

/* Hands the process to the SCM (StartServiceCtrlDispatcherW). Returns -1 at
 * once when the process was not started by the SCM (a console started it),
 * else the process exit code once the service has stopped. */
int service_dispatch(const struct server_options *opts);

#endif
