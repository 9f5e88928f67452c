/* underwine.h - whether this program runs under Wine.
 *
 * For the few places where Wine and Windows differ in a way the program
 * must answer differently: names Wine makes from Unix paths (the server's
 * root check, server/serve/rootfs.c) and the disk's writing behind a file
 * that Linux does not start (mtsclient, client/writebehind.h).
 * docs/WINE.md says why for each. */
#ifndef MTS_UNDERWINE_H
#define MTS_UNDERWINE_H

int underwine_running(void);

#endif
