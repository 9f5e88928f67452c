/* main.c - mtserver's entry point: reads the command line and hands over to
 * the mode it asks for. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "console.h"
#include "datadir.h"
#include "options.h"
#include "certmake.h"
#include "passwd.h"
#include "service.h"
#include "svcctl.h"
#include "svcinstall.h"
#include "useradmin.h"
#include "version.h"

int main(void)
{
    struct server_options opts;
    char err[512];
    char **argv;
    int argc;

    if (args_utf8(&argc, &argv) != 0) {
        fprintf(stderr, "mtserver: cannot read the command line\n");
        return 2;
    }
    options_init(&opts);
    if (options_parse(&opts, argc, argv, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 2;
    }
    if (opts.help) {
        fputs(options_usage(), stdout);
        return 0;
    }
    if (opts.version) {
        printf("mtserver %s\n", MTS_VERSION);
        return 0;
    }
    switch (opts.command) {
    case OPTIONS_CMD_NONE: {
        /* Started by the SCM: be the service. Started from a console, the
         * dispatcher refuses at once (error 1063) and console mode runs. */
        int rc = service_dispatch(&opts);
        return rc >= 0 ? rc : console_run(&opts);
    }
    case OPTIONS_CMD_CONSOLE:
        return console_run(&opts);
    case OPTIONS_CMD_INSTALL:
        return svcinstall_run(&opts);
    case OPTIONS_CMD_UNINSTALL:
        return svcctl_uninstall();
    case OPTIONS_CMD_START:
        return svcctl_start();
    case OPTIONS_CMD_STOP:
        return svcctl_stop();
    case OPTIONS_CMD_STATUS:
        return svcctl_status();
    case OPTIONS_CMD_PASSWD:
        svcctl_use_service_config(&opts);
        return passwd_run(&opts);
    case OPTIONS_CMD_CONFIGURE:
        return svcinstall_configure(&opts);
    case OPTIONS_CMD_CERT:
        svcctl_use_service_config(&opts);
        return certmake_run(&opts);
    case OPTIONS_CMD_PREPARE:
        return datadir_prepare(&opts);
    case OPTIONS_CMD_PREPARE_ROLLBACK:
        return datadir_rollback(&opts);
    case OPTIONS_CMD_PREPARE_KEEP:
        return datadir_keep();
    case OPTIONS_CMD_USER:
        svcctl_use_service_config(&opts);
        return useradmin_run(&opts);
    }
    return 2;
}
