/* article_server.c - the article's server, re-created for bench/ as the
 * baseline every figure is compared with (Nish Nishant, "Beginning Winsock
 * Programming - Multithreaded TCP server with client", 2002).
 *
 * Kept as the article has it: a server thread that accepts with a backlog of
 * 10 and starts one thread per client with the default stack; the client
 * thread's 512-byte recv() taken as one whole command; "passwd" as the
 * password; SendFile's 1 KiB ReadFile + send loop, send() results unchecked;
 * the same reply texts. MFC is not available to MinGW, so AfxBeginThread
 * becomes _beginthreadex with the default stack (linked at MSVC's 1 MiB
 * default), CString becomes plain char arrays, CFile becomes CreateFileA and
 * ReadFile.
 *
 * Changed, because without the change nothing could be measured:
 *  - ParseCmd's test is inverted in the article (a line with a space is
 *    treated as a bare QUIT candidate), so AUTH and FILE could never work;
 *    it is written here as the text describes it.
 *  - recv() returning 0 (the peer closed) is treated as the end of the
 *    session; the article loops on it forever at full CPU.
 *  - The port comes from the command line (default 20248), and stdin
 *    reaching its end or an ESC byte stops it, since bench/ has no console.
 *  - buff[n] = 0 with n == 512 writes past the array in the article; the
 *    array has one more byte here.
 * Names are resolved against the current folder, as CFile does. */
#include <winsock2.h>
#include <windows.h>
#include <ctype.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SOCKET server = INVALID_SOCKET;
static unsigned short port = 20248;

/* "true means a valid command", as the article's text says. */
static int ParseCmd(const char *str, char *cmd, size_t cmdcap, char *params, size_t paramcap)
{
    char tmp[600];
    size_t len, start = 0, n;
    const char *sp;

    len = strlen(str);
    while (start < len && isspace((unsigned char)str[start]))
        start++;
    while (len > start && isspace((unsigned char)str[len - 1]))
        len--;
    if (len - start >= sizeof tmp)
        return 0;
    memcpy(tmp, str + start, len - start);
    tmp[len - start] = '\0';
    params[0] = '\0';
    sp = strchr(tmp, ' ');
    if (sp == NULL) {
        for (char *p = tmp; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (strcmp(tmp, "QUIT") != 0)
            return 0;
        snprintf(cmd, cmdcap, "%s", tmp);
        return 1;
    }
    n = (size_t)(sp - tmp);
    snprintf(cmd, cmdcap, "%.*s", (int)n, tmp);
    snprintf(params, paramcap, "%s", sp + 1);
    for (char *p = cmd; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (strcmp(cmd, "AUTH") != 0 && strcmp(cmd, "FILE") != 0)
        return 0;
    return 1;
}

static BOOL SendFile(SOCKET s, const char *fname)
{
    HANDLE f = CreateFileA(fname, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    char buff[1024];
    DWORD y;

    if (f == INVALID_HANDLE_VALUE)
        return FALSE;
    for (;;) {
        if (!ReadFile(f, buff, sizeof buff, &y, NULL))
            y = 0;
        send(s, buff, (int)y, 0);
        if (y < 1024) {
            CloseHandle(f);
            break;
        }
    }
    return TRUE;
}

static unsigned __stdcall ClientThread(void *pParam)
{
    char buff[513];
    char cmd[600], params[600];
    int n;
    BOOL auth = FALSE;
    SOCKET client = (SOCKET)(UINT_PTR)pParam;

    strcpy(buff, "#Server Ready.\r\n");
    send(client, buff, (int)strlen(buff), 0);
    for (;;) {
        n = recv(client, buff, 512, 0);
        if (n == SOCKET_ERROR || n == 0)
            break;
        buff[n] = 0;
        if (ParseCmd(buff, cmd, sizeof cmd, params, sizeof params)) {
            if (strcmp(cmd, "QUIT") == 0)
                break;
            if (strcmp(cmd, "AUTH") == 0) {
                if (strcmp(params, "passwd") == 0) {
                    auth = TRUE;
                    strcpy(buff, "#You are logged in.\r\n");
                } else {
                    strcpy(buff, "!Bad password.\r\n");
                }
                send(client, buff, (int)strlen(buff), 0);
            }
            if (strcmp(cmd, "FILE") == 0) {
                if (auth) {
                    if (SendFile(client, params))
                        snprintf(buff, sizeof buff, "#File %s sent successfully.\r\n", params);
                    else
                        snprintf(buff, sizeof buff, "!File %s could not be opened.\r\n", params);
                    send(client, buff, (int)strlen(buff), 0);
                } else {
                    strcpy(buff, "!You are not logged in.\r\n");
                    send(client, buff, (int)strlen(buff), 0);
                }
            }
        } else {
            strcpy(buff, "!Invalid command.\r\n");
            send(client, buff, (int)strlen(buff), 0);
        }
    }
    closesocket(client);
    return 0;
}

static unsigned __stdcall MTServerThread(void *pParam)
{
    struct sockaddr_in local, from;
    int fromlen = sizeof from;
    SOCKET client;

    (void)pParam;
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    local.sin_port = htons(port);
    server = socket(AF_INET, SOCK_STREAM, 0);
    if (server == INVALID_SOCKET)
        return 0;
    if (bind(server, (struct sockaddr *)&local, sizeof local) != 0)
        return 0;
    if (listen(server, 10) != 0)
        return 0;
    printf("listening on 127.0.0.1:%u\n", port);
    fflush(stdout);
    for (;;) {
        HANDLE t;
        fromlen = sizeof from;
        client = accept(server, (struct sockaddr *)&from, &fromlen);
        if (client == INVALID_SOCKET)
            continue;
        t = (HANDLE)_beginthreadex(NULL, 0, ClientThread, (void *)(UINT_PTR)client, 0, NULL);
        if (t != NULL)
            CloseHandle(t);
    }
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    HANDLE t;
    int ch;

    if (argc > 1)
        port = (unsigned short)atoi(argv[1]);
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    printf("Press ESCAPE to terminate program\r\n");
    t = (HANDLE)_beginthreadex(NULL, 0, MTServerThread, NULL, 0, NULL);
    if (t != NULL)
        CloseHandle(t);
    while ((ch = getchar()) != EOF && ch != 27)
        ;
    closesocket(server);
    WSACleanup();
    return 0;
}
