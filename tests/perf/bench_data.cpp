// Athanor benchmarks (tests/perf): the dataset, the workload names and the outcome checks shared
// by the raw and Core sides.
#include <bit>
#include <stdexcept>
#include <string>
#include <utility>

#include "tests/perf/bench.hpp"

namespace athanor::bench {

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t text_hash(std::string_view text) {  // FNV-1a
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

[[noreturn]] void mismatch(Workload workload, const std::string& what) {
  throw std::runtime_error(std::string(workload_key(workload)) + ": " + what);
}

std::string describe(const BenchRow& row) {
  return "{id=" + std::to_string(row.id) + ", name='" + row.name +
         "', value=" + std::to_string(row.value) + ", score=" + std::to_string(row.score) + "}";
}

bool same_row(const BenchRow& a, const BenchRow& b) {
  return a.id == b.id && a.name == b.name && a.value == b.value && a.score == b.score;
}

}  // namespace

std::string_view workload_key(Workload workload) {
  switch (workload) {
    case Workload::kBulkInsert:
      return "bulk_insert";
    case Workload::kInsertReturning:
      return "insert_returning";
    case Workload::kLoadRows:
      return "load_rows";
    case Workload::kPkLookups:
      return "pk_lookups";
    case Workload::kSingleInserts:
      return "single_inserts";
  }
  return "?";
}

std::string_view workload_title(Workload workload) {
  switch (workload) {
    case Workload::kBulkInsert:
      return "bulk insert (executemany)";
    case Workload::kInsertReturning:
      return "bulk insert, ids returned";
    case Workload::kLoadRows:
      return "load N rows into structs";
    case Workload::kPkLookups:
      return "N primary-key lookups";
    case Workload::kSingleInserts:
      return "N x (insert 1 row, commit)";
  }
  return "?";
}

bool needs_fixture(Workload workload) {
  return workload == Workload::kLoadRows || workload == Workload::kPkLookups;
}

Dataset make_dataset(std::size_t n) {
  static constexpr std::string_view kSuffixes[] = {
      "", "-alpha", "-bravo-charlie", "-delta", "-echo-foxtrot-golf-hotel", "-india"};
  Dataset data;
  data.rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    BenchRow row;
    row.id = static_cast<std::int64_t>(i + 1);
    row.name = "customer-" + std::to_string(i) + std::string(kSuffixes[i % std::size(kSuffixes)]);
    row.value = static_cast<std::int64_t>((i * 7919) % 1000003);
    row.score = static_cast<double>(i) * 0.5 + 0.125;  // exact in binary and in decimal text
    data.rows.push_back(std::move(row));
  }
  data.lookup_ids.resize(n);
  for (std::size_t i = 0; i < n; ++i) data.lookup_ids[i] = static_cast<std::int64_t>(i + 1);
  std::uint64_t state = 42;
  for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates with a fixed seed
    state = mix(state);
    std::swap(data.lookup_ids[i - 1], data.lookup_ids[state % i]);
  }
  return data;
}

std::uint64_t row_digest(const BenchRow& row) {
  std::uint64_t h = mix(static_cast<std::uint64_t>(row.id));
  h = mix(h ^ text_hash(row.name));
  h = mix(h ^ static_cast<std::uint64_t>(row.value));
  return mix(h ^ std::bit_cast<std::uint64_t>(row.score));
}

std::uint64_t rows_digest(std::span<const BenchRow> rows) {
  std::uint64_t sum = 0;
  for (const BenchRow& row : rows) sum += row_digest(row);
  return sum;
}

void verify_outcome(Workload workload, const Dataset& data, const Outcome& outcome,
                    std::span<const BenchRow> stored) {
  const std::size_t n = data.rows.size();
  const auto expect_table = [&] {
    if (stored.size() != n) {
      mismatch(workload, "table holds " + std::to_string(stored.size()) + " rows, expected " +
                             std::to_string(n));
    }
    if (rows_digest(stored) != rows_digest(data.rows)) {
      mismatch(workload, "table content differs from the dataset (ids, names, values, scores)");
    }
  };
  switch (workload) {
    case Workload::kBulkInsert:
    case Workload::kSingleInserts:
      if (outcome.affected != static_cast<std::int64_t>(n)) {
        mismatch(workload, "client reported " + std::to_string(outcome.affected) +
                               " rows inserted, expected " + std::to_string(n));
      }
      expect_table();
      break;
    case Workload::kInsertReturning:
      if (outcome.ids.size() != n) {
        mismatch(workload, std::to_string(outcome.ids.size()) + " ids returned, expected " +
                               std::to_string(n));
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (outcome.ids[i] != data.rows[i].id) {
          mismatch(workload, "id #" + std::to_string(i) + " is " + std::to_string(outcome.ids[i]) +
                                 ", expected " + std::to_string(data.rows[i].id));
        }
      }
      expect_table();
      break;
    case Workload::kLoadRows:
      if (outcome.rows.size() != n) {
        mismatch(workload, std::to_string(outcome.rows.size()) + " rows loaded, expected " +
                               std::to_string(n));
      }
      if (rows_digest(outcome.rows) != rows_digest(data.rows)) {
        mismatch(workload, "loaded rows differ from the dataset");
      }
      break;
    case Workload::kPkLookups:
      if (outcome.rows.size() != n) {
        mismatch(workload, std::to_string(outcome.rows.size()) + " rows found, expected " +
                               std::to_string(n));
      }
      for (std::size_t i = 0; i < n; ++i) {
        const BenchRow& want = data.rows[static_cast<std::size_t>(data.lookup_ids[i] - 1)];
        if (!same_row(outcome.rows[i], want)) {
          mismatch(workload, "lookup #" + std::to_string(i) + " found " +
                                 describe(outcome.rows[i]) + ", expected " + describe(want));
        }
      }
      break;
  }
}

Outcome run_method(const Method& method, const Dataset& data) { return method.run(data); }

std::string multi_row_insert_sql(std::size_t rows,
                                 const std::function<std::string(std::size_t)>& placeholder) {
  std::string sql = "INSERT INTO " + std::string(kTable) + " (name, value, score) VALUES ";
  std::size_t k = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ", ";
    sql += '(';
    sql += placeholder(++k);
    sql += ", ";
    sql += placeholder(++k);
    sql += ", ";
    sql += placeholder(++k);
    sql += ')';
  }
  return sql;
}

}  // namespace athanor::bench
