/* fuzz_command.c - the command parser over any line.
 *
 * Invariants: the argument lies inside the line, has no blank at either
 * end, and a line accepted holds no control character but tab and is UTF-8;
 * command_name() always gives a string. */
#include <string.h>

#include "command.h"
#include "fuzz.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any read past the line. */
    char *line = malloc(size ? size : 1);
    struct command cmd;
    int rc;

    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    rc = command_parse(line, size, &cmd);
    FUZZ_CHECK(command_name(cmd.verb) != NULL);
    if (rc != 0) {
        int control = 0;
        for (size_t i = 0; i < size; i++) {
            unsigned char c = (unsigned char)line[i];
            control |= (c < 0x20 && c != '\t') || c == 0x7f;
        }
        FUZZ_CHECK(rc < 0);
        FUZZ_CHECK(control || !utf8_is_valid(line, size));
    } else {
        FUZZ_CHECK(utf8_is_valid(line, size));
        for (size_t i = 0; i < size; i++) {
            unsigned char c = (unsigned char)line[i];
            FUZZ_CHECK((c >= 0x20 || c == '\t') && c != 0x7f);
        }
        FUZZ_CHECK(cmd.arg >= line && cmd.arg + cmd.arg_len <= line + size);
        if (cmd.arg_len > 0) {
            FUZZ_CHECK(cmd.arg[0] != ' ' && cmd.arg[0] != '\t');
            FUZZ_CHECK(cmd.arg[cmd.arg_len - 1] != ' ' && cmd.arg[cmd.arg_len - 1] != '\t');
            FUZZ_CHECK(cmd.verb != CMD_BLANK);
        }
    }
    free(line);
    return 0;
}
