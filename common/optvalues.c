/* optvalues.c - the settings as values of struct server_options (see
 * options.h): a setting's value as text, which settings differ between two
 * sets of options (what a reload takes or leaves for a restart), the
 * reload's merge, and the texts made the options' own. options.c parses;
 * this file compares and copies, both by setting.h's table. */
#include "options.h"

#include <stdio.h>
#include <string.h>

/* Each setting's field in struct server_options, by setting id. */
#define OPTION_FIELD(field, kind, option, key, arg, min, max, def, flags, help)                    \
    offsetof(struct server_options, field),
static const size_t fields[SETTING_COUNT] = {SETTING_LIST(OPTION_FIELD)};
/* And its size, from the struct itself. */
#define OPTION_SIZE(field, kind, option, key, arg, min, max, def, flags, help)                     \
    sizeof(((struct server_options *)0)->field),
static const size_t sizes[SETTING_COUNT] = {SETTING_LIST(OPTION_SIZE)};

void *options_field(struct server_options *o, int id)
{
    return (char *)o + fields[id];
}

const char *options_value_text(const struct server_options *o, int id, char *buf, size_t cap)
{
    const char *field = (const char *)o + fields[id];

    switch (setting_rows[id].kind) {
    case SETTING_NUM: snprintf(buf, cap, "%u", *(const unsigned *)(const void *)field); return buf;
    case SETTING_BIG:
        snprintf(buf, cap, "%llu", (unsigned long long)*(const uint64_t *)(const void *)field);
        return buf;
    case SETTING_WORD: return setting_word(id, *(const unsigned *)(const void *)field, buf, cap);
    default: return *(const char *const *)(const void *)field;
    }
}

/* The keys of the settings with a key whose flags & SETTING_RELOAD equal
 * reload and whose values differ between now and next, ", "-separated into
 * names (cut short at a whole name); returns how many differ. */
static unsigned list_changed(const struct server_options *now, const struct server_options *next,
                             unsigned reload, char *names, size_t cap)
{
    unsigned count = 0;
    size_t used = 0;

    if (cap > 0)
        names[0] = '\0';
    for (int id = 0; id < SETTING_COUNT; id++) {
        char a[64], b[64];
        const char *x, *y;
        int n;
        if ((setting_rows[id].flags & SETTING_RELOAD) != reload || setting_rows[id].key == NULL)
            continue;
        x = options_value_text(now, id, a, sizeof a);
        y = options_value_text(next, id, b, sizeof b);
        if (x == y || (x != NULL && y != NULL && strcmp(x, y) == 0))
            continue;
        count++;
        n = snprintf(names + used, cap > used ? cap - used : 0, "%s%s", used > 0 ? ", " : "",
                     setting_rows[id].key);
        if (n < 0 || used + (size_t)n >= cap) {
            if (cap > used)
                names[used] = '\0'; /* cut short at a whole name */
            used = cap;
        } else {
            used += (size_t)n;
        }
    }
    return count;
}

unsigned options_restart_needed(const struct server_options *now, const struct server_options *next,
                                char *names, size_t cap)
{
    return list_changed(now, next, 0, names, cap);
}

unsigned options_reload_taken(const struct server_options *before,
                              const struct server_options *after, char *names, size_t cap)
{
    return list_changed(before, after, SETTING_RELOAD, names, cap);
}

void options_copy_setting(struct server_options *to, const struct server_options *from, int id)
{
    memcpy((char *)to + fields[id], (const char *)from + fields[id], sizes[id]);
    to->set = (to->set & ~SETTING_ID_BIT(id)) | (from->set & SETTING_ID_BIT(id));
}

void options_merge_reload(struct server_options *out, const struct server_options *now,
                          const struct server_options *next)
{
    *out = *now;
    for (int id = 0; id < SETTING_COUNT; id++) {
        /* Only what the file can say: a command-line-only setting is the
         * start's (--config among them). */
        if ((setting_rows[id].flags & SETTING_RELOAD) && setting_rows[id].key != NULL)
            options_copy_setting(out, next, id);
    }
}

size_t options_own_texts(struct server_options *o, char *buf, size_t cap)
{
    size_t need = 0, used = 0;

    for (int id = 0; id < SETTING_COUNT; id++) {
        const char *text;
        if (setting_rows[id].kind != SETTING_TEXT && setting_rows[id].kind != SETTING_ADDRS)
            continue;
        text = *(const char *const *)(const void *)((const char *)o + fields[id]);
        if (text != NULL && !(setting_rows[id].flags & SETTING_SECRET))
            need += strlen(text) + 1;
    }
    if (need > cap)
        return need; /* nothing changed */
    for (int id = 0; id < SETTING_COUNT; id++) {
        const char **field = (const char **)(void *)((char *)o + fields[id]);
        size_t n;
        if (setting_rows[id].kind != SETTING_TEXT && setting_rows[id].kind != SETTING_ADDRS)
            continue;
        /* A secret is used where it is read (the credential, the PFX's
         * import) and kept nowhere longer. */
        if (*field == NULL || (setting_rows[id].flags & SETTING_SECRET)) {
            *field = NULL;
            continue;
        }
        n = strlen(*field) + 1;
        memcpy(buf + used, *field, n);
        *field = buf + used;
        used += n;
    }
    return need;
}
