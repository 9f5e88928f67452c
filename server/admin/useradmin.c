/* useradmin.c - `mtserver user` (see useradmin.h).
 *
 * Every change goes the same way: the store's folder and file are checked
 * for their owners as the configuration is (the store holds password
 * hashes), the whole store is read and must parse, what can be checked is
 * checked before a password is asked for, common/accounts.c's editors make
 * the new text (every other byte kept), and passwd.c's helpers put it in
 * place through accounts.ini.new and ReplaceFileW, so a crash leaves the
 * old store or the new one and the file keeps its permissions. The clear
 * password stays inside passwd_new_hash(); only its hash is written. One
 * thread; between processes, a change holds accounts.ini.lock (opened
 * without sharing) from its read to its write, so that two `mtserver user`
 * commands at once do not each write the store without the other's
 * change. */
#include "useradmin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "accounts.h"
#include "confowner.h"
#include "inifile.h"
#include "mts_error.h"
#include "passwd.h"
#include "pwhash.h"
#include "settings.h"
#include "termsafe.h"
#include "winerr.h"
#include "wstr.h"

#define PATH_CAP (MAX_PATH * 3 + 16)
/* Room an edit may add to the store: a section's keys, its longest values
 * (a root of ACCOUNTS_VALUE_MAX bytes, a hash) and line endings. */
#define EDIT_GROWTH (2 * ACCOUNTS_VALUE_MAX + PWHASH_TEXT_MAX + 256)
/* How long a change waits for another one's lock, and how often it looks.
 * A change holds it for a PBKDF2 and a write: well under a second. */
#define LOCK_WAIT_MS 10000
#define LOCK_RETRY_MS 50
/* A lock being deleted by the change before answers access denied for a
 * moment; longer, it is a denial. */
#define LOCK_DENIED_MS 1000

/* The store as read: its text (NULL when missing) and its table. */
struct store {
    char path[PATH_CAP];
    char *text;
    size_t len;
    int missing;
    struct accounts *table;
    HANDLE lock; /* accounts.ini.lock while a change holds it, else INVALID_HANDLE_VALUE */
};

static void store_close(struct store *s)
{
    free(s->text);
    accounts_free(s->table);
    /* Deleted as it closes (FILE_FLAG_DELETE_ON_CLOSE): nothing stays. */
    if (s->lock != INVALID_HANDLE_VALUE)
        CloseHandle(s->lock);
    s->lock = INVALID_HANDLE_VALUE;
}

/* Whether the lock just opened at h is a file of its own: not a link
 * (by its path, where Wine shows a Unix symlink, and by the handle, where
 * Windows shows a reparse point opened as itself), so that deleting it on
 * close deletes nothing else. */
static int lock_is_own_file(HANDLE h, const wchar_t *path)
{
    BY_HANDLE_FILE_INFORMATION fi;
    DWORD attr = GetFileAttributesW(path), n;
    wchar_t full[PATH_CAP + 16], final[PATH_CAP + 16];
    const wchar_t *name = final;

    if (attr == INVALID_FILE_ATTRIBUTES || (attr & FILE_ATTRIBUTE_REPARSE_POINT) ||
        !GetFileInformationByHandle(h, &fi) ||
        (fi.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY)))
        return 0;
    /* Under Wine a Unix symlink to a file shows neither: the file the
     * handle reached has another name than the one opened. */
    n = GetFullPathNameW(path, PATH_CAP + 16, full, NULL);
    if (n == 0 || n >= PATH_CAP + 16)
        return 0;
    n = GetFinalPathNameByHandleW(h, final, PATH_CAP + 16, FILE_NAME_NORMALIZED);
    if (n == 0 || n >= PATH_CAP + 16)
        return 0;
    if (wcsncmp(name, L"\\\\?\\", 4) == 0)
        name += 4;
    return CompareStringOrdinal(name, -1, full, -1, TRUE) == CSTR_EQUAL;
}

/* Takes accounts.ini.lock: a file beside the store, opened with no
 * sharing, so a second opener fails with a sharing violation until the
 * first closes it (and, as it is being deleted then, access denied for a
 * moment). It is opened as itself, never through a link, and deleted on
 * close only once it is known to be a file of its own. Waits LOCK_WAIT_MS
 * for another change, LOCK_DENIED_MS for a denial. Returns 0, 6 when
 * another change holds it, else 5 (no right, no folder, a link) with the
 * reason. The caller has checked the folder's owner. */
static int store_lock(struct store *s)
{
    char path[PATH_CAP + 8], why[300];
    ULONGLONG start = GetTickCount64();
    FILE_DISPOSITION_INFO gone = {TRUE};
    wchar_t *w;
    DWORD e = 0;

    snprintf(path, sizeof path, "%s.lock", s->path);
    w = wstr_from_utf8(path, strlen(path));
    if (w == NULL) {
        fprintf(stderr, "mtserver: the file name %s is not valid UTF-8\n", path);
        return 2;
    }
    for (;;) {
        ULONGLONG waited = GetTickCount64() - start;
        s->lock = CreateFileW(w, GENERIC_WRITE | DELETE, 0 /* no sharing: the lock */, NULL,
                              OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT,
                              NULL);
        if (s->lock != INVALID_HANDLE_VALUE)
            break;
        e = GetLastError();
        if (!(winerr_kind(e) == WINERR_BUSY && waited < LOCK_WAIT_MS) &&
            !(winerr_kind(e) == WINERR_DENIED && waited < LOCK_DENIED_MS))
            break;
        Sleep(LOCK_RETRY_MS);
    }
    if (s->lock != INVALID_HANDLE_VALUE && !lock_is_own_file(s->lock, w)) {
        CloseHandle(s->lock); /* not deleted: it is not ours */
        s->lock = INVALID_HANDLE_VALUE;
        free(w);
        fprintf(stderr, "mtserver: %s is a link or a folder, not a lock file: remove it; nothing "
                        "was changed\n", path);
        return 5;
    }
    free(w);
    if (s->lock != INVALID_HANDLE_VALUE) {
        if (!SetFileInformationByHandle(s->lock, FileDispositionInfo, &gone, sizeof gone)) {
            e = GetLastError();
            CloseHandle(s->lock);
            s->lock = INVALID_HANDLE_VALUE;
            fprintf(stderr, "mtserver: cannot take the lock %s: %s; nothing was changed\n", path,
                    winerr_text(e, why, sizeof why));
            return 5;
        }
        return 0;
    }
    if (winerr_kind(e) == WINERR_BUSY) {
        fprintf(stderr,
                "mtserver: another 'mtserver user' has been changing %s for %u s (it holds "
                "%s); try again when it is done; nothing was changed\n",
                s->path, LOCK_WAIT_MS / 1000u, path);
        return 6;
    }
    /* A missing folder by its exact code: the kind lumps it with a file. */
    fprintf(stderr, "mtserver: cannot take the lock %s: %s%s; nothing was changed\n", path,
            winerr_text(e, why, sizeof why),
            winerr_kind(e) == WINERR_DENIED ? " (run from an elevated prompt)"
            : e == ERROR_PATH_NOT_FOUND     ? " (its folder does not exist: create it, or name "
                                              "another file with --config)"
                                            : "");
    return 5;
}

/* Finds, checks, reads and parses the store. Returns 0 or the exit code. */
static int store_open(const struct server_options *opts, struct store *s)
{
    char config[PATH_CAP], err[1024];
    enum confowner_mode mode;
    int rc;

    memset(s, 0, sizeof *s);
    s->lock = INVALID_HANDLE_VALUE;
    if (settings_config_path_of(opts, config, sizeof config, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    if (accounts_path_beside(config, s->path, sizeof s->path) != 0) {
        fprintf(stderr, "mtserver: the path of the account store beside %s is too long\n", config);
        return 1;
    }
    /* Listing changes nothing, so it only checks; a change claims what the
     * running account owns for Administrators, as passwd does. */
    mode = opts->user_action == OPTIONS_USER_LIST ? CONFOWNER_CHECK : CONFOWNER_CLAIM;
    /* A change holds the lock from this read to its write (store_close),
     * taken in a folder whose owner is checked first: nothing is made in
     * a folder a user could have planted. */
    if (mode == CONFOWNER_CLAIM) {
        if (confowner_check_config(s->path, mode, err, sizeof err) != 0) {
            fprintf(stderr, "mtserver: %s\n", err);
            return 1;
        }
        rc = store_lock(s);
        if (rc != 0)
            return rc;
    }
    rc = inifile_read(s->path, mode, ACCOUNTS_FILE_MAX, &s->text, &s->len, &s->missing);
    if (rc != 0)
        return rc;
    if (accounts_parse(s->text != NULL ? s->text : "", s->len, &s->table, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s %s; nothing was changed\n", s->path, err);
        return 1;
    }
    return 0;
}

/* The account named, or NULL with "no such account" said. */
static const struct account *find(const struct store *s, const char *name)
{
    const struct account *a = accounts_find(s->table, name, strlen(name));

    if (a == NULL)
        fprintf(stderr, "mtserver: there is no account named '%s' in %s\n", name, s->path);
    return a;
}

/* A new store opens with a word on what it is; its CRLF endings are the
 * ones every section added later takes, as in mtserver.ini. */
static const char new_store[] =
    "; mtserver's accounts (docs/ADMIN.md): change them with 'mtserver user'\r\n"
    "; or here; a running server reads a change within a few seconds.\r\n";

/* The exit code of an editor's refusal (its message is in err). */
static int edit_code(int rc)
{
    switch (rc) {
    case MTS_ENOTFOUND: return 3;
    case MTS_EEXIST: return 4;
    case MTS_ENOSPC: return 1;
    default: return 2;
    }
}

/* Writes the store's new text out[0..len) in place of the old. */
static int store_write(const struct store *s, const char *out, size_t len)
{
    return inifile_replace(s->path, !s->missing, out, len);
}

/* The password_hash of a new or changed account (skip: the one changed;
 * NULL for a new one), with the iteration count of the store's other
 * accounts, so that the store keeps one: a typed password is hashed with
 * it, and a --hash with another count is refused (exit 2), since a store
 * that mixes counts lets the time of an answer tell names apart
 * (docs/SECURITY.md). A store without another account takes any count. */
static int new_hash(const struct server_options *opts, const struct store *s,
                    const struct account *skip, char *hash, size_t cap)
{
    const struct account *odd = NULL;
    unsigned long want = 0;
    struct pwhash given;
    char why[200];
    enum accounts_iterations kind = accounts_iterations(s->table, skip, &want, &odd);

    if (kind == ACCOUNTS_ITER_MIXED)
        fprintf(stderr,
                "mtserver: warning: %s mixes PBKDF2 iteration counts (%lu, and another at "
                "[account %s]); this change takes %lu\n",
                s->path, want, odd != NULL ? odd->name : "?", want);
    if (opts->hash != NULL && want != 0 &&
        pwhash_parse(&given, opts->hash, strlen(opts->hash), why, sizeof why) == 0 &&
        given.iterations != want) {
        fprintf(stderr,
                "mtserver: --hash has %lu PBKDF2 iterations and the accounts in %s have %lu: "
                "a store keeps one count, or the time of an answer tells names apart "
                "(docs/SECURITY.md); make the hash with %lu; nothing was changed\n",
                given.iterations, s->path, want, want);
        return 2;
    }
    return passwd_new_hash(opts->hash, want, hash, cap);
}

/* --root DIR as a full path, which must be an existing folder. Returns 0
 * with the UTF-8 path in out, or 2 with the reason printed. */
static int take_root(const char *given, char *out, size_t cap)
{
    wchar_t full[MAX_PATH * 2];
    char why[300];
    DWORD attr, e;

    if (wstr_full_path(given, full, sizeof full / sizeof full[0]) != 0) {
        fprintf(stderr, "mtserver: --root %s: not a usable path\n", given);
        return 2;
    }
    attr = GetFileAttributesW(full);
    e = GetLastError();
    wstr_to_utf8_buf(full, out, cap);
    if (attr == INVALID_FILE_ATTRIBUTES &&
        winerr_kind(e) == WINERR_NOT_FOUND) {
        fprintf(stderr, "mtserver: --root %s does not exist; nothing was changed\n", out);
        return 2;
    }
    if (attr == INVALID_FILE_ATTRIBUTES) {
        fprintf(stderr, "mtserver: --root %s: %s; nothing was changed\n", out,
                winerr_text(e, why, sizeof why));
        return 2;
    }
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
        fprintf(stderr, "mtserver: --root %s is not a folder; nothing was changed\n", out);
        return 2;
    }
    return 0;
}

static int user_add(const struct server_options *opts, struct store *s)
{
    const struct account *old = accounts_find(s->table, opts->user_name, strlen(opts->user_name));
    char root[MAX_PATH * 6], hash[PWHASH_TEXT_MAX], err[512], *out = NULL;
    struct account_new a;
    size_t out_len = 0;
    int rc;

    if (old != NULL) {
        fprintf(stderr, "mtserver: an account named '%s' exists already (%s line %u)\n", old->name,
                s->path, old->line);
        return 4;
    }
    rc = take_root(opts->user_root, root, sizeof root);
    if (rc == 0)
        rc = inifile_check_writable(s->path);
    if (rc == 0)
        rc = new_hash(opts, s, NULL, hash, sizeof hash);
    if (rc != 0)
        return rc;
    memset(&a, 0, sizeof a);
    a.name = opts->user_name;
    a.password_hash = hash;
    a.root = root;
    a.enabled = 1;
    out = malloc(s->len + sizeof new_store + EDIT_GROWTH);
    rc = out == NULL  ? MTS_ENOSPC
         : s->missing ? accounts_add(new_store, sizeof new_store - 1, &a, out,
                                     sizeof new_store + EDIT_GROWTH, &out_len, err, sizeof err)
                      : accounts_add(s->text, s->len, &a, out, s->len + EDIT_GROWTH, &out_len, err,
                                     sizeof err);
    SecureZeroMemory(hash, sizeof hash);
    if (rc != 0) {
        fprintf(stderr, "mtserver: %s; nothing was changed\n", out == NULL ? "out of memory" : err);
        rc = edit_code(rc);
    } else {
        rc = store_write(s, out, out_len);
    }
    if (rc == 0)
        printf("mtserver: account %s added to %s (root %s)\n", a.name, s->path, root);
    free(out);
    return rc;
}

/* remove, passwd, disable, enable: one editor call on an account that
 * exists; key NULL removes it. */
static int user_change(struct store *s, const char *name, const char *key, const char *value,
                       const char *done)
{
    char err[512], *out = malloc(s->len + EDIT_GROWTH);
    const char *text = s->text != NULL ? s->text : "";
    size_t out_len = 0;
    int rc;

    if (out == NULL) {
        fprintf(stderr, "mtserver: out of memory\n");
        return 1;
    }
    rc = key == NULL ? accounts_remove(text, s->len, name, out, s->len + EDIT_GROWTH, &out_len, err,
                                       sizeof err)
                     : accounts_set(text, s->len, name, key, value, out, s->len + EDIT_GROWTH,
                                    &out_len, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "mtserver: %s in %s; nothing was changed\n", err, s->path);
        rc = edit_code(rc);
    } else {
        rc = store_write(s, out, out_len);
    }
    SecureZeroMemory(out, s->len + EDIT_GROWTH);
    free(out);
    if (rc == 0)
        printf("mtserver: account %s %s in %s\n", name, done, s->path);
    return rc;
}

static int user_remove(struct store *s, const char *name)
{
    const struct account *a = find(s, name);

    return a == NULL ? 3 : user_change(s, a->name, NULL, NULL, "removed");
}

static int user_passwd(const struct server_options *opts, struct store *s)
{
    const struct account *a = find(s, opts->user_name);
    char hash[PWHASH_TEXT_MAX];
    int rc;

    if (a == NULL)
        return 3;
    rc = inifile_check_writable(s->path);
    if (rc == 0)
        rc = new_hash(opts, s, a, hash, sizeof hash);
    if (rc != 0)
        return rc;
    rc = user_change(s, a->name, "password_hash", hash, "has a new password");
    SecureZeroMemory(hash, sizeof hash);
    return rc;
}

static int user_enable(struct store *s, const char *name, int enable)
{
    const struct account *a = find(s, name);

    if (a == NULL)
        return 3;
    if (a->enabled == enable) {
        printf("mtserver: account %s is %s already; nothing was changed\n", a->name,
               enable ? "enabled" : "disabled");
        return 0;
    }
    return user_change(s, a->name, "enabled", enable ? "yes" : "no",
                       enable ? "enabled" : "disabled");
}

/* One account a line, in the file's order: name, root (quoted: a Windows
 * path has no '"'), state, limits (0: the global setting). Nothing secret. */
static int user_list(const struct store *s)
{
    size_t n = accounts_count(s->table);

    if (n == 0)
        fprintf(stderr, "mtserver: no accounts in %s%s\n", s->path,
                s->missing ? " (it does not exist yet)" : "");
    for (size_t i = 0; i < n; i++) {
        const struct account *a = accounts_at(s->table, i);
        char root[ACCOUNTS_VALUE_MAX * TERMSAFE_GROWTH + 1];
        termsafe_escape(a->root, strlen(a->root), root, sizeof root);
        printf("%s \"%s\" %s max_sessions=%u rate_limit=%llu\n", a->name, root,
               a->enabled ? "enabled" : "disabled", a->max_sessions,
               (unsigned long long)a->rate_limit);
    }
    return 0;
}

int useradmin_run(const struct server_options *opts)
{
    struct store s;
    int rc = store_open(opts, &s);

    if (rc == 0) {
        switch (opts->user_action) {
        case OPTIONS_USER_ADD: rc = user_add(opts, &s); break;
        case OPTIONS_USER_REMOVE: rc = user_remove(&s, opts->user_name); break;
        case OPTIONS_USER_LIST: rc = user_list(&s); break;
        case OPTIONS_USER_PASSWD: rc = user_passwd(opts, &s); break;
        case OPTIONS_USER_DISABLE: rc = user_enable(&s, opts->user_name, 0); break;
        case OPTIONS_USER_ENABLE: rc = user_enable(&s, opts->user_name, 1); break;
        default: rc = 2; break;
        }
    }
    store_close(&s);
    return rc;
}
