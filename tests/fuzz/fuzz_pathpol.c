/* fuzz_pathpol.c - the path policy over any requested path.
 *
 * Invariants for an accepted path: the result is relative, uses '\' only,
 * has no empty, "." or ".." component, no ':' or wildcard, no control
 * character, no component ending in dot or space, and resolving it again
 * gives the same result (the policy is a fixed point). */
#include <string.h>

#include "fuzz.h"
#include "mts_error.h"
#include "pathpol.h"

#define ROOT "C:\\srv\\files"

static void check_component(const char *name, size_t len)
{
    FUZZ_CHECK(len > 0);
    FUZZ_CHECK(!(len == 1 && name[0] == '.'));
    FUZZ_CHECK(!(len == 2 && name[0] == '.' && name[1] == '.'));
    FUZZ_CHECK(name[len - 1] != '.' && name[len - 1] != ' ');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[600], again[600];
    char *path = malloc(size ? size : 1);
    int rc;

    if (path == NULL)
        return 0;
    memcpy(path, data, size);
    /* A small output buffer too, so the MTS_ENOSPC path is exercised. */
    rc = pathpol_resolve(ROOT, path, size, out, size % 7 == 0 ? 8 : sizeof out);
    FUZZ_CHECK(rc == 0 || rc == MTS_EPATH || rc == MTS_ENOSPC);
    if (rc == 0) {
        size_t len = strlen(out), start = 0;
        FUZZ_CHECK(len > 0 && len < sizeof out);
        FUZZ_CHECK(out[0] != '\\' && strchr(out, '/') == NULL && strchr(out, ':') == NULL);
        FUZZ_CHECK(strpbrk(out, "<>\"|?*") == NULL);
        for (size_t i = 0; i < len; i++)
            FUZZ_CHECK((unsigned char)out[i] >= 0x20);
        for (size_t i = 0; i <= len; i++) {
            if (i == len || out[i] == '\\') {
                check_component(out + start, i - start);
                start = i + 1;
            }
        }
        FUZZ_CHECK(pathpol_resolve(ROOT, out, len, again, sizeof again) == 0);
        FUZZ_CHECK(strcmp(out, again) == 0);
    }
    free(path);
    return 0;
}
