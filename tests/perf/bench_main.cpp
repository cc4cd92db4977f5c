// Athanor benchmarks (tests/perf): the harness. Runs every workload on every backend, once per
// method of each side, keeping each method's best run, and prints the raw and Core times with
// their ratio.
//
//   athanor_bench [--rows N] [--repeat R] [--min-time MS] [--max-runs K]
//                 [--backend sqlite,postgresql,mariadb]
//                 [--workload bulk_insert,...] [--all] [--markdown] [--side raw|core|both]
//                 [--method TEXT] [--sqlite-dir DIR]
//
// SQLite runs on a database file in a fresh temporary directory (under /dev/shm by default).
// PostgreSQL and MariaDB run against the servers named by ATHANOR_TEST_URL_POSTGRESQL and
// ATHANOR_TEST_URL_MARIADB (tests/servers/with_servers.sh sets them); a backend without a URL
// is reported as not run.
#include <fmt/format.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "athanor/core/url.hpp"
#include "tests/perf/bench.hpp"

namespace athanor::bench {
namespace {

constexpr double kTarget = 1.2;  // Core within 1.2x of the fastest raw method

struct Config {
  std::size_t rows = 10000;
  // Each method runs at least `repeat` times and until it has run for `min_time_ms` in all
  // (at most `max_runs` times); the best run counts. Fast workloads thus get many samples,
  // which keeps the minimum stable on a machine busy with other work.
  int repeat = 5;
  double min_time_ms = 1000;
  int max_runs = 50;
  std::vector<std::string> backends{"sqlite", "postgresql", "mariadb"};
  std::vector<std::string> workloads;  // empty: all
  bool all_methods = false;
  bool markdown = false;
  bool run_raw = true;
  bool run_core = true;
  std::string method_filter;  // run only methods whose name contains this
  // Where the SQLite database file goes. Default: /dev/shm when present (tmpfs: a commit's
  // fsync costs nothing, so the per-commit workload measures the client libraries rather than
  // the disk, identically for both sides), else the system's temporary directory.
  std::string sqlite_dir;
};

std::filesystem::path sqlite_parent(const Config& config) {
  if (!config.sqlite_dir.empty()) return config.sqlite_dir;
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

struct MethodTiming {
  std::string name;
  double best_ms = std::numeric_limits<double>::infinity();
  int runs = 0;
  double total_ms = 0;
  bool ran() const { return runs > 0; }
  // Enough samples: at least --repeat runs and --min-time spent, or the run cap reached.
  bool done(const Config& config) const {
    return runs >= config.max_runs || (runs >= config.repeat && total_ms >= config.min_time_ms);
  }
};

struct WorkloadReport {
  std::string backend;
  Workload workload{};
  std::vector<MethodTiming> raw;
  std::vector<MethodTiming> core;  // the first is the one the comparison uses
  std::string error;

  const MethodTiming* fastest_raw() const {
    const MethodTiming* best = nullptr;
    for (const MethodTiming& t : raw) {
      if (t.ran() && (!best || t.best_ms < best->best_ms)) best = &t;
    }
    return best;
  }
  const MethodTiming* core_primary() const {
    return !core.empty() && core.front().ran() ? &core.front() : nullptr;
  }
  std::optional<double> ratio() const {
    const MethodTiming* r = fastest_raw();
    const MethodTiming* c = core_primary();
    if (!r || !c || !error.empty()) return std::nullopt;
    return c->best_ms / r->best_ms;
  }
};

struct BackendRun {
  std::string name;
  std::string version;
  std::string skipped;  // why it did not run, if it did not
  std::string where;    // where the database lives, when that is worth saying
};

// A temporary directory removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::filesystem::path& parent) {
    std::string pattern = parent / "athanor-bench.XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

bool selected(const std::vector<std::string>& names, std::string_view name) {
  return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

// Runs `method` once on a table prepared for `workload` and returns its time in milliseconds;
// throws when the outcome does not verify.
double timed_run(RawBackend& raw, Workload workload, const Dataset& data, const Method& method,
                 bool& table_filled) {
  if (needs_fixture(workload)) {
    if (!table_filled) {
      raw.clear_table();
      raw.fill_table(data);
      table_filled = true;
    }
  } else {
    raw.clear_table();
    table_filled = false;
  }
  const auto start = std::chrono::steady_clock::now();
  Outcome outcome = run_method(method, data);
  const auto stop = std::chrono::steady_clock::now();
  std::vector<BenchRow> stored;
  if (!needs_fixture(workload)) stored = raw.read_table();
  verify_outcome(workload, data, outcome, stored);
  return std::chrono::duration<double, std::milli>(stop - start).count();
}

// Where the benchmark runs. Started pinned to some CPUs (make bench: `taskset -c $BENCH_CPU`,
// which pins the servers as well), it keeps those CPUs for the workloads made of round trips to
// a server (lookups and single-row inserts on PostgreSQL and MariaDB): client and server then
// take turns on one CPU instead of waking each other across two, whose wake-up time wanders by
// more than the client's share. It moves to the other CPUs for everything else (SQLite, which
// runs in the process, and the workloads bound by computation), so that the client does not
// share a CPU with the servers' background work. Not started pinned: it stays where it is.
class CpuPlacement {
 public:
  CpuPlacement() {
    CPU_ZERO(&pinned_);
    CPU_ZERO(&others_);
    if (sched_getaffinity(0, sizeof(pinned_), &pinned_) != 0) return;
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    for (long cpu = 0; cpu < cpus && cpu < CPU_SETSIZE; ++cpu) {
      if (!CPU_ISSET(cpu, &pinned_)) CPU_SET(cpu, &others_);
    }
    active_ = CPU_COUNT(&others_) > 0;
  }
  void enter(const std::string& backend, Workload workload) {
    if (!active_) return;
    const bool round_trips = backend != "sqlite" && (workload == Workload::kPkLookups ||
                                                     workload == Workload::kSingleInserts);
    const cpu_set_t& cpus = round_trips ? pinned_ : others_;
    if (sched_setaffinity(0, sizeof(cpus), &cpus) != 0) {
      throw std::runtime_error("cannot set the benchmark's CPU affinity");
    }
  }

 private:
  cpu_set_t pinned_;
  cpu_set_t others_;
  bool active_ = false;
};

void run_workload(RawBackend& raw, Side* core, Workload workload, const Dataset& data,
                  const Config& config, bool& table_filled, WorkloadReport& report) {
  std::vector<Method> raw_methods = config.run_raw ? raw.methods(workload) : std::vector<Method>{};
  std::vector<Method> core_methods = core ? core->methods(workload) : std::vector<Method>{};
  if (!config.all_methods && core_methods.size() > 1) core_methods.resize(1);
  if (!config.method_filter.empty()) {
    const auto unwanted = [&](const Method& m) {
      return m.name.find(config.method_filter) == std::string::npos;
    };
    std::erase_if(raw_methods, unwanted);
    std::erase_if(core_methods, unwanted);
  }
  for (const Method& m : raw_methods) report.raw.push_back({m.name});
  for (const Method& m : core_methods) report.core.push_back({m.name});

  const auto run_side = [&](Side& side, std::vector<Method>& methods,
                            std::vector<MethodTiming>& timings, std::string_view label) {
    for (std::size_t i = 0; i < methods.size(); ++i) {
      if (timings[i].done(config)) continue;
      try {
        double ms = timed_run(raw, workload, data, methods[i], table_filled);
        timings[i].best_ms = std::min(timings[i].best_ms, ms);
        timings[i].total_ms += ms;
        ++timings[i].runs;
      } catch (const std::exception& e) {
        side.recover();
        raw.recover();
        table_filled = false;
        throw std::runtime_error(
            fmt::format("{} method '{}': {}", label, methods[i].name, e.what()));
      }
    }
  };
  const auto all_done = [&] {
    return std::all_of(report.raw.begin(), report.raw.end(),
                       [&](const MethodTiming& t) { return t.done(config); }) &&
           std::all_of(report.core.begin(), report.core.end(),
                       [&](const MethodTiming& t) { return t.done(config); });
  };
  try {
    for (int rep = 0; !all_done(); ++rep) {
      // Alternate which side goes first, so neither always runs on a warmer server.
      if (rep % 2 == 0 || !core) {
        run_side(raw, raw_methods, report.raw, "raw");
        if (core) run_side(*core, core_methods, report.core, "Core");
      } else {
        run_side(*core, core_methods, report.core, "Core");
        run_side(raw, raw_methods, report.raw, "raw");
      }
    }
  } catch (const std::exception& e) {
    report.error = e.what();
  }
}

std::optional<std::string> backend_url(const std::string& backend, const TempDir& dir) {
  if (backend == "sqlite") return "sqlite:///" + (dir.path() / "bench.db").string();
  const char* env = std::getenv(backend == "postgresql" ? "ATHANOR_TEST_URL_POSTGRESQL"
                                                        : "ATHANOR_TEST_URL_MARIADB");
  if (!env || !*env) return std::nullopt;
  return std::string(env);
}

std::unique_ptr<RawBackend> make_raw(const std::string& backend, const std::string& url,
                                     const TempDir& dir) {
  if (backend == "sqlite") return make_raw_sqlite((dir.path() / "bench.db").string());
  if (backend == "postgresql") return make_raw_postgresql(URL::parse(url));
  return make_raw_mariadb(URL::parse(url));
}

void print_progress(const WorkloadReport& r) {
  const MethodTiming* raw = r.fastest_raw();
  const MethodTiming* core = r.core_primary();
  std::string line = fmt::format("   {:<11} {:<17}", r.backend, workload_key(r.workload));
  if (raw) line += fmt::format(" raw {:9.2f} ms", raw->best_ms);
  if (core) line += fmt::format("   Core {:9.2f} ms", core->best_ms);
  if (auto ratio = r.ratio()) line += fmt::format("   {:.2f}x", *ratio);
  if (!r.error.empty()) line += "   ERROR: " + r.error;
  std::cerr << line << std::endl;
}

void print_table(const std::vector<WorkloadReport>& reports, const Config& config) {
  const double rows = static_cast<double>(config.rows);
  if (config.markdown) {
    std::cout << "| backend | workload | raw ms | Core ms | Core/raw | Core extra us/row | fastest "
                 "raw method |\n|---|---|--:|--:|--:|--:|---|\n";
  } else {
    std::cout << fmt::format("{:<11} {:<28} {:>9} {:>9} {:>9} {:>8}  {}\n", "backend", "workload",
                             "raw ms", "Core ms", "Core/raw", "+us/row", "fastest raw method");
  }
  for (const WorkloadReport& r : reports) {
    const MethodTiming* raw = r.fastest_raw();
    const MethodTiming* core = r.core_primary();
    std::string raw_ms = raw ? fmt::format("{:.2f}", raw->best_ms) : "-";
    std::string core_ms = core ? fmt::format("{:.2f}", core->best_ms) : "-";
    std::string ratio = "-";
    std::string extra = "-";
    if (auto value = r.ratio()) {
      ratio = fmt::format("{:.2f}x{}", *value, *value > kTarget ? " !" : "");
      extra = fmt::format("{:+.2f}", (core->best_ms - raw->best_ms) * 1000.0 / rows);
    }
    std::string method = raw ? raw->name : "";
    if (!r.error.empty()) method = "ERROR: " + r.error;
    if (config.markdown) {
      std::cout << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", r.backend,
                               workload_title(r.workload), raw_ms, core_ms, ratio, extra, method);
    } else {
      std::cout << fmt::format("{:<11} {:<28} {:>9} {:>9} {:>9} {:>8}  {}\n", r.backend,
                               workload_title(r.workload), raw_ms, core_ms, ratio, extra, method);
    }
  }
}

void print_methods(const std::vector<WorkloadReport>& reports) {
  std::cout << "\nEvery method (best ms, runs):\n";
  const auto line = [](std::string_view side, const MethodTiming& t) {
    std::cout << fmt::format("    {:<5} {:>10} {:>4}  {}\n", side,
                             t.ran() ? fmt::format("{:.2f}", t.best_ms) : "-", t.runs, t.name);
  };
  for (const WorkloadReport& r : reports) {
    std::cout << fmt::format("{} / {}\n", r.backend, workload_key(r.workload));
    for (const MethodTiming& t : r.raw) line("raw", t);
    for (const MethodTiming& t : r.core) line("Core", t);
  }
}

int run(const Config& config) {
  std::vector<Workload> workloads;
  for (Workload w : kWorkloads) {
    if (selected(config.workloads, workload_key(w))) workloads.push_back(w);
  }
  const Dataset data = make_dataset(config.rows);
  TempDir dir(sqlite_parent(config));
  std::vector<BackendRun> backends;
  std::vector<WorkloadReport> reports;
  bool failed = false;

  const std::string sampling =
      fmt::format("best of at least {} runs and {:.1f} s per method (at most {} runs)",
                  config.repeat, config.min_time_ms / 1000.0, config.max_runs);
  std::cerr << fmt::format("== Athanor Core vs raw C client: {} rows, {}\n", config.rows, sampling);
  CpuPlacement placement;
  for (const std::string& backend : config.backends) {
    BackendRun run{backend, "", ""};
    if (backend == "sqlite") {
      run.where = "file database in WAL mode, in " + dir.path().parent_path().string();
    }
    std::optional<std::string> url = backend_url(backend, dir);
    if (!url) {
      run.skipped = "no URL (set ATHANOR_TEST_URL_" +
                    std::string(backend == "postgresql" ? "POSTGRESQL" : "MARIADB") + ")";
      std::cerr << "   " << backend << ": skipped, " << run.skipped << std::endl;
      backends.push_back(run);
      continue;
    }
    try {
      std::unique_ptr<RawBackend> raw = make_raw(backend, *url, dir);
      run.version = raw->version();
      raw->create_table();
      std::unique_ptr<Side> core = config.run_core ? make_core_side(*url) : nullptr;
      bool table_filled = false;
      for (Workload w : workloads) {
        placement.enter(backend, w);
        WorkloadReport report{backend, w, {}, {}, {}};
        run_workload(*raw, core.get(), w, data, config, table_filled, report);
        failed = failed || !report.error.empty();
        print_progress(report);
        reports.push_back(std::move(report));
      }
      core.reset();
      raw->drop_table();
    } catch (const std::exception& e) {
      run.skipped = std::string("failed: ") + e.what();
      std::cerr << "   " << backend << ": " << run.skipped << std::endl;
      failed = true;
    }
    backends.push_back(run);
  }

  std::cout << fmt::format("\nAthanor Core vs the raw C client libraries: N = {} rows, {}\n",
                           config.rows, sampling);
  for (const BackendRun& b : backends) {
    std::string what = b.skipped.empty() ? b.version : "not run: " + b.skipped;
    if (b.skipped.empty() && !b.where.empty()) what += " (" + b.where + ")";
    std::cout << fmt::format("  {:<11} {}\n", b.name + ":", what);
  }
  std::cout << '\n';
  print_table(reports, config);
  if (config.all_methods) print_methods(reports);

  int compared = 0;
  std::vector<std::string> over;
  for (const WorkloadReport& r : reports) {
    if (auto ratio = r.ratio()) {
      ++compared;
      if (*ratio > kTarget) {
        over.push_back(fmt::format("{} {} ({:.2f}x)", r.backend, workload_key(r.workload), *ratio));
      }
    }
  }
  if (config.run_raw && config.run_core) {
    std::cout << fmt::format(
        "\nTarget: Core within {:.1f}x of the fastest raw method. {} of {} "
        "within target",
        kTarget, compared - static_cast<int>(over.size()), compared);
    if (!over.empty()) {
      std::cout << "; over (marked !): ";
      for (std::size_t i = 0; i < over.size(); ++i) std::cout << (i ? ", " : "") << over[i];
    }
    std::cout << ".\n";
  }
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace athanor::bench

int main(int argc, char** argv) {
  using athanor::bench::Config;
  Config config;
  CLI::App app{"Athanor Core vs the raw C client libraries"};
  app.add_option("-n,--rows", config.rows, "rows per workload")->check(CLI::Range(1, 10'000'000));
  app.add_option("-r,--repeat", config.repeat, "minimum runs per method; the best counts")
      ->check(CLI::Range(1, 1000));
  app.add_option("--min-time", config.min_time_ms,
                 "minimum milliseconds spent per method (more runs for fast workloads)")
      ->check(CLI::Range(0.0, 3'600'000.0));
  app.add_option("--max-runs", config.max_runs, "maximum runs per method")
      ->check(CLI::Range(1, 100'000));
  app.add_option("-b,--backend", config.backends, "backends to run")
      ->delimiter(',')
      ->check(CLI::IsMember({"sqlite", "postgresql", "mariadb"}));
  std::vector<std::string> workload_keys;
  for (auto w : athanor::bench::kWorkloads) {
    workload_keys.emplace_back(athanor::bench::workload_key(w));
  }
  app.add_option("-w,--workload", config.workloads, "workloads to run (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember(workload_keys));
  app.add_flag("-a,--all", config.all_methods,
               "time every raw and Core method and list them after the table");
  app.add_flag("--markdown", config.markdown, "print the table as Markdown");
  std::string side = "both";
  app.add_option("--side", side, "run the raw side, the Core side or both")
      ->check(CLI::IsMember({"raw", "core", "both"}));
  app.add_option("--method", config.method_filter,
                 "run only the methods whose name contains this text (for profiling)");
  app.add_option("--sqlite-dir", config.sqlite_dir,
                 "directory for the SQLite database file (default: /dev/shm, else TMPDIR)")
      ->check(CLI::ExistingDirectory);
  CLI11_PARSE(app, argc, argv);
  config.run_raw = side != "core";
  config.run_core = side != "raw";
  try {
    return athanor::bench::run(config);
  } catch (const std::exception& e) {
    std::cerr << "athanor_bench: " << e.what() << '\n';
    return 1;
  }
}
