/* passwd.h - `mtserver passwd`: store a new password's hash in the configuration. */
#ifndef MTS_PASSWD_H
#define MTS_PASSWD_H

#include "options.h"

/* Asks for the password twice without echo on a console, or reads one line
 * from stdin when it is not a console (with --hash: takes that hash instead,
 * once it passes the service's check); writes password_hash into the
 * configuration file (--config FILE, else the default). Returns the process
 * exit code: 0 done, 1 failed, 2 bad input, 5 no right to write the file. */
int passwd_run(const struct server_options *opts);

/* One secret line: at a console typed without echo after prompt (twice,
 * and both must match, when twice is 1), else one line of stdin, as passwd
 * reads a new password. Its length, or -1 with the reason printed. At most
 * cap - 1 bytes (and 512 at a console). The caller wipes out. */
int passwd_read_secret(const char *prompt, int twice, char *out, size_t cap);

/* The password_hash to store: given (--hash) once it passes the check the
 * service makes, else the hash of a new password read by passwd_read_secret
 * (twice at a console) and refused when AUTH could never match it, made
 * with `iterations` (0: CREDENTIAL_ITERATIONS). Returns 0, 1 (hashing
 * failed) or 2 (bad input), with the reason printed. */
int passwd_new_hash(const char *given, unsigned long iterations, char *hash, size_t cap);

#endif
