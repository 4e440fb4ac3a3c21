# Loupe: two commands on a fresh Debian/Ubuntu machine.
#   make run   the demo: embedded collector, demo traffic, sync, workbench
#   make test  everything, end to end
# Both install what is missing first (.ci/deps: apt packages, MinIO, npm modules).

SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
WINDOW_TAGS := desktop,production,webkit2_41
NPM_PROJECTS := assets/tracker assets/workbench assets/e2e
export LOUPE_BIN := $(BIN)
# The test MinIO server that .ci/deps builds into its cache.
export LOUPE_CACHE ?= $(HOME)/.cache/loupe
export LOUPE_MINIO ?= $(LOUPE_CACHE)/bin/minio

.PHONY: run test deps npm build build-window api assets check-assets go-test fuzz e2e window-check tray-check dist bench bench-duckdb clean fault-campaign

run: deps build
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	  $(MAKE) --no-print-directory build-window && $(BIN)/loupe-window demo; \
	else \
	  $(BIN)/loupe demo --no-window; \
	fi

deps:
	@bash .ci/deps
	@$(MAKE) --no-print-directory npm

# npm ci only where node_modules is missing or older than the lock file.
npm:
	@for p in $(NPM_PROJECTS); do \
	  if [ -f $$p/package-lock.json ] && { [ ! -d $$p/node_modules ] || [ $$p/package-lock.json -nt $$p/node_modules ]; }; then \
	    echo "npm ci in $$p"; (cd $$p && npm ci --no-audit --no-fund --loglevel=error) && touch $$p/node_modules || exit 1; \
	  fi; \
	done

build:
	@mkdir -p $(BIN)
	CGO_ENABLED=0 $(GO) build -o $(BIN)/loupe .
	CGO_ENABLED=0 $(GO) build -o $(BIN)/tracker-server ./tracker-server

build-window:
	@mkdir -p $(BIN)
	$(GO) build -tags $(WINDOW_TAGS) -o $(BIN)/loupe-window .

# Regenerate the workbench's TypeScript view of the Go bindings
# (assets/workbench/src/api.gen.ts); a Go test fails while it is stale.
api:
	$(GO) generate ./desktop/apigen

# Rebuild the committed browser bundles from their sources.
assets:
	cd assets/tracker && npm run build
	cd assets/workbench && npm run build

# CI: the committed bundles must match their sources, and the tracker's
# scripts must stay within their gzip budgets (assets/tracker/budget.json).
check-assets: assets
	@git diff --stat --exit-code -- assets/dist || { echo "assets/dist is out of date: run 'make assets' and commit"; exit 1; }
	bash .ci/bundle-budget

# No large binaries (test binaries, databases, build output) in git outside
# the folders meant for them.
.PHONY: check-binaries
check-binaries:
	bash .ci/check-binaries

test: check-binaries deps check-assets build build-window go-test fuzz e2e window-check tray-check
	@echo "make test: all passed"

go-test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# The long fault campaign: 500 SIGKILLs of the real collector under load
# (make test runs 50). Figures go to artifacts/fault-campaign.json.
FAULT_KILLS ?= 500
fault-campaign:
	@mkdir -p artifacts
	LOUPE_FAULT_KILLS=$(FAULT_KILLS) LOUPE_FAULT_REPORT=$(CURDIR)/artifacts/fault-campaign.json \
	  $(GO) test -count=1 -timeout 60m -run 'TestFaultCampaignKill9' -v ./tracker-server
	@cat artifacts/fault-campaign.json

# A short run of every fuzz target over its seed corpus plus fresh inputs.
FUZZTIME ?= 10s
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz

# The workbench suite also times the sessions view over a 100k-session
# workspace (generated facts, ~800 MB, rebuilt each run so it matches the
# current schema).
UI_BENCH_DIR ?= $(or $(TMPDIR),/tmp)/loupe-ui-bench
e2e: build
	cd assets/tracker && npm test
	cd assets/e2e && npm test
	rm -rf $(UI_BENCH_DIR) && $(BIN)/loupe bench --sessions 100000 --derive=false --out $(UI_BENCH_DIR) >/dev/null
	cd assets/workbench && LOUPE_UI_BENCH_WS=$(UI_BENCH_DIR)/bench-100000.db npm test
	rm -rf $(UI_BENCH_DIR)

window-check: build-window
	bash desktop/windowcheck.sh

# The tray companion on Xvfb and a private D-Bus session bus: registers its
# item, syncs from a real collector on a menu click, notifies an alert.
tray-check:
	bash desktop/tray/traycheck.sh

# Packages for people to install, in dist/ (see docs/packaging.md): the
# Linux window+tray+CLI binary as a tarball and a .deb, the Windows loupe.exe
# (window, no tray) and a zip, static tracker-server binaries. The version
# in every binary is `git describe`.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
DIST := $(CURDIR)/dist
DIST_LDFLAGS := -s -w -X main.version=$(VERSION)
dist:
	rm -rf $(DIST) && mkdir -p $(DIST)/linux-amd64
	$(GO) build -trimpath -tags $(WINDOW_TAGS),tray -ldflags "$(DIST_LDFLAGS)" -o $(DIST)/linux-amd64/loupe .
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -tags desktop,production -ldflags "$(DIST_LDFLAGS)" -o $(DIST)/loupe.exe .
	for t in linux/amd64 linux/arm64 windows/amd64; do \
	  os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(DIST_LDFLAGS)" \
	    -o $(DIST)/tracker-server_$(VERSION)_$${os}_$${arch}$$ext ./tracker-server || exit 1; \
	done
	cd build/dist && SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct) $(GO) run . -root $(CURDIR) -dist $(DIST) -version $(VERSION)
	@ls -l $(DIST)

bench: build
	$(BIN)/loupe bench --sessions 10000,100000

# DuckDB beside the analytics index over the same generated sessions; a
# nested module (cgo, DuckDB's bundled library), never part of the product.
DUCKDB_SESSIONS ?= 10000,100000,1000000
bench-duckdb:
	cd bench/duckdb && CGO_ENABLED=1 go run . --sessions $(DUCKDB_SESSIONS)

clean:
	rm -rf $(BIN) artifacts
