/* ownerpol.c - whose folder or configuration file mtserver may adopt
 * (see ownerpol.h). */
#include "ownerpol.h"

#include <string.h>

int ownerpol_is_trusted(const char *owner, const char *self)
{
    static const char *const trusted[] = {OWNERPOL_ADMINISTRATORS, OWNERPOL_SYSTEM,
                                          OWNERPOL_TRUSTED_INSTALLER};

    if (owner == NULL || owner[0] == '\0')
        return 0;
    for (size_t i = 0; i < sizeof trusted / sizeof trusted[0]; i++) {
        if (strcmp(owner, trusted[i]) == 0)
            return 1;
    }
    /* SID strings are written in one case ("S-1-..."): an exact match. */
    return self != NULL && self[0] != '\0' && strcmp(owner, self) == 0;
}
