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

/* The line that starts at offset at < len. */
void iniline_next(const char *buf, size_t len, size_t at, struct iniline *l);

int iniline_is_space(char ch);

/* Moves *s and shrinks *len past the spaces and tabs at both ends. */
void iniline_trim(const char **s, size_t *len);

/* 1 when a[0..alen) is the C string b, ignoring ASCII case. */
int iniline_same_word(const char *a, size_t alen, const char *b);

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

/* Appends buf[0..len) whole, then the line ending a last line without one
 * needs (a lone CR at the end is the start of a CRLF). */
void iniline_put_ended(char *out, size_t cap, size_t *used, const char *buf, size_t len);

#endif
