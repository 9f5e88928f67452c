/* password.h - where the client's password comes from: the MTS_PASSWORD
 * environment variable, else a prompt on the console that does not echo,
 * else (stdin redirected) the first line of standard input. Never the
 * command line, where other users could read it from the process list. */
#ifndef MTS_PASSWORD_H
#define MTS_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MAX 1024

/* Writes the password, UTF-8 and NUL-terminated, to buf (at least
 * PASSWORD_MAX + 1 bytes). Returns 0, or -1 with a message in err. */
int password_get(char *buf, size_t cap, char *err, size_t errcap);

/* Overwrites the password in memory. */
void password_forget(char *buf, size_t cap);

#endif
