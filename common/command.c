/* command.c - protocol line parser (see command.h). */
#include "command.h"

#include "mts_error.h"
#include "utf8.h"

static const struct {
    const char *name;
    enum command_verb verb;
} verbs[] = {
    {"QUIT", CMD_QUIT}, {"AUTH", CMD_AUTH}, {"FILE", CMD_FILE},
    {"GET", CMD_GET},   {"REST", CMD_REST}, {"HELP", CMD_HELP},
    {"LIST", CMD_LIST}, {"HASH", CMD_HASH}, {"USER", CMD_USER},
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int ascii_upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int verb_matches(const char *name, const char *word, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (name[i] == '\0' || ascii_upper((unsigned char)word[i]) != name[i])
            return 0;
    }
    return name[i] == '\0';
}

int command_parse(const char *line, size_t len, struct command *out)
{
    size_t start = 0, end = len, word_end;

    out->verb = CMD_BLANK;
    out->arg = line;
    out->arg_len = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return MTS_EBADCHAR;
    }
    if (!utf8_is_valid(line, len))
        return MTS_EBADCHAR;

    while (start < end && is_blank(line[start]))
        start++;
    while (end > start && is_blank(line[end - 1]))
        end--;
    if (start == end)
        return 0;

    word_end = start;
    while (word_end < end && !is_blank(line[word_end]))
        word_end++;

    out->verb = CMD_UNKNOWN;
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
        if (verb_matches(verbs[v].name, line + start, word_end - start)) {
            out->verb = verbs[v].verb;
            break;
        }
    }
    while (word_end < end && is_blank(line[word_end]))
        word_end++;
    out->arg = line + word_end;
    out->arg_len = end - word_end;
    return 0;
}

const char *command_password_problem(const char *pw, size_t len)
{
    if (len == 0)
        return "is empty";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)pw[i];
        if (c < 0x20 || c == 0x7f)
            return "has a control character (tab, newline, ...), which AUTH refuses";
    }
    if (!utf8_is_valid(pw, len))
        return "is not valid UTF-8 text";
    if (is_blank(pw[0]) || is_blank(pw[len - 1]))
        return "begins or ends with a blank, which AUTH trims";
    return NULL;
}

const char *command_name(enum command_verb verb)
{
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
        if (verbs[v].verb == verb)
            return verbs[v].name;
    }
    return verb == CMD_BLANK ? "-" : "?";
}
