/* config.c - the INI configuration file (see config.h).
 *
 * Grammar, line by line (LF or CRLF; a UTF-8 byte-order mark may open the
 * file): blank; a comment starting with ';' or '#'; the section header
 * [mtserver]; or key = value. Keys are ASCII and case-insensitive; a value
 * may be wrapped in double quotes to keep its outer spaces. No inline
 * comments: ';' is a legal character in a Windows path. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "iniline.h"
#include "mts_error.h"

/* Each setting's field here and in struct server_options, by setting id. */
#define CONFIG_OFFSET(field, kind, option, key, arg, min, max, def, flags, help)                   \
    offsetof(struct config, field),
#define OPTION_OFFSET(field, kind, option, key, arg, min, max, def, flags, help)                   \
    offsetof(struct server_options, field),
static const size_t fields[SETTING_COUNT] = {SETTING_LIST(CONFIG_OFFSET)};
static const size_t option_fields[SETTING_COUNT] = {SETTING_LIST(OPTION_OFFSET)};

#define CONFIG_DEFAULT(field, kind, option, key, arg, min, max, def, flags, help)                  \
    CONFIG_DEFAULT_##kind(field, def)
#define CONFIG_DEFAULT_TEXT(field, def)
#define CONFIG_DEFAULT_ADDRS(field, def)
#define CONFIG_DEFAULT_NUM(field, def) c->field = def;
#define CONFIG_DEFAULT_BIG(field, def) c->field = def;
#define CONFIG_DEFAULT_WORD(field, def) c->field = def;

void config_init(struct config *c)
{
    memset(c, 0, sizeof *c);
    SETTING_LIST(CONFIG_DEFAULT)
}

/* What one line says, once its syntax is checked. */
struct entry {
    int id; /* the setting; -1: nothing to set (blank, comment, section) */
    const char *value;
    size_t value_len;
};

static int parse_line(const struct iniline *l, unsigned lineno, struct entry *e, char *err,
                      size_t errcap)
{
    const char *s;
    size_t len;
    struct inikv kv;
    char shown[64];
    int rc;

    e->id = -1;
    rc = iniline_content(l, lineno, &s, &len, err, errcap);
    if (rc != 0 || len == 0)
        return rc;
    if (s[0] == '[') {
        const char *name;
        size_t name_len;
        rc = iniline_section(s, len, lineno, &name, &name_len, err, errcap);
        if (rc == 0 && !iniline_same_word(name, name_len, "mtserver")) {
            iniline_show(shown, sizeof shown, name, name_len);
            snprintf(err, errcap, "line %u: unknown section [%s] (only [mtserver] is allowed)",
                     lineno, shown);
            rc = MTS_EUNKNOWN;
        }
        return rc;
    }
    rc = iniline_key(s, len, lineno, setting_by_key, &kv, err, errcap);
    if (rc < 0)
        return rc;
    e->id = rc;
    rc = iniline_unquote(&kv, setting_rows[e->id].key, lineno, err, errcap);
    e->value = kv.value;
    e->value_len = kv.value_len;
    return rc;
}

/* Checks a value and, when c is not NULL, stores it. */
static int store(struct config *c, const struct entry *e, unsigned lineno, char *err, size_t errcap)
{
    const struct setting_row *r = &setting_rows[e->id];
    char *field = c != NULL ? (char *)c + fields[e->id] : NULL;
    char why[160];
    uint64_t n;
    int rc;

    if (r->kind == SETTING_TEXT || r->kind == SETTING_ADDRS) {
        if (e->value_len >= CONFIG_TEXT_MAX) {
            snprintf(err, errcap, "line %u: value of '%s' is too long (at most %u bytes)", lineno,
                     r->key, (unsigned)CONFIG_TEXT_MAX - 1u);
            return MTS_ETOOLONG;
        }
    }
    rc = setting_check(e->id, e->value, e->value_len, &n, why, sizeof why);
    if (rc == MTS_ERANGE) {
        char shown[64];
        iniline_show(shown, sizeof shown, e->value, e->value_len);
        snprintf(err, errcap, "line %u: key '%s' wants %s, not '%s'", lineno, r->key, why, shown);
        return rc;
    }
    if (rc != 0) {
        snprintf(err, errcap, "line %u: key '%s': %s", lineno, r->key, why);
        return rc;
    }
    if (field == NULL)
        return 0;
    if (r->kind == SETTING_NUM || r->kind == SETTING_WORD) {
        *(unsigned *)(void *)field = (unsigned)n;
    } else if (r->kind == SETTING_BIG) {
        *(uint64_t *)(void *)field = n;
    } else {
        memcpy(field, e->value, e->value_len);
        field[e->value_len] = '\0';
    }
    return 0;
}

/* Checks every line of the file, fills *c when it is not NULL, and tells in
 * *found which line set key `want`. */
static int walk(struct config *c, const char *buf, size_t len, int want, struct iniline *found,
                char *err, size_t errcap)
{
    unsigned first_line[SETTING_COUNT] = {0};
    unsigned lineno = 0;
    size_t at = iniline_skip_bom(buf, len);
    struct iniline l;

    if (found != NULL)
        found->text = NULL;
    while (iniline_take(buf, len, &at, &l)) {
        struct entry e;
        size_t idx;
        int rc = parse_line(&l, ++lineno, &e, err, errcap);

        if (rc != 0)
            return rc;
        if (e.id < 0)
            continue;
        idx = (size_t)e.id;
        if (first_line[idx] != 0) {
            snprintf(err, errcap, "line %u: key '%s' is given twice (first on line %u)", lineno,
                     setting_rows[e.id].key, first_line[idx]);
            return MTS_ESYNTAX;
        }
        first_line[idx] = lineno;
        rc = store(c, &e, lineno, err, errcap);
        if (rc != 0)
            return rc;
        if (c != NULL) {
            c->set |= SETTING_ID_BIT(e.id);
            c->line[idx] = lineno;
        }
        if (e.id == want && found != NULL)
            *found = l;
    }
    return 0;
}

int config_parse(struct config *c, const char *buf, size_t len, char *err, size_t errcap)
{
    err[0] = '\0';
    config_init(c);
    return walk(c, buf, len, -1, NULL, err, errcap);
}

void config_apply(const struct config *c, struct server_options *o)
{
    for (int id = 0; id < SETTING_COUNT; id++) {
        const char *from = (const char *)c + fields[id];
        char *to = (char *)o + option_fields[id];
        uint64_t bit = SETTING_ID_BIT(id);
        if (!(c->set & bit) || (o->set & bit))
            continue;
        switch (setting_rows[id].kind) {
        case SETTING_TEXT:
        case SETTING_ADDRS: *(const char **)(void *)to = from; break;
        case SETTING_NUM:
        case SETTING_WORD: *(unsigned *)(void *)to = *(const unsigned *)(const void *)from; break;
        case SETTING_BIG: *(uint64_t *)(void *)to = *(const uint64_t *)(const void *)from; break;
        }
    }
}

/* Tells in *found the first comment line that shows key as an example
 * ("; key = ..." or "# key = ..."), if there is one. */
static int find_example(const char *buf, size_t len, const char *key, struct iniline *found)
{
    size_t at = iniline_skip_bom(buf, len);
    struct iniline l;

    while (iniline_take(buf, len, &at, &l)) {
        const char *s;
        size_t n, k = 0;

        s = l.text;
        n = l.len;
        iniline_trim(&s, &n);
        if (n == 0 || (s[0] != ';' && s[0] != '#'))
            continue;
        s++;
        n--;
        iniline_trim(&s, &n);
        while (k < n && s[k] != '=' && !iniline_is_space(s[k]))
            k++;
        if (!iniline_same_word(s, k, key))
            continue;
        while (k < n && iniline_is_space(s[k]))
            k++;
        if (k < n && s[k] == '=') {
            *found = l;
            return 1;
        }
    }
    return 0;
}

static int set_value(const char *buf, size_t len, const char *key, const char *value,
                     int at_example, char *out, size_t outcap, size_t *outlen, char *err,
                     size_t errcap)
{
    int id = setting_by_key(key, strlen(key));
    struct iniline found;
    size_t used = 0, vlen = strlen(value);
    int rc;

    err[0] = '\0';
    *outlen = 0;
    if (id < 0) {
        snprintf(err, errcap, "unknown key '%s'", key);
        return MTS_EUNKNOWN;
    }
    if (vlen >= CONFIG_TEXT_MAX || !iniline_can_write(value, vlen)) {
        snprintf(err, errcap, "the value for '%s' cannot be written to the file as it is", key);
        return MTS_EINVAL;
    }
    rc = walk(NULL, buf, len, id, &found, err, errcap);
    if (rc != 0)
        return rc;
    if (found.text != NULL) {
        iniline_put_value(out, outcap, &used, buf, len, &found, value);
    } else if (at_example && find_example(buf, len, setting_rows[id].key, &found)) {
        /* The example line becomes the setting, so the key keeps its place
         * and its comments around it. */
        size_t after = (size_t)(found.text + found.len - buf);
        iniline_put(out, outcap, &used, buf, (size_t)(found.text - buf));
        iniline_put(out, outcap, &used, setting_rows[id].key, strlen(setting_rows[id].key));
        iniline_put(out, outcap, &used, " = ", 3);
        iniline_put(out, outcap, &used, value, vlen);
        iniline_put(out, outcap, &used, buf + after, len - after);
    } else {
        const char *eol = iniline_ending(buf, len);
        iniline_put_ended(out, outcap, &used, buf, len);
        iniline_put(out, outcap, &used, setting_rows[id].key, strlen(setting_rows[id].key));
        iniline_put(out, outcap, &used, " = ", 3);
        iniline_put(out, outcap, &used, value, vlen);
        iniline_put(out, outcap, &used, eol, strlen(eol));
    }
    *outlen = used;
    if (used > outcap) {
        snprintf(err, errcap, "output buffer too small");
        return MTS_ENOSPC;
    }
    return 0;
}

int config_set_value(const char *buf, size_t len, const char *key, const char *value, char *out,
                     size_t outcap, size_t *outlen, char *err, size_t errcap)
{
    return set_value(buf, len, key, value, 0, out, outcap, outlen, err, errcap);
}

int config_set_value_at_example(const char *buf, size_t len, const char *key, const char *value,
                                char *out, size_t outcap, size_t *outlen, char *err, size_t errcap)
{
    return set_value(buf, len, key, value, 1, out, outcap, outlen, err, errcap);
}
