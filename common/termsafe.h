/* termsafe.h - text made safe to show on a terminal.
 *
 * A hostile server can put escape sequences (ESC [ ...), other control
 * characters or Unicode bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE, ...)
 * into the lines it sends; printed as they are, they recolour or rewrite
 * the terminal or make a name read backwards. termsafe_escape() writes such
 * characters visibly instead: C0 controls (but newline and tab), DEL and
 * bytes that are not UTF-8 as \xHH; C1 controls (U+0080..U+009F), the bidi
 * embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), the
 * marks U+200E, U+200F, U+061C and U+2028/U+2029 (line and paragraph
 * separators) as \uHHHH; and the backslash itself stays as it is. Pure. */
#ifndef MTS_TERMSAFE_H
#define MTS_TERMSAFE_H

#include <stddef.h>

/* The longest output one input byte can give ("\xHH" for 1 byte; "\uHHHH"
 * for 2 or 3 bytes): an output of 4 x len + 1 bytes always holds it all. */
#define TERMSAFE_GROWTH 4

/* Writes the safe form of in[0..len) into out with a NUL, whole characters
 * only (what does not fit is left off). Returns the length written. */
size_t termsafe_escape(const char *in, size_t len, char *out, size_t cap);

#endif
