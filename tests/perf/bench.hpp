// Athanor benchmarks (tests/perf, outside the library's layers): the workloads compared between
// the raw C client libraries and Athanor Core, the data they use, and how a run is checked.
//
// Each workload is implemented twice per backend: once with sqlite3/libpq/Connector-C by hand
// (raw_*.cpp), once through Athanor Core (core_side.cpp). Both sides start from the same Dataset,
// work on the same table with the same transaction boundaries, and hand back an Outcome that is
// verified after the clock stops, so neither side can skip work.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace athanor {
struct URL;
}

namespace athanor::bench {

// The benchmark table. Its DDL is spelled per backend in raw_*.cpp; core_side.cpp describes the
// same columns with a MetaData Table.
inline constexpr std::string_view kTable = "bench_rows";
inline constexpr int kNameLength = 64;

// One row of the table; field order matches the column order (Core hydrates it positionally).
struct BenchRow {
  std::int64_t id = 0;     // autoincrement primary key
  std::string name;        // VARCHAR(64)
  std::int64_t value = 0;  // INTEGER
  double score = 0.0;      // DOUBLE
};

enum class Workload {
  kBulkInsert,       // N rows in one executemany, one transaction
  kInsertReturning,  // the same, generated ids fetched back in order
  kLoadRows,         // SELECT all N rows into BenchRow structs
  kPkLookups,        // N single-row SELECTs by primary key, one statement reused, one transaction
  kSingleInserts,    // N times: insert one row and commit
};
inline constexpr std::array<Workload, 5> kWorkloads = {
    Workload::kBulkInsert, Workload::kInsertReturning, Workload::kLoadRows, Workload::kPkLookups,
    Workload::kSingleInserts};

std::string_view workload_key(Workload workload);    // "bulk_insert", for --workload
std::string_view workload_title(Workload workload);  // "bulk insert (executemany)"
// Whether the table must already hold the dataset when the timed run starts (loads, lookups);
// otherwise it starts empty with its autoincrement counter reset.
bool needs_fixture(Workload workload);

struct Dataset {
  // Row i (0-based) has id i + 1: the id an empty table generates for it when rows are
  // inserted in order.
  std::vector<BenchRow> rows;
  // A fixed pseudo-random permutation of the ids, the order of the primary-key lookups.
  std::vector<std::int64_t> lookup_ids;
};
Dataset make_dataset(std::size_t n);

// What a timed run hands back. Filled inside the timed region (building these vectors is part of
// the work on both sides), checked outside it.
struct Outcome {
  std::int64_t affected = -1;     // rows the client reported inserted; -1: not reported
  std::vector<std::int64_t> ids;  // generated ids, in insertion order
  std::vector<BenchRow> rows;     // rows read: any order for loads, lookup order for lookups
};

// A hash of one row's four fields; sums of it give order-independent table digests.
std::uint64_t row_digest(const BenchRow& row);
std::uint64_t rows_digest(std::span<const BenchRow> rows);

// Checks a run's outcome against the dataset. `stored` is the table's content after the run
// (read back independently through the raw client). Throws std::runtime_error naming the first
// mismatch.
void verify_outcome(Workload workload, const Dataset& data, const Outcome& outcome,
                    std::span<const BenchRow> stored);

// One way of running a workload.
struct Method {
  std::string name;  // how it does it, e.g. "multi-row INSERT, 1000 rows/statement"
  std::function<Outcome(const Dataset&)> run;
};

// Runs `method` on `data`. Kept out of line (in its own translation unit) so that profilers have
// one symbol that spans exactly the timed work, e.g.
//   valgrind --tool=callgrind --toggle-collect='*run_method*' athanor_bench --side core ...
Outcome run_method(const Method& method, const Dataset& data);

// One side of the comparison on one backend.
class Side {
 public:
  virtual ~Side() = default;
  // The ways this side runs `workload`; the raw side offers every fast method the client library
  // has (the harness keeps the fastest), the Core side the code an application would write.
  virtual std::vector<Method> methods(Workload workload) = 0;
  // Brings the connection back to a usable idle state after a method threw (rolls back).
  virtual void recover() noexcept {}
};

// The raw client side, which also owns the table: it creates, empties, fills and reads it
// between timed runs, so those chores cost the Core side nothing and are done the same way for
// both.
class RawBackend : public Side {
 public:
  virtual std::string_view name() const = 0;  // "sqlite", "postgresql", "mariadb"
  virtual std::string version() const = 0;    // library or server version, for the report
  virtual void create_table() = 0;            // drops any previous one
  virtual void clear_table() = 0;             // empty, autoincrement counter back to 1
  virtual void fill_table(const Dataset& data) = 0;
  virtual std::vector<BenchRow> read_table() = 0;
  virtual void drop_table() = 0;
};

std::unique_ptr<RawBackend> make_raw_sqlite(const std::string& path);
std::unique_ptr<RawBackend> make_raw_postgresql(const URL& url);
std::unique_ptr<RawBackend> make_raw_mariadb(const URL& url);

// The Core side for the database at `url` (an Athanor URL). The table must exist.
std::unique_ptr<Side> make_core_side(const std::string& url);

// Rows per statement of the raw multi-row INSERT methods (the same page size Core uses).
inline constexpr std::size_t kRowsPerMultiRowInsert = 1000;

// "INSERT INTO bench_rows (name, value, score) VALUES (p, p, p), ..." with `rows` row groups;
// `placeholder(k)` spells the k-th (1-based) parameter.
std::string multi_row_insert_sql(std::size_t rows,
                                 const std::function<std::string(std::size_t)>& placeholder);

}  // namespace athanor::bench
