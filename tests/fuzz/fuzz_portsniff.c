/* fuzz_portsniff.c - the first-bytes checks (common/portsniff.c) over any
 * bytes, each prefix in turn, as a connection receives them.
 *
 * Invariants: the TLS port's verdict for a prefix never changes once it is
 * not PORTSNIFF_MORE, and MORE is only said of fewer than five bytes; TLS
 * only for a handshake header (22, 3, a length from 1 to 2^14); TEXT only
 * for a printable first byte; the plain port's check agrees with the first
 * two bytes; the port found in a plain answer is -1, 0 or a port number,
 * and a prefix that names one names the same one when more bytes come. */
#include <string.h>

#include "fuzz.h"
#include "portsniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    int settled = PORTSNIFF_MORE, named = -1;

    if (size > 1024)
        size = 1024; /* every prefix is checked: keep a run quick */

    for (size_t len = 0; len <= size; len++) {
        int v = portsniff_tls_record(buf, len), hello = portsniff_client_hello(buf, len);
        long port = portsniff_tls_port_named(buf, len);

        FUZZ_CHECK(settled == PORTSNIFF_MORE || v == settled);
        FUZZ_CHECK(v != PORTSNIFF_MORE || len < 5);
        if (v == PORTSNIFF_TLS)
            FUZZ_CHECK(data[0] == 22 && data[1] == 3 &&
                       ((size_t)data[3] << 8 | data[4]) >= 1 &&
                       ((size_t)data[3] << 8 | data[4]) <= PORTSNIFF_RECORD_MAX);
        if (v == PORTSNIFF_TEXT)
            FUZZ_CHECK(data[0] >= 0x20 && data[0] < 0x7f);
        if (len >= 2)
            FUZZ_CHECK(hello == (data[0] == 22 && data[1] == 3));
        FUZZ_CHECK(hello != 1 || v != PORTSNIFF_TEXT);
        FUZZ_CHECK(port >= -1 && port <= 65535);
        FUZZ_CHECK(named < 0 || port == named);
        if (port > 0 && named < 0)
            named = (int)port;
        settled = v;
    }
    FUZZ_CHECK(portsniff_plain_reply(buf, size) ==
               (size == 0 ? -1 : (data[0] == '#' || data[0] == '!')));
    return 0;
}
