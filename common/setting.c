/* setting.c - the table of settings as data, and what both parsers share
 * (see setting.h). */
#include "setting.h"

#include <stdio.h>
#include <string.h>

#include "helptext.h"
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

size_t setting_write_help(char *out, size_t cap)
{
    size_t used = 0;

    if (cap > 0)
        out[0] = '\0';
    for (int id = 0; id < SETTING_COUNT; id++) {
        const struct setting_row *r = &setting_rows[id];
        char head[64];
        if (r->option == NULL)
            continue;
        snprintf(head, sizeof head, "  --%s %s", r->option, r->arg);
        helptext_entry(out, cap, &used, head, r->help);
    }
    return used;
}
