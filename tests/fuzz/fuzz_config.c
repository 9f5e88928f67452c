/* fuzz_config.c - the INI configuration parser over any file, and its
 * in-place edit.
 *
 * Invariants: a parse fails with a negative code and a message, or succeeds
 * with every number in its documented range and every text NUL-terminated;
 * setting a key in a file that parses (at the end or in an example line's
 * place) gives a file that parses back with the new value and every other
 * setting as it was. */
#include <string.h>

#include "config.h"
#include "fuzz.h"

static struct config a, b;
static char out[1 << 17];

static int terminated(const char *s)
{
    return memchr(s, '\0', CONFIG_TEXT_MAX) != NULL;
}

/* Sets max_clients in the file buf[0..size), which parsed into a (at_example:
 * in the place of its example line, if any), and parses the result back. */
static void check_set(const char *buf, size_t size, int at_example)
{
    char err[256];
    size_t outlen = 0;
    int rc;

    if (size >= sizeof out - 64)
        return;
    rc = at_example ? config_set_value_at_example(buf, size, "max_clients", "77", out,
                                                  sizeof out, &outlen, err, sizeof err)
                    : config_set_value(buf, size, "max_clients", "77", out, sizeof out,
                                       &outlen, err, sizeof err);
    if (rc != 0)
        return;
    FUZZ_CHECK(outlen <= sizeof out);
    FUZZ_CHECK(config_parse(&b, out, outlen, err, sizeof err) == 0);
    FUZZ_CHECK(b.max_clients == 77);
    FUZZ_CHECK(b.port == a.port && strcmp(b.root, a.root) == 0);
    FUZZ_CHECK(strcmp(b.password_hash, a.password_hash) == 0);
    FUZZ_CHECK(b.send_timeout == a.send_timeout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    char err[256];
    int rc;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    rc = config_parse(&a, buf, size, err, sizeof err);
    FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL || rc == 0);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && err[0] != '\0');
        free(buf);
        return 0;
    }
    FUZZ_CHECK(a.port <= 65535 && a.max_clients >= 1 && a.max_clients <= 100000);
    FUZZ_CHECK(a.idle_timeout >= 1 && a.idle_timeout <= 86400);
    FUZZ_CHECK(a.send_timeout >= 1 && a.auth_window >= 1 && a.auth_ban_time >= 1);
    FUZZ_CHECK(terminated(a.bind) && terminated(a.root) && terminated(a.password_hash) &&
               terminated(a.log_file));
    check_set(buf, size, 0);
    check_set(buf, size, 1);
    free(buf);
    return 0;
}
