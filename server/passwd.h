/* passwd.h - `mtserver passwd`: store a new password's hash in the configuration. */
#ifndef MTS_PASSWD_H
#define MTS_PASSWD_H

#include "options.h"

/* Asks for the password twice without echo on a console, or reads one line
 * from stdin when it is not a console (with --hash: takes that hash instead,
 * once it passes the service's check); writes password_hash into the
 * configuration file (opts->config, else the default). Returns the process
 * exit code: 0 done, 1 failed, 2 bad input, 5 no right to write the file. */
int passwd_run(const struct server_options *opts);

/* Sets key = value in the configuration file at path (made when missing),
 * through path.new and ReplaceFileW, keeping every other byte and the file's
 * permissions; says what failed on stderr. Returns 0, 1, or 5 (no right to
 * read or write the file). */
int passwd_set_key(const char *path, const char *key, const char *value);

/* One secret line: at a console typed without echo after prompt (twice,
 * and both must match, when twice is 1), else one line of stdin, as passwd
 * reads a new password. Its length, or -1 with the reason printed. At most
 * cap - 1 bytes (and 512 at a console). The caller wipes out. */
int passwd_read_secret(const char *prompt, int twice, char *out, size_t cap);

/* What passwd_set_key(path, key, ...) will need, checked before anything
 * is made (cert makes keys and certificates, passwd asks for a password):
 * the file readable (or missing) and parseable, not read-only, and its
 * folder there and writable. Says what is wrong on stderr. Returns 0, 1
 * (the file does not parse) or 5 (no right to read or write it). */
int passwd_check_key(const char *path, const char *key);

#endif
