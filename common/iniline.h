/* iniline.h - the line-level pieces both INI files share: mtserver.ini
 * (config.c) and accounts.ini (accounts.c).
 *
 * Lines end in LF or CRLF; a UTF-8 byte-order mark may open the file. All
 * functions are pure and allocate nothing. */
#ifndef MTS_INILINE_H
#define MTS_INILINE_H

#include <stddef.h>

/* One line of the file, without its line ending. */
struct iniline {
    const char *text;
    size_t len;
    size_t next; /* offset of the following line */
};

/* The length of the byte-order mark at the start of buf (3 or 0). */
size_t iniline_skip_bom(const char *buf, size_t len);

/* Takes the line that starts at offset *at into *l and moves *at past it.
 * Returns 0 when *at is at the end already (no line taken), else 1; so
 * `while (iniline_take(buf, len, &at, &l))` walks every line. */
int iniline_take(const char *buf, size_t len, size_t *at, struct iniline *l);

int iniline_is_space(char ch);

/* Moves *s and shrinks *len past the spaces and tabs at both ends. */
void iniline_trim(const char **s, size_t *len);

/* 1 when a[0..alen) is the C string b, ignoring ASCII case. */
int iniline_same_word(const char *a, size_t alen, const char *b);

/* What line l says, trimmed, in s[0..*len); *len 0 for a blank line or a
 * comment (';' or '#'). Returns 0, or iniline_check_text's refusal. */
int iniline_content(const struct iniline *l, unsigned lineno, const char **s, size_t *len,
                    char *err, size_t errcap);

/* The trimmed name inside the section header s[0..len) (trimmed, opening
 * with '['). Returns 0, or MTS_ESYNTAX with "line N: ..." in err when the
 * closing ']' is missing. */
int iniline_section(const char *s, size_t len, unsigned lineno, const char **name, size_t *name_len,
                    char *err, size_t errcap);

/* A "key = value" line, split. */
struct inikv {
    const char *key;
    size_t key_len;
    const char *value;
    size_t value_len;
};

/* Splits the trimmed line s[0..len) (not blank, a comment or a section) at
 * its first '=' into a trimmed key and value. Returns 0, or MTS_ESYNTAX
 * with "line N: ..." in err when there is no '=' or no key before it. */
int iniline_split(const char *s, size_t len, unsigned lineno, struct inikv *kv, char *err,
                  size_t errcap);

/* iniline_split, then the id by_name gives the key (>= 0), or a negative
 * mts_error (MTS_EUNKNOWN: "line N: unknown key") with the message in err. */
int iniline_key(const char *s, size_t len, unsigned lineno, int (*by_name)(const char *, size_t),
                struct inikv *kv, char *err, size_t errcap);

/* Takes the double quotes around kv's value off, if it has them, and
 * refuses an empty value; name is the key as messages spell it. Returns 0,
 * MTS_ESYNTAX (no closing quote) or MTS_EMISSING, with "line N: ..." in err. */
int iniline_unquote(struct inikv *kv, const char *name, unsigned lineno, char *err, size_t errcap);

/* Copies user text into out, short (the first 40 bytes and "...") and with
 * control characters as '?', for a message. */
void iniline_show(char *out, size_t cap, const char *s, size_t len);

/* Checks what every line must be: no NUL byte, valid UTF-8. Returns 0, or
 * MTS_EBADCHAR with "line N: ..." in err. */
int iniline_check_text(const struct iniline *l, unsigned lineno, char *err, size_t errcap);

/* 1 when value[0..len) can be written as a value as it is: not empty, on
 * one line, valid UTF-8, no outer spaces, no opening quote. */
int iniline_can_write(const char *value, size_t len);

/* The line ending new lines in this file take: "\r\n" when its first line
 * ends so, else "\n". */
const char *iniline_ending(const char *buf, size_t len);

/* Appends src[0..n) to out if it fits; counts the length either way. */
void iniline_put(char *out, size_t cap, size_t *used, const char *src, size_t n);

/* Appends buf[0..len) with the value of its line l replaced by value: the
 * line keeps its indentation and spacing up to the value (a space is put
 * after a bare '='), and a quoted old value loses both quotes, as the new
 * one (iniline_can_write) needs none. */
void iniline_put_value(char *out, size_t cap, size_t *used, const char *buf, size_t len,
                       const struct iniline *l, const char *value);

/* Appends buf[0..len) whole, then the line ending a last line without one
 * needs (a lone CR at the end is the start of a CRLF). */
void iniline_put_ended(char *out, size_t cap, size_t *used, const char *buf, size_t len);

#endif
