/* plainpol.c - where the password may go without TLS (see plainpol.h). */
#include "plainpol.h"

#include <stdio.h>
#include <string.h>

enum plainpol_reach plainpol_reach(int tls, int plain_flag, const char *env_plain)
{
    /* Only an exact "1": a variable left at "0" or empty must not open the
     * door by being set at all. */
    int env_says = env_plain != NULL && strcmp(env_plain, "1") == 0;

    return tls || plain_flag || env_says ? PLAINPOL_ANYWHERE : PLAINPOL_LOOPBACK_ONLY;
}

int plainpol_is_loopback(const unsigned char *addr, size_t len)
{
    static const unsigned char v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                  0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (addr == NULL)
        return 0;
    if (len == 4)
        return addr[0] == 127;
    if (len != 16)
        return 0;
    if (memcmp(addr, v6_loopback, 16) == 0)
        return 1;
    /* A dual-stack socket reaches IPv4's loopback through the mapped form. */
    return memcmp(addr, v4_mapped, 12) == 0 && addr[12] == 127;
}

void plainpol_refusal(char *buf, size_t cap, const char *host, unsigned tls_port)
{
    snprintf(buf, cap,
             "not sending the password in clear to %s (not a loopback address): use --tls with "
             "the server's TLS port (-p %u unless it was changed), or --plain (or MTS_PLAIN=1) "
             "to send it in clear anyway",
             host, tls_port);
}
