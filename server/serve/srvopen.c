/* srvopen.c - what the server opens from its settings (see srvopen.h). */
#include "srvopen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listener.h"
#include "server.h"
#include "wstr.h"

int srvopen_root(struct rootfs *r, const struct server_options *settings, char *err, size_t errcap)
{
    return rootfs_init(r, settings->root, err, errcap);
}

static int is_folder(const char *path)
{
    wchar_t *w = wstr_from_utf8(path, strlen(path));
    DWORD attr = w != NULL ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

    free(w);
    return attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY);
}

int srvopen_check_root(const struct server_options *settings, const char *from, char *err,
                       size_t errcap)
{
    if (settings->root == NULL) {
        snprintf(err, errcap, "%s sets no root folder", from);
        return -1;
    }
    if (!is_folder(settings->root)) {
        snprintf(err, errcap, "the root folder %s does not exist or is not a folder",
                 settings->root);
        return -1;
    }
    return 0;
}

int srvopen_certificate(const struct server_options *settings, struct tlscred **out, char *err,
                        size_t errcap)
{
    *out = NULL;
    if (settings->tls_certificate == NULL)
        return 0;
    *out = tlscred_open(settings->tls_certificate, settings->tls_pfx_password,
                        settings->tls_min_version, settings->tls_policy, NULL, err, errcap);
    return *out != NULL ? 0 : -1;
}

int srvopen_reload_certificate(struct tlscred_slot *slot, const struct server_options *now,
                               const struct server_options *next, char *info, size_t cap)
{
    return tlscred_reload(slot, next->tls_certificate, next->tls_pfx_password, now->tls_min_version,
                          now->tls_policy, info, cap);
}

void srvopen_keep_certificate(struct server_options *next, const struct server_options *now)
{
    options_copy_setting(next, now, SETTING_ID_tls_certificate);
}

int srvopen_listeners(const struct server_options *settings, int tls, SOCKET listener[2],
                      char *const where[2], size_t where_cap, char *err, size_t errcap)
{
    unsigned ports[2];

    /* options_ports decides from the settings; a TLS port opens only
     * where the caller has the certificate to serve on it. */
    options_ports(settings, ports);
    for (int i = 0; i < 2; i++) {
        int rc;
        if (ports[i] == OPTIONS_PORT_CLOSED || (i == 1 && !tls))
            continue;
        rc =
            listener_open(settings->bind, ports[i], &listener[i], where[i], where_cap, err, errcap);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int srvopen_check(const struct server_options *settings, char *err, size_t errcap)
{
    struct tlscred *cert = NULL;
    SOCKET listener[2] = {INVALID_SOCKET, INVALID_SOCKET};
    char plain[64], tls[64];
    char *const where[2] = {plain, tls};
    int rc;

    if (srvopen_certificate(settings, &cert, err, errcap) != 0)
        return SERVER_FAIL_CERTIFICATE;
    rc = srvopen_listeners(settings, cert != NULL, listener, where, sizeof plain, err, errcap);
    for (int i = 0; i < 2; i++) {
        if (listener[i] != INVALID_SOCKET)
            closesocket(listener[i]);
    }
    tlscred_release(cert);
    return rc;
}
