/* winacctname.c - Windows accounts' names: DOMAIN\name and name@domain
 * checked and split, which names go to Windows, and a SID as text (see
 * winacct.h; its sections are winacct.c's). */
#include "winacct.h"

#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "mts_error.h"
#include "utf8.h"

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void say(char *err, size_t errcap, const char *text)
{
    if (errcap > 0)
        snprintf(err, errcap, "%s", text);
}

/* The domain part: a NetBIOS or DNS name, or "." for this machine. */
static int check_domain(const char *s, size_t len, char *err, size_t errcap)
{
    size_t i;

    if (len == 0 || len > WINACCT_DOMAIN_MAX) {
        say(err, errcap, "a Windows account's domain must be 1 to 255 characters");
        return MTS_EINVAL;
    }
    for (i = 0; i < len; i++) {
        if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_') {
            say(err, errcap,
                "a Windows account's domain may hold only letters, digits, '.', "
                "'-' and '_'");
            return MTS_EBADCHAR;
        }
    }
    return 0;
}

/* The user part: what Windows takes in a logon name. */
static int check_user(const char *s, size_t len, char *err, size_t errcap)
{
    static const char refused[] = "\"/\\[]:;|=,+*?<>@";
    size_t i;

    if (len == 0 || len > WINACCT_USER_MAX) {
        say(err, errcap, "a Windows account's user name must be 1 to 416 bytes");
        return MTS_EINVAL;
    }
    if (!utf8_is_valid(s, len)) {
        say(err, errcap, "a Windows account's user name must be UTF-8");
        return MTS_EBADCHAR;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || (c < 0x80 && strchr(refused, (char)c) != NULL)) {
            say(err, errcap,
                "a Windows account's user name may not hold control characters "
                "or any of \" / \\ [ ] : ; | = , + * ? < > @");
            return MTS_EBADCHAR;
        }
    }
    /* Windows also refuses a name of only dots and spaces. */
    for (i = 0; i < len && (s[i] == '.' || s[i] == ' '); i++)
        ;
    if (i == len) {
        say(err, errcap, "a Windows account's user name may not be only dots and spaces");
        return MTS_EBADCHAR;
    }
    return 0;
}

int winacct_split_name(const char *name, size_t len, struct winacct_name *out, char *err,
                       size_t errcap)
{
    const char *back = len > 0 ? memchr(name, '\\', len) : NULL;
    const char *at = len > 0 ? memchr(name, '@', len) : NULL;
    const char *user, *domain;
    size_t ulen, dlen;
    int rc;

    if (len == 0 || len > WINACCT_NAME_MAX) {
        say(err, errcap, "a Windows account's name must be 1 to 512 bytes");
        return MTS_EINVAL;
    }
    if (memchr(name, '\0', len) != NULL) {
        say(err, errcap, "a Windows account's name may not hold a NUL byte");
        return MTS_EBADCHAR;
    }
    if ((back == NULL) == (at == NULL)) {
        say(err, errcap, "a Windows account is named DOMAIN\\name or name@domain");
        return MTS_ESYNTAX;
    }
    if (back != NULL) {
        out->form = WINACCT_FORM_DOWNLEVEL;
        domain = name;
        dlen = (size_t)(back - name);
        user = back + 1;
        ulen = len - dlen - 1;
    } else {
        /* The last '@' would do as well; the user part may not hold one. */
        out->form = WINACCT_FORM_UPN;
        user = name;
        ulen = (size_t)(at - name);
        domain = at + 1;
        dlen = len - ulen - 1;
    }
    rc = check_domain(domain, dlen, err, errcap);
    if (rc == 0)
        rc = check_user(user, ulen, err, errcap);
    if (rc != 0)
        return rc;
    memcpy(out->domain, domain, dlen);
    out->domain[dlen] = '\0';
    memcpy(out->user, user, ulen);
    out->user[ulen] = '\0';
    return 0;
}

enum winacct_route winacct_route_name(int windows_accounts, int in_store, const char *name,
                                      size_t len)
{
    if (!windows_accounts || in_store || len == 0)
        return WINACCT_ROUTE_STORE;
    if (memchr(name, '\\', len) != NULL || memchr(name, '@', len) != NULL)
        return WINACCT_ROUTE_WINDOWS;
    return WINACCT_ROUTE_STORE;
}

int winacct_check_user_name(const char *name, size_t len, int windows, char *err, size_t errcap)
{
    struct winacct_name parts;
    int rc = accounts_check_name(name, len, err, errcap);

    /* The store's names come first: "bob@corp" may be an account's. */
    if (rc == 0 || !windows || winacct_route_name(1, 0, name, len) != WINACCT_ROUTE_WINDOWS)
        return rc;
    return winacct_split_name(name, len, &parts, err, errcap);
}

size_t winacct_sid_text(const unsigned char *sid, size_t len, char *out, size_t cap)
{
    uint64_t authority = 0;
    size_t used, i, count;
    int w;

    if (len < 8 || sid[0] != 1 || sid[1] > 15 || len != 8 + 4u * sid[1])
        return 0;
    count = sid[1];
    for (i = 2; i < 8; i++)
        authority = authority << 8 | sid[i];
    w = snprintf(out, cap, "S-1-%llu", (unsigned long long)authority);
    if (w < 0 || (size_t)w >= cap)
        return 0;
    used = (size_t)w;
    for (i = 0; i < count; i++) {
        const unsigned char *p = sid + 8 + 4 * i;
        unsigned long sub = (unsigned long)p[0] | (unsigned long)p[1] << 8 |
                            (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
        w = snprintf(out + used, cap - used, "-%lu", sub);
        if (w < 0 || (size_t)w >= cap - used)
            return 0;
        used += (size_t)w;
    }
    return used;
}
