/* fuzz_clientpath.c - the client's request trimming and local save name.
 *
 * A hostile or mistaken path must never make the client write outside its
 * folder. Invariants: a trimmed request lies inside the input with no blank
 * at either end; a save name is one component (no separator, no ':'), not
 * "." or "..", has no wildcard, quote or control character and does not end
 * in a dot or space; a listed name the client accepts is such a save name of
 * itself, unchanged. */
#include <string.h>

#include "clientpath.h"
#include "fuzz.h"
#include "mts_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = malloc(size ? size : 1);
    char name[300];
    const char *start = NULL;
    size_t len = 0;

    if (path == NULL)
        return 0;
    memcpy(path, data, size);
    if (clientpath_trim_request(path, size, &start, &len) == 0) {
        FUZZ_CHECK(len > 0 && len <= CLIENTPATH_MAX);
        FUZZ_CHECK(start >= path && start + len <= path + size);
        FUZZ_CHECK(start[0] != ' ' && start[0] != '\t');
        FUZZ_CHECK(start[len - 1] != ' ' && start[len - 1] != '\t');
    }
    if (clientpath_save_name(path, size, name, size % 5 == 0 ? 4 : sizeof name) == 0) {
        size_t n = strlen(name);
        FUZZ_CHECK(n > 0);
        FUZZ_CHECK(strpbrk(name, "\\/:<>\"|?*") == NULL);
        FUZZ_CHECK(strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
        FUZZ_CHECK(name[n - 1] != '.' && name[n - 1] != ' ');
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char)name[i] >= 0x20);
    }
    /* A name -r would save as the server listed it: one part, and exactly
     * the save name clientpath_save_name makes of it. */
    if (clientpath_check_listed(path, size) == 0) {
        FUZZ_CHECK(size > 0 && memchr(path, '\0', size) == NULL);
        FUZZ_CHECK(clientpath_save_name(path, size, name, sizeof name) == 0);
        FUZZ_CHECK(strlen(name) == size && memcmp(name, path, size) == 0);
    }
    free(path);
    return 0;
}
