/* fuzz_options.c - the command line parser over any argument list.
 *
 * The input is split at NUL bytes into argv[1..]. Invariants: the message is
 * a terminated string, set at least when parsing fails; numbers taken are
 * within their documented ranges; string options point into argv. */
#include <string.h>

#include "fuzz.h"
#include "options.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    char *argv[MAX_ARGS + 1];
    char err[256];
    struct server_options o;
    int argc = 1, rc;
    size_t start = 0;

    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    argv[0] = "mtserver";
    for (size_t i = 0; i <= size && argc < MAX_ARGS; i++) {
        if (i == size || copy[i] == '\0') {
            copy[i] = '\0';
            argv[argc++] = copy + start;
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    options_init(&o);
    memset(err, 'x', sizeof err);
    rc = options_parse(&o, argc, argv, err, sizeof err);
    FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && err[0] != '\0');
    } else {
        FUZZ_CHECK(o.port <= 65535);
        FUZZ_CHECK(o.max_clients >= 1 && o.max_clients <= 100000);
        FUZZ_CHECK(o.idle_timeout >= 1 && o.idle_timeout <= 86400);
        FUZZ_CHECK(o.send_timeout >= 1 && o.send_timeout <= 86400);
        FUZZ_CHECK(o.auth_window >= 1 && o.auth_ban_time >= 1);
        FUZZ_CHECK(o.root == NULL || (o.root >= copy && o.root <= copy + size));
        FUZZ_CHECK(o.bind == NULL || (o.bind >= copy && o.bind <= copy + size));
        FUZZ_CHECK(o.root == NULL || o.root[0] != '\0');
    }
    free(copy);
    return 0;
}
