/* ownerpol.c - trusted owners and the folders install may lock down (see
 * ownerpol.h). */
#include "ownerpol.h"

#include <string.h>

/* Owners no ordinary user can make: BUILTIN\Administrators, LocalSystem and
 * NT SERVICE\TrustedInstaller (the SID the system derives from its name). */
static const char *const trusted_sids[] = {
    "S-1-5-32-544",
    "S-1-5-18",
    "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
};

static int upper(char c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int same_sid(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        if (upper(*a) != upper(*b))
            return 0;
    }
    return *a == *b;
}

int ownerpol_owner_trusted(const char *owner_sid, const char *self_sid)
{
    if (owner_sid == NULL || owner_sid[0] == '\0')
        return 0;
    for (size_t i = 0; i < sizeof trusted_sids / sizeof trusted_sids[0]; i++) {
        if (same_sid(owner_sid, trusted_sids[i]))
            return 1;
    }
    return self_sid != NULL && self_sid[0] != '\0' && same_sid(owner_sid, self_sid);
}

static int is_sep(char c)
{
    return c == '\\' || c == '/';
}

/* Past the separators at p. */
static const char *skip_seps(const char *p)
{
    while (is_sep(*p))
        p++;
    return p;
}

/* Past one name (up to a separator or the end); NULL when it is empty. */
static const char *skip_name(const char *p)
{
    const char *start = p;

    while (*p != '\0' && !is_sep(*p))
        p++;
    return p == start ? NULL : p;
}

static int is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* "\\server\share" and what follows the prefix "\\?\UNC\": a root when at
 * most the server and the share are named. */
static int unc_is_root(const char *p)
{
    p = skip_name(p); /* the server */
    if (p == NULL)
        return 1;
    p = skip_seps(p);
    if (*p == '\0')
        return 1;
    p = skip_name(p); /* the share */
    return p == NULL || *skip_seps(p) == '\0';
}

int ownerpol_is_volume_root(const char *folder)
{
    const char *p = folder;

    if (p == NULL || *p == '\0')
        return 1;
    if (is_sep(p[0]) && is_sep(p[1]) && (p[2] == '?' || p[2] == '.') && is_sep(p[3])) {
        p += 4;
        if ((p[0] == 'U' || p[0] == 'u') && (p[1] == 'N' || p[1] == 'n') &&
            (p[2] == 'C' || p[2] == 'c') && is_sep(p[3]))
            return unc_is_root(skip_seps(p + 4));
        if (!(is_letter(p[0]) && p[1] == ':')) {
            /* A device or volume ("\\?\Volume{...}\"): its first name is the root. */
            p = skip_name(p);
            return p == NULL || *skip_seps(p) == '\0';
        }
    } else if (is_sep(p[0]) && is_sep(p[1])) {
        return unc_is_root(skip_seps(p + 2));
    }
    if (is_letter(p[0]) && p[1] == ':')
        return *skip_seps(p + 2) == '\0';
    /* "\\" alone, or a relative name (callers give full paths). */
    return *skip_seps(p) == '\0';
}

enum ownerpol_plan ownerpol_folder_plan(const char *folder, int is_default, int exists)
{
    if (ownerpol_is_volume_root(folder))
        return OWNERPOL_REFUSE_ROOT;
    return is_default || !exists ? OWNERPOL_LOCK : OWNERPOL_LEAVE;
}
