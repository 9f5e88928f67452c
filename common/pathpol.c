/* pathpol.c - lexical path policy (see pathpol.h). */
#include "pathpol.h"

#include <stdio.h>
#include <string.h>

#include "mts_error.h"

static int is_sep(char c)
{
    return c == '\\' || c == '/';
}

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_drive_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int has_drive(const char *p, size_t len)
{
    return len >= 2 && is_drive_letter(p[0]) && p[1] == ':';
}

/* Equal ignoring ASCII case; other bytes must match exactly. */
static int same_name(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
            return 0;
    }
    return 1;
}

/* Reserved DOS device names, matched on the part before the first dot with
 * trailing spaces removed, as Windows does ("nul.txt" and "COM1 " are devices). */
static int is_device_name(const char *name, size_t len)
{
    static const char *const fixed[] = {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"};
    static const char *const numbered[] = {"com", "lpt"};
    size_t base = 0;

    while (base < len && name[base] != '.')
        base++;
    while (base > 0 && name[base - 1] == ' ')
        base--;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (same_name(name, base, fixed[i], strlen(fixed[i])))
            return 1;
    }
    for (size_t i = 0; i < sizeof numbered / sizeof numbered[0]; i++) {
        if (base < 4 || !same_name(name, 3, numbered[i], 3))
            continue;
        /* COM0-9, and COM followed by superscript 1, 2 or 3 (U+00B9, U+00B2, U+00B3). */
        if (base == 4 && name[3] >= '0' && name[3] <= '9')
            return 1;
        if (base == 5 && (unsigned char)name[3] == 0xC2 &&
            ((unsigned char)name[4] == 0xB9 || (unsigned char)name[4] == 0xB2 ||
             (unsigned char)name[4] == 0xB3))
            return 1;
    }
    return 0;
}

static int component_allowed(const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || strchr("<>:\"|?*", c) != NULL)
            return 0;
    }
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return 0; /* also refuses "." and ".."; lone "." is skipped by the caller */
    return !is_device_name(name, len);
}

/* Walks the non-empty components of a path, skipping separators of either kind. */
struct walker {
    const char *p;
    size_t len, pos;
};

static void walker_init(struct walker *w, const char *p, size_t len)
{
    w->p = p;
    w->len = len;
    w->pos = 0;
}

static int next_component(struct walker *w, const char **name, size_t *len)
{
    while (w->pos < w->len && is_sep(w->p[w->pos]))
        w->pos++;
    if (w->pos == w->len)
        return 0;
    *name = w->p + w->pos;
    while (w->pos < w->len && !is_sep(w->p[w->pos]))
        w->pos++;
    *len = (size_t)(w->p + w->pos - *name);
    return 1;
}

/* When path is absolute, checks that it lies under root and returns the
 * offset of the part below the root; -1 when it does not. */
static long strip_root(const char *root, const char *path, size_t path_len)
{
    struct walker r, p;
    const char *rn, *pn;
    size_t rlen, plen;

    walker_init(&r, root, strlen(root));
    walker_init(&p, path, path_len);
    if (!has_drive(root, r.len) || !is_sep(path[2]) || fold(root[0]) != fold(path[0]))
        return -1;
    r.pos = p.pos = 2;
    while (next_component(&r, &rn, &rlen)) {
        if (!next_component(&p, &pn, &plen) || !same_name(rn, rlen, pn, plen))
            return -1;
    }
    return (long)p.pos;
}

int pathpol_resolve(const char *root, const char *path, size_t path_len, char *out, size_t cap)
{
    struct walker w;
    const char *name;
    size_t len, used = 0;

    walker_init(&w, path, path_len);
    if (path_len == 0 || memchr(path, '\0', path_len) != NULL)
        return MTS_EPATH;
    if (has_drive(path, path_len)) {
        long below = path_len > 2 ? strip_root(root, path, path_len) : -1;
        if (below < 0)
            return MTS_EPATH; /* "C:x", another drive, or outside the root */
        w.pos = (size_t)below;
    } else if (is_sep(path[0])) {
        return MTS_EPATH; /* rooted, UNC, \\?\ and \\.\ forms */
    }

    while (next_component(&w, &name, &len)) {
        if (len == 1 && name[0] == '.')
            continue;
        if (!component_allowed(name, len))
            return MTS_EPATH;
        if (used + (used > 0) + len + 1 > cap)
            return MTS_ENOSPC;
        if (used > 0)
            out[used++] = '\\';
        memcpy(out + used, name, len);
        used += len;
    }
    if (used == 0)
        return MTS_EPATH; /* the root itself is a folder, not a file */
    out[used] = '\0';
    return 0;
}

static int starts_with_nocase(const char *s, const char *prefix)
{
    for (; *prefix != '\0'; s++, prefix++) {
        unsigned char a = (unsigned char)*s;
        if (a >= 'a' && a <= 'z')
            a = (unsigned char)(a - 'a' + 'A');
        if (a != (unsigned char)*prefix)
            return 0;
    }
    return 1;
}

int pathpol_root_plain(const char *root, char *out, size_t cap, char *err, size_t errcap)
{
    const char *rest = root, *lead = "";
    int rc;

    if (errcap > 0)
        err[0] = '\0';
    if (is_sep(root[0]) && is_sep(root[1]) && (root[2] == '?' || root[2] == '.') &&
        is_sep(root[3])) {
        rest = root + 4;
        if (root[2] == '?' && starts_with_nocase(rest, "UNC") && is_sep(rest[3]) &&
            rest[4] != '\0' && !is_sep(rest[4])) {
            rest += 4;
            lead = "\\\\";
        } else if (!(is_drive_letter(rest[0]) && rest[1] == ':' && is_sep(rest[2]))) {
            snprintf(err, errcap,
                     "a root written with \\\\?\\ or \\\\.\\ must name a folder on a drive "
                     "(\\\\?\\C:\\srv) or on a share (\\\\?\\UNC\\server\\share); "
                     "give it as C:\\srv or \\\\server\\share");
            return MTS_EPATH;
        }
    }
    rc = snprintf(out, cap, "%s%s", lead, rest);
    return rc >= 0 && (size_t)rc < cap ? 0 : MTS_ENOSPC;
}
