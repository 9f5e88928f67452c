/* setting.c - the table of settings as data, and what both parsers share
 * (see setting.h). */
#include "setting.h"

#include <stdio.h>
#include <string.h>

#include "ipacl.h"
#include "mts_error.h"
#include "numparse.h"

#define SETTING_ROW(field, kind, option, key, arg, min, max, def, flags, help)                     \
    {#field, option, key, arg, help, min, max, def, SETTING_##kind, flags},

const struct setting_row setting_rows[SETTING_COUNT] = {SETTING_LIST(SETTING_ROW)};

int setting_by_option(const char *name, size_t len)
{
    for (int id = 0; id < SETTING_COUNT; id++) {
        const char *o = setting_rows[id].option;
        if (o != NULL && strlen(o) == len && memcmp(o, name, len) == 0)
            return id;
    }
    return -1;
}

static int lower(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

int setting_by_key(const char *name, size_t len)
{
    for (int id = 0; id < SETTING_COUNT; id++) {
        const char *k = setting_rows[id].key;
        size_t i = 0;
        if (k == NULL || strlen(k) != len)
            continue;
        while (i < len && lower((unsigned char)name[i]) == (unsigned char)k[i])
            i++;
        if (i == len)
            return id;
    }
    return -1;
}

const char *setting_word(int id, unsigned index, char *buf, size_t cap)
{
    const char *w = setting_rows[id].arg;
    size_t n;

    if (cap == 0)
        return buf;
    buf[0] = '\0';
    for (unsigned i = 0; i < index && w != NULL; i++) {
        w = strchr(w, '|');
        if (w != NULL)
            w++;
    }
    if (w == NULL)
        return buf;
    n = strcspn(w, "|");
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, w, n);
    buf[n] = '\0';
    return buf;
}

int setting_check(int id, const char *value, size_t len, uint64_t *number, char *why, size_t whycap)
{
    const struct setting_row *r = &setting_rows[id];

    *number = 0;
    why[0] = '\0';
    if (r->kind == SETTING_ADDRS)
        return ipacl_check(value, len, why, whycap);
    if (r->kind == SETTING_TEXT)
        return 0;
    if (r->kind == SETTING_WORD) {
        char word[64];
        for (unsigned i = 0; setting_word(id, i, word, sizeof word)[0] != '\0'; i++) {
            size_t k = 0;
            while (k < len && word[k] != '\0' &&
                   lower((unsigned char)value[k]) == lower((unsigned char)word[k]))
                k++;
            if (k == len && word[k] == '\0') {
                *number = i;
                return 0;
            }
        }
        snprintf(why, whycap, "one of %s", r->arg);
        return MTS_ERANGE;
    }
    if (numparse_u64(value, len, r->max, number) != 0 || *number < r->min) {
        snprintf(why, whycap, "a whole number from %llu to %llu", (unsigned long long)r->min,
                 (unsigned long long)r->max);
        return MTS_ERANGE;
    }
    return 0;
}

/* Appends src[0..n) to out when it fits; counts the length either way. */
static void put(char *out, size_t cap, size_t *used, const char *src, size_t n)
{
    if (*used + n < cap)
        memcpy(out + *used, src, n);
    *used += n;
}

#define HELP_WIDTH 80
#define HELP_INDENT 19 /* where every help text starts */

/* The text wrapped at HELP_WIDTH, each line indented to HELP_INDENT;
 * `col` is where the first line starts. */
static void put_wrapped(char *out, size_t cap, size_t *used, const char *text, size_t col)
{
    static const char spaces[HELP_INDENT + 1] = "                   ";

    while (*text != '\0') {
        size_t room = HELP_WIDTH - col, n = strlen(text), cut = n;
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
        put(out, cap, used, text, cut);
        put(out, cap, used, "\n", 1);
        text += cut;
        while (*text == ' ')
            text++;
        if (*text != '\0')
            put(out, cap, used, spaces, HELP_INDENT);
        col = HELP_INDENT;
    }
}

size_t setting_write_help(char *out, size_t cap)
{
    size_t used = 0;

    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        char head[64];
        int n;
        if (r->option == NULL)
            continue;
        n = snprintf(head, sizeof head, "  --%s %s", r->option, r->arg);
        put(out, cap, &used, head, (size_t)n);
        if ((size_t)n < HELP_INDENT) {
            /* Short enough: the text starts on the same line. */
            put(out, cap, &used, "                   ", HELP_INDENT - (size_t)n);
            put_wrapped(out, cap, &used, r->help, HELP_INDENT);
        } else {
            put(out, cap, &used, "\n                   ", 1 + HELP_INDENT);
            put_wrapped(out, cap, &used, r->help, HELP_INDENT);
        }
    }
    if (used < cap)
        out[used] = '\0';
    else if (cap > 0)
        out[cap - 1] = '\0';
    return used;
}
