/* ownerpol.h - whom mtserver's configuration may belong to, and which
 * folders install and configure may lock down.
 *
 * The configuration file holds the password hash and says which folder is
 * served: whoever owns it, or the folder it is in, can read and rewrite it.
 * Ordinary users may create folders in ProgramData and own what they create,
 * so a folder or file is adopted only when its owner is trusted; anything
 * else is refused with a message rather than taken over.
 *
 * Pure decisions on SID strings and UTF-8 paths, so they can be tested
 * anywhere: under Wine every file reads as owned by the current user, and
 * only Windows shows the refusals (docs/ADMIN.md's check list). */
#ifndef MTS_OWNERPOL_H
#define MTS_OWNERPOL_H

/* 1 when something owned by owner_sid may hold the configuration:
 * Administrators, SYSTEM, TrustedInstaller, or self_sid, the account making
 * the check (the elevated administrator who installs; the service's own
 * account at start). No ordinary user can give a file to any of them. */
int ownerpol_owner_trusted(const char *owner_sid, const char *self_sid);

/* 1 when folder (a full path; '\' or '/' separators; "\\?\" and "\\.\"
 * prefixes allowed) is a volume's root: "C:", "C:\", "\\server\share",
 * "\\?\UNC\server\share\". Such a folder is never locked down. */
int ownerpol_is_volume_root(const char *folder);

enum ownerpol_plan {
    OWNERPOL_LOCK,        /* give the folder the configuration's permissions */
    OWNERPOL_LEAVE,       /* keep its permissions; protect only mtserver's files */
    OWNERPOL_REFUSE_ROOT, /* a volume's root: refuse the configuration path */
};

/* What install and configure do with the folder that holds the
 * configuration: a volume root is refused; the default folder, or one that
 * does not exist yet (mtserver will create it), is locked down; any other
 * folder an administrator named keeps its permissions. */
enum ownerpol_plan ownerpol_folder_plan(const char *folder, int is_default, int exists);

#endif
