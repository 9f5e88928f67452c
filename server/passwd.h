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

/* The password_hash to store: given (--hash) once it passes the check the
 * service makes, else the hash of a new password read by passwd_read_secret
 * (twice at a console) and refused when AUTH could never match it, made
 * with `iterations` (0: CREDENTIAL_ITERATIONS). Returns 0, 1 (hashing
 * failed) or 2 (bad input), with the reason printed. */
int passwd_new_hash(const char *given, unsigned long iterations, char *hash, size_t cap);

/* The commands' reading and writing of a file they edit (the configuration,
 * the account store), each saying on stderr what failed and what to do.
 * passwd_read_file: the whole file, at most max bytes, into a malloc'd *buf
 * (NULL, with *missing set, when it is not there); 0 or 5. passwd_check_writable: not
 * read-only, and path.new can be made beside it; 0 or 5.
 * passwd_replace_file: data in place of the file through path.new and
 * ReplaceFileW (settings_replace_file); 0 or 5. */
int passwd_read_file(const char *path, unsigned max, char **buf, size_t *len, int *missing);
int passwd_check_writable(const char *path);
int passwd_replace_file(const char *path, int existed, const char *data, size_t len);

#endif
