/* config.h - the INI configuration file, parsed portably.
 *
 * config_parse() is a pure function over the file's bytes: it fills a struct
 * config of fixed size (no allocation) or fails with "line N: problem".
 * Its keys, their kinds, ranges and defaults are the rows of the settings
 * table (setting.h) that have a key; config_apply() fills in what the
 * command line left unset. */
#ifndef MTS_CONFIG_H
#define MTS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"

#define CONFIG_TEXT_MAX 1024 /* bytes of a text value, with its NUL */
/* The C type of a kind here: texts are copied out of the file. */
#define CONFIG_TYPE_TEXT(field) char field[CONFIG_TEXT_MAX];
#define CONFIG_TYPE_ADDRS(field) char field[CONFIG_TEXT_MAX];
#define CONFIG_TYPE_NUM(field) unsigned field;
#define CONFIG_TYPE_BIG(field) uint64_t field;
#define CONFIG_TYPE_WORD(field) unsigned field;
#define CONFIG_FIELD(field, kind, option, key, arg, min, max, def, flags, help) \
    CONFIG_TYPE_##kind(field)

struct config {
    uint64_t set; /* SETTING_BIT()s of the keys the file gave */
    /* The line that gave each setting (by setting_id), for messages that
     * name it (a bind address found bad only once Winsock runs); 0: none. */
    unsigned line[SETTING_COUNT];
    SETTING_LIST(CONFIG_FIELD)
};

/* Sets the defaults of the settings table. */
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
