/* version.h - the one place the version number lives. The Makefile, the
 * resource scripts and the installer read it from here. */
#ifndef MTS_VERSION_H
#define MTS_VERSION_H

#define MTS_VERSION_MAJOR 0
#define MTS_VERSION_MINOR 1
#define MTS_VERSION_PATCH 0
#define MTS_VERSION "0.1.0"

#endif
