/* connfiles.c - the commands that read the root: FILE, GET and REST send a
 * file, LIST a folder (folderlist.c), HASH a file's SHA-256 (filehash.c);
 * LIST and HASH each wait for a turn of their own. Each is logged once, with its
 * outcome, and answered on the client thread (connstate.h). */
#include "connstate.h"

#include <string.h>

#include "folderlist.h"
#include "listsend.h"
#include "pacedsend.h"
#include "reply.h"

enum step connfiles_serve_file(struct connection *c, const struct session_action *act)
{
    const char *path = act->arg;
    size_t path_len = act->arg_len;
    uint64_t offset = act->offset, size = 0, sent = 0;
    struct session_action next;
    HANDLE file = INVALID_HANDLE_VALUE;
    LARGE_INTEGER after;
    /* Two kinds of outcome, kept apart: a rootfs_result, then a transport_result. */
    int opened = rootfs_open(c->root, path, path_len, &file, &size);
    int sent_rc;
    enum step step;

    if (!session_file_opened(&c->session, opened == ROOTFS_OK, size, &next)) {
        connection_log_request(c, act, path, path_len, 0,
                               opened == ROOTFS_OK ? OUTCOME_BAD_OFFSET
                                                   : connection_open_failure(opened));
        step = connection_answer(c, &next);
        goto out;
    }
    if (next.kind == SA_REPLY && connection_say(c, next.text, next.text_len) == CLOSE) {
        step = CLOSE;
        goto out;
    }
    sent_rc = pacedsend_file(&c->tr, file, offset, size - offset, c->rate_limit,
                             connection_send_timeout_ms(c), c->cx->stop_event,
                             c->in_account ? c->acct.ended : NULL, &sent);
    /* A file that changed size while it went out was not sent as it is now. */
    if (sent_rc == 0 && (!GetFileSizeEx(file, &after) || (uint64_t)after.QuadPart != size))
        sent_rc = TRANSPORT_ERROR;
    /* Cut short because the account was removed, disabled or changed
     * (paced or not): the log says so, not just "aborted". */
    connection_log_request(c, act, path, path_len, sent,
                           sent_rc == 0                                        ? OUTCOME_OK
                           : sent_rc == TRANSPORT_STOPPED && connacct_ended(c) ? OUTCOME_ACCOUNT_ENDED
                                                                               : OUTCOME_ABORTED);
    session_file_done(&c->session, sent_rc == 0, &next);
    step = connection_answer(c, &next);
out:
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
    return step;
}

static int send_listing(void *arg, const char *buf, size_t len)
{
    struct connection *c = arg;

    return connection_say(c, buf, len) == CONTINUE ? 0 : -1;
}

enum step connfiles_serve_list(struct connection *c, const struct session_action *act)
{
    struct folderlist *f = NULL;
    struct session_action next;
    uint64_t entries = 0, bytes = 0;
    /* A LIST is work for the server's disk and CPU, not a transfer that the
     * drain period lets finish: either event ends it. */
    HANDLE stops[2];
    /* Two kinds of outcome, kept apart: a rootfs_result, then folderlist_send's. */
    int opened =
        folderlist_open(c->root, act->arg, act->arg_len, c->settings->list_hidden != 0, &f);
    int sent = LISTSEND_UNREADABLE;

    stops[0] = c->cx->stop_event;
    stops[1] = c->cx->drain_event;
    if (opened == ROOTFS_OK) {
        /* Wait for one of the listing turns, or for the server to stop. */
        HANDLE waits[3] = {stops[0], stops[1], c->cx->list_slots};
        if (WaitForMultipleObjects(3, waits, FALSE, INFINITE) != WAIT_OBJECT_0 + 2) {
            sent = LISTSEND_STOPPED;
        } else {
            sent = folderlist_send(f, stops, 2, send_listing, c, &entries, &bytes);
            ReleaseSemaphore(c->cx->list_slots, 1, NULL);
        }
    }
    folderlist_close(f);
    if (sent == LISTSEND_OK) {
        connection_log_request(c, act, act->arg, act->arg_len, bytes, OUTCOME_OK);
        return CONTINUE;
    }
    if (sent == LISTSEND_STOPPED) {
        connection_log_request(c, act, act->arg, act->arg_len, bytes, OUTCOME_SERVER_STOPPING);
        return CLOSE;
    }
    if (sent == LISTSEND_BROKEN) {
        connection_log_request(c, act, act->arg, act->arg_len, bytes, OUTCOME_ABORTED);
        return CLOSE;
    }
    /* Missing, forbidden or unreadable: the log tells which, the client
     * gets one answer for all. */
    connection_log_request(c, act, act->arg, act->arg_len, 0,
                           opened == ROOTFS_OK ? OUTCOME_FAILED : connection_open_failure(opened));
    session_list_failed(&c->session, &next);
    return connection_answer(c, &next);
}

enum step connfiles_serve_hash(struct connection *c, const struct session_action *act)
{
    struct filehash_result res;
    struct session_action next;
    enum outcome word = OUTCOME_OK;

    filehash_file(c->cx->hashes, c->root, act->arg, act->arg_len, c->cx->stop_event, &res);
    if (res.rootfs_rc != ROOTFS_OK)
        word = connection_open_failure(res.rootfs_rc);
    else if (res.outcome == SESSION_HASH_CHANGED)
        word = OUTCOME_CHANGED;
    else if (res.outcome != SESSION_HASH_OK)
        word = OUTCOME_FAILED;
    else if (res.cached)
        word = OUTCOME_CACHED;
    connection_log_request(c, act, act->arg, act->arg_len, res.bytes, word);
    session_hash_result(&c->session, res.outcome, res.hex, &next);
    return connection_answer(c, &next);
}
