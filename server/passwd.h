/* passwd.h - `mtserver passwd`: store a new password's hash in the configuration. */
#ifndef MTS_PASSWD_H
#define MTS_PASSWD_H

#include "options.h"

/* Asks for the password twice without echo on a console, or reads one line
 * from stdin when it is not a console; writes password_hash into the
 * configuration file (opts->config, else the default). Returns the process
 * exit code: 0 done, 1 failed, 2 bad input, 5 no right to write the file. */
int passwd_run(const struct server_options *opts);

#endif
