/* clientpath.c - request paths and local names for the client (see clientpath.h). */
#include "clientpath.h"

#include <string.h>

#include "mts_error.h"
#include "pathpol.h"
#include "utf8.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int clientpath_trim_request(const char *path, size_t len, const char **start, size_t *out_len)
{
    size_t b = 0, e = len;

    while (b < e && is_blank(path[b]))
        b++;
    while (e > b && is_blank(path[e - 1]))
        e--;
    *start = path + b;
    *out_len = e - b;
    if (b == e)
        return MTS_EMISSING;
    for (size_t i = b; i < e; i++) {
        unsigned char c = (unsigned char)path[i];
        /* A CR or LF would end the line early and smuggle in a second command. */
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return MTS_EBADCHAR;
    }
    if (!utf8_is_valid(path + b, e - b))
        return MTS_EBADCHAR;
    if (e - b > CLIENTPATH_MAX)
        return MTS_ETOOLONG;
    return 0;
}

int clientpath_save_name(const char *path, size_t len, char *out, size_t cap)
{
    /* Any fixed absolute folder will do: a name without separators resolves
     * to itself exactly when pathpol finds it an acceptable component. */
    static const char root[] = "C:\\";
    char resolved[260];
    size_t base = len;

    while (base > 0 && path[base - 1] != '\\' && path[base - 1] != '/' && path[base - 1] != ':')
        base--;
    if (base == len || len - base >= sizeof resolved)
        return MTS_EPATH;
    if (pathpol_resolve(root, path + base, len - base, resolved, sizeof resolved) != 0 ||
        strlen(resolved) != len - base || memcmp(resolved, path + base, len - base) != 0)
        return MTS_EPATH;
    if (len - base + 1 > cap)
        return MTS_ENOSPC;
    memcpy(out, path + base, len - base);
    out[len - base] = '\0';
    return 0;
}

int clientpath_check_listed(const char *name, size_t len)
{
    char saved[260];

    /* A name with a separator or colon would be saved under its last part
     * only, or not at all: the server's name must be one part itself. */
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '\\' || name[i] == '/' || name[i] == ':' || name[i] == '\0')
            return MTS_EPATH;
    }
    if (clientpath_save_name(name, len, saved, sizeof saved) != 0)
        return MTS_EPATH;
    return 0;
}

int clientpath_is_root(const char *path, size_t len)
{
    size_t i = 0;

    if (len == 0)
        return 0;
    while (i < len) {
        if (path[i] == '\\' || path[i] == '/') {
            i++;
            continue;
        }
        /* A component: only "." itself, so ".." and ". ." are not the root. */
        if (path[i] != '.' || (i + 1 < len && path[i + 1] != '\\' && path[i + 1] != '/'))
            return 0;
        i++;
    }
    return 1;
}
