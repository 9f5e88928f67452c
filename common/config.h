/* config.h - the INI configuration file, parsed portably.
 *
 * config_parse() is a pure function over the file's bytes: it fills a struct
 * config of fixed size (no allocation) or fails with "line N: problem".
 * Every key is one row of the table in config.c: its name, kind, range, the
 * field it fills here and, when the command line has the same setting, the
 * server_options field and bit, so that config_apply() can fill in what the
 * command line left unset. The numbers' rows come from OPTIONS_NUMBERS
 * (options.h); a text key is one row plus its field below. */
#ifndef MTS_CONFIG_H
#define MTS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"

#define CONFIG_TEXT_MAX 1024 /* bytes of a text value, with its NUL */
#define CONFIG_DEFAULT_LOG_MAX_BYTES 10485760u

/* Bits of config.set, one per key (64: the keys outgrew 32). */
#define CONFIG_PORT (UINT64_C(1) << 0)
#define CONFIG_BIND (UINT64_C(1) << 1)
#define CONFIG_ROOT (UINT64_C(1) << 2)
#define CONFIG_PASSWORD_HASH (UINT64_C(1) << 3)
#define CONFIG_MAX_CLIENTS (UINT64_C(1) << 4)
#define CONFIG_IDLE_TIMEOUT (UINT64_C(1) << 5)
#define CONFIG_LOG_FILE (UINT64_C(1) << 6)
#define CONFIG_LOG_MAX_BYTES (UINT64_C(1) << 7)
#define CONFIG_SEND_TIMEOUT (UINT64_C(1) << 8)
#define CONFIG_MAX_PER_ADDRESS (UINT64_C(1) << 9)
#define CONFIG_AUTH_FREE_FAILURES (UINT64_C(1) << 10)
#define CONFIG_AUTH_WINDOW (UINT64_C(1) << 11)
#define CONFIG_AUTH_DELAY_MAX (UINT64_C(1) << 12)
#define CONFIG_AUTH_BAN_FAILURES (UINT64_C(1) << 13)
#define CONFIG_AUTH_BAN_TIME (UINT64_C(1) << 14)
#define CONFIG_STATS_INTERVAL (UINT64_C(1) << 15)
#define CONFIG_MAX_PER_PREFIX (UINT64_C(1) << 16)
#define CONFIG_AUTH_PREFIX_BAN_FAILURES (UINT64_C(1) << 17)
#define CONFIG_ALLOW (UINT64_C(1) << 18)
#define CONFIG_DENY (UINT64_C(1) << 19)
#define CONFIG_LOG_KEEP (UINT64_C(1) << 20)
#define CONFIG_AUTH_CONCURRENCY (UINT64_C(1) << 21)
#define CONFIG_REFUSE_HARD_LINKS (UINT64_C(1) << 22)
#define CONFIG_STOP_DRAIN (UINT64_C(1) << 23)
#define CONFIG_TLS_CERTIFICATE (UINT64_C(1) << 24)
#define CONFIG_TLS_PFX_PASSWORD (UINT64_C(1) << 25)
#define CONFIG_TLS_PORT (UINT64_C(1) << 26)
#define CONFIG_TLS_HANDSHAKE_TIMEOUT (UINT64_C(1) << 27)
#define CONFIG_TLS_MIN_VERSION (UINT64_C(1) << 28)
#define CONFIG_PLAIN_LOGINS (UINT64_C(1) << 29)
#define CONFIG_PLAIN_PORT (UINT64_C(1) << 30)
#define CONFIG_MAX_HASHES (UINT64_C(1) << 31)
#define CONFIG_LIST_HIDDEN (UINT64_C(1) << 32)
#define CONFIG_CONNECT_RATE (UINT64_C(1) << 33)
#define CONFIG_CONNECT_BURST (UINT64_C(1) << 34)
#define CONFIG_TLS_HANDSHAKES (UINT64_C(1) << 35)
#define CONFIG_MAX_LISTS (UINT64_C(1) << 36)
#define CONFIG_TLS_POLICY (UINT64_C(1) << 37)

struct config {
    uint64_t set; /* CONFIG_* bits of the keys the file gave */
    char bind[CONFIG_TEXT_MAX];
    unsigned bind_line; /* the line that gave bind, for messages; 0: none */
    char root[CONFIG_TEXT_MAX];
    char password_hash[CONFIG_TEXT_MAX];
    char log_file[CONFIG_TEXT_MAX];
    char allow[CONFIG_TEXT_MAX]; /* ipacl.h lists, checked when parsed */
    char deny[CONFIG_TEXT_MAX];
    char tls_certificate[CONFIG_TEXT_MAX];
    char tls_pfx_password[CONFIG_TEXT_MAX];
    uint64_t log_max_bytes;
    unsigned tls_policy; /* enum tlspolicy_level, from its word */
    OPTIONS_NUMBERS(OPTIONS_NUMBER_FIELD) /* as in struct server_options */
};

/* Sets the defaults (the numbers' from OPTIONS_NUMBERS, log_max_bytes 10 MiB). */
void config_init(struct config *c);

/* Parses a whole file, buf[0..len). Returns 0, or a negative mts_error with
 * "line N: problem" in err. On error *c may be partly filled: do not use it. */
int config_parse(struct config *c, const char *buf, size_t len, char *err, size_t errcap);

/* Copies every setting the file gave into *o unless the command line set it
 * (o->set). Text fields of *o then point into *c, which must outlive *o. */
void config_apply(const struct config *c, struct server_options *o);

/* Writes into out a copy of the file buf[0..len) in which key has the given
 * value: the line setting the key is replaced, or "key = value" is appended.
 * Every other byte is kept; a new line gets the file's line ending (CRLF or
 * LF). The file must parse and the key must be known. Returns 0 with the new
 * length in *outlen, MTS_ENOSPC with the length needed in *outlen when outcap
 * is too small, or another negative mts_error with a message in err. */
int config_set_value(const char *buf, size_t len, const char *key, const char *value, char *out,
                     size_t outcap, size_t *outlen, char *err, size_t errcap);

/* As config_set_value(), except that a key the file does not set takes the
 * place of its first commented example line ("; key = default"), when the
 * file has one, rather than going to the end: so the first configuration
 * (installer/mtserver.ini, firstini.c) keeps its order and comments. */
int config_set_value_at_example(const char *buf, size_t len, const char *key, const char *value,
                                char *out, size_t outcap, size_t *outlen, char *err,
                                size_t errcap);

#endif
