// Athanor benchmarks (tests/perf): the harness. Runs every workload on every backend, once per
// method of each side, keeping each method's best run, and prints the raw and Core times with
// their ratio.
//
// The whole measurement runs in several processes (--processes, 5 by default), one after the
// other, and each cell reports the median of their ratios. One process's ratio depends on where
// address-space layout randomization happened to load the client library relative to the
// program (docs/performance.md, "How to read it"); the median is what a typical
// process sees, and the range printed beside it shows the spread.
//
//   athanor_bench [--rows N] [--repeat R] [--min-time MS] [--max-runs K] [--processes P]
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
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "athanor/core/url.hpp"
#include "tests/perf/bench.hpp"

namespace athanor::bench {
namespace {

constexpr double kTarget = 1.2;  // Core within 1.2x of the fastest raw method

// Set in the environment of the processes the harness starts: where each writes its results.
constexpr const char* kResultsVariable = "ATHANOR_BENCH_RESULTS";

struct Config {
  std::size_t rows = 10000;
  // Each method runs at least `repeat` times and until it has run for `min_time_ms` in all
  // (at most `max_runs` times); the best run counts. Fast workloads thus get many samples,
  // which keeps the minimum stable on a machine busy with other work.
  int repeat = 5;
  double min_time_ms = 1000;
  int max_runs = 50;
  int processes = 5;  // measurements in separate processes; the median ratio counts
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

// What one process measured.
struct Measurement {
  std::vector<BackendRun> backends;
  std::vector<WorkloadReport> reports;
  bool failed = false;
};

// Runs the selected workloads on the selected backends in this process.
Measurement measure(const Config& config) {
  std::vector<Workload> workloads;
  for (Workload w : kWorkloads) {
    if (selected(config.workloads, workload_key(w))) workloads.push_back(w);
  }
  const Dataset data = make_dataset(config.rows);
  TempDir dir(sqlite_parent(config));
  Measurement m;
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
      m.backends.push_back(run);
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
        m.failed = m.failed || !report.error.empty();
        print_progress(report);
        m.reports.push_back(std::move(report));
      }
      core.reset();
      raw->drop_table();
    } catch (const std::exception& e) {
      run.skipped = std::string("failed: ") + e.what();
      std::cerr << "   " << backend << ": " << run.skipped << std::endl;
      m.failed = true;
    }
    m.backends.push_back(run);
  }
  return m;
}

// A measurement as lines of tab-separated fields, for the process that started this one. (No
// field holds a tab or a newline: those of error messages are replaced by spaces.)
std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n'; }, ' ');
  return text;
}

void write_measurement(const Measurement& m, const std::string& path) {
  std::ofstream out(path);
  for (const BackendRun& b : m.backends) {
    out << "backend\t" << b.name << '\t' << one_line(b.version) << '\t' << one_line(b.skipped)
        << '\t' << b.where << '\n';
  }
  for (const WorkloadReport& r : m.reports) {
    out << "workload\t" << r.backend << '\t' << workload_key(r.workload) << '\t'
        << one_line(r.error) << '\n';
    const auto timings = [&](std::string_view side, const std::vector<MethodTiming>& list) {
      for (const MethodTiming& t : list) {
        out << fmt::format("{}\t{:.17g}\t{}\t{:.17g}\t{}\n", side, t.best_ms, t.runs, t.total_ms,
                           t.name);
      }
    };
    timings("raw", r.raw);
    timings("core", r.core);
  }
  out << "failed\t" << (m.failed ? 1 : 0) << '\n';
  if (!out.flush()) throw std::runtime_error("cannot write the results to " + path);
}

Measurement read_measurement(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("no results in " + path);
  Measurement m;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, '\t');) f.push_back(field);
    if (line.ends_with('\t')) f.emplace_back();
    const auto bad = [&] { return std::runtime_error("malformed results line: " + line); };
    if (f.empty()) throw bad();
    if (f[0] == "backend" && f.size() == 5) {
      m.backends.push_back({f[1], f[2], f[3], f[4]});
    } else if (f[0] == "workload" && f.size() == 4) {
      const auto* w = std::find_if(kWorkloads.begin(), kWorkloads.end(),
                                   [&](Workload k) { return workload_key(k) == f[2]; });
      if (w == kWorkloads.end()) throw bad();
      m.reports.push_back({f[1], *w, {}, {}, f[3]});
    } else if ((f[0] == "raw" || f[0] == "core") && f.size() == 5 && !m.reports.empty()) {
      MethodTiming t{f[4], std::stod(f[1]), std::stoi(f[2]), std::stod(f[3])};
      (f[0] == "raw" ? m.reports.back().raw : m.reports.back().core).push_back(std::move(t));
    } else if (f[0] == "failed" && f.size() == 2) {
      m.failed = f[1] != "0";
    } else {
      throw bad();
    }
  }
  return m;
}

// One workload on one backend over every process: the process with the median ratio stands
// for it, the others give the range.
struct Cell {
  const WorkloadReport* median = nullptr;  // the process with the median ratio (or an error)
  std::optional<double> ratio;             // the median ratio
  double lowest = 0;                       // the range of the processes' ratios
  double highest = 0;
};

// `runs[p]` is process p's report of the cell. With an even count of processes the higher of
// the two middle ratios counts, so that the choice never flatters Core.
Cell summarize(const std::vector<const WorkloadReport*>& runs) {
  Cell cell;
  std::vector<const WorkloadReport*> ranked;
  for (const WorkloadReport* r : runs) {
    if (!r->error.empty()) {
      cell.median = r;  // an error anywhere is the cell's outcome
      return cell;
    }
    if (r->ratio()) ranked.push_back(r);
  }
  if (ranked.empty()) {
    cell.median = runs.front();
    return cell;
  }
  std::sort(ranked.begin(), ranked.end(), [](const WorkloadReport* a, const WorkloadReport* b) {
    return *a->ratio() < *b->ratio();
  });
  cell.median = ranked[ranked.size() / 2];
  cell.ratio = cell.median->ratio();
  cell.lowest = *ranked.front()->ratio();
  cell.highest = *ranked.back()->ratio();
  return cell;
}

void print_table(const std::vector<Cell>& cells, const Config& config, int processes) {
  const double rows = static_cast<double>(config.rows);
  const bool ranged = processes > 1;
  if (config.markdown) {
    std::cout << "| backend | workload | raw ms | Core ms | Core/raw |"
              << (ranged ? " range |" : "") << " Core extra us/row | fastest raw method |\n"
              << "|---|---|--:|--:|--:|" << (ranged ? "--:|" : "") << "--:|---|\n";
  } else {
    std::cout << fmt::format(
        "{:<11} {:<28} {:>9} {:>9} {:>9}{} {:>8}  {}\n", "backend", "workload", "raw ms", "Core ms",
        "Core/raw", ranged ? fmt::format(" {:>11}", "range") : "", "+us/row", "fastest raw method");
  }
  for (const Cell& cell : cells) {
    const WorkloadReport& r = *cell.median;
    const MethodTiming* raw = r.fastest_raw();
    const MethodTiming* core = r.core_primary();
    std::string raw_ms = raw ? fmt::format("{:.2f}", raw->best_ms) : "-";
    std::string core_ms = core ? fmt::format("{:.2f}", core->best_ms) : "-";
    std::string ratio = "-";
    std::string range = "-";
    std::string extra = "-";
    if (cell.ratio) {
      ratio = fmt::format("{:.2f}x{}", *cell.ratio, *cell.ratio > kTarget ? " !" : "");
      range = fmt::format("{:.2f}-{:.2f}", cell.lowest, cell.highest);
      extra = fmt::format("{:+.2f}", (core->best_ms - raw->best_ms) * 1000.0 / rows);
    }
    std::string method = raw ? raw->name : "";
    if (!r.error.empty()) method = "ERROR: " + r.error;
    if (config.markdown) {
      std::cout << fmt::format("| {} | {} | {} | {} | {} |{} {} | {} |\n", r.backend,
                               workload_title(r.workload), raw_ms, core_ms, ratio,
                               ranged ? fmt::format(" {} |", range) : "", extra, method);
    } else {
      std::cout << fmt::format("{:<11} {:<28} {:>9} {:>9} {:>9}{} {:>8}  {}\n", r.backend,
                               workload_title(r.workload), raw_ms, core_ms, ratio,
                               ranged ? fmt::format(" {:>11}", range) : "", extra, method);
    }
  }
}

void print_methods(const std::vector<Cell>& cells) {
  std::cout << "\nEvery method, in the process with the median ratio (best ms, runs):\n";
  const auto line = [](std::string_view side, const MethodTiming& t) {
    std::cout << fmt::format("    {:<5} {:>10} {:>4}  {}\n", side,
                             t.ran() ? fmt::format("{:.2f}", t.best_ms) : "-", t.runs, t.name);
  };
  for (const Cell& cell : cells) {
    const WorkloadReport& r = *cell.median;
    std::cout << fmt::format("{} / {}\n", r.backend, workload_key(r.workload));
    for (const MethodTiming& t : r.raw) line("raw", t);
    for (const MethodTiming& t : r.core) line("Core", t);
  }
}

// How each method is sampled, for the headers.
std::string sampling(const Config& config) {
  return fmt::format("{} rows, best of at least {} runs and {:.1f} s per method (at most {} runs)",
                     config.rows, config.repeat, config.min_time_ms / 1000.0, config.max_runs);
}

// The progress output's first line.
void print_header(const Config& config, std::string_view processes) {
  std::cerr << "== Athanor Core vs raw C client: " << sampling(config) << processes << '\n';
}

// Prints the table of one or more processes' measurements; returns the exit status.
int report(const Config& config, const std::vector<Measurement>& runs) {
  const Measurement& first = runs.front();
  std::string how = sampling(config);
  if (runs.size() > 1) {
    how += fmt::format(";\nmedian ratio of {} processes, and its range", runs.size());
  }
  std::cout << fmt::format("\nAthanor Core vs the raw C client libraries: N = {}\n", how);
  for (std::size_t b = 0; b < first.backends.size(); ++b) {
    BackendRun shown = first.backends[b];
    for (const Measurement& m : runs) {  // a backend that failed in any process is reported so
      if (b < m.backends.size() && !m.backends[b].skipped.empty()) shown = m.backends[b];
    }
    std::string what = shown.skipped.empty() ? shown.version : "not run: " + shown.skipped;
    if (shown.skipped.empty() && !shown.where.empty()) what += " (" + shown.where + ")";
    std::cout << fmt::format("  {:<11} {}\n", shown.name + ":", what);
  }
  std::cout << '\n';

  // The processes ran the same cells in the same order; a process that stopped early (its
  // backend failed) contributes to the cells it ran.
  std::vector<Cell> cells;
  for (std::size_t i = 0; i < first.reports.size(); ++i) {
    std::vector<const WorkloadReport*> cell_runs;
    for (const Measurement& m : runs) {
      for (const WorkloadReport& r : m.reports) {
        if (r.backend == first.reports[i].backend && r.workload == first.reports[i].workload) {
          cell_runs.push_back(&r);
        }
      }
    }
    cells.push_back(summarize(cell_runs));
  }
  const bool failed =
      std::any_of(runs.begin(), runs.end(), [](const Measurement& m) { return m.failed; });
  print_table(cells, config, static_cast<int>(runs.size()));
  if (config.all_methods) print_methods(cells);

  int compared = 0;
  std::vector<std::string> over;
  for (const Cell& cell : cells) {
    if (cell.ratio) {
      ++compared;
      if (*cell.ratio > kTarget) {
        over.push_back(fmt::format("{} {} ({:.2f}x)", cell.median->backend,
                                   workload_key(cell.median->workload), *cell.ratio));
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

// Runs this program again, `config.processes` times in turn, each measuring once into a file of
// a temporary directory, and reports their median.
int run_processes(const Config& config, char** argv) {
  TempDir dir(std::filesystem::temp_directory_path());
  // This process's environment, and last the variable that names each child's results file.
  const std::string results_prefix = std::string(kResultsVariable) + "=";
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with(results_prefix)) environment.emplace_back(*e);
  }
  environment.emplace_back();
  std::vector<char*> envp;
  for (std::string& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);

  print_header(config, fmt::format(", {} processes", config.processes));
  std::vector<Measurement> runs;
  for (int p = 1; p <= config.processes; ++p) {
    std::cerr << fmt::format("-- process {} of {}", p, config.processes) << std::endl;
    const std::string results = (dir.path() / fmt::format("process-{}.tsv", p)).string();
    environment.back() = results_prefix + results;
    envp[environment.size() - 1] = environment.back().data();
    pid_t pid = 0;
    if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, envp.data()) != 0) {
      throw std::runtime_error("cannot start a benchmark process");
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) throw std::runtime_error("lost a benchmark process");
    if (!std::filesystem::exists(results)) {
      throw std::runtime_error(
          fmt::format("benchmark process {} ended without results ({})", p,
                      WIFSIGNALED(status) ? fmt::format("signal {}", WTERMSIG(status))
                                          : fmt::format("exit status {}", WEXITSTATUS(status))));
    }
    runs.push_back(read_measurement(results));
  }
  return report(config, runs);
}

// One measurement in this process: written for the process that started this one, or printed.
int run(const Config& config) {
  if (const char* results = std::getenv(kResultsVariable)) {
    const Measurement m = measure(config);
    write_measurement(m, results);
    return m.failed ? 1 : 0;
  }
  print_header(config, "");
  return report(config, {measure(config)});
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
  app.add_option("-p,--processes", config.processes,
                 "measure in this many processes, one after the other; the median ratio counts")
      ->check(CLI::Range(1, 99));
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
    if (config.processes > 1 && std::getenv(athanor::bench::kResultsVariable) == nullptr) {
      return athanor::bench::run_processes(config, argv);
    }
    return athanor::bench::run(config);
  } catch (const std::exception& e) {
    std::cerr << "athanor_bench: " << e.what() << '\n';
    return 1;
  }
}
