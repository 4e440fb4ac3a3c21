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

.PHONY: run test deps npm build build-window api assets check-assets go-test fuzz e2e window-check bench bench-duckdb clean

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

# CI: the committed bundles must match their sources.
check-assets: assets
	@git diff --stat --exit-code -- assets/dist || { echo "assets/dist is out of date: run 'make assets' and commit"; exit 1; }

# No large binaries (test binaries, databases, build output) in git outside
# the folders meant for them.
.PHONY: check-binaries
check-binaries:
	bash .ci/check-binaries

test: check-binaries deps check-assets build build-window go-test fuzz e2e window-check
	@echo "make test: all passed"

go-test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

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

bench: build
	$(BIN)/loupe bench --sessions 10000,100000

# DuckDB beside the analytics index over the same generated sessions; a
# nested module (cgo, DuckDB's bundled library), never part of the product.
DUCKDB_SESSIONS ?= 10000,100000,1000000
bench-duckdb:
	cd bench/duckdb && CGO_ENABLED=1 go run . --sessions $(DUCKDB_SESSIONS)

clean:
	rm -rf $(BIN) artifacts
