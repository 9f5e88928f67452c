# mtserver - MinGW build, on Linux (cross compiler, tests under Wine) or on
# Windows (MSYS2, native gcc). MSVC builds from mtserver.sln; the source lists
# below are the truth that tests/build/test_vcxproj_sync.py holds the
# .vcxproj files to, and `make msvc` builds those projects here in MSVC mode
# (clang-cl, lld-link, the Universal CRT) so that the solution is checked too.

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

# --- the version: common/version.h is the one place it lives ---
# The resource scripts include it; the MSI and the zip name get it from here.
version_field = $(shell sed -n 's/^.define MTS_VERSION_$(1)  *\([0-9][0-9]*\) *$$/\1/p' common/version.h)
VERSION_MAJOR := $(call version_field,MAJOR)
VERSION_MINOR := $(call version_field,MINOR)
VERSION_PATCH := $(call version_field,PATCH)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
ifneq ($(VERSION),$(shell sed -n 's/^.define MTS_VERSION  *"\(.*\)" *$$/\1/p' common/version.h))
  $(error common/version.h: MTS_VERSION is not "$(VERSION)", the MAJOR.MINOR.PATCH numbers above it)
endif

CFLAGS_COMMON := -std=c11 -Wall -Wextra -Wvla -Werror
CFLAGS := $(CFLAGS_COMMON) -O2 -Icommon -Icommon/win -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN
LDFLAGS := -static -static-libgcc
# A program imports only the DLLs it calls: mtsclient none of shell32,
# secur32, crypt32 and ncrypt (client/tlslib.h loads two of them itself).
LDLIBS := -lws2_32 -lmswsock -lbcrypt -lshell32 -lsecur32 -lcrypt32 -lncrypt
HOST_CFLAGS := $(CFLAGS_COMMON) -g -O1 -Icommon -fsanitize=address,undefined -fno-sanitize-recover=all

# --- source lists (keep in step with the .vcxproj files) ---
COMMON_SRC := \
	common/accesslog.c \
	common/accountkey.c \
	common/accounts.c \
	common/accountsedit.c \
	common/accountstat.c \
	common/cliflags.c \
	common/clientlist.c \
	common/clientlogin.c \
	common/clientopts.c \
	common/clientpath.c \
	common/command.c \
	common/config.c \
	common/ctcmp.c \
	common/dirpol.c \
	common/fetch.c \
	common/helptext.c \
	common/hexfmt.c \
	common/hresult.c \
	common/iniline.c \
	common/ipacl.c \
	common/linebuf.c \
	common/listing.c \
	common/listsend.c \
	common/listsort.c \
	common/mts_error.c \
	common/numparse.c \
	common/outcome.c \
	common/options.c \
	common/optvalues.c \
	common/pace.c \
	common/ownerpol.c \
	common/pathpol.c \
	common/plainpol.c \
	common/portsniff.c \
	common/progress.c \
	common/refusals.c \
	common/pwhash.c \
	common/reply.c \
	common/replyparse.c \
	common/request.c \
	common/session.c \
	common/suitename.c \
	common/setting.c \
	common/termsafe.c \
	common/throttle.c \
	common/tlspolicy.c \
	common/certname.c \
	common/certpick.c \
	common/utf8.c \
	common/winacct.c \
	common/winacctname.c \
	common/x509der.c
COMMON_WIN_SRC := \
	common/win/args.c \
	common/win/certpin.c \
	common/win/sha256.c \
	common/win/sockio.c \
	common/win/tlsrec.c \
	common/win/underwine.c \
	common/win/wholefile.c \
	common/win/winerr.c \
	common/win/wstr.c
# The server, wing by wing (docs/ARCHITECTURE.md): the process, what the
# wings share, the running server, its transports, the one-shot commands.
SERVER_SRC := \
	server/console.c \
	server/host.c \
	server/main.c \
	server/service.c \
	server/shared/certkey.c \
	server/shared/certstore.c \
	server/shared/confowner.c \
	server/shared/credential.c \
	server/shared/eventlog.c \
	server/shared/pbkdf2.c \
	server/shared/refslot.c \
	server/shared/schancred.c \
	server/shared/schanctx.c \
	server/shared/sessmap.c \
	server/shared/settings.c \
	server/shared/svcacl.c \
	server/shared/tlsacquire.c \
	server/serve/accept.c \
	server/serve/acceptex.c \
	server/serve/acctfile.c \
	server/serve/acctlive.c \
	server/serve/acctwatch.c \
	server/serve/addrguard.c \
	server/serve/authgate.c \
	server/serve/connacct.c \
	server/serve/connection.c \
	server/serve/connfiles.c \
	server/serve/filehash.c \
	server/serve/folderlist.c \
	server/serve/listener.c \
	server/serve/logconsole.c \
	server/serve/logsink.c \
	server/serve/lookthread.c \
	server/serve/pacedsend.c \
	server/serve/procstats.c \
	server/serve/samefile.c \
	server/serve/ntname.c \
	server/serve/rootfs.c \
	server/serve/server.c \
	server/serve/settingsnap.c \
	server/serve/srvopen.c \
	server/serve/tlswatch.c \
	server/serve/winlogon.c \
	server/serve/workers.c \
	server/serve/transport/tlscred.c \
	server/serve/transport/tlshandshake.c \
	server/serve/transport/transfer.c \
	server/serve/transport/transport_open.c \
	server/serve/transport/transport_plain.c \
	server/serve/transport/transport_tls.c \
	server/admin/certmake.c \
	server/admin/certrenew.c \
	server/admin/certsign.c \
	server/admin/datadir.c \
	server/admin/datalayout.c \
	server/admin/dirguard.c \
	server/admin/firstini.c \
	server/admin/inifile.c \
	server/admin/passwd.c \
	server/admin/pfxcheck.c \
	server/admin/scm.c \
	server/admin/svcctl.c \
	server/admin/svcinstall.c \
	server/admin/useradmin.c
CLIENT_SRC := \
	client/conn.c \
	client/download.c \
	client/folder.c \
	client/main.c \
	client/password.c \
	client/say.c \
	client/tlsclient.c \
	client/tlslib.c \
	client/writebehind.c
UNIT_TESTS := accesslog accounts clientlist clientlogin clientopts clientpath command config ctcmp dirpol fetch helptext hexfmt hresult ipacl linebuf listing listsend mts_error numparse options outcome ownerpol pace pathpol plainpol portsniff progress pwhash refusals reply replyparse request session suitename termsafe throttle tlspolicy certname certpick utf8 winacct x509der
# Unit tests of Win32 modules: built as .exe only, each linked with the
# platform sources named in its own prerequisite line below.
WIN_ONLY_UNIT_TESTS := args authgate logsink pbkdf2 settings tlsrec wholefile winerr winlogon \
	writebehind
UNIT_SUPPORT := tests/unit/check.c
# Fuzz targets: tests/fuzz/fuzz_<name>.c with seeds in tests/fuzz/corpus/<name>/.
# Adding a target is adding its name here.
FUZZ_TARGETS := accounts clientpath command config fetch ipacl linebuf listing listsort options pathpol portsniff pwhash replyparse request session throttle \
	tlsrec winacct x509der
FUZZCC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 4
comma := ,
FUZZ_CFLAGS := -std=c11 -g -O1 -Icommon -Itests/fuzz -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all

SERVER_EXE := $(BUILD)/mtserver.exe
CLIENT_EXE := $(BUILD)/mtsclient.exe
HOST_UNIT := $(UNIT_TESTS:%=$(BUILD)/host/test_%)
WIN_UNIT := $(UNIT_TESTS:%=$(BUILD)/win/test_%.exe) $(WIN_ONLY_UNIT_TESTS:%=$(BUILD)/win/test_%.exe)
FUZZ_BINS := $(if $(ON_WINDOWS),,$(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%))

.PHONY: all deps run test unit fuzz fuzz-build lint soak clean print-%
all: $(SERVER_EXE) $(CLIENT_EXE)

# The server's wings find each other's headers by name; which wing may
# include which is held by tests/build/test_wings.py, not by these paths.
SERVER_DIRS := server server/shared server/serve server/serve/transport server/admin
SERVER_INCLUDES := $(SERVER_DIRS:%=-I%)
$(BUILD)/win/server/%.o: CFLAGS += $(SERVER_INCLUDES)

$(BUILD)/win/%.o: %.c $(wildcard common/*.h common/win/*.h $(SERVER_DIRS:%=%/*.h) client/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The Event Log's message table (server/messages.mc), linked into mtserver.exe.
MESSAGES_OBJ := $(BUILD)/win/server/messages.res.o
$(MESSAGES_OBJ): server/messages.mc
	@mkdir -p $(dir $@)
	$(WINDMC) -h $(dir $@) -r $(dir $@) $<
	$(WINDRES) -I$(dir $@) $(dir $@)messages.rc -o $@

SERVER_OBJ := $(patsubst %.c,$(BUILD)/win/%.o,$(COMMON_SRC) $(COMMON_WIN_SRC) $(SERVER_SRC))
$(SERVER_EXE): $(SERVER_OBJ) $(MESSAGES_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The tests' build of the server: the same objects but server.c's, which
# reads the MTS_FAULT_* switches with MTS_FAULTS (server/serve/server.c).
# mtserver.exe, the one shipped, has none.
FAULTS_EXE := $(BUILD)/mtserver-faults.exe
FAULTS_OBJ := $(BUILD)/win-faults/server/serve/server.o
$(FAULTS_OBJ): server/serve/server.c $(wildcard common/*.h common/win/*.h $(SERVER_DIRS:%=%/*.h))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SERVER_INCLUDES) -DMTS_FAULTS -c $< -o $@
$(FAULTS_EXE): $(filter-out $(BUILD)/win/server/serve/server.o,$(SERVER_OBJ)) $(FAULTS_OBJ) \
	    $(MESSAGES_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

CLIENT_OBJ := $(patsubst %.c,$(BUILD)/win/%.o,$(COMMON_SRC) $(COMMON_WIN_SRC) $(CLIENT_SRC))
$(CLIENT_EXE): $(CLIENT_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The tests' build of the client, as the server's above: writebehind.c
# reads MTS_FAULT_FLUSH_BEHIND_ERROR with MTS_FAULTS. mtsclient.exe has none.
CLIENT_FAULTS_EXE := $(BUILD)/mtsclient-faults.exe
CLIENT_FAULTS_OBJ := $(BUILD)/win-faults/client/writebehind.o
$(CLIENT_FAULTS_OBJ): client/writebehind.c client/writebehind.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DMTS_FAULTS -c $< -o $@
$(CLIENT_FAULTS_EXE): $(filter-out $(BUILD)/win/client/writebehind.o,$(CLIENT_OBJ)) \
	    $(CLIENT_FAULTS_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests: the portable core under ASan+UBSan with the host compiler, and
# the same tests cross-built to run under Wine (or natively on MSYS2). The
# core is compiled once for each and linked into every test (the Win32
# objects are the programs' own).
HOST_COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/host/%.o)
WIN_COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/win/%.o)
# Made only on the way to the tests, yet kept, so the next make has them.
.SECONDARY: $(HOST_COMMON_OBJ)
$(BUILD)/host/common/%.o: common/%.c $(wildcard common/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(HOST_COMMON_OBJ) $(wildcard common/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(HOST_COMMON_OBJ)

$(BUILD)/win/test_%.exe: tests/unit/test_%.c $(UNIT_SUPPORT) $(WIN_COMMON_OBJ) $(wildcard common/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SERVER_INCLUDES) -Iclient -Itests/unit $(LDFLAGS) -o $@ $< $(UNIT_SUPPORT) $(WIN_COMMON_OBJ) \
	    $(filter $(BUILD)/win/server/%.o $(BUILD)/win/client/%.o $(BUILD)/win/common/win/%.o \
	      $(BUILD)/win/tests/%.o,$^) \
	    $(LDLIBS)

# The platform sources of each Win32 module's unit test (tests/unit/
# unit.vcxproj names the same, checked by tests/build/test_vcxproj_sync.py),
# linked as the objects the programs are built from.
UNIT_WIN_SRC_authgate := server/serve/authgate.c
# test_args holds args.c to shell32's CommandLineToArgvW.
UNIT_WIN_SRC_args := common/win/args.c common/win/wstr.c
UNIT_WIN_SRC_logsink := server/serve/logsink.c server/serve/logconsole.c common/win/wstr.c common/win/winerr.c
UNIT_WIN_SRC_pbkdf2 := server/shared/pbkdf2.c server/shared/credential.c
UNIT_WIN_SRC_settings := server/shared/settings.c common/win/wholefile.c common/win/wstr.c \
	common/win/winerr.c
# tests/unit/tlsfake.c: the fake Schannel, which fuzz_tlsrec shares.
UNIT_WIN_SRC_tlsrec := common/win/tlsrec.c tests/unit/tlsfake.c
UNIT_WIN_SRC_wholefile := common/win/wholefile.c common/win/wstr.c common/win/winerr.c
UNIT_WIN_SRC_winerr := common/win/winerr.c
UNIT_WIN_SRC_writebehind := client/writebehind.c
UNIT_WIN_SRC_winlogon := server/serve/winlogon.c server/serve/acctlive.c server/serve/rootfs.c \
	server/serve/ntname.c server/serve/samefile.c \
	common/win/underwine.c common/win/wstr.c common/win/winerr.c
unit_win_obj = $(UNIT_WIN_SRC_$(1):%.c=$(BUILD)/win/%.o)
$(BUILD)/win/test_args.exe: $(call unit_win_obj,args)
$(BUILD)/win/test_authgate.exe: $(call unit_win_obj,authgate)
$(BUILD)/win/test_logsink.exe: $(call unit_win_obj,logsink)
$(BUILD)/win/test_pbkdf2.exe: $(call unit_win_obj,pbkdf2)
$(BUILD)/win/test_settings.exe: $(call unit_win_obj,settings)
$(BUILD)/win/test_tlsrec.exe: $(call unit_win_obj,tlsrec)
$(BUILD)/win/test_wholefile.exe: $(call unit_win_obj,wholefile)
$(BUILD)/win/test_winerr.exe: $(call unit_win_obj,winerr)
$(BUILD)/win/test_winlogon.exe: $(call unit_win_obj,winlogon)
$(BUILD)/win/test_writebehind.exe: $(call unit_win_obj,writebehind)
$(BUILD)/win/tests/unit/tlsfake.o: tests/unit/tlsfake.h

unit: $(if $(ON_WINDOWS),,$(HOST_UNIT)) $(WIN_UNIT)

# Version resources (VERSIONINFO from common/version.h), one per program, each
# a ResourceCompile item of the matching .vcxproj. The extra prerequisite
# line links it in (the link recipe takes all of $^).
SERVER_RC := server/mtserver.rc
CLIENT_RC := client/mtsclient.rc
$(BUILD)/win/%.res.o: %.rc common/version.h
	@mkdir -p $(dir $@)
	$(WINDRES) -Icommon -i $< -O coff -o $@
$(SERVER_EXE) $(FAULTS_EXE): $(SERVER_RC:%.rc=$(BUILD)/win/%.res.o)
# The first configuration's template is a resource of mtserver.exe too.
$(SERVER_RC:%.rc=$(BUILD)/win/%.res.o): installer/mtserver.ini
$(CLIENT_EXE) $(CLIENT_FAULTS_EXE): $(CLIENT_RC:%.rc=$(BUILD)/win/%.res.o)

# --- MSVC mode: the projects of mtserver.sln built by clang-cl and lld-link ---
# tests/msvc/vcxbuild.py reads each .vcxproj (and mtserver*.props) for its
# sources and settings, and keeps what must differ from Visual Studio in one
# place (docs/BUILDING.md says what this checks and what it does not). It
# rebuilds only what changed, so these targets always run it.
MSVC_CONFIGURATION := Release
MSVC_BUILD := $(BUILD)/msvc/$(MSVC_CONFIGURATION)
VCXBUILD := $(PYTHON) tests/msvc/vcxbuild.py -c $(MSVC_CONFIGURATION)
MSVC_EXES := $(MSVC_BUILD)/mtserver.exe $(MSVC_BUILD)/mtsclient.exe
MSVC_UNIT := $(UNIT_TESTS:%=$(MSVC_BUILD)/test_%.exe) $(WIN_ONLY_UNIT_TESTS:%=$(MSVC_BUILD)/test_%.exe)
.PHONY: msvc FORCE
msvc: $(MSVC_EXES) $(MSVC_UNIT)
$(MSVC_BUILD)/mtserver.exe: FORCE
	@$(VCXBUILD) server/server.vcxproj
$(MSVC_BUILD)/mtsclient.exe: FORCE
	@$(VCXBUILD) client/client.vcxproj
$(MSVC_BUILD)/test_%.exe: FORCE
	@$(VCXBUILD) -p TestName=$* tests/unit/unit.vcxproj
# The test helpers (the fault suite's, the TLS tests' root store) are test
# tools, not programs under test; mtserver-faults.exe and mtsclient-faults.exe
# are, but the MSVC projects have no build with the fault switches, so their
# legs run those few tests on the MinGW ones (tests/faults/test_accept_errors.py
# says so).
$(MSVC_BUILD)/holdfile.exe $(MSVC_BUILD)/rootstore.exe $(MSVC_BUILD)/sccontrol.exe \
	    $(MSVC_BUILD)/mtserver-faults.exe $(MSVC_BUILD)/mtsclient-faults.exe: $(MSVC_BUILD)/%: $(BUILD)/%
	@mkdir -p $(dir $@)
	cp $< $@

# --- release: the MSI (installer/mtserver.wxs, built by wixl) and the zip ---
# The programs shipped. The MSI installs mtsclient.exe when it is listed here
# (-D Client=yes), so a server-only package is a matter of dropping it.
RELEASE_EXES := $(SERVER_EXE) $(CLIENT_EXE)
# The documents shipped: README.md at the top, all of docs/ under docs\
# (installer/mtserver.wxs must name each; tests/build/test_release_files.py
# checks).
RELEASE_DOCS := $(sort $(wildcard docs/*.md))
RELEASE_FILES := $(RELEASE_EXES) $(RELEASE_DOCS) README.md LICENSE installer/mtserver.ini
MSI := $(BUILD)/mtserver.msi
# BuildDir: the folder of the programs packed; the MSVC-mode programs get
# MSIs of their own (below), so the installer tests run on them too.
MSI_PROGRAMS = $(BUILD)
WIXL_FLAGS = -a x64 -D Wixl=yes -D BuildDir=$(MSI_PROGRAMS) \
	-D Client=$(if $(filter %/mtsclient.exe,$(RELEASE_EXES)),yes,no)
# The same package one patch version higher, for the upgrade test.
NEXT_VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(shell echo $$(($(VERSION_PATCH) + 1)))
NEXT_MSI := $(BUILD)/test/mtserver-$(NEXT_VERSION).msi
# The same two packages of the MSVC-mode programs (the same paths below
# their folder, where tests/installer/test_msi.py looks for them).
MSVC_MSI := $(MSVC_BUILD)/mtserver.msi
MSVC_NEXT_MSI := $(MSVC_BUILD)/test/mtserver-$(NEXT_VERSION).msi
$(MSVC_MSI) $(MSVC_NEXT_MSI): MSI_PROGRAMS = $(MSVC_BUILD)
$(MSVC_MSI) $(MSVC_NEXT_MSI): $(MSVC_EXES)
DIST_NAME := mtserver-$(VERSION)-win64

# wixl 0.101 knows Execute="deferred" but not Execute="rollback": it writes
# the rollback action of installer/mtserver.wxs as an immediate one, which
# would run during every install; nor can it write an action that runs a
# program of the Binary table. It gets the FileKey form (Wixl defined), and
# msibuild (msitools) then gives it the source and type WiX's candle gives
# the BinaryKey form: 2 (program in the Binary table) + 0x40
# (Return="ignore") + 0x100 (rollback) + 0x400 (in the script) + 0x800 (not
# impersonated). tests/build/test_msi_actions.py checks the packages built.
WIXL_ROLLBACK_TYPE = 3394
WIXL_FIX_ROLLBACK = msibuild $@ -q "UPDATE \`CustomAction\` SET \`Type\` = $(WIXL_ROLLBACK_TYPE), \
	\`Source\` = 'RollbackExe' WHERE \`Action\` = 'RollbackCreateConfig'" || { rm -f $@; exit 1; }

.PHONY: msi dist
msi: $(MSI)

$(MSI) $(MSVC_MSI): installer/mtserver.wxs $(RELEASE_FILES)
	wixl $(WIXL_FLAGS) -D Version=$(VERSION) -o $@ installer/mtserver.wxs
	$(WIXL_FIX_ROLLBACK)

$(NEXT_MSI) $(MSVC_NEXT_MSI): installer/mtserver.wxs $(RELEASE_FILES)
	@mkdir -p $(dir $@)
	wixl $(WIXL_FLAGS) -D Version=$(NEXT_VERSION) -o $@ installer/mtserver.wxs
	$(WIXL_FIX_ROLLBACK)

dist: dist/$(DIST_NAME).zip dist/$(DIST_NAME).msi

# The zip holds one folder, mtserver-<version>-win64, laid out as the MSI
# lays out Program Files\mtserver. Python's zipfile: no zip tool needed.
dist/$(DIST_NAME).zip: $(RELEASE_FILES)
	rm -rf $(BUILD)/dist && mkdir -p $(BUILD)/dist/$(DIST_NAME)/docs dist
	cp $(RELEASE_EXES) $(BUILD)/dist/$(DIST_NAME)/
	cp $(RELEASE_DOCS) $(BUILD)/dist/$(DIST_NAME)/docs/
	cp README.md $(BUILD)/dist/$(DIST_NAME)/
	cp LICENSE $(BUILD)/dist/$(DIST_NAME)/LICENSE.txt
	cp installer/mtserver.ini $(BUILD)/dist/$(DIST_NAME)/mtserver.sample.ini
	rm -f $@
	cd $(BUILD)/dist && $(PYTHON) -m zipfile -c $(CURDIR)/$@ $(DIST_NAME)

dist/$(DIST_NAME).msi: $(MSI)
	@mkdir -p dist
	cp $< $@

# Helpers the fault suite runs as other Windows processes, and the server
# and the client with their fault switches.
TEST_HELPERS := $(BUILD)/holdfile.exe $(BUILD)/rootstore.exe $(BUILD)/sccontrol.exe $(FAULTS_EXE) \
	$(CLIENT_FAULTS_EXE)
$(BUILD)/sccontrol.exe: tests/service/sccontrol.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^
$(BUILD)/rootstore.exe: tests/tls/rootstore.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcrypt32
$(BUILD)/holdfile.exe: tests/faults/holdfile.c common/win/args.c common/win/wstr.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# Fuzzing: libFuzzer with ASan+UBSan, natively (clang on Linux). `make fuzz`
# runs each target FUZZ_SECONDS; new inputs go to build/fuzz/corpus/<name>,
# crashes to build/fuzz/crash-<name>-*. `make test` runs each briefly
# (tests/fuzz_run/test_fuzz.py).
# The core is compiled once for all targets, instrumented for the fuzzer but
# without its main(), which each target's link brings.
FUZZ_COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_COMMON_OBJ)
$(BUILD)/fuzz/obj/%.o: %.c $(wildcard common/*.h)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(subst -fsanitize=fuzzer$(comma),-fsanitize=fuzzer-no-link$(comma),$(FUZZ_CFLAGS)) \
	  -c $< -o $@
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_COMMON_OBJ) $(wildcard common/*.h)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_COMMON_OBJ)

# The TLS record layer is Win32 code (common/win/, SSPI's types): it is
# built natively against the few stand-in declarations of
# tests/fuzz/winstub/ and driven through the unit test's fake Schannel
# (tests/unit/tlsfake.c), so no Windows header and no Schannel is needed.
FUZZ_TLSREC_SRC := common/win/tlsrec.c tests/unit/tlsfake.c
$(BUILD)/fuzz/fuzz_tlsrec: tests/fuzz/fuzz_tlsrec.c tests/fuzz/fuzz.h $(FUZZ_TLSREC_SRC) \
	common/win/tlsrec.h tests/unit/tlsfake.h $(wildcard tests/fuzz/winstub/*.h)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) -Itests/fuzz/winstub -Icommon/win -Itests/unit -o $@ $< \
	    $(FUZZ_TLSREC_SRC)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(BUILD)/fuzz/corpus/$$t; \
	  echo "fuzz $$t for $(FUZZ_SECONDS) s"; \
	  $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/crash-$$t- \
	    $(BUILD)/fuzz/corpus/$$t tests/fuzz/corpus/$$t >$(BUILD)/fuzz/$$t.log 2>&1; \
	  rc=$$?; \
	  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss)" $(BUILD)/fuzz/$$t.log; \
	  [ $$rc -eq 0 ] || { tail -40 $(BUILD)/fuzz/$$t.log; exit 1; }; \
	done

# --- set-up on a fresh machine ---
# Debian/Ubuntu: install what is missing (with sudo when not root). MSYS2:
# print the pacman line, since its packages are the user's choice to make.
# `make run` needs only the first list; tests, fuzzing, lint and the MSI the rest.
DEBIAN_PACKAGES_RUN := gcc-mingw-w64-x86-64 wine wine64
# clang-tools (clang-cl), lld (lld-link), llvm (llvm-rc) and libwine-dev (the
# MSVC-style headers and import libraries) are make msvc's; debootstrap
# builds the Wine 10 root; nmap is the outside scanner of tests/tls/test_tls_nmap.py.
DEBIAN_PACKAGES := $(DEBIAN_PACKAGES_RUN) gcc python3 netcat-openbsd wixl msitools \
	clang libclang-rt-dev cppcheck clang-tidy clang-tools lld llvm libwine-dev debootstrap nmap
.PHONY: deps-run
deps: PACKAGES = $(DEBIAN_PACKAGES)
deps-run: PACKAGES = $(DEBIAN_PACKAGES_RUN)
# Each step says, when it fails, which step, why and what to do
# (tests/deps/apt-install, tests/wine10/make-root).
deps deps-run:
ifeq ($(ON_WINDOWS),1)
	@echo "MSYS2: pacman -S --needed make mingw-w64-x86_64-gcc mingw-w64-x86_64-python mingw-w64-x86_64-msitools"
else
	@tests/deps/apt-install $@ $(PACKAGES)
	@$(if $(filter deps,$@),! tests/wine10/needed || tests/wine10/make-root)
endif

# The fresh-machine check (docs/BUILDING.md): the README's set-up in a
# throwaway Debian 12 root with no cache of any kind. Not part of make test:
# five to ten minutes, and port 20248 must be free. KEEP=1 keeps the root;
# AS_USER=1 runs the steps as a user with sudo instead of root.
.PHONY: check-fresh
check-fresh:
	@tests/fresh/check-fresh $(if $(KEEP),--keep) $(if $(AS_USER),--user)

# The demo: serve demo/ on the default port with a fresh random password.
run: deps-run all
	$(RUN) $(SERVER_EXE) console --root demo

# --- tests: up to four legs, one closing line ---
# 1. mingw: the MinGW programs under the host's Wine, with the tests that
#    run no Windows program (host unit tests, fuzzing, build checks, the
#    runner's own tests);
# 2. msvc: the MSVC-mode programs (make msvc), unit and integration tests,
#    under the host's Wine;
# 3. wine10: the MinGW programs, unit and integration tests, under Wine 10
#    in the Debian 13 root (tests/wine10/), where the host's Wine is older
#    than 9 (Debian 12's 8.0);
# 4. msvc-wine10: the MSVC-mode programs' TLS tests under Wine 10 (Wine 8
#    has no server-side Schannel, so the msvc leg cannot run them).
# Everything is built first, then the legs run at the same time, each with
# its own Wine prefix and MTS_JOBS workers (tests/run.py): they wait on Wine
# far more than they compute. make's --output-sync prints each leg whole.
# Each leg prints its own "N passed, N failed"; the last line adds them up.
# One leg alone: make test-mingw, test-msvc, test-wine10 or test-msvc-wine10
# (TESTS=substring narrows the Python tests of any of them).
# The installer tests install the MSIs into the test Wine prefix; on Windows
# they are not run (they would change the machine), so not built either.
WINE10_LEGS = $(if $(ON_WINDOWS),,$(shell tests/wine10/needed && echo test-wine10 test-msvc-wine10))
LEGS = test-mingw $(if $(ON_WINDOWS),,test-msvc) $(WINE10_LEGS)
LEG_RECORD := $(BUILD)/legs.txt
RUN_TESTS = $(PYTHON) tests/run.py --record $(LEG_RECORD)
WINE10_ENTER = tests/wine10/enter python3 tests/run.py --record $(LEG_RECORD) --run wine
MSVC_TEST_FILES := $(MSVC_EXES) $(MSVC_UNIT) $(MSVC_BUILD)/holdfile.exe $(MSVC_BUILD)/rootstore.exe \
	$(MSVC_BUILD)/sccontrol.exe $(MSVC_BUILD)/mtserver-faults.exe $(MSVC_BUILD)/mtsclient-faults.exe
MINGW_TEST_FILES := all unit $(TEST_HELPERS) $(FUZZ_BINS) $(if $(ON_WINDOWS),,$(MSI) $(NEXT_MSI))
# Workers per leg; the legs together keep about four times the cores busy.
MTS_JOBS ?= 3
export MTS_JOBS
.PHONY: test test-build test-mingw test-msvc test-wine10 test-msvc-wine10 wine10-root

test: deps
	@rm -f $(LEG_RECORD)
	@$(MAKE) --no-print-directory -j$(shell nproc 2>/dev/null || echo 2) test-build
	@$(MAKE) --no-print-directory -j$(words $(LEGS)) --output-sync=target $(LEGS); \
	$(PYTHON) tests/run.py --add-up $(LEG_RECORD) $(LEGS:test-%=%)

# Everything any leg runs, built once before they start.
test-build: $(MINGW_TEST_FILES) $(if $(ON_WINDOWS),,msvc-test-files) \
	$(if $(WINE10_LEGS),wine10-root)
.PHONY: msvc-test-files
msvc-test-files: $(MSVC_TEST_FILES) $(MSVC_MSI) $(MSVC_NEXT_MSI)

test-mingw: $(MINGW_TEST_FILES)
	@MTS_FUZZ_BINS="$(FUZZ_BINS)" MTS_FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) $(RUN_TESTS) --leg mingw \
	  --host-unit "$(if $(ON_WINDOWS),,$(HOST_UNIT))" --win-unit "$(WIN_UNIT)" --run "$(RUN)"

test-msvc: msvc-test-files
	@WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix-msvc MTS_BUILD=$(CURDIR)/$(MSVC_BUILD) \
	  $(RUN_TESTS) --leg msvc --programs-only --win-unit "$(MSVC_UNIT)" --run "$(RUN)"

test-wine10: all $(WIN_UNIT) $(TEST_HELPERS) $(MSI) $(NEXT_MSI) wine10-root
	@WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix-wine10 $(WINE10_ENTER) --leg wine10 \
	  --programs-only --win-unit "$(WIN_UNIT)"

test-msvc-wine10: $(MSVC_TEST_FILES) wine10-root
	@WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix-msvc-wine10 MTS_BUILD=$(CURDIR)/$(MSVC_BUILD) \
	  $(WINE10_ENTER) --leg msvc-wine10 --programs-only --folders tls

wine10-root:
	@tests/wine10/make-root

# Soak: 100,000 sessions against one server; appends to bench/RESULTS.md.
soak: all
	$(BENCH_PYTHON) bench/soak/soak.py --record

# Static analysis of the portable core; each tool must be silent. Runs in CI
# after the tests (about half a minute). cppcheck's variableScope is left out:
# it is a style rule (declare where first used), not a defect, and the house
# code declares at the top of a block as often as not.
LINT_SRC := $(COMMON_SRC)
lint:
	cppcheck --enable=warning,style,performance,portability --std=c11 --error-exitcode=1 \
	  --suppress=variableScope --inline-suppr --quiet -Icommon $(LINT_SRC)
	clang-tidy --quiet $(LINT_SRC) -- -std=c11 -Icommon
	@for f in $(LINT_SRC); do \
	  echo "gcc -fanalyzer $$f"; \
	  gcc -std=c11 -Wall -Wextra -Wvla -Werror -fanalyzer -Icommon -c $$f -o /dev/null || exit 1; \
	done

clean:
	rm -rf $(BUILD) dist

print-%:
	@echo $($*)

# Benchmarks (bench/README.md): `make bench`.
include bench/bench.mk
