# Seam: `make demo` runs the headline example, `make test` runs every test.
# Both install what is missing (Debian packages) with apt-get when run as root.

SWIFT ?= swift
# libbpf-dev: libbpf and its headers, for seam watch's BPF program (compiled by the Swift toolchain's clang during
# swift build) and its loader; pkg-config finds both libraries.
DEB_PACKAGES ?= libpcap-dev tcpdump tshark libbpf-dev pkg-config
# The real servers (and their clients) that Tests/Fixtures/framing/record.py records framing tests from, and the
# real programs seam watch's and seam trace's tests record; each test skips with a reason when its program is missing.
FRAMING_SERVERS = postgresql mosquitto openssl memcached redis-server nginx nghttp2-client mariadb-server \
	mariadb-client python3-websockets python3-grpcio
TEST_PACKAGES ?= $(FRAMING_SERVERS) golang-go dnsutils curl nodejs default-jdk-headless strace
BIN = .build/release/seam

.PHONY: demo test test-lossless fuzz fuzz-long deps test-deps install-packages build release clean format

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)" OPTIONAL=1

install-packages:
	@missing=""; \
	for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then echo "seam: please install:$$missing" >&2; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "seam: installing$$missing" >&2; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
	else \
		echo "seam: missing Debian packages; run:" >&2; \
		echo "  sudo apt-get install -y$$missing" >&2; \
		if [ -n "$(OPTIONAL)" ]; then echo "seam: (the tests that need them skip)" >&2; exit 0; fi; \
		exit 1; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	$(BIN) demo

# Serially: several suites check process-wide facts (open descriptors, a quiet loopback for the sniffer) and
# block threads with real sockets; in parallel they would disturb each other on a small machine.
# Then every libFuzzer target for FUZZ_SECONDS each (Linux; FUZZ_SECONDS=0 skips them).
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel
	@$(MAKE) --no-print-directory fuzz

# Issue 21's full check (root, for the capture): 1 GiB relayed through `seam proxy --record` with the capture of
# both legs, every byte of both legs checked in the session. `make test` runs the same test with 64 MiB.
SEAM_LOSSLESS_BYTES ?= 1073741824
test-lossless: deps
	$(SWIFT) build --build-tests
	SEAM_LOSSLESS_BYTES=$(SEAM_LOSSLESS_BYTES) $(SWIFT) test --skip-build --filter LosslessRecordingTests

FUZZ_SECONDS ?= 30
fuzz:
	@if [ "$(FUZZ_SECONDS)" = 0 ]; then echo "fuzz: skipped (FUZZ_SECONDS=0)"; \
	elif [ "$$(uname -s)" != Linux ]; then echo "fuzz: skipped (libFuzzer targets are built on Linux only)"; \
	else Benchmarks/fuzz.sh all $(FUZZ_SECONDS); fi

# The long run: every libFuzzer target to SEAM_FUZZ_RUNS executions (10 000 000 unless set), at most
# SEAM_FUZZ_LONG_SECONDS each (36 000); fails if a target crashes or stops short. Crash inputs go to
# Fuzz/regressions/TARGET.
SEAM_FUZZ_RUNS ?= 10000000
fuzz-long:
	@if [ "$$(uname -s)" != Linux ]; then echo "fuzz-long: libFuzzer targets are built on Linux only"; exit 1; fi
	SEAM_FUZZ_RUNS=$(SEAM_FUZZ_RUNS) Benchmarks/fuzz.sh long

clean:
	rm -rf .build

# make install: a release build, then install-files. install-files puts SEAM_BIN (default the release build)
# and what goes with it under DESTDIR/PREFIX, then grants the capture capability to the installed seam where
# setcap can (SETCAP= skips it; WATCH_CAPS=1 adds seam watch's, see scripts/install-caps.sh).
# make uninstall removes exactly those files, and the directories of Seam's own (lib/seam, share/seam).
PREFIX ?= /usr/local
DESTDIR ?=
SEAM_BIN ?= $(BIN)
SETCAP ?= setcap
WATCH_CAPS ?=
SEAM_ROOT = $(DESTDIR)$(PREFIX)
# Installed files, relative to PREFIX. PreloadLibrary.locate looks for the library in ../lib/seam beside bin/seam.
SEAM_FILES = bin/seam lib/seam/libSeamPreload.so share/seam/seam.lua share/man/man1/seam.1 \
	share/bash-completion/completions/seam share/zsh/site-functions/_seam share/fish/vendor_completions.d/seam.fish

.PHONY: install install-files uninstall

install: release
	@$(MAKE) --no-print-directory install-files SEAM_BIN=$(BIN)

install-files:
	@test -x "$(SEAM_BIN)" || { echo "install: no seam binary at $(SEAM_BIN) (make release, or SEAM_BIN=PATH)" >&2; exit 1; }
	@preload="$$(dirname "$(SEAM_BIN)")/libSeamPreload.so"; \
	test -r "$$preload" || { echo "install: no $$preload beside $(SEAM_BIN) (swift build makes it)" >&2; exit 1; }; \
	set -e; root="$(SEAM_ROOT)"; \
	for d in bin lib/seam share/seam share/man/man1 share/bash-completion/completions share/zsh/site-functions \
		share/fish/vendor_completions.d; do install -d "$$root/$$d"; done; \
	install -m 755 "$(SEAM_BIN)" "$$root/bin/seam"; \
	install -m 644 "$$preload" "$$root/lib/seam/libSeamPreload.so"; \
	install -m 644 share/wireshark/seam.lua "$$root/share/seam/seam.lua"; \
	"$(SEAM_BIN)" --generate-completion-script bash > "$$root/share/bash-completion/completions/seam"; \
	"$(SEAM_BIN)" --generate-completion-script zsh > "$$root/share/zsh/site-functions/_seam"; \
	"$(SEAM_BIN)" --generate-completion-script fish > "$$root/share/fish/vendor_completions.d/seam.fish"; \
	scripts/seam-man.sh "$(SEAM_BIN)" > "$$root/share/man/man1/seam.1"; \
	for f in $(SEAM_FILES); do echo "install: $$root/$$f"; done; \
	echo "install: Wireshark dissector for session files: mkdir -p ~/.local/lib/wireshark/plugins && ln -s $(PREFIX)/share/seam/seam.lua ~/.local/lib/wireshark/plugins/"
	@SETCAP="$(SETCAP)" WATCH_CAPS="$(WATCH_CAPS)" scripts/install-caps.sh "$(SEAM_ROOT)/bin/seam"

uninstall:
	@root="$(SEAM_ROOT)"; \
	for f in $(SEAM_FILES); do if [ -e "$$root/$$f" ]; then rm -f "$$root/$$f" && echo "uninstall: removed $$root/$$f"; fi; done; \
	for d in lib/seam share/seam; do if [ -d "$$root/$$d" ]; then rmdir "$$root/$$d" 2>/dev/null || echo "uninstall: kept $$root/$$d (not empty)"; fi; done
