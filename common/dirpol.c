/* dirpol.c - the configuration folder's checks and prepare's mark (see
 * dirpol.h). */
#include "dirpol.h"

#include <stdio.h>
#include <string.h>

enum dirpol_verdict dirpol_judge(const struct dirpol_facts *f)
{
    if (f->handle_is_link || f->path_is_link)
        return DIRPOL_LINK;
    if (!f->same_path)
        return DIRPOL_ELSEWHERE;
    return f->is_folder ? DIRPOL_OK : DIRPOL_NOT_FOLDER;
}

/* SDDL is printable ASCII; the mark's text must also stay one line. */
static int sddl_ok(const char *s)
{
    if (s[0] == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        if (*s < 0x21 || *s > 0x7e)
            return 0;
    }
    return 1;
}

int dirpol_format_mark(const struct dirpol_mark *m, char *out, size_t cap)
{
    int n;

    if (!sddl_ok(m->sddl))
        return -1;
    n = snprintf(out, cap, "%lx:%llx:%s", m->volume, m->index, m->sddl);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* A hexadecimal number of 1 to digits digits ended by ':'; *p moves past it. */
static int parse_hex(const char **p, unsigned long long *v, int digits)
{
    const char *s = *p;
    int n = 0;

    *v = 0;
    for (; n < digits; n++, s++) {
        int d = *s >= '0' && *s <= '9'   ? *s - '0'
                : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                                         : -1;
        if (d < 0)
            break;
        *v = *v << 4 | (unsigned long long)d;
    }
    if (n == 0 || *s != ':')
        return -1;
    *p = s + 1;
    return 0;
}

int dirpol_parse_mark(const char *text, struct dirpol_mark *m)
{
    unsigned long long volume;
    size_t len;

    if (parse_hex(&text, &volume, 8) != 0 || parse_hex(&text, &m->index, 16) != 0)
        return -1;
    len = strlen(text);
    if (len >= sizeof m->sddl || !sddl_ok(text))
        return -1;
    m->volume = (unsigned long)volume;
    memcpy(m->sddl, text, len + 1);
    return 0;
}

enum dirpol_rollback dirpol_rollback_plan(const struct dirpol_mark *made,
                                          const struct dirpol_mark *now)
{
    /* A file system that gives no IDs cannot tell one folder from another
     * under the same name: leave it rather than guess. */
    if ((made->volume == 0 && made->index == 0) || (now->volume == 0 && now->index == 0))
        return DIRPOL_ROLLBACK_NO_ID;
    if (made->volume != now->volume || made->index != now->index)
        return DIRPOL_ROLLBACK_OTHER;
    return strcmp(made->sddl, now->sddl) == 0 ? DIRPOL_ROLLBACK_REMOVE : DIRPOL_ROLLBACK_CHANGED;
}
