// Athanor benchmarks (tests/perf): the workloads written the way an application uses Athanor
// Core, the side measured against the raw client libraries.
//
// Only the public API (athanor/core.hpp) is used, the way an application holding its rows in
// structs writes it: executemany reading the structs in place (param_sets; the list of
// parameter dicts of SQLAlchemy's examples/performance is timed too, as std::vector<Params>),
// select() into structs, one statement object reused for the lookups, single-row inserts on a
// connection in AUTOCOMMIT.
#include <athanor/core.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "tests/perf/bench.hpp"

namespace athanor::bench {

namespace {

Params row_params(const BenchRow& row) {
  return Params{{"name", row.name}, {"value", row.value}, {"score", row.score}};
}

// The executemany input read from the rows where they are.
auto row_param_sets(const Dataset& data) {
  return param_sets(data.rows, field("name", &BenchRow::name), field("value", &BenchRow::value),
                    field("score", &BenchRow::score));
}

std::vector<Params> all_row_params(const Dataset& data) {
  std::vector<Params> params;
  params.reserve(data.rows.size());
  for (const BenchRow& row : data.rows) params.push_back(row_params(row));
  return params;
}

class CoreSide final : public Side {
 public:
  explicit CoreSide(const std::string& url)
      : engine_(create_engine(url)),
        // The workloads read no inserted_primary_key: no RETURNING is added for it.
        table_(define_table(metadata_, {.implicit_returning = false})),
        keyed_table_(define_table(keyed_metadata_, {})),
        conn_(engine_.connect()) {}

  static Table& define_table(MetaData& metadata, TableOptions options) {
    return metadata.table(std::string(kTable),
                          {
                              Column("id", Integer{}, {.primary_key = true}),
                              Column("name", String{kNameLength}, {.nullable = false}),
                              Column("value", Integer{}, {.nullable = false}),
                              Column("score", Double{}, {.nullable = false}),
                          },
                          std::move(options));
  }

  std::vector<Method> methods(Workload workload) override {
    switch (workload) {
      case Workload::kBulkInsert:
        return {{"execute(insert(t), param_sets(rows, field(...)...))",
                 [this](auto& d) { return bulk_insert(row_param_sets(d)); }},
                {"execute(insert(t), vector<Params>)",
                 [this](auto& d) { return bulk_insert(all_row_params(d)); }},
                {"insert(t).values(1000 rows) per page",
                 [this](auto& d) { return bulk_insert_values_pages(d); }}};
      case Workload::kInsertReturning:
        return {{"insert(t).returning(id), param_sets(rows, ...), scalars<int64_t>",
                 [this](auto& d) { return insert_returning(row_param_sets(d)); }},
                {"insert(t).returning(id), vector<Params>, scalars<int64_t>",
                 [this](auto& d) { return insert_returning(all_row_params(d)); }}};
      case Workload::kLoadRows:
        return {{"execute(select(t)).as<BenchRow>()", [this](auto& d) { return load_as(d); }},
                {"Row iteration with get<T>", [this](auto& d) { return load_get(d); }}};
      case Workload::kPkLookups:
        return {{"id == bindparam(\"id\"), first<BenchRow>()",
                 [this](auto& d) {
                   return lookups(d, [](Result&& result) { return result.first<BenchRow>(); });
                 }},
                {"id == bindparam(\"id\"), first(), Row::as<BenchRow>()", [this](auto& d) {
                   return lookups(d, [](Result&& result) -> std::optional<BenchRow> {
                     std::optional<Row> row = result.first();
                     if (!row) return std::nullopt;
                     return std::move(*row).as<BenchRow>();
                   });
                 }}};
      case Workload::kSingleInserts:
        return {{"AUTOCOMMIT: execute(insert(t), params); commit()",
                 [this](auto& d) { return single_inserts_autocommit(d); }},
                {"AUTOCOMMIT, implicit RETURNING of the key (inserted_primary_key)",
                 [this](auto& d) { return single_inserts_autocommit(d, keyed_table_); }},
                {"execute(insert(t), params); commit() (a transaction per row)",
                 [this](auto& d) { return single_inserts(d); }},
                {"engine.begin([](conn) {...}) per row",
                 [this](auto& d) { return single_inserts_begin(d); }}};
    }
    return {};
  }

  void recover() noexcept override {
    try {
      conn_.rollback();
    } catch (...) {
      // The next run reports the state the connection is in.
    }
  }

 private:
  // `sets`: param_sets() over the rows, or a std::vector<Params> (built in the timed region).
  template <class ParameterSets>
  Outcome bulk_insert(const ParameterSets& sets) {
    Result result = conn_.execute(insert(table_), sets);
    Outcome out{.affected = result.rowcount()};
    conn_.commit();
    return out;
  }

  // Multi-row VALUES pages built by the application: each page is a new statement, compiled
  // once, where executemany reuses one compiled page.
  Outcome bulk_insert_values_pages(const Dataset& data) {
    Outcome out{.affected = 0};
    const std::size_t n = data.rows.size();
    for (std::size_t begin = 0; begin < n; begin += kRowsPerMultiRowInsert) {
      const std::size_t end = std::min(n, begin + kRowsPerMultiRowInsert);
      std::vector<Params> page;
      page.reserve(end - begin);
      for (std::size_t i = begin; i < end; ++i) page.push_back(row_params(data.rows[i]));
      out.affected += conn_.execute(insert(table_).values(std::move(page))).rowcount();
    }
    conn_.commit();
    return out;
  }

  template <class ParameterSets>
  Outcome insert_returning(const ParameterSets& sets) {
    Outcome out;
    Result result = conn_.execute(insert(table_).returning(table_.c("id")), sets);
    out.ids = result.scalars<std::int64_t>();
    conn_.commit();
    return out;
  }

  Outcome load_as(const Dataset&) {
    Outcome out;
    out.rows = conn_.execute(select(table_)).as<BenchRow>();
    conn_.commit();
    return out;
  }

  Outcome load_get(const Dataset& data) {
    Outcome out;
    out.rows.reserve(data.rows.size());
    for (const Row& row : conn_.execute(select(table_))) {
      out.rows.push_back(BenchRow{row.get<std::int64_t>(0), row.get<std::string>(1),
                                  row.get<std::int64_t>(2), row.get<double>(3)});
    }
    conn_.commit();
    return out;
  }

  // `first_row(Result&&)` reads the lookup's row as a std::optional<BenchRow>.
  template <class FirstRow>
  Outcome lookups(const Dataset& data, FirstRow first_row) {
    Outcome out;
    out.rows.reserve(data.lookup_ids.size());
    const Select stmt = select(table_).where(table_.c("id") == bindparam("id"));
    for (std::int64_t id : data.lookup_ids) {
      std::optional<BenchRow> row = first_row(conn_.execute(stmt, {{"id", id}}));
      if (!row) throw std::runtime_error("Core: no row for id " + std::to_string(id));
      out.rows.push_back(std::move(*row));
    }
    conn_.commit();
    return out;
  }

  Outcome single_inserts(const Dataset& data) { return single_inserts(data, table_); }
  Outcome single_inserts(const Dataset& data, const Table& table) {
    Outcome out{.affected = 0};
    const Insert stmt = insert(table);
    for (const BenchRow& row : data.rows) {
      out.affected += conn_.execute(stmt, row_params(row)).rowcount();
      conn_.commit();
    }
    return out;
  }

  // SQLAlchemy's examples/performance style: a pooled connection and a transaction per row.
  Outcome single_inserts_begin(const Dataset& data) {
    Outcome out{.affected = 0};
    const Insert stmt = insert(table_);
    for (const BenchRow& row : data.rows) {
      out.affected += engine_.begin(
          [&](Connection& conn) { return conn.execute(stmt, row_params(row)).rowcount(); });
    }
    return out;
  }

  // An application committing single rows runs its connection in AUTOCOMMIT: each INSERT
  // commits by itself, and commit() sends nothing.
  Outcome single_inserts_autocommit(const Dataset& data) {
    return single_inserts_autocommit(data, table_);
  }
  Outcome single_inserts_autocommit(const Dataset& data, const Table& table) {
    struct RestoreLevel {
      Connection& conn;
      ~RestoreLevel() {
        try {
          conn.set_execution_options({});
        } catch (...) {
          // The connection is broken; the run's own error is the one to report.
        }
      }
    };
    conn_.set_execution_options({.isolation_level = "AUTOCOMMIT"});
    RestoreLevel restore{conn_};
    return single_inserts(data, table);
  }

  Engine engine_;
  MetaData metadata_;
  MetaData keyed_metadata_;
  Table& table_;
  Table& keyed_table_;  // the same table with implicit RETURNING (the default)
  Connection conn_;
};

}  // namespace

std::unique_ptr<Side> make_core_side(const std::string& url) {
  return std::make_unique<CoreSide>(url);
}

}  // namespace athanor::bench
