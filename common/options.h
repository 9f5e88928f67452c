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

/* OPTIONS_COMMAND_LIST is the one table of mtserver's commands (as
 * SETTING_LIST is of its settings): a row gives the command's id (its
 * OPTIONS_CMD_ name), its word on the command line, the head of its --help
 * entry and the entry's text. The enum, the parser's words and the
 * Commands part of --help are made from it, in its order. A new command is
 * a row here, its case in server/main.c's switch and its own files. */
/* clang-format off */
#define OPTIONS_COMMAND_LIST(X) \
    X(CONSOLE, "console", "console", \
      "run in this console until ESC or Ctrl+C (the default from a console)") \
    X(INSTALL, "install", "install", "register the Windows service (administrators only)") \
    X(UNINSTALL, "uninstall", "uninstall", "stop and remove the Windows service") \
    X(START, "start", "start", "start the installed service and wait until it runs") \
    X(STOP, "stop", "stop", "stop the installed service and wait until it has stopped") \
    X(STATUS, "status", "status", \
      "the installed service's state, its configuration and, with accounts, its sessions " \
      "per account") \
    X(PASSWD, "passwd", "passwd", "set the password stored in the configuration file") \
    X(CONFIGURE, "configure", "configure", \
      "give an installed service (e.g. by the MSI) what install sets besides: recovery, SID " \
      "type, folder permissions") \
    X(CERT, "cert", "cert", \
      "make a self-signed TLS certificate for this host and set tls_certificate in the " \
      "configuration file (a renewal: then sc control mtserver paramchange); --renew: a new " \
      "certificate for the key of the one configured, so key pins stay valid") \
    X(PREPARE, "prepare", "prepare", \
      "make the configuration folder and first configuration as install does, without the " \
      "service (the MSI's first step)") \
    X(PREPARE_ROLLBACK, "prepare-rollback", "prepare-rollback", \
      "remove what prepare made, if it is still as made (the MSI's rollback)") \
    X(PREPARE_KEEP, "prepare-keep", "prepare-keep", \
      "keep what prepare made (the MSI's last step)") \
    X(USER, "user", "user ACTION [NAME]", \
      "the accounts in accounts.ini (beside the configuration file): user add NAME --root " \
      "DIR (its password read as passwd reads it); user passwd NAME: a new one; user remove " \
      "| disable | enable NAME; user list: the accounts, nothing secret")
/* clang-format on */

#define OPTIONS_COMMAND_ENUM(id, word, head, help) OPTIONS_CMD_##id,
enum options_command {
    OPTIONS_CMD_NONE, /* plain "mtserver": service if the SCM started it, else console */
    OPTIONS_COMMAND_LIST(OPTIONS_COMMAND_ENUM)
};

/* The arguments of one command each (after the settings in --help): the
 * head of the entry and its text. options.c's parser takes them. */
/* clang-format off */
#define OPTIONS_ARGUMENT_LIST(X) \
    X("--self-signed", \
      "install: also make a self-signed TLS certificate (as cert does) and set " \
      "tls_certificate; prints its fingerprint") \
    X("--renew", \
      "cert: a new certificate for the key of the one configured (no --name, --key)") \
    X("--days N", \
      "cert, install --self-signed: the certificate lasts N days (1 to 3650; default 397)") \
    X("--name NAME", \
      "cert, install --self-signed: a DNS name or IP address for the certificate (repeat for " \
      "more; the first is its CN); replaces the default names, the host's") \
    X("--key KIND", \
      "cert, install --self-signed: rsa2048 (default), rsa3072 or ecdsa-p256 (where this " \
      "Windows can make one: docs/ADMIN.md)") \
    X("--pfx-password", \
      "install --tls-certificate FILE.pfx: read the PFX file's password from the console, or " \
      "one line from stdin, and set tls_pfx_password") \
    X("--hash HASH", \
      "passwd, user add, user passwd: store this password_hash instead of asking for a " \
      "password (unattended installs)") \
    X("--help", "show this help") \
    X("--version", "show the version")
/* clang-format on */

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
    /* user add --root DIR: the new account's folder, its own argument and
     * not the root setting (the folder the server serves) */
    const char *user_root;
};

void options_init(struct server_options *o);

/* Parses argv[1..argc). Returns 0, or a negative code with a one-line
 * message for the user in err. */
int options_parse(struct server_options *o, int argc, char **argv, char *err, size_t errcap);

/* Setting id's field in *o (its type is setting.h's SETTING_TYPE_ of its
 * kind). */
void *options_field(struct server_options *o, int id);

/* Setting id's value in *o as the configuration file writes it (a number
 * in decimal, into buf), or NULL when it has none. */
const char *options_value_text(const struct server_options *o, int id, char *buf, size_t cap);

/* The settings whose values differ between the running server's (now) and
 * the file's as read again (next) that a running server does not take
 * (no SETTING_RELOAD): their keys, ", "-separated, into names (cut short
 * at a whole name). Returns how many differ. PARAMCHANGE says so, rather
 * than let an edit seem taken when it waits for a restart. */
unsigned options_restart_needed(const struct server_options *now,
                                const struct server_options *next, char *names, size_t cap);

/* The settings a reload (PARAMCHANGE) took, whose values differ between
 * the running server's snapshot before it (before) and after it (after):
 * their keys as options_restart_needed gives them. Returns how many. */
unsigned options_reload_taken(const struct server_options *before,
                              const struct server_options *after, char *names, size_t cap);

/* Setting id's value in *to becomes the one in *from, with its "set" bit. */
void options_copy_setting(struct server_options *to, const struct server_options *from, int id);

/* What a running server serves with after a reload: into out, the
 * settings with SETTING_RELOAD (and an INI key) from next, the file as
 * read again, and every other one from now, the running server's, with
 * their "set" bits alike. Texts point where now's and next's do. */
void options_merge_reload(struct server_options *out, const struct server_options *now,
                          const struct server_options *next);

/* Copies the texts of o's settings into buf and points o's fields at the
 * copies, so that o outlives what they pointed into (argv, a struct
 * config); secrets (SETTING_SECRET) are set to NULL, not copied. Returns
 * the bytes it needs: when more than cap, o is left as it was. The other
 * texts of o (a command's: --hash, --name, user NAME) are not touched. */
size_t options_own_texts(struct server_options *o, char *buf, size_t cap);

/* The ports the server opens with these settings: [0] plain, [1] TLS, each
 * a port number (0: the OS chooses) or OPTIONS_PORT_CLOSED. The plain port
 * is closed only with a certificate and plain_port = 0; the TLS one is open
 * only with a certificate. The server and the service's checks (host_check)
 * both ask here. */
#define OPTIONS_PORT_CLOSED 0x10000u
void options_ports(const struct server_options *o, unsigned ports[2]);

/* What tls_certificate names, for the commands: the one place they tell a
 * thumbprint from the rest (install checks a PFX file, status describes
 * any, cert --renew needs a thumbprint). */
enum options_certificate {
    OPTIONS_CERT_NONE,       /* none: no TLS port */
    OPTIONS_CERT_THUMBPRINT, /* 40 hex digits (spaces, colons and LRM/RLM marks allowed) */
    /* anything else: a PFX file's name to install and cert --renew (the
     * server also reads subject:NAME here, certstore.c) */
    OPTIONS_CERT_OTHER,
};

/* The certificate o names into *name (NULL with none) and what it is; a
 * thumbprint's 20 bytes into hash, when hash is not NULL. */
enum options_certificate options_certificate(const struct server_options *o, const char **name,
                                             unsigned char hash[20]);

/* install: the certificate it made (--self-signed) or a PFX file's full
 * path in the place of what o names, as if the command line had given it,
 * so that the configuration written names it. name must outlive o. */
void options_set_certificate(struct server_options *o, const char *name);

/* The --help text. */
const char *options_usage(void);

#endif
