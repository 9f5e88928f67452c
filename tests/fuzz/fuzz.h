/* fuzz.h - what every fuzz target shares: the libFuzzer entry point's
 * declaration and a check that aborts (so libFuzzer saves the input) with
 * the broken invariant's text. Targets are built natively with clang
 * -fsanitize=fuzzer,address,undefined; see the Makefile's FUZZ_TARGETS. */
#ifndef MTS_FUZZ_H
#define MTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
