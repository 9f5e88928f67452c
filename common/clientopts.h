/* clientopts.h - mtsclient's command line, parsed portably.
 *
 * "mtsclient [options] file1 [file2 ...]", "mtsclient -l [folder]",
 * "mtsclient -r folder ...". Short options as getopt reads
 * them: flags may be grouped ("-cf"), a value may follow its letter directly
 * ("-p2000") or as the next argument; "--" ends the options. Numbers are
 * range-checked here. Strings point into argv. */
#ifndef MTS_CLIENTOPTS_H
#define MTS_CLIENTOPTS_H

#include <stddef.h>

#define CLIENTOPTS_DEFAULT_HOST "127.0.0.1"
#define CLIENTOPTS_DEFAULT_PORT 20248
#define CLIENTOPTS_DEFAULT_TLS_PORT 20249
#define CLIENTOPTS_FINGERPRINT_HEX 64 /* SHA-256 */
#define CLIENTOPTS_DEFAULT_TIMEOUT 30

struct client_options {
    const char *host;
    unsigned port;
    const char *out_dir;  /* NULL: the current folder */
    unsigned timeout_s;   /* longest wait for the server to say or send anything */
    int resume;           /* -c */
    int force;            /* -f */
    int quiet;            /* -q; with -l: one name per line */
    int tls;              /* --tls, or implied by --fingerprint */
    int plain;            /* --plain: the password may go in clear to any address
                           * (common/plainpol.h; MTS_PLAIN=1 says the same) */
    int port_given;       /* -p: else the port is the plain or the TLS default */
    const char *user;     /* -u: the account to log in as (USER); NULL: the shared
                           * password (the caller may take MTS_USER instead) */
    /* --fingerprint SHA256:<hex>: the server certificate's SHA-256, as 64
     * upper-case hex digits (colons dropped); "" when not pinned. With
     * SPKI-SHA256:<hex> (pin_key 1) the SHA-256 of its SubjectPublicKeyInfo
     * instead (common/win/certpin.h), which a renewal with the same key keeps. */
    char fingerprint[CLIENTOPTS_FINGERPRINT_HEX + 1];
    int pin_key;
    int list;             /* -l: list the folder arguments (none: the root) */
    int tree;             /* -r: the arguments are folders to download with their subfolders */
    int verify;           /* --verify: check each file's SHA-256 against HASH before saving */
    int help;
    int version;
    int nfiles;
    char **files;         /* the file arguments, in order (argv entries) */
};

void clientopts_init(struct client_options *o);

/* Parses argv[1..argc); files[] must have room for argc pointers. Returns 0,
 * or a negative code with a one-line message in err (also for -l with -r).
 * Having no files is not an error here: the caller prints the usage (except
 * after -l, where no folder means the root). */
int clientopts_parse(struct client_options *o, int argc, char **argv, char **files, char *err,
                     size_t errcap);

/* The usage text: the article's line, then the options. */
const char *clientopts_usage(void);

#endif
