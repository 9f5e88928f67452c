/* options.h - mtserver's command line, parsed portably.
 *
 * "mtserver [command] [options]". Numbers are range-checked here so that the
 * platform layer only ever sees valid settings. Strings point into argv. */
#ifndef MTS_OPTIONS_H
#define MTS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "setting.h"

#define OPTIONS_DAYS_MAX 3650u /* cert --days: ten years at most */
#define OPTIONS_NAMES_MAX 16u  /* cert --name: as certname.h's CERTNAME_MAX_NAMES */

/* cert --key: the key a new certificate gets (see docs/ADMIN.md for why
 * RSA 2048 is the default). */
enum options_key {
    OPTIONS_KEY_DEFAULT, /* not given: RSA 2048 */
    OPTIONS_KEY_RSA2048,
    OPTIONS_KEY_RSA3072,
    OPTIONS_KEY_ECDSA_P256,
};

enum options_command {
    OPTIONS_CMD_NONE, /* plain "mtserver": service if the SCM started it, else console */
    OPTIONS_CMD_CONSOLE,
    OPTIONS_CMD_INSTALL,
    OPTIONS_CMD_UNINSTALL,
    OPTIONS_CMD_START,
    OPTIONS_CMD_STOP,
    OPTIONS_CMD_STATUS,
    OPTIONS_CMD_PASSWD,
    OPTIONS_CMD_CONFIGURE, /* the MSI's step after ServiceInstall (svcctl.h) */
    OPTIONS_CMD_CERT,      /* a self-signed TLS certificate (certmake.h) */
    OPTIONS_CMD_PREPARE,   /* the MSI's first step: folders and first INI (datadir.h) */
    OPTIONS_CMD_PREPARE_ROLLBACK, /* the MSI's rollback of prepare (datadir.h) */
    OPTIONS_CMD_PREPARE_KEEP,     /* the MSI's last step: forget prepare's mark */
    OPTIONS_CMD_USER,             /* the account store: user ACTION [NAME] (useradmin.h) */
};

/* user ACTION: what `mtserver user` does to the account store. */
enum options_user_action {
    OPTIONS_USER_NONE,
    OPTIONS_USER_ADD,
    OPTIONS_USER_REMOVE,
    OPTIONS_USER_LIST,
    OPTIONS_USER_PASSWD,
    OPTIONS_USER_DISABLE,
    OPTIONS_USER_ENABLE,
};

struct server_options {
    enum options_command command;
    uint64_t set; /* SETTING_BIT()s of the settings the command line gave */
    /* Every setting of the table (setting.h); text points into argv, or
     * into a struct config once config_apply has filled it in. */
    SETTING_LIST(SETTING_FIELD)
    const char *hash; /* passwd --hash: a password_hash to store as given */
    int help;
    int version;
    int self_signed; /* install --self-signed: make a certificate (server/certmake.h) */
    int renew;       /* cert --renew: a new certificate for the serving one's key */
    unsigned days;   /* cert, install --self-signed: --days N; 0: the default (397) */
    /* cert, install --self-signed: --name NAME, each checked by certname.h,
     * in the order given (the first is the CN); none: the host's names. */
    const char *names[OPTIONS_NAMES_MAX];
    unsigned name_count;
    enum options_key key; /* cert, install --self-signed: --key */
    int pfx_password; /* install --tls-certificate FILE.pfx --pfx-password: read it */
    enum options_user_action user_action; /* user ACTION */
    const char *user_name; /* user ACTION NAME, a valid name (accounts.h) */
};

void options_init(struct server_options *o);

/* Parses argv[1..argc). Returns 0, or a negative code with a one-line
 * message for the user in err. */
int options_parse(struct server_options *o, int argc, char **argv, char *err, size_t errcap);

/* Setting id's value in *o as the configuration file writes it (a number
 * in decimal, into buf), or NULL when it has none. */
const char *options_value_text(const struct server_options *o, int id, char *buf, size_t cap);

/* The ports the server opens with these settings: [0] plain, [1] TLS, each
 * a port number (0: the OS chooses) or OPTIONS_PORT_CLOSED. The plain port
 * is closed only with a certificate and plain_port = 0; the TLS one is open
 * only with a certificate. The server and the service's checks (host_check)
 * both ask here. */
#define OPTIONS_PORT_CLOSED 0x10000u
void options_ports(const struct server_options *o, unsigned ports[2]);

/* The --help text. */
const char *options_usage(void);

#endif
