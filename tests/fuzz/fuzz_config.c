/* fuzz_config.c - the INI configuration parser and its in-place editor over
 * any bytes.
 *
 * Invariants: the message is a terminated string, set (and starting with
 * "line ") when parsing fails; on success every number is within its key's
 * range, every text value is terminated and non-empty when its key is set,
 * and config_apply leaves the command-line settings alone. An edit of a
 * file that parses gives a file that parses, with the new value in it. */
#include <string.h>

#include "config.h"
#include "fuzz.h"
#include "mts_error.h"

static struct config cfg, again;

static int terminated(const char *s)
{
    return memchr(s, '\0', CONFIG_TEXT_MAX) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    struct server_options o;
    char err[256], *out;
    size_t need = 0;
    int rc;

    memset(err, 'x', sizeof err);
    rc = config_parse(&cfg, buf, size, err, sizeof err);
    FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
    if (rc != 0) {
        FUZZ_CHECK(rc < 0 && strncmp(err, "line ", 5) == 0);
        return 0;
    }
    FUZZ_CHECK(cfg.port <= 65535);
    FUZZ_CHECK(cfg.max_clients >= 1 && cfg.max_clients <= 100000);
    FUZZ_CHECK(cfg.idle_timeout >= 1 && cfg.idle_timeout <= 86400);
    FUZZ_CHECK(cfg.log_max_bytes >= 4096 && cfg.log_max_bytes <= ((uint64_t)1 << 40));
    FUZZ_CHECK(terminated(cfg.bind) && terminated(cfg.root) && terminated(cfg.password_hash) &&
               terminated(cfg.log_file));
    FUZZ_CHECK(!(cfg.set & CONFIG_ROOT) || cfg.root[0] != '\0');

    options_init(&o);
    o.port = 7;
    o.set = OPTIONS_SET_PORT;
    config_apply(&cfg, &o);
    FUZZ_CHECK(o.port == 7);
    FUZZ_CHECK(!(cfg.set & CONFIG_ROOT) || o.root == cfg.root);

    rc = config_set_value(buf, size, "password_hash", "pbkdf2-sha256$1$a$b", NULL, 0, &need, err,
                          sizeof err);
    FUZZ_CHECK(rc == MTS_ENOSPC && need > 0);
    out = malloc(need);
    if (out == NULL)
        return 0;
    rc = config_set_value(buf, size, "password_hash", "pbkdf2-sha256$1$a$b", out, need, &need, err,
                          sizeof err);
    FUZZ_CHECK(rc == 0);
    rc = config_parse(&again, out, need, err, sizeof err);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(strcmp(again.password_hash, "pbkdf2-sha256$1$a$b") == 0);
    FUZZ_CHECK(again.port == cfg.port && strcmp(again.root, cfg.root) == 0);
    free(out);
    return 0;
}
