# bench.mk - `make bench`: builds the benchmark tools and runs every figure of
# bench/README.md in one go (bench/run.py), printing a table and appending it
# to bench/RESULTS.md. Included from the Makefile; needs Linux (the reference
# server and the load generator are native) and Wine.

BENCH := $(BUILD)/bench
BENCH_HOST_CFLAGS := -std=c11 -Wall -Wextra -Wvla -Werror -O2 -pthread

# CLIENT_EXE is empty on a tree without the client; figure 5 then says "not built".
.PHONY: bench bench-tools
bench-tools: $(SERVER_EXE) $(CLIENT_EXE) $(BENCH)/refserver $(BENCH)/loadgen $(BENCH)/article_server.exe

$(BENCH)/refserver: bench/refserver.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_HOST_CFLAGS) -o $@ $<

$(BENCH)/loadgen: bench/loadgen.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_HOST_CFLAGS) -o $@ $<

# The article's design, linked with MSVC's default 1 MiB stack reserve.
$(BENCH)/article_server.exe: bench/article_server.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN $(LDFLAGS) \
	  -Wl,--stack,1048576 -o $@ $< -lws2_32

bench: bench-tools
	$(PYTHON) bench/run.py

# LIST of 10,000 entries and HASH of 1 GiB against sha256sum (issue 14).
.PHONY: bench-listhash
bench-listhash: $(SERVER_EXE)
	$(PYTHON) bench/listhash.py --record
