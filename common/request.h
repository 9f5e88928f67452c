/* request.h - the request lines the client sends, made in one place.
 *
 * Every line mtsclient sends (USER, AUTH, GET, REST, LIST, HASH, QUIT, and
 * FILE, GET's other name) is made here: the verb's name as command.h spells
 * it, a space and the argument when there is one, CR LF. The argument is
 * checked, never cut or changed, so that the server's parser
 * (command_parse) reads back exactly this verb and this argument: no
 * control character but a tab inside it, UTF-8, no blank at either end,
 * and the line, CR LF not counted, no longer than the server's LINEBUF_MAX.
 * A CR or LF would end the line early and smuggle in a second command.
 *
 * Callers trim blanks themselves where the server would trim them anyway
 * (clientpath_trim_request, clientlogin_auth_line). Pure functions: any
 * thread may call them. */
#ifndef MTS_REQUEST_H
#define MTS_REQUEST_H

#include <stddef.h>

#include "command.h"
#include "linebuf.h"

/* The longest request line, CR LF included: a buffer this big always fits. */
#define REQUEST_LINE_MAX (LINEBUF_MAX + 2)

/* 0 when verb and arg[0..len) make a request line; else why not:
 * MTS_EINVAL for a verb the protocol does not have, or an argument to QUIT;
 * MTS_EMISSING for no argument where the verb needs one (all but QUIT,
 * LIST and HELP); MTS_EBADCHAR for a NUL, CR, LF or other control
 * character, bytes that are not UTF-8, a blank at either end, or a REST
 * offset that is not decimal digits; MTS_ETOOLONG when the line would be
 * longer than LINEBUF_MAX. arg may be NULL when len is 0. */
int request_check(enum command_verb verb, const char *arg, size_t len);

/* Writes "VERB arg\r\n" ("VERB\r\n" when len is 0) to out and returns its
 * length; 0, with nothing written, when request_check refuses or the line
 * does not fit cap bytes. */
size_t request_format(enum command_verb verb, const char *arg, size_t len, char *out,
                      size_t cap);

#endif
