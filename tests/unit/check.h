/* check.h - the unit tests' small assertion set.
 *
 * A failed check prints file:line and both values, counts a failure and
 * returns from the test function; run_test() counts the rest as passed.
 * check_summary() prints the closing "N passed, N failed" line. */
#ifndef MTS_CHECK_H
#define MTS_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

extern int check_failed_now;

void check_fail(const char *file, int line, const char *expr, const char *detail);
void check_run(const char *name, void (*fn)(void));
int check_summary(void);

#define RUN_TEST(fn) check_run(#fn, fn)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            check_fail(__FILE__, __LINE__, #cond, "");                                             \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        if (check_a_ != check_b_) {                                                                \
            char check_d_[96];                                                                     \
            snprintf(check_d_, sizeof check_d_, "%lld != %lld", check_a_, check_b_);               \
            check_fail(__FILE__, __LINE__, #a " == " #b, check_d_);                                \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Compares a[0..alen) with the C string b. */
#define CHECK_MEM_STR(a, alen, b)                                                                  \
    do {                                                                                           \
        const char *check_a_ = (const char *)(a), *check_b_ = (b);                                 \
        size_t check_al_ = (size_t)(alen);                                                         \
        if (check_al_ != strlen(check_b_) || memcmp(check_a_, check_b_, check_al_) != 0) {         \
            char check_d_[300];                                                                    \
            snprintf(check_d_, sizeof check_d_, "\"%.*s\" != \"%s\"",                              \
                     (int)(check_al_ > 120 ? 120 : check_al_), check_a_, check_b_);                \
            check_fail(__FILE__, __LINE__, #a " == " #b, check_d_);                                \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b) CHECK_MEM_STR((a), strlen(a), (b))

#endif
