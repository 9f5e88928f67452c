/* reply.c - formatters for the reply lines that carry a value. */
#include "reply.h"

#include <stdio.h>
#include <string.h>

static size_t wrap(char *buf, size_t cap, const char *head, const char *mid, size_t mid_len,
                   const char *tail)
{
    size_t head_len = strlen(head), tail_len = strlen(tail);

    if (mid_len > cap || head_len + tail_len + 1 > cap - mid_len)
        return 0;
    memcpy(buf, head, head_len);
    memcpy(buf + head_len, mid, mid_len);
    memcpy(buf + head_len + mid_len, tail, tail_len + 1);
    return head_len + mid_len + tail_len;
}

size_t reply_file_sent(char *buf, size_t cap, const char *path, size_t path_len)
{
    return wrap(buf, cap, "#File ", path, path_len, " sent successfully.\r\n");
}

size_t reply_file_failed(char *buf, size_t cap, const char *path, size_t path_len)
{
    return wrap(buf, cap, "!File ", path, path_len, " could not be opened.\r\n");
}

static size_t with_number(char *buf, size_t cap, const char *head, uint64_t n, const char *tail)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);

    return wrap(buf, cap, head, digits, (size_t)len, tail);
}

size_t reply_sending(char *buf, size_t cap, uint64_t bytes)
{
    return with_number(buf, cap, "#Sending ", bytes, " bytes.\r\n");
}

size_t reply_restarting(char *buf, size_t cap, uint64_t offset)
{
    return with_number(buf, cap, "#Restarting at ", offset, ".\r\n");
}

size_t reply_list_failed(char *buf, size_t cap, const char *path, size_t path_len)
{
    if (path_len == 0)
        return wrap(buf, cap, "!Folder ", ".", 1, " could not be listed.\r\n");
    return wrap(buf, cap, "!Folder ", path, path_len, " could not be listed.\r\n");
}

size_t reply_hash(char *buf, size_t cap, const char *hex, const char *path, size_t path_len)
{
    char head[80];

    if (strlen(hex) != 64)
        return 0;
    snprintf(head, sizeof head, "#SHA-256 %s ", hex);
    return wrap(buf, cap, head, path, path_len, "\r\n");
}

size_t reply_hash_failed(char *buf, size_t cap, const char *path, size_t path_len)
{
    return wrap(buf, cap, "!File ", path, path_len, " could not be hashed.\r\n");
}

size_t reply_hash_changed(char *buf, size_t cap, const char *path, size_t path_len)
{
    return wrap(buf, cap, "!File ", path, path_len, " changed while it was hashed.\r\n");
}
