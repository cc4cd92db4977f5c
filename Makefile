# Athanor: set up, build, demo, test and benchmark on Debian 12.
#
#   make demo [URL=postgresql://user:pass@host/db]   build and run the samples (SQLite by default)
#   make test                                        format check, sanitizer build with -Werror,
#                                                    all tests on all backends
#   make lint                                        format check and clang-tidy
#   make bench                                       Core vs raw C driver benchmarks
#
# Each target first installs the Debian packages that are missing (as root, or through sudo).

SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR ?= build/release
TEST_DIR ?= build/test
BENCH_DIR ?= build/bench
LINT_DIR ?= build/lint
URL ?= sqlite:///$(CURDIR)/build/demo.db
CMAKE_FLAGS ?=

PACKAGES := g++ cmake make pkg-config libsqlite3-dev libpq-dev libmariadb-dev libboost1.81-dev \
	nlohmann-json3-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev \
	libclang-14-dev clang-14 clang-format clang-tidy postgresql-15 postgresql-client-15 mariadb-server mariadb-client

.PHONY: deps build demo test lint bench format clean

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "== installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DATHANOR_BUILD_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(RELEASE_DIR) -j$(JOBS)

demo: build
	@mkdir -p build
	@for sample in $(RELEASE_DIR)/samples/*/athanor_sample_*; do \
	  [ -x "$$sample" ] || continue; \
	  echo; echo "######## $$(basename $$sample) on $$(echo '$(URL)' | sed 's/:[^:@/]*@/:***@/')"; \
	  "$$sample" "$(URL)" || exit 1; \
	done

test: deps
	@tests/lint/check_format.sh
	@cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=Debug -DATHANOR_SANITIZE=ON -DATHANOR_WERROR=ON -DATHANOR_BUILD_TESTS=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TEST_DIR) -j$(JOBS)
	@tests/servers/with_servers.sh ctest --test-dir $(TEST_DIR) --output-on-failure

lint: deps
	@tests/lint/check_format.sh
	@tests/lint/run_clang_tidy.sh $(LINT_DIR) $(JOBS)

# The benchmark and the servers it starts share one CPU (BENCH_CPU; empty: no pinning). A round
# trip between processes on two idle virtual CPUs waits for one of them to be woken, which takes
# from 20 to 100 us from one moment to the next: more than the client's whole share of a
# single-row statement (docs/performance.md, "Pinned to one CPU").
BENCH_CPU ?= 0

bench: deps
	@cmake -S . -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=Release -DATHANOR_BUILD_TESTS=OFF -DATHANOR_BUILD_SAMPLES=OFF -DATHANOR_BUILD_BENCH=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BENCH_DIR) -j$(JOBS)
	@$(if $(BENCH_CPU),taskset -c $(BENCH_CPU) )tests/servers/with_servers.sh tests/perf/run_bench.sh $(BENCH_DIR)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
