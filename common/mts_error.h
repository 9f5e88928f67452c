/* mts_error.h - the one error enum of the portable core.
 *
 * Every core function returns 0 on success or one of these negative codes.
 * The X-macro keeps the names, numbers and texts in one table. */
#ifndef MTS_ERROR_H
#define MTS_ERROR_H

#define MTS_ERRNO_MAP(X)                                                                           \
    X(EINVAL, -1, "invalid argument")                                                              \
    X(ERANGE, -2, "value out of range")                                                            \
    X(ENOSPC, -3, "buffer too small")                                                              \
    X(ETOOLONG, -4, "line too long")                                                               \
    X(EBADCHAR, -5, "invalid characters")                                                          \
    X(EPATH, -6, "path not allowed")                                                               \
    X(ESYNTAX, -7, "syntax error")                                                                 \
    X(EUNKNOWN, -8, "unknown option or key")                                                       \
    X(EMISSING, -9, "missing value")                                                               \
    X(EEXIST, -10, "already exists")                                                               \
    X(ENOTFOUND, -11, "not found")

enum mts_error {
    MTS_OK = 0,
#define MTS_ERROR_ENUM(name, num, text) MTS_##name = (num),
    MTS_ERRNO_MAP(MTS_ERROR_ENUM)
#undef MTS_ERROR_ENUM
};

/* Returns a static, human-readable text for a code; never NULL. */
const char *mts_strerror(int code);

#endif
