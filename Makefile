# mtserver - MinGW build, on Linux (cross compiler, tests under Wine) or on
# Windows (MSYS2, native gcc). MSVC builds from mtserver.sln; the source lists
# below are the truth that tests/build/test_vcxproj_sync.py holds the
# .vcxproj files to.

UNAME := $(shell uname -s)
ifneq (,$(findstring MINGW,$(UNAME))$(findstring MSYS,$(UNAME)))
  ON_WINDOWS := 1
  CC := gcc
  WINDRES := windres
  WINDMC := windmc
  RUN :=
else
  ON_WINDOWS :=
  CC := x86_64-w64-mingw32-gcc
  WINDRES := x86_64-w64-mingw32-windres
  WINDMC := x86_64-w64-mingw32-windmc
  RUN := wine
endif
HOSTCC ?= cc
PYTHON ?= python3

# Wine keeps its own Windows in a prefix; ours lives in build/ so tests never
# touch the user's ~/.wine. No Mono or Gecko prompts: we need neither.
export WINEPREFIX := $(CURDIR)/build/wineprefix
export WINEDEBUG ?= -all
export WINEDLLOVERRIDES ?= mscoree,mshtml=

BUILD := build
CFLAGS_COMMON := -std=c11 -Wall -Wextra -Wvla -Werror
CFLAGS := $(CFLAGS_COMMON) -O2 -Icommon -Icommon/win -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN
LDFLAGS := -static -static-libgcc
LDLIBS := -lws2_32 -lmswsock -lbcrypt -lshell32
HOST_CFLAGS := $(CFLAGS_COMMON) -g -O1 -Icommon -fsanitize=address,undefined -fno-sanitize-recover=all

# --- source lists (keep in step with the .vcxproj files) ---
COMMON_SRC := \
	common/accesslog.c \
	common/clientopts.c \
	common/clientpath.c \
	common/command.c \
	common/config.c \
	common/ctcmp.c \
	common/linebuf.c \
	common/mts_error.c \
	common/numparse.c \
	common/options.c \
	common/pathpol.c \
	common/progress.c \
	common/pwhash.c \
	common/reply.c \
	common/replyparse.c \
	common/session.c \
	common/utf8.c
COMMON_WIN_SRC := \
	common/win/args.c \
	common/win/sockio.c \
	common/win/winerr.c \
	common/win/wstr.c
SERVER_SRC := \
	server/connection.c \
	server/console.c \
	server/credential.c \
	server/eventlog.c \
	server/listener.c \
	server/logsink.c \
	server/main.c \
	server/passwd.c \
	server/pbkdf2.c \
	server/rootfs.c \
	server/server.c \
	server/service.c \
	server/settings.c \
	server/svcctl.c \
	server/transfer.c \
	server/workers.c
CLIENT_SRC := \
	client/conn.c \
	client/download.c \
	client/main.c \
	client/password.c \
	client/say.c
UNIT_TESTS := accesslog clientopts clientpath command config ctcmp linebuf mts_error numparse options pathpol progress pwhash reply replyparse session utf8
# Unit tests of Win32 modules: built as .exe only, each linked with the
# platform sources named in its own prerequisite line below.
WIN_ONLY_UNIT_TESTS := logsink pbkdf2
UNIT_SUPPORT := tests/unit/check.c

SERVER_EXE := $(BUILD)/mtserver.exe
CLIENT_EXE := $(BUILD)/mtsclient.exe
HOST_UNIT := $(UNIT_TESTS:%=$(BUILD)/host/test_%)
WIN_UNIT := $(UNIT_TESTS:%=$(BUILD)/win/test_%.exe) $(WIN_ONLY_UNIT_TESTS:%=$(BUILD)/win/test_%.exe)

.PHONY: all deps run test unit clean print-%
all: $(SERVER_EXE) $(CLIENT_EXE)

$(BUILD)/win/%.o: %.c $(wildcard common/*.h common/win/*.h server/*.h client/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The Event Log's message table (server/messages.mc), linked into mtserver.exe.
MESSAGES_OBJ := $(BUILD)/win/server/messages.res.o
$(MESSAGES_OBJ): server/messages.mc
	@mkdir -p $(dir $@)
	$(WINDMC) -h $(dir $@) -r $(dir $@) $<
	$(WINDRES) -I$(dir $@) $(dir $@)messages.rc -o $@

$(SERVER_EXE): $(patsubst %.c,$(BUILD)/win/%.o,$(COMMON_SRC) $(COMMON_WIN_SRC) $(SERVER_SRC)) $(MESSAGES_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CLIENT_EXE): $(patsubst %.c,$(BUILD)/win/%.o,$(COMMON_SRC) $(COMMON_WIN_SRC) $(CLIENT_SRC))
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests: the portable core under ASan+UBSan with the host compiler, and
# the same tests cross-built to run under Wine (or natively on MSYS2).
$(BUILD)/host/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(COMMON_SRC) $(wildcard common/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(COMMON_SRC)

$(BUILD)/win/test_%.exe: tests/unit/test_%.c $(UNIT_SUPPORT) $(COMMON_SRC) $(wildcard common/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iserver -Itests/unit $(LDFLAGS) -o $@ $< $(UNIT_SUPPORT) $(COMMON_SRC) \
	    $(filter server/%.c common/win/%.c,$^) $(LDLIBS)

$(BUILD)/win/test_logsink.exe: server/logsink.c common/win/wstr.c common/win/winerr.c $(wildcard server/*.h)
$(BUILD)/win/test_pbkdf2.exe: server/pbkdf2.c server/credential.c $(wildcard server/*.h)

unit: $(if $(ON_WINDOWS),,$(HOST_UNIT)) $(WIN_UNIT)

# --- set-up on a fresh machine ---
# Debian/Ubuntu: install what is missing (with sudo when not root). MSYS2:
# print the pacman line, since its packages are the user's choice to make.
DEBIAN_PACKAGES := gcc gcc-mingw-w64-x86-64 wine wine64 python3 netcat-openbsd
deps:
ifeq ($(ON_WINDOWS),1)
	@echo "MSYS2: pacman -S --needed make mingw-w64-x86_64-gcc mingw-w64-x86_64-python"
else
	@command -v dpkg >/dev/null || { echo "make deps: not Debian; install: $(DEBIAN_PACKAGES)"; exit 0; }; \
	missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endif

# The demo: serve demo/ on the default port with a fresh random password.
run: deps all
	$(RUN) $(SERVER_EXE) console --root demo

test: deps all unit
	@$(PYTHON) tests/run.py --host-unit "$(if $(ON_WINDOWS),,$(HOST_UNIT))" --win-unit "$(WIN_UNIT)" --run "$(RUN)"

clean:
	rm -rf $(BUILD)

print-%:
	@echo $($*)

# Benchmarks (bench/README.md): `make bench`.
include bench/bench.mk
