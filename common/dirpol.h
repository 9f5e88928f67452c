/* dirpol.h - whether the configuration folder that install, configure and
 * prepare open may be worked in, and the mark by which prepare's rollback
 * knows the folder it made.
 *
 * The folder is opened without following a link (server/dirguard.c); the
 * facts read from that handle and from the path are judged here, so that
 * the rules are tested anywhere: Windows shows a link on the handle, Wine
 * only on the path (its handle reaches the link's target), so both count,
 * and anything that cannot be read is a refusal.
 *
 * The mark is kept where users cannot write (HKLM, datadir.c): the
 * folder's file ID and the owner and DACL prepare read back from it, as
 * "VOLUME:INDEX:SDDL" (hexadecimal numbers). The rollback acts only on a
 * folder that still has all three. Pure functions, no I/O. */
#ifndef MTS_DIRPOL_H
#define MTS_DIRPOL_H

#include <stddef.h>

struct dirpol_facts {
    int handle_is_link; /* the opened object is a reparse point */
    int path_is_link;   /* the path's attributes show a reparse point */
    int same_path;      /* the handle's final path is the path asked for */
    int is_folder;      /* a folder, not a file */
};

enum dirpol_verdict {
    DIRPOL_OK,
    DIRPOL_LINK,          /* a junction or symbolic link */
    DIRPOL_ELSEWHERE,     /* opens as another path: a link above or in it */
    DIRPOL_NOT_FOLDER,    /* a file has the folder's name */
};

/* The verdict on a folder from what its handle and path showed. Its owner
 * is judged next, from the same handle, by ownerpol_owner_trusted (through
 * confowner.c): only once it is known not to be a link, whose owner says
 * nothing of what it leads to. */
enum dirpol_verdict dirpol_judge(const struct dirpol_facts *f);

#define DIRPOL_SDDL_CAP 600
#define DIRPOL_MARK_CAP (DIRPOL_SDDL_CAP + 40)

struct dirpol_mark {
    unsigned long volume;     /* the volume's serial number */
    unsigned long long index; /* the file index on that volume */
    char sddl[DIRPOL_SDDL_CAP]; /* owner and DACL, as the system writes them */
};

/* Writes m as mark text into out (cap bytes). Returns 0, or -1 when it
 * does not fit or the SDDL is empty or holds a character it must not. */
int dirpol_format_mark(const struct dirpol_mark *m, char *out, size_t cap);

/* Reads mark text. Returns 0, or -1 for anything dirpol_format_mark would
 * not have written. */
int dirpol_parse_mark(const char *text, struct dirpol_mark *m);

enum dirpol_rollback {
    DIRPOL_ROLLBACK_REMOVE,     /* the folder prepare made: remove its known entries */
    DIRPOL_ROLLBACK_NO_ID,      /* no file ID to compare (zero): leave it */
    DIRPOL_ROLLBACK_OTHER,      /* another folder under that name: leave it */
    DIRPOL_ROLLBACK_CHANGED,    /* its owner or DACL changed since: leave it */
};

/* Whether the rollback may act on the folder found now, given the mark
 * prepare left when it made one. */
enum dirpol_rollback dirpol_rollback_plan(const struct dirpol_mark *made,
                                          const struct dirpol_mark *now);

#endif
