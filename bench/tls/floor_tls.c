/* floor_tls.c - the TLS floor (issue 24, targets 3 and 4): the plainest
 * Schannel server of the session and the download bench/tls/tlsbench.py
 * times (TLS handshake, greeting, AUTH, FILE or GET, QUIT, close_notify),
 * built with MinGW and run under the same Wine 10 as mtserver's TLS port,
 * so that what a TLS session and a TLS download cost under Wine's Schannel
 * is measured rather than inferred: its rate, its server CPU (this process
 * and its wineserver) and its wineserver requests stand beside mtserver's
 * in the same run. Not part of the product.
 *
 * No more than a session needs: one credential acquired at start
 * (AcquireCredentialsHandle over the PFX's certificate, TLS 1.2 as Wine 10
 * offers), THREADS threads made once, each looping on a blocking accept()
 * of the one listener (no queue, no events), blocking recv/send with
 * SO_RCVTIMEO/SO_SNDTIMEO as the only timeouts, TCP_NODELAY as mtserver,
 * the AcceptSecurityContext loop, and Encrypt/DecryptMessage per line. A
 * file is read with ReadFile straight into the payload of full records
 * (SecPkgContext_StreamSizes' maximum message, 16 KiB), each sealed in
 * place by EncryptMessage, RECORDS_PER_SEND records per blocking send();
 * no rate limit. (One ReadFile per send, its payloads then moved into
 * their records, was tried: no faster.) No gate on handshakes, no stop or
 * drain, no logs: what mtserver adds over this is its own cost, what this
 * costs is Wine's and Schannel's.
 *
 * Usage: floor_tls.exe ROOT PFX PFX_PASSWORD PASSWORD [PORT]   (0 or
 * absent: any free port). Files are served from the folder ROOT, by name
 * only: a name with a path separator or ".." is refused. Prints "listening
 * on 127.0.0.1:PORT"; stdin's end or an ESC byte stops it, and the key
 * container its import made is deleted then. Replies are mtserver's texts
 * (common/reply.h) for the lines it knows. */
#include <winsock2.h>
#include <windows.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <security.h>
#include <schannel.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winfail.h"

#define THREADS 8
#define TIMEOUT_MS 20000
/* A whole TLS record (5 + 16,384 + 256 under Wine) and then some. */
#define IN_CAP (64u << 10)
/* Room for one sealed record of a file: Wine's 5 + 16,384 + 256 (Windows'
 * header and trailer are shorter); a context that asks for more is refused
 * a file. */
#define RECORD_CAP ((16u << 10) + 512u)
/* Records sealed per send() of a file. Under Wine every send costs about
 * 60-75 us of server CPU (two wineserver requests and the switches they
 * cost) whatever its size, so the rate rises with the records per send up
 * to about 256 (4 MiB) and flattens there (bench/RESULTS.md, "Issue 24
 * target 3: the TLS floor's download"). 19 is what issue 24's memory
 * budget allows a downloading connection, as mtserver's FILE_EXTRA_BYTES:
 * four records and as many as 256 KiB more hold. The floor keeps that
 * budget, so that it measures the design the target asks for, not more
 * memory. -D overrides it for a try. */
#ifndef RECORDS_PER_SEND
#define RECORDS_PER_SEND 19
#endif
#define FLAGS                                                                                      \
    (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY |                   \
     ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)

static SOCKET listener = INVALID_SOCKET;
static CredHandle cred;
static const char *root;
static const char *password;

/* One connection: its socket, its context, the bytes received and not yet
 * used (in[0..have)), and the records of a file on their way out. */
struct conn {
    SOCKET s;
    CtxtHandle ctx;
    int have_ctx;
    int logged_in;
    SecPkgContext_StreamSizes sizes;
    char in[IN_CAP];
    unsigned have;
    char out[RECORDS_PER_SEND * RECORD_CAP];
};

static void sec_buffer(SecBuffer *b, unsigned long type, void *p, unsigned long len)
{
    b->BufferType = type;
    b->pvBuffer = p;
    b->cbBuffer = len;
}

static int send_all(SOCKET s, const char *p, unsigned len)
{
    while (len > 0) {
        int n = send(s, p, (int)len, 0);
        if (n <= 0)
            return -1;
        p += n;
        len -= (unsigned)n;
    }
    return 0;
}

static int recv_more(struct conn *c)
{
    int n;

    if (c->have == IN_CAP)
        return -1;
    n = recv(c->s, c->in + c->have, (int)(IN_CAP - c->have), 0);
    if (n <= 0)
        return -1;
    c->have += (unsigned)n;
    return 0;
}

/* Keeps the SECBUFFER_EXTRA bytes (the start of the next record) at the
 * front of the buffer, or empties it when there are none. */
static void keep_extra(struct conn *c, const SecBuffer *b)
{
    if (b->BufferType == SECBUFFER_EXTRA && b->cbBuffer > 0) {
        memmove(c->in, c->in + c->have - b->cbBuffer, b->cbBuffer);
        c->have = b->cbBuffer;
    } else {
        c->have = 0;
    }
}

/* The AcceptSecurityContext loop; 0 when the handshake is done. */
static int handshake(struct conn *c)
{
    for (;;) {
        SecBuffer ib[2], ob[1];
        SecBufferDesc in = {SECBUFFER_VERSION, 2, ib}, out = {SECBUFFER_VERSION, 1, ob};
        ULONG attrs = 0;
        SECURITY_STATUS st;

        if (c->have == 0 && recv_more(c) != 0)
            return -1;
        sec_buffer(&ib[0], SECBUFFER_TOKEN, c->in, c->have);
        sec_buffer(&ib[1], SECBUFFER_EMPTY, NULL, 0);
        sec_buffer(&ob[0], SECBUFFER_TOKEN, NULL, 0);
        st = AcceptSecurityContext(&cred, c->have_ctx ? &c->ctx : NULL, &in, FLAGS, 0, &c->ctx,
                                   &out, &attrs, NULL);
        if (st == SEC_E_INCOMPLETE_MESSAGE) {
            if (recv_more(c) != 0)
                return -1;
            continue;
        }
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
            c->have_ctx = 1;
        if (ob[0].pvBuffer != NULL) {
            int sent = send_all(c->s, ob[0].pvBuffer, ob[0].cbBuffer);
            FreeContextBuffer(ob[0].pvBuffer);
            if (sent != 0)
                return -1;
        }
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
            return -1;
        keep_extra(c, &ib[1]);
        if (st == SEC_E_OK)
            return QueryContextAttributesW(&c->ctx, SECPKG_ATTR_STREAM_SIZES, &c->sizes) == SEC_E_OK
                       ? 0
                       : -1;
    }
}

/* Seals the len bytes already at rec + cbHeader into one record in place;
 * its length (the trailer may be shorter than its room), 0 on failure. */
static unsigned seal(struct conn *c, char *rec, unsigned len)
{
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

    sec_buffer(&b[0], SECBUFFER_STREAM_HEADER, rec, c->sizes.cbHeader);
    sec_buffer(&b[1], SECBUFFER_DATA, rec + c->sizes.cbHeader, len);
    sec_buffer(&b[2], SECBUFFER_STREAM_TRAILER, rec + c->sizes.cbHeader + len, c->sizes.cbTrailer);
    sec_buffer(&b[3], SECBUFFER_EMPTY, NULL, 0);
    if (EncryptMessage(&c->ctx, 0, &d, 0) != SEC_E_OK)
        return 0;
    return b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
}

/* One line, sealed in one record and sent. */
static int say(struct conn *c, const char *text)
{
    char rec[512];
    unsigned len = (unsigned)strlen(text), rec_len;

    if (c->sizes.cbHeader + len + c->sizes.cbTrailer > sizeof rec)
        return -1;
    memcpy(rec + c->sizes.cbHeader, text, len);
    rec_len = seal(c, rec, len);
    return rec_len > 0 ? send_all(c->s, rec, rec_len) : -1;
}

/* The file's size bytes from where its pointer stands, as full records
 * read into place and sealed there, RECORDS_PER_SEND per send(). */
static int send_records(struct conn *c, HANDLE f, unsigned long long size)
{
    unsigned max = c->sizes.cbMaximumMessage;

    if (c->sizes.cbHeader + max + c->sizes.cbTrailer > RECORD_CAP)
        return -1;
    while (size > 0) {
        unsigned used = 0;
        for (int i = 0; i < RECORDS_PER_SEND && size > 0; i++) {
            char *rec = c->out + used;
            DWORD want = size < max ? (DWORD)size : max, got = 0;
            unsigned rec_len;
            if (!ReadFile(f, rec + c->sizes.cbHeader, want, &got, NULL) || got != want)
                return -1; /* the file shrank or cannot be read */
            rec_len = seal(c, rec, got);
            if (rec_len == 0)
                return -1;
            used += rec_len;
            size -= got;
        }
        if (send_all(c->s, c->out, used) != 0)
            return -1;
    }
    return 0;
}

/* FILE (counted 0) and GET (counted 1, "#Sending N bytes." first) of a
 * file in the root, by name; 0 while the session goes on. */
static int send_file(struct conn *c, const char *name, int counted)
{
    char path[MAX_PATH], reply[400];
    HANDLE f = INVALID_HANDLE_VALUE;
    LARGE_INTEGER size;
    int rc = -1;

    /* The only check a bench needs: the name stays inside the root (no
     * separator, no drive's colon, no ".."). */
    if (strpbrk(name, "/\\:") == NULL && strstr(name, "..") == NULL &&
        snprintf(path, sizeof path, "%s\\%s", root, name) < (int)sizeof path)
        f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                        FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (f == INVALID_HANDLE_VALUE || !GetFileSizeEx(f, &size)) {
        snprintf(reply, sizeof reply, "!File %s could not be opened.\r\n", name);
        rc = say(c, reply);
        goto out;
    }
    snprintf(reply, sizeof reply, "#Sending %llu bytes.\r\n", (unsigned long long)size.QuadPart);
    if ((counted && say(c, reply) != 0) || send_records(c, f, (unsigned long long)size.QuadPart))
        goto out;
    snprintf(reply, sizeof reply, "#File %s sent successfully.\r\n", name);
    rc = say(c, reply);
out:
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    return rc;
}

/* close_notify: the shutdown token, then the alert it makes, sent. */
static void close_notify(struct conn *c)
{
    DWORD kind = SCHANNEL_SHUTDOWN;
    SecBuffer b[1];
    SecBufferDesc d = {SECBUFFER_VERSION, 1, b};
    ULONG attrs = 0;

    sec_buffer(&b[0], SECBUFFER_TOKEN, &kind, sizeof kind);
    if (ApplyControlToken(&c->ctx, &d) != SEC_E_OK)
        return;
    sec_buffer(&b[0], SECBUFFER_TOKEN, NULL, 0);
    if (AcceptSecurityContext(&cred, &c->ctx, NULL, FLAGS, 0, &c->ctx, &d, &attrs, NULL) ==
            SEC_E_OK &&
        b[0].pvBuffer != NULL)
        send_all(c->s, b[0].pvBuffer, b[0].cbBuffer);
    if (b[0].pvBuffer != NULL)
        FreeContextBuffer(b[0].pvBuffer);
}

/* One command line (CR LF taken off); 1 while the session goes on. */
static int command(struct conn *c, const char *line)
{
    if (_stricmp(line, "QUIT") == 0)
        return 0;
    if (_strnicmp(line, "AUTH ", 5) == 0) {
        c->logged_in = strcmp(line + 5, password) == 0;
        return say(c, c->logged_in ? "#You are logged in.\r\n" : "!Bad password.\r\n") == 0;
    }
    if (_strnicmp(line, "FILE ", 5) == 0 || _strnicmp(line, "GET ", 4) == 0) {
        int counted = line[0] == 'G' || line[0] == 'g';
        if (!c->logged_in)
            return say(c, "!You are not logged in.\r\n") == 0;
        return send_file(c, line + (counted ? 4 : 5), counted) == 0;
    }
    return say(c, "!Invalid command.\r\n") == 0;
}

/* Decrypts records and runs the lines in them until QUIT or an error.
 * Lines are short: one is taken from one record's plaintext. */
static void serve_lines(struct conn *c)
{
    char line[256];
    unsigned used = 0;

    for (;;) {
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS st;
        int i;

        if (c->have == 0 && recv_more(c) != 0)
            return;
        sec_buffer(&b[0], SECBUFFER_DATA, c->in, c->have);
        for (i = 1; i < 4; i++) {
            sec_buffer(&b[i], SECBUFFER_EMPTY, NULL, 0);
        }
        st = DecryptMessage(&c->ctx, &d, 0, NULL);
        if (st == SEC_E_INCOMPLETE_MESSAGE) {
            if (recv_more(c) != 0)
                return;
            continue;
        }
        if (st != SEC_E_OK)
            return; /* the client's close_notify, or a bad record */
        for (i = 1; i < 4; i++) {
            if (b[i].BufferType != SECBUFFER_DATA)
                continue;
            for (unsigned k = 0; k < b[i].cbBuffer; k++) {
                char ch = ((char *)b[i].pvBuffer)[k];
                if (ch == '\n') {
                    line[used > 0 && line[used - 1] == '\r' ? used - 1 : used] = '\0';
                    used = 0;
                    if (!command(c, line)) {
                        close_notify(c);
                        return;
                    }
                } else if (used < sizeof line - 1) {
                    line[used++] = ch;
                }
            }
        }
        /* Only the EXTRA buffer's bytes (the next record's start) stay. */
        for (i = 1; i < 4 && b[i].BufferType != SECBUFFER_EXTRA; i++)
            ;
        keep_extra(c, &b[i < 4 ? i : 3]);
    }
}

static void serve(struct conn *c)
{
    DWORD ms = TIMEOUT_MS;
    BOOL one = TRUE;

    setsockopt(c->s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
    setsockopt(c->s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof ms);
    setsockopt(c->s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    c->have = 0;
    c->have_ctx = 0;
    c->logged_in = 0;
    if (handshake(c) == 0 && say(c, "#Server Ready.\r\n") == 0)
        serve_lines(c);
    if (c->have_ctx)
        DeleteSecurityContext(&c->ctx);
}

/* Each of the THREADS threads accepts and serves one client at a time. */
static unsigned __stdcall worker(void *arg)
{
    struct conn *c = malloc(sizeof *c);

    (void)arg;
    if (c == NULL)
        return 1;
    for (;;) {
        c->s = accept(listener, NULL, NULL);
        if (c->s == INVALID_SOCKET)
            continue;
        serve(c);
        closesocket(c->s);
    }
}

/* The PFX's certificate with its private key, imported as mtserver does
 * (a persisted key: Schannel refuses an ephemeral one). */
static PCCERT_CONTEXT load_certificate(const char *path, const char *pass)
{
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CRYPT_DATA_BLOB blob = {0, NULL};
    wchar_t wpass[256];
    HCERTSTORE store;
    PCCERT_CONTEXT cert = NULL;
    DWORD got = 0, size;

    if (f == INVALID_HANDLE_VALUE)
        return NULL;
    size = GetFileSize(f, NULL);
    blob.pbData = malloc(size);
    if (blob.pbData == NULL || !ReadFile(f, blob.pbData, size, &got, NULL) || got != size) {
        CloseHandle(f);
        return NULL;
    }
    CloseHandle(f);
    blob.cbData = size;
    MultiByteToWideChar(CP_UTF8, 0, pass, -1, wpass, 256);
    store = PFXImportCertStore(&blob, wpass, CRYPT_USER_KEYSET);
    free(blob.pbData);
    if (store == NULL)
        return NULL;
    while ((cert = CertEnumCertificatesInStore(store, cert)) != NULL) {
        DWORD n = 0;
        if (CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &n))
            return cert;
    }
    return NULL;
}

/* Deletes the key container the PFX import made (under Wine, named after
 * the user), so that a later import of any PFX in this prefix makes its
 * own, as tests/tls expects (mtserver deletes its containers likewise). */
static void delete_key(PCCERT_CONTEXT cert)
{
    CRYPT_KEY_PROV_INFO *kpi;
    HCRYPTPROV prov;
    DWORD size = 0;

    if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) ||
        (kpi = malloc(size)) == NULL)
        return;
    if (CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, kpi, &size))
        CryptAcquireContextW(&prov, kpi->pwszContainerName, kpi->pwszProvName, kpi->dwProvType,
                             (kpi->dwFlags & CRYPT_MACHINE_KEYSET) | CRYPT_DELETEKEYSET);
    free(kpi);
}

static int fail(const char *what, unsigned long code)
{
    return winfail("floor_tls", what, code);
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    int alen = sizeof a, ch, i;
    WSADATA wsa;
    SCHANNEL_CRED sc;
    PCCERT_CONTEXT cert;
    SECURITY_STATUS st;

    if (argc < 5) {
        fprintf(stderr, "usage: floor_tls.exe ROOT PFX PFX_PASSWORD PASSWORD [PORT]\n");
        return 2;
    }
    root = argv[1];
    password = argv[4];
    cert = load_certificate(argv[2], argv[3]);
    if (cert == NULL)
        return fail("the PFX's certificate with its key", GetLastError());
    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = 1;
    sc.paCred = &cert;
    sc.grbitEnabledProtocols = SP_PROT_TLS1_2_SERVER;
    sc.dwFlags = SCH_CRED_NO_SYSTEM_MAPPER | SCH_USE_STRONG_CRYPTO;
    st = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL, &sc,
                                   NULL, NULL, &cred, NULL);
    if (st != SEC_E_OK) {
        delete_key(cert);
        return fail("AcquireCredentialsHandle", (unsigned long)st);
    }

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)(argc > 5 ? atoi(argv[5]) : 0));
    listener =
        WSAStartup(MAKEWORD(2, 2), &wsa) == 0 ? socket(AF_INET, SOCK_STREAM, 0) : INVALID_SOCKET;
    if (listener == INVALID_SOCKET || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(listener, SOMAXCONN) != 0 || getsockname(listener, (struct sockaddr *)&a, &alen)) {
        delete_key(cert);
        return fail("the listener", (unsigned long)WSAGetLastError());
    }
    for (i = 0; i < THREADS; i++) {
        HANDLE t = (HANDLE)_beginthreadex(NULL, 64u << 10, worker, NULL,
                                          STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (t != NULL)
            CloseHandle(t);
    }
    printf("listening on 127.0.0.1:%u\n", ntohs(a.sin_port));
    fflush(stdout);
    while ((ch = getchar()) != EOF && ch != 27)
        ;
    delete_key(cert);
    return 0;
}
