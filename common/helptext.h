/* helptext.h - the layout of every --help entry: a head ("  --port N",
 * "  install") and its text from column 19, wrapped at 80 columns. The
 * settings' entries (setting.c) and the commands' (options.c) are laid out
 * by this one function, so the two halves of mtserver --help cannot drift
 * apart. */
#ifndef MTS_HELPTEXT_H
#define MTS_HELPTEXT_H

#include <stddef.h>

#define HELPTEXT_WIDTH 80
#define HELPTEXT_INDENT 19 /* where every entry's text starts */

/* Appends one entry to out[*used..cap): head, then text, each line of it
 * ending in "\n". A head as wide as the indent or wider has its text start
 * on the next line. *used grows by the entry's length even where it did
 * not fit; out is NUL-terminated when room is left. */
void helptext_entry(char *out, size_t cap, size_t *used, const char *head, const char *text);

/* Appends src[0..n) the same way (no layout): a heading, a blank line. */
void helptext_put(char *out, size_t cap, size_t *used, const char *src, size_t n);

#endif
