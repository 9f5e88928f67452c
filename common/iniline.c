/* iniline.c - the line-level pieces of the INI files (see iniline.h). */
#include "iniline.h"

#include <stdio.h>
#include <string.h>

#include "mts_error.h"
#include "utf8.h"

size_t iniline_skip_bom(const char *buf, size_t len)
{
    return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int iniline_take(const char *buf, size_t len, size_t *at, struct iniline *l)
{
    const char *nl;
    size_t end;

    if (*at >= len)
        return 0;
    nl = memchr(buf + *at, '\n', len - *at);
    end = nl ? (size_t)(nl - buf) : len;
    l->text = buf + *at;
    l->len = end - *at;
    l->next = nl ? end + 1 : len;
    if (l->len > 0 && l->text[l->len - 1] == '\r')
        l->len--;
    *at = l->next;
    return 1;
}

int iniline_is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

void iniline_trim(const char **s, size_t *len)
{
    while (*len > 0 && iniline_is_space((*s)[0])) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && iniline_is_space((*s)[*len - 1]))
        (*len)--;
}

static int lower(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

int iniline_same_word(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);

    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    }
    return 1;
}

void iniline_show(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len && n + 4 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            out[n++] = '?';
        else
            out[n++] = s[i];
        if (i == 39 && len > 40) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
    }
    out[n] = '\0';
}

int iniline_content(const struct iniline *l, unsigned lineno, const char **s, size_t *len,
                    char *err, size_t errcap)
{
    int rc = iniline_check_text(l, lineno, err, errcap);

    *s = l->text;
    *len = rc == 0 ? l->len : 0;
    iniline_trim(s, len);
    if (*len > 0 && (**s == ';' || **s == '#'))
        *len = 0;
    return rc;
}

int iniline_section(const char *s, size_t len, unsigned lineno, const char **name, size_t *name_len,
                    char *err, size_t errcap)
{
    if (s[len - 1] != ']') {
        snprintf(err, errcap, "line %u: section header without its closing ']'", lineno);
        return MTS_ESYNTAX;
    }
    *name = s + 1;
    *name_len = len - 2;
    iniline_trim(name, name_len);
    return 0;
}

int iniline_split(const char *s, size_t len, unsigned lineno, struct inikv *kv, char *err,
                  size_t errcap)
{
    const char *eq = memchr(s, '=', len);
    char shown[64];

    if (eq == NULL) {
        iniline_show(shown, sizeof shown, s, len);
        snprintf(err, errcap, "line %u: expected 'key = value', got '%s'", lineno, shown);
        return MTS_ESYNTAX;
    }
    kv->key = s;
    kv->key_len = (size_t)(eq - s);
    iniline_trim(&kv->key, &kv->key_len);
    kv->value = eq + 1;
    kv->value_len = (size_t)(s + len - kv->value);
    iniline_trim(&kv->value, &kv->value_len);
    if (kv->key_len == 0) {
        snprintf(err, errcap, "line %u: no key before '='", lineno);
        return MTS_ESYNTAX;
    }
    return 0;
}

int iniline_key(const char *s, size_t len, unsigned lineno, int (*by_name)(const char *, size_t),
                struct inikv *kv, char *err, size_t errcap)
{
    char shown[64];
    int id, rc = iniline_split(s, len, lineno, kv, err, errcap);

    if (rc != 0)
        return rc;
    id = by_name(kv->key, kv->key_len);
    if (id >= 0)
        return id;
    iniline_show(shown, sizeof shown, kv->key, kv->key_len);
    snprintf(err, errcap, "line %u: unknown key '%s'", lineno, shown);
    return MTS_EUNKNOWN;
}

int iniline_unquote(struct inikv *kv, const char *name, unsigned lineno, char *err, size_t errcap)
{
    if (kv->value_len > 0 && kv->value[0] == '"') {
        if (kv->value_len < 2 || kv->value[kv->value_len - 1] != '"') {
            snprintf(err, errcap, "line %u: value of '%s' has no closing '\"'", lineno, name);
            return MTS_ESYNTAX;
        }
        kv->value++;
        kv->value_len -= 2;
    }
    if (kv->value_len == 0) {
        snprintf(err, errcap, "line %u: key '%s' needs a value (comment the line out instead)",
                 lineno, name);
        return MTS_EMISSING;
    }
    return 0;
}

int iniline_check_text(const struct iniline *l, unsigned lineno, char *err, size_t errcap)
{
    if (memchr(l->text, '\0', l->len) != NULL) {
        snprintf(err, errcap, "line %u: NUL byte (is this a UTF-16 file? save it as UTF-8)",
                 lineno);
        return MTS_EBADCHAR;
    }
    if (!utf8_is_valid(l->text, l->len)) {
        snprintf(err, errcap, "line %u: not valid UTF-8 (save the file as UTF-8)", lineno);
        return MTS_EBADCHAR;
    }
    return 0;
}

int iniline_can_write(const char *value, size_t len)
{
    return len > 0 && memchr(value, '\n', len) == NULL && memchr(value, '\r', len) == NULL &&
           utf8_is_valid(value, len) && !iniline_is_space(value[0]) &&
           !iniline_is_space(value[len - 1]) && value[0] != '"';
}

const char *iniline_ending(const char *buf, size_t len)
{
    const char *eol = memchr(buf, '\n', len);

    return eol != NULL && eol > buf && eol[-1] == '\r' ? "\r\n" : "\n";
}

void iniline_put(char *out, size_t cap, size_t *used, const char *src, size_t n)
{
    if (n > 0 && *used + n <= cap)
        memcpy(out + *used, src, n);
    *used += n;
}

void iniline_put_ended(char *out, size_t cap, size_t *used, const char *buf, size_t len)
{
    const char *eol = iniline_ending(buf, len);

    iniline_put(out, cap, used, buf, len);
    if (len > 0 && buf[len - 1] == '\r')
        iniline_put(out, cap, used, "\n", 1);
    else if (len > 0 && buf[len - 1] != '\n')
        iniline_put(out, cap, used, eol, strlen(eol));
}

void iniline_put_value(char *out, size_t cap, size_t *used, const char *buf, size_t len,
                       const struct iniline *l, const char *value)
{
    const char *eq = memchr(l->text, '=', l->len);
    const char *v = eq + 1;
    size_t after = (size_t)(l->text + l->len - buf);

    while (v < l->text + l->len && iniline_is_space(*v))
        v++;
    iniline_put(out, cap, used, buf, (size_t)(v - buf));
    if (v == eq + 1)
        iniline_put(out, cap, used, " ", 1);
    iniline_put(out, cap, used, value, strlen(value));
    iniline_put(out, cap, used, buf + after, len - after);
}
