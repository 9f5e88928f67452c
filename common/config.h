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

/* Bits of config.set, one per key. */
enum config_key {
    CONFIG_PORT = 1u << 0,
    CONFIG_BIND = 1u << 1,
    CONFIG_ROOT = 1u << 2,
    CONFIG_PASSWORD_HASH = 1u << 3,
    CONFIG_MAX_CLIENTS = 1u << 4,
    CONFIG_IDLE_TIMEOUT = 1u << 5,
    CONFIG_LOG_FILE = 1u << 6,
    CONFIG_LOG_MAX_BYTES = 1u << 7,
    CONFIG_SEND_TIMEOUT = 1u << 8,
    CONFIG_MAX_PER_ADDRESS = 1u << 9,
    CONFIG_AUTH_FREE_FAILURES = 1u << 10,
    CONFIG_AUTH_WINDOW = 1u << 11,
    CONFIG_AUTH_DELAY_MAX = 1u << 12,
    CONFIG_AUTH_BAN_FAILURES = 1u << 13,
    CONFIG_AUTH_BAN_TIME = 1u << 14,
    CONFIG_STATS_INTERVAL = 1u << 15,
    CONFIG_MAX_PER_PREFIX = 1u << 16,
    CONFIG_AUTH_PREFIX_BAN_FAILURES = 1u << 17,
    CONFIG_ALLOW = 1u << 18,
    CONFIG_DENY = 1u << 19,
    CONFIG_LOG_KEEP = 1u << 20,
    CONFIG_AUTH_CONCURRENCY = 1u << 21,
    CONFIG_REFUSE_HARD_LINKS = 1u << 22,
    CONFIG_STOP_DRAIN = 1u << 23,
    CONFIG_MAX_HASHES = 1u << 24,
    CONFIG_LIST_HIDDEN = 1u << 25,
};

struct config {
    unsigned set; /* config_key bits of the keys the file gave */
    char bind[CONFIG_TEXT_MAX];
    unsigned bind_line; /* the line that gave bind, for messages; 0: none */
    char root[CONFIG_TEXT_MAX];
    char password_hash[CONFIG_TEXT_MAX];
    char log_file[CONFIG_TEXT_MAX];
    char allow[CONFIG_TEXT_MAX]; /* ipacl.h lists, checked when parsed */
    char deny[CONFIG_TEXT_MAX];
    uint64_t log_max_bytes;
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

#endif
