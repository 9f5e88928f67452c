/* helptext.c - see helptext.h. */
#include "helptext.h"

#include <string.h>

static const char spaces[HELPTEXT_INDENT + 1] = "                   ";

void helptext_put(char *out, size_t cap, size_t *used, const char *src, size_t n)
{
    if (*used + n < cap) {
        memcpy(out + *used, src, n);
        out[*used + n] = '\0';
    }
    *used += n;
}

/* The text wrapped at HELPTEXT_WIDTH, each line indented to HELPTEXT_INDENT;
 * `col` is where the first line starts. */
static void put_wrapped(char *out, size_t cap, size_t *used, const char *text, size_t col)
{
    while (*text != '\0') {
        size_t room = HELPTEXT_WIDTH - col, n = strlen(text), cut = n;
        if (n > room) {
            /* The last blank that leaves the line within the width, but
             * never the one inside "(default N", which tests look for. */
            cut = room;
            while (cut > 0 &&
                   (text[cut] != ' ' || (cut >= 8 && memcmp(text + cut - 8, "(default", 8) == 0)))
                cut--;
            if (cut == 0)
                cut = strcspn(text, " ");
        }
        helptext_put(out, cap, used, text, cut);
        helptext_put(out, cap, used, "\n", 1);
        text += cut;
        while (*text == ' ')
            text++;
        if (*text != '\0')
            helptext_put(out, cap, used, spaces, HELPTEXT_INDENT);
        col = HELPTEXT_INDENT;
    }
}

void helptext_entry(char *out, size_t cap, size_t *used, const char *head, const char *text)
{
    size_t n = strlen(head);

    helptext_put(out, cap, used, head, n);
    if (n < HELPTEXT_INDENT) {
        /* Short enough: the text starts on the same line. */
        helptext_put(out, cap, used, spaces, HELPTEXT_INDENT - n);
    } else {
        helptext_put(out, cap, used, "\n", 1);
        helptext_put(out, cap, used, spaces, HELPTEXT_INDENT);
    }
    put_wrapped(out, cap, used, text, HELPTEXT_INDENT);
}
