/* test_clientlist.c - a LIST answer as the client reads it, made with the
 * server's own formatters (common/listing.c, common/reply.c). */
#include "check.h"
#include "clientlist.h"
#include "listing.h"
#include "reply.h"

static struct clientlist cl;
static struct listing_entry got;
static char line[600];

/* Hands one made line over without its CR LF. */
static enum clientlist_step feed(size_t n)
{
    return clientlist_line(&cl, line, n - 2, &got);
}

static enum clientlist_step head(uint64_t count)
{
    return feed(listing_format_head(line, sizeof line, count));
}

static enum clientlist_step entry(const char *name, int is_dir)
{
    struct listing_entry e;

    memset(&e, 0, sizeof e);
    e.name = name;
    e.name_len = strlen(name);
    e.is_dir = is_dir;
    e.size = is_dir ? 0 : 1234;
    return feed(listing_format_entry(line, sizeof line, &e));
}

static enum clientlist_step end(uint64_t count)
{
    return feed(listing_format_end(line, sizeof line, count));
}

static void test_a_whole_listing(void)
{
    clientlist_begin(&cl);
    CHECK_INT(head(2), CLIENTLIST_MORE);
    CHECK_INT(entry("a b.txt", 0), CLIENTLIST_ENTRY);
    CHECK_MEM_STR(got.name, got.name_len, "a b.txt");
    CHECK_INT(got.size, 1234);
    CHECK_INT(got.is_dir, 0);
    CHECK_INT(entry("sub", 1), CLIENTLIST_ENTRY);
    CHECK_INT(got.is_dir, 1);
    CHECK_INT(end(2), CLIENTLIST_END);
    CHECK_INT(cl.seen, 2);
    clientlist_begin(&cl);
    CHECK_INT(head(0), CLIENTLIST_MORE);
    CHECK_INT(end(0), CLIENTLIST_END);
    CHECK_INT(cl.seen, 0);
}

/* The refusal in place of the head fails this folder only; after the head
 * it is a server out of step. */
static void test_folder_not_found(void)
{
    clientlist_begin(&cl);
    CHECK_INT(feed(reply_list_failed(line, sizeof line, "nothere", 7)), CLIENTLIST_NOT_FOUND);
    clientlist_begin(&cl);
    CHECK_INT(head(1), CLIENTLIST_MORE);
    CHECK_INT(feed(reply_list_failed(line, sizeof line, "nothere", 7)), CLIENTLIST_NONSENSE);
}

static void test_lines_out_of_order(void)
{
    clientlist_begin(&cl);
    CHECK_INT(entry("a", 0), CLIENTLIST_NONSENSE); /* an entry before the head */
    clientlist_begin(&cl);
    CHECK_INT(end(0), CLIENTLIST_NONSENSE);
    clientlist_begin(&cl);
    CHECK_INT(head(1), CLIENTLIST_MORE);
    CHECK_INT(head(1), CLIENTLIST_NONSENSE); /* a second head */
    clientlist_begin(&cl);
    CHECK_INT(clientlist_line(&cl, "#Server Ready.", 14, &got), CLIENTLIST_NONSENSE);
    clientlist_begin(&cl);
    CHECK_INT(clientlist_line(&cl, "", 0, &got), CLIENTLIST_NONSENSE);
    clientlist_begin(&cl);
    CHECK_INT(clientlist_line(&cl, "!Invalid command.", 17, &got), CLIENTLIST_NONSENSE);
}

/* The end line must count the entries that came, no more and no fewer. */
static void test_count_must_match(void)
{
    clientlist_begin(&cl);
    CHECK_INT(head(2), CLIENTLIST_MORE);
    CHECK_INT(entry("one", 0), CLIENTLIST_ENTRY);
    CHECK_INT(end(2), CLIENTLIST_MISCOUNT);
    CHECK_INT(cl.seen, 1);
    CHECK_INT(cl.said, 2);
    clientlist_begin(&cl);
    CHECK_INT(head(0), CLIENTLIST_MORE);
    CHECK_INT(entry("one", 0), CLIENTLIST_ENTRY);
    CHECK_INT(end(0), CLIENTLIST_MISCOUNT);
    CHECK_INT(cl.said, 0);
}

int main(void)
{
    RUN_TEST(test_a_whole_listing);
    RUN_TEST(test_folder_not_found);
    RUN_TEST(test_lines_out_of_order);
    RUN_TEST(test_count_must_match);
    return check_summary();
}
