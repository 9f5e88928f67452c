/* service.h - service mode: mtserver run by the Service Control Manager.
 *
 * The same bring-up as console mode (host.h, in HOST_SERVICE mode); what
 * differs is who says stop (the SCM, through the control handler) and where
 * events go (the Event Log). When the service cannot run it stops with a
 * host_failure number as its service-specific exit code. */
#ifndef MTS_SERVICE_H
#define MTS_SERVICE_H

#include "options.h"

#define MTS_SERVICE_NAME L"mtserver"
#define MTS_SERVICE_DISPLAY_NAME L"MT File Server"
#define MTS_SERVICE_DESCRIPTION                                                                        \
    L"Serves the files of one folder to mtsclient over TCP (mtserver protocol)."

/* Hands the process to the SCM (StartServiceCtrlDispatcherW). Returns -1 at
 * once when the process was not started by the SCM (a console started it),
 * else the process exit code once the service has stopped. */
int service_dispatch(const struct server_options *opts);

#endif
