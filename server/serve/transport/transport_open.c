/* transport_open.c - a transport by kind (see transport_open.h). */
#include "transport_open.h"

int transport_open(struct transport *t, enum transport_kind kind, SOCKET sock,
                   const struct transport_params *p)
{
    switch (kind) {
    case TRANSPORT_KIND_PLAIN: return transport_plain_open(t, sock, &p->plain);
    case TRANSPORT_KIND_TLS: return transport_tls_open(t, sock, &p->tls);
    }
    t->ops = NULL;
    t->ctx = NULL;
    return -1;
}
