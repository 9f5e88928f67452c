# bench.mk - `make bench`: builds the benchmark tools and runs every figure of
# bench/README.md in one go (bench/run.py), printing a table and appending it
# to bench/RESULTS.md. Included from the Makefile; needs Linux (the reference
# server and the load generator are native) and Wine.

BENCH := $(BUILD)/bench
BENCH_HOST_CFLAGS := -std=c11 -Wall -Wextra -Wvla -Werror -O2 -pthread

# The benches import the tests' helpers (tests/lib: harness) and bench/run.py
# from these folders, named here rather than by each script.
BENCH_PYTHONPATH := $(CURDIR)/tests/lib:$(CURDIR)/bench
BENCH_PYTHON := PYTHONPATH=$(BENCH_PYTHONPATH) $(PYTHON)

# CLIENT_EXE is empty on a tree without the client; figure 5 then says "not built".
.PHONY: bench bench-tools
bench-tools: $(SERVER_EXE) $(CLIENT_EXE) $(BENCH)/refserver $(BENCH)/loadgen $(BENCH)/article_server.exe \
  $(BENCH)/floor_server.exe $(BENCH)/wine_threads.exe $(BENCH)/floor_client.exe \
  $(BENCH)/socket_reuse.exe

$(BENCH)/refserver: bench/refserver.c bench/refcore.c bench/refcore.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_HOST_CFLAGS) -o $@ bench/refserver.c bench/refcore.c

# The same server over OpenSSL (libssl-dev), linked with the static libraries
# so that it runs inside the Wine 10 root too (see the head of osslref.c).
$(BENCH)/osslref: bench/tls/osslref.c bench/refcore.c bench/refcore.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_HOST_CFLAGS) -Ibench -o $@ bench/tls/osslref.c bench/refcore.c \
	  -Wl,-Bstatic -lssl -lcrypto -Wl,-Bdynamic

$(BENCH)/loadgen: bench/loadgen.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_HOST_CFLAGS) -o $@ $<

# The article's design, linked with MSVC's default 1 MiB stack reserve.
$(BENCH)/article_server.exe: bench/article_server.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -Wl,--stack,1048576 -o $@ $< -lws2_32

# The floor (issue 24): the plainest fast design under the same Wine, the
# figure mtserver's session rate and burst latency are held against.
$(BENCH)/floor_server.exe: bench/floor_server.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -o $@ $< -lws2_32 -lmswsock

# The client floor (issue 24, target 5): the plainest downloader to disk,
# figure 5's yardstick for mtsclient under the same Wine.
# Its "w" flushes as often as mtsclient does: WRITEBEHIND_EVERY, from the
# client's own header.
$(BENCH)/floor_client.exe: bench/floor_client.c bench/winfail.h client/writebehind.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -Ibench -Iclient -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -o $@ $< -lws2_32

# Wine's own cost of a waiting thread (issue 24, target 6): figure 4's
# yardstick for mtserver's own share of an idle connection.
$(BENCH)/wine_threads.exe: bench/wine_threads.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -o $@ $<

# Whether an accepted socket can take the next client (issue 24, target 4):
# run by hand, its answer is in RESULTS.md and docs/WINE.md.
$(BENCH)/socket_reuse.exe: bench/socket_reuse.c bench/winfail.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -Ibench -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -o $@ $< -lws2_32

bench: bench-tools
	$(BENCH_PYTHON) bench/run.py

# The RSA private-key operation alone, Nettle/GMP (dynamic: inside the Wine 10
# root, the ones Wine's GnuTLS loads) against OpenSSL (static, as osslref).
$(BENCH)/rsasign: bench/tls/rsasign.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_HOST_CFLAGS) -o $@ $< -lhogweed -lnettle -lgmp \
	  -Wl,-Bstatic -lcrypto -Wl,-Bdynamic

# The TLS floor (issue 24, target 4): the plainest Schannel server of the
# session tlsbench.py times, under the same Wine 10 as mtserver's TLS port.
$(BENCH)/floor_tls.exe: bench/tls/floor_tls.c bench/winfail.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -Ibench -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -o $@ $< -lws2_32 -lsecur32 -lcrypt32

# TLS beside plain under Wine 10, against osslref (issue 12). Needs the
# Wine 10 root (make wine10-root) and root rights, as tests/wine10/enter does.
.PHONY: bench-tls
bench-tls: $(SERVER_EXE) $(BENCH)/osslref $(BENCH)/rsasign $(BENCH)/floor_tls.exe
	WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix-wine10 tests/wine10/enter \
	  env PYTHONPATH=$(BENCH_PYTHONPATH) $(PYTHON) bench/tls/tlsbench.py --record

# LIST of 10,000 entries and HASH of 1 GiB against sha256sum (issue 14).
.PHONY: bench-listhash
bench-listhash: $(SERVER_EXE)
	$(BENCH_PYTHON) bench/listhash.py --record

# LIST of 100,000 and 1,000,000 entries (issue 19 item 4): time and the
# server's peak memory.
.PHONY: bench-listbig
bench-listbig: $(SERVER_EXE)
	$(BENCH_PYTHON) bench/listbig.py --record

# Login with 10 accounts and with 10,000 (issue 23): it must not grow.
.PHONY: bench-acctlogin
bench-acctlogin: $(SERVER_EXE)
	$(BENCH_PYTHON) bench/acctlogin.py --record

# The download rate limit (issue 23): delivered MiB/s at 1 and 4 MiB/s over
# about 10 s each, and the server's CPU seconds, beside an unpaced download
# and an idle server in the same run.
.PHONY: bench-ratelimit
bench-ratelimit: $(SERVER_EXE)
	$(BENCH_PYTHON) bench/ratelimit/ratelimit.py --record
