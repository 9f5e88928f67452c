/* ctcmp.h - comparison of secrets in time that does not depend on where they differ. */
#ifndef MTS_CTCMP_H
#define MTS_CTCMP_H

#include <stddef.h>

/* 1 when a[0..alen) equals b[0..blen). The time taken depends on the lengths
 * only, never on the contents. */
int ctcmp_equal(const void *a, size_t alen, const void *b, size_t blen);

#endif
