/* settingsnap.c - reference-counted settings in a replaceable slot (see
 * settingsnap.h). */
#include "settingsnap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses one list of the snapshot; a list not given admits everyone
 * (allow) or no one (deny): the empty ipacl, as calloc left it. */
static int parse_list(struct ipacl *acl, const char *name, const char *text, char *err,
                      size_t errcap)
{
    char why[200];

    if (text == NULL || ipacl_parse(acl, text, strlen(text), why, sizeof why) == 0)
        return 0;
    snprintf(err, errcap, "%s: %s", name, why);
    return -1;
}

struct settingsnap *settingsnap_make(const struct server_options *o, char *err, size_t errcap)
{
    struct server_options copy = *o;
    size_t need = options_own_texts(&copy, NULL, 0);
    struct settingsnap *snap = calloc(1, sizeof *snap + need);

    if (snap == NULL) {
        snprintf(err, errcap, "out of memory for the settings");
        return NULL;
    }
    options_own_texts(&copy, (char *)(snap + 1), need);
    /* A command's own texts point into argv; a running server reads none. */
    copy.hash = NULL;
    copy.user_name = NULL;
    copy.name_count = 0;
    memset((void *)copy.names, 0, sizeof copy.names);
    snap->s = copy;
    snap->refs = 1;
    if (parse_list(&snap->allow, "allow", copy.allow, err, errcap) != 0 ||
        parse_list(&snap->deny, "deny", copy.deny, err, errcap) != 0) {
        free(snap);
        return NULL;
    }
    return snap;
}

void settingsnap_release(struct settingsnap *snap)
{
    if (snap != NULL && InterlockedDecrement(&snap->refs) == 0)
        free(snap);
}

void settingsnap_slot_init(struct settingsnap_slot *slot)
{
    refslot_init(&slot->slot, NULL);
}

struct settingsnap *settingsnap_take(struct settingsnap_slot *slot)
{
    return refslot_take(&slot->slot, offsetof(struct settingsnap, refs));
}

void settingsnap_replace(struct settingsnap_slot *slot, struct settingsnap *next)
{
    settingsnap_release(refslot_swap(&slot->slot, next)); /* outside the slot's lock: it may free */
}

void settingsnap_slot_free(struct settingsnap_slot *slot)
{
    settingsnap_replace(slot, NULL);
}
