/* clientopts.c - mtsclient's command line (see clientopts.h). */
#include "clientopts.h"

#include <stdio.h>
#include <string.h>

#include "cliflags.h"
#include "mts_error.h"
#include "numparse.h"

void clientopts_init(struct client_options *o)
{
    memset(o, 0, sizeof *o);
    o->host = CLIENTOPTS_DEFAULT_HOST;
    o->port = CLIENTOPTS_DEFAULT_PORT;
    o->timeout_s = CLIENTOPTS_DEFAULT_TIMEOUT;
}

const char *clientopts_usage(void)
{
    return "Usage :- mtsclient [file1] [file2] [file3] ....\n"
           "        mtsclient -l [folder ...]\n"
           "        mtsclient -r folder [folder ...]\n"
           "\n"
           "Downloads each file from an mtserver and saves it under its base name.\n"
           "\n"
           "Options:\n"
           "  -s HOST     server name or IPv4/IPv6 address (default 127.0.0.1)\n"
           "  -p PORT     server port (default 20248)\n"
           "  -o DIR      folder to save into (default: the current folder)\n"
           "  -u NAME     log in as this account (MTS_USER too); without it, with the\n"
           "              server's shared password\n"
           "  -c          continue partial downloads (NAME.mtspart) where they stopped\n"
           "  -f          overwrite files that already exist\n"
           "  -q          quiet: only errors; with -l, one name per line\n"
           "  -l          list the folders (default: the server's root) instead\n"
           "  -r          download each folder given with everything in it, under -o\n"
           "              ('.': the whole root, straight into -o)\n"
           "  --verify    check each file's SHA-256 with the server before saving it\n"
           "  -t SECONDS  give up when the server is silent this long (default 30)\n"
           "  --tls       connect with TLS (default port 20249); the server's certificate\n"
           "              must chain to a trusted root and name the -s host\n"
           "  --fingerprint SHA256:HEX\n"
           "              TLS, and accept only the certificate with this SHA-256\n"
           "              fingerprint (as `mtserver cert` prints it), e.g. a self-signed one\n"
           "  --fingerprint SPKI-SHA256:HEX\n"
           "              TLS, and accept only a certificate for the key with this SHA-256\n"
           "              over its SubjectPublicKeyInfo: it stays valid when the server\n"
           "              renews its certificate with the same key (mtserver cert --renew)\n"
           "  --plain     send the password without TLS even to a server that is not on\n"
           "              this machine (MTS_PLAIN=1 too); without it, a password goes in\n"
           "              clear only to a loopback address (127.0.0.1, ::1, localhost)\n"
           "  --help      show this help\n"
           "  --version   show the version\n"
           "\n"
           "The password (the account's with -u) comes from the MTS_PASSWORD environment\n"
           "variable; without it mtsclient asks for it on the console without showing it.\n"
           "Exit code: 0 all files saved, 1 some file failed, 2 usage, connection,\n"
           "certificate or login error. With TLS the password is sent only after the\n"
           "certificate check has passed; without TLS, only to a loopback address\n"
           "unless --plain is given.\n";
}

static int take_number(const char *opt, const char *value, unsigned min, unsigned max,
                       unsigned *out, char *err, size_t errcap)
{
    uint64_t n;

    if (numparse_u64(value, strlen(value), max, &n) != 0 || n < min) {
        snprintf(err, errcap, "option -%s wants a whole number from %u to %u, not '%s'", opt, min,
                 max, value);
        return MTS_ERANGE;
    }
    *out = (unsigned)n;
    return 0;
}

static int take_value(struct client_options *o, char letter, const char *value, char *err,
                      size_t errcap)
{
    char opt[2];

    opt[0] = letter;
    opt[1] = '\0';
    if (value == NULL || value[0] == '\0') {
        snprintf(err, errcap, "option -%c needs a value", letter);
        return MTS_EMISSING;
    }
    switch (letter) {
    case 's': o->host = value; return 0;
    case 'o': o->out_dir = value; return 0;
    case 'u': o->user = value; return 0;
    case 'p':
        o->port_given = 1;
        return take_number(opt, value, 1, 65535, &o->port, err, errcap);
    default: return take_number(opt, value, 1, 86400, &o->timeout_s, err, errcap);
    }
}

/* The length of prefix when value starts with it in any case, else 0:
 * OpenSSL writes "sha256 Fingerprint=", others "sha256:". No strncasecmp:
 * MSVC lacks it. prefix is upper-case. */
static size_t has_prefix(const char *value, const char *prefix)
{
    size_t i;

    for (i = 0; prefix[i] != '\0'; i++) {
        char ch = value[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch != prefix[i])
            return 0;
    }
    return i;
}

/* "SHA256:" (the certificate) or "SPKI-SHA256:" (its key), in any case,
 * and 64 hex digits, colons between them allowed. */
static int take_fingerprint(struct client_options *o, const char *value, char *err,
                            size_t errcap)
{
    size_t n = 0, skip = 0;

    if (value != NULL) {
        skip = has_prefix(value, "SHA256:");
        o->pin_key = skip == 0 && (skip = has_prefix(value, "SPKI-SHA256:")) != 0;
    }
    if (skip == 0)
        goto bad;
    for (const char *p = value + skip; *p != '\0'; p++) {
        char ch = *p;
        if (ch == ':')
            continue;
        if (ch >= 'a' && ch <= 'f')
            ch = (char)(ch - 'a' + 'A');
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F')) ||
            n == CLIENTOPTS_FINGERPRINT_HEX)
            goto bad;
        o->fingerprint[n++] = ch;
    }
    if (n != CLIENTOPTS_FINGERPRINT_HEX)
        goto bad;
    o->fingerprint[n] = '\0';
    o->tls = 1;
    return 0;
bad:
    o->fingerprint[0] = '\0';
    o->pin_key = 0;
    snprintf(err, errcap, "option --fingerprint wants SHA256: (the certificate's) or "
                          "SPKI-SHA256: (its key's) and 64 hex digits");
    return MTS_EINVAL;
}

/* One "-xyz" argument; *i moves on when a value is taken from the next one. */
static int parse_short(struct client_options *o, int argc, char **argv, int *i, char *err,
                       size_t errcap)
{
    const char *arg = argv[*i];

    for (size_t k = 1; arg[k] != '\0'; k++) {
        char letter = arg[k];
        switch (letter) {
        case 'c': o->resume = 1; break;
        case 'f': o->force = 1; break;
        case 'q': o->quiet = 1; break;
        case 'l': o->list = 1; break;
        case 'r': o->tree = 1; break;
        case 's':
        case 'p':
        case 'o':
        case 't':
        case 'u':
            if (arg[k + 1] != '\0')
                return take_value(o, letter, arg + k + 1, err, errcap);
            return take_value(o, letter, *i + 1 < argc ? argv[++*i] : NULL, err, errcap);
        default:
            snprintf(err, errcap, "unknown option '-%c' (try --help)", letter);
            return MTS_EUNKNOWN;
        }
    }
    return 0;
}

int clientopts_parse(struct client_options *o, int argc, char **argv, char **files, char *err,
                     size_t errcap)
{
    int options_ended = 0;

    err[0] = '\0';
    o->files = files;
    o->nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc;

        /* "/?" asks for the help, as it does of Windows programs; after
         * "--" it is a file name like any other. */
        if (!options_ended && strcmp(arg, "/?") == 0) {
            o->help = 1;
            continue;
        }
        if (options_ended || arg[0] != '-' || arg[1] == '\0') {
            if (arg[0] == '\0') {
                snprintf(err, errcap, "an empty file name");
                return MTS_EMISSING;
            }
            files[o->nfiles++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_ended = 1;
            continue;
        }
        if (cliflags_take(arg, &o->help, &o->version))
            continue;
        if (strcmp(arg, "--tls") == 0) {
            o->tls = 1;
            continue;
        }
        if (strncmp(arg, "--fingerprint", 13) == 0 && (arg[13] == '\0' || arg[13] == '=')) {
            const char *value = arg[13] == '=' ? arg + 14 : (i + 1 < argc ? argv[++i] : NULL);
            rc = take_fingerprint(o, value, err, errcap);
            if (rc != 0)
                return rc;
            continue;
        }
        if (strcmp(arg, "--plain") == 0) {
            o->plain = 1;
            continue;
        }
        if (strcmp(arg, "--verify") == 0) {
            o->verify = 1;
            continue;
        }
        if (arg[1] == '-')
            return cliflags_unknown(arg, err, errcap);
        rc = parse_short(o, argc, argv, &i, err, errcap);
        if (rc != 0)
            return rc;
    }
    if (o->tls && !o->port_given)
        o->port = CLIENTOPTS_DEFAULT_TLS_PORT;
    if (o->plain && o->tls) {
        snprintf(err, errcap, "--plain sends the password in clear and %s protects it: give one "
                              "of them", o->fingerprint[0] != '\0' ? "--fingerprint" : "--tls");
        return MTS_EINVAL;
    }
    if (o->list && o->tree) {
        snprintf(err, errcap, "-l lists and -r downloads: give one of them");
        return MTS_EINVAL;
    }
    return 0;
}
