// athanor-gen emitter: C++ text for one model header (see emitter.hpp).
#include "codegen/emitter.hpp"

#include <cctype>
#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace athanor::gen {
namespace {

constexpr std::size_t kColumnLimit = 100;

// A C++ string literal for `text`: a raw string when that reads better.
std::string literal(const std::string& text) {
  bool needs_escapes = false;
  for (char c : text) {
    if (c == '"' || c == '\\') needs_escapes = true;
  }
  bool has_control = false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) has_control = true;
  }
  if (needs_escapes && !has_control) {
    std::string delimiter;
    while (text.find(")" + delimiter + "\"") != std::string::npos) delimiter += "x";
    return "R\"" + delimiter + "(" + text + ")" + delimiter + "\"";
  }
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// `.name = value`, a designated initializer.
std::string field(std::string_view name, const std::string& value) {
  return fmt::format(".{} = {}", name, value);
}

std::string camel_case(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// The TypeSpec spelling of a column type: spec::String(255), spec::Enum<blog::Status>().
std::string type_spec(const SqlType& type) {
  switch (type.kind) {
    case SqlType::Kind::kInteger:
      return "spec::Integer()";
    case SqlType::Kind::kBigInteger:
      return "spec::BigInteger()";
    case SqlType::Kind::kSmallInteger:
      return "spec::SmallInteger()";
    case SqlType::Kind::kBoolean:
      return "spec::Boolean()";
    case SqlType::Kind::kFloat:
      return "spec::Float()";
    case SqlType::Kind::kDouble:
      return "spec::Double()";
    case SqlType::Kind::kNumeric:
      if (type.precision && type.scale) {
        return fmt::format("spec::Numeric({}, {})", *type.precision, *type.scale);
      }
      if (type.precision) return fmt::format("spec::Numeric({})", *type.precision);
      return "spec::Numeric()";
    case SqlType::Kind::kString:
      return type.length ? fmt::format("spec::String({})", *type.length) : "spec::String()";
    case SqlType::Kind::kText:
      return "spec::Text()";
    case SqlType::Kind::kDate:
      return "spec::Date()";
    case SqlType::Kind::kDateTime:
      return type.timezone ? "spec::DateTime(true)" : "spec::DateTime()";
    case SqlType::Kind::kTime:
      return "spec::Time()";
    case SqlType::Kind::kLargeBinary:
      return "spec::LargeBinary()";
    case SqlType::Kind::kJson:
      return "spec::JSON()";
    case SqlType::Kind::kUuid:
      return "spec::Uuid()";
    case SqlType::Kind::kEnum:
      return fmt::format("spec::Enum<{}>()", type.enum_name);
  }
  return "?";
}

const char* direction(Direction d) {
  switch (d) {
    case Direction::kManyToOne:
      return "RelationshipDirection::kManyToOne";
    case Direction::kOneToMany:
      return "RelationshipDirection::kOneToMany";
    case Direction::kOneToOne:
      return "RelationshipDirection::kOneToOne";
    case Direction::kManyToMany:
      return "RelationshipDirection::kManyToMany";
  }
  return "?";
}

const char* lazy(LazyMode mode) {
  switch (mode) {
    case LazyMode::kSelect:
      return "Lazy::kSelect";
    case LazyMode::kSelectIn:
      return "Lazy::kSelectIn";
    case LazyMode::kJoined:
      return "Lazy::kJoined";
    case LazyMode::kRaise:
      return "Lazy::kRaise";
  }
  return "?";
}

std::string cascade(const std::vector<std::string>& flags) {
  if (flags.empty()) return "Cascade::kNone";
  std::string out;
  for (const std::string& flag : flags) {
    std::string name = flag;  // "delete-orphan" -> kDeleteOrphan
    for (char& c : name) {
      if (c == '-') c = '_';
    }
    if (!out.empty()) out += " | ";
    out += fmt::format("Cascade::k{}", camel_case(name));
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

// `head` + items + `tail` on one line when it fits in the column limit at `indent`, else one item
// per line, aligned after `head`'s opening bracket.
std::string fit(std::size_t indent, const std::string& head, const std::vector<std::string>& items,
                const std::string& tail) {
  std::string one_line = head + join(items, ", ") + tail;
  if (indent + one_line.size() <= kColumnLimit) return one_line;
  std::string pad(indent + head.size(), ' ');
  return head + join(items, ",\n" + pad) + tail;
}

// Breaks `text` (starting at column `indent`) before the separators `sep` that would pass the
// column limit (a line that ends in a separator counts its width too); continuation lines are
// indented by `continuation` more columns.
std::string wrap_operators(std::size_t indent, const std::string& text, const std::string& sep,
                           std::size_t continuation) {
  if (indent + text.size() <= kColumnLimit) return text;
  std::string trimmed = sep;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  std::string out;
  std::size_t column = indent;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t next = text.find(sep, start);
    std::string piece =
        next == std::string::npos ? text.substr(start) : text.substr(start, next - start);
    std::string joint = start == 0 ? "" : sep;
    std::size_t ending = next == std::string::npos ? 0 : trimmed.size();
    if (start > 0 && column + joint.size() + piece.size() + ending > kColumnLimit) {
      out += trimmed + "\n" + std::string(indent + continuation, ' ');
      column = indent + continuation;
    } else {
      out += joint;
      column += joint.size();
    }
    out += piece;
    column += piece.size();
    if (next == std::string::npos) break;
    start = next + sep.size();
  }
  return out;
}

// The first line of a function definition at namespace scope, `<head>(<parameters>) {`, with the
// parameters on a line of their own when it would pass the column limit.
std::string definition(const std::string& head, const std::string& parameters) {
  std::string line = head + "(" + parameters + ") {";
  if (line.size() <= kColumnLimit) return line;
  return head + "(\n    " + parameters + ") {";
}

// `static constexpr <type> <name>[] = {items};` at `indent`, wrapped when long.
std::string array_declaration(std::size_t indent, const std::string& type, const std::string& name,
                              const std::vector<std::string>& items) {
  std::string head = fmt::format("static constexpr {} {}[] = {{", type, name);
  std::string line = head + join(items, ", ") + "};";
  if (indent + line.size() <= kColumnLimit) return line;
  if (indent + head.size() + items.front().size() + 2 <= kColumnLimit) {
    return fit(indent, head, items, "};");
  }
  std::string pad(indent + 4, ' ');
  return fmt::format("static constexpr {} {}[] =\n{}", type, name, pad) +
         fit(indent + 4, "{", items, "};");
}

// `static <qualifiers> Type<A, B> name{init};` at two spaces, wrapped when long: first after the
// type, then inside the template argument list.
std::string member_declaration(const std::string& qualifiers, const std::string& type,
                               const std::string& name_and_init) {
  std::string line = fmt::format("  {} {} {};", qualifiers, type, name_and_init);
  if (line.size() <= kColumnLimit) return line;
  std::string head = fmt::format("  {} {}", qualifiers, type);
  if (head.size() > kColumnLimit) {
    std::size_t open = type.find('<');
    std::size_t comma = type.find(", ", open);
    if (open != std::string::npos && comma != std::string::npos) {
      std::string prefix = fmt::format("  {} {}", qualifiers, type.substr(0, comma + 1));
      std::string pad(fmt::format("  {} ", qualifiers).size() + open + 1, ' ');
      head = prefix + "\n" + pad + type.substr(comma + 2);
    }
  }
  return head + "\n      " + name_and_init + ";";
}

class Emitter {
 public:
  Emitter(const Schema& schema, const std::string& header) : schema_(schema), header_(header) {}

  std::string header(const std::string& include_spelling) {
    std::vector<const TableModel*> tables = header_tables();
    out_ << fmt::format(
        "// Athanor mapping of the models in {}, generated by athanor-gen.\n"
        "// Do not edit: change the models and rebuild.\n"
        "#pragma once\n\n"
        "#include <athanor/mapping.hpp>\n\n"
        "#include \"{}\"\n",
        include_spelling, include_spelling);
    if (tables.empty()) return out_.str();

    out_ << "\nnamespace athanor {\n";
    std::set<std::string> enums;
    for (const TableModel* t : tables) {
      for (const ColumnModel& c : t->columns) {
        if (!c.type.enum_name.empty() && !c.enum_as_integer) enums.insert(c.type.enum_name);
      }
    }
    for (const EnumModel& e : schema_.enums) {
      if (enums.count(e.qualified_name) > 0 && !e.has_traits) emit_enum(e);
    }
    for (const TableModel* t : tables) emit_mapper_declaration(*t);
    out_ << "\n}  // namespace athanor\n";
    // Descriptor structs, grouped by namespace.
    for (std::size_t i = 0; i < tables.size();) {
      const std::string& ns = tables[i]->namespace_name;
      if (!ns.empty()) out_ << fmt::format("\nnamespace {} {{\n", ns);
      for (; i < tables.size() && tables[i]->namespace_name == ns; ++i)
        emit_descriptors(*tables[i]);
      if (!ns.empty()) out_ << fmt::format("\n}}  // namespace {}\n", ns);
    }
    return out_.str();
  }

  std::string source(const std::string& include_spelling, const std::string& generated_header) {
    std::vector<const TableModel*> tables = header_tables();
    out_ << fmt::format(
        "// Athanor mapping of the models in {}, generated by athanor-gen: the bodies\n"
        "// declared in {}, compiled once into the target.\n"
        "// Do not edit: change the models and rebuild.\n"
        "#include \"{}\"\n",
        include_spelling, generated_header, generated_header);
    if (tables.empty()) return out_.str();

    out_ << "\n#pragma GCC diagnostic push\n"
            "// The designated initializers below name only the options a model sets.\n"
            "#pragma GCC diagnostic ignored \"-Wmissing-field-initializers\"\n\n"
            "namespace athanor {\n";
    for (const TableModel* t : tables) emit_mapper_definitions(*t);
    out_ << "\n}  // namespace athanor\n\n#pragma GCC diagnostic pop\n";
    return out_.str();
  }

 private:
  // The tables declared in header_, in declaration order.
  std::vector<const TableModel*> header_tables() const {
    std::vector<const TableModel*> tables;
    for (const TableModel& t : schema_.tables) {
      if (t.header == header_) tables.push_back(&t);
    }
    return tables;
  }

  void emit_enum(const EnumModel& e) {
    std::string guard = "ATHANOR_ENUM_TRAITS_";
    for (std::size_t i = 0; i < e.qualified_name.size(); ++i) {
      if (e.qualified_name.compare(i, 2, "::") == 0) {
        guard += '_';
        ++i;
      } else {
        guard += e.qualified_name[i];
      }
    }
    out_ << fmt::format("\n#ifndef {0}\n#define {0}\n", guard);
    out_ << fmt::format(
        "template <>\n"
        "struct EnumTraits<{0}> {{\n"
        "  static constexpr std::string_view name = {1};\n"
        "  static constexpr std::string_view sql_name = {2};\n"
        "  static constexpr std::array<EnumLabel<{0}>, {3}> labels{{{{\n",
        e.qualified_name, literal(e.qualified_name), literal(e.sql_name), e.labels.size());
    for (const auto& [enumerator, label] : e.labels) {
      out_ << fmt::format("      {{{}::{}, {}}},\n", e.qualified_name, enumerator, literal(label));
    }
    out_ << "  }};\n};\n#endif\n";
  }

  // The designated fields of a ColumnSpec, in declaration order, defaults left out.
  static std::vector<std::string> column_fields(const ColumnModel& c) {
    std::vector<std::string> fields = {field("name", literal(c.name)),
                                       field("type", type_spec(c.type))};
    if (c.primary_key) fields.push_back(".primary_key = true");
    if (!c.primary_key && c.nullable) fields.push_back(".nullable = true");
    if (c.unique) fields.push_back(".unique = true");
    if (c.index) fields.push_back(".index = true");
    if (c.autoincrement) {
      fields.push_back(fmt::format(".autoincrement = {}", *c.autoincrement ? "true" : "false"));
    }
    if (c.server_default) fields.push_back(field("server_default", literal(*c.server_default)));
    if (!c.comment.empty()) fields.push_back(field("comment", literal(c.comment)));
    if (!c.info.empty()) fields.push_back(field("info", literal(c.info)));
    if (c.foreign_key) {
      const ForeignKeyModel& fk = *c.foreign_key;
      fields.push_back(field("foreign_key", literal(fk.table + "." + fk.column)));
      if (!fk.ondelete.empty()) fields.push_back(field("ondelete", literal(fk.ondelete)));
      if (!fk.onupdate.empty()) fields.push_back(field("onupdate", literal(fk.onupdate)));
    }
    return fields;
  }

  // The Mapper<T> specialisation in the header: declarations only, so that a translation unit
  // using the model compiles none of the bodies (they are in the generated source).
  void emit_mapper_declaration(const TableModel& t) {
    const std::string& model = t.qualified_name;
    out_ << fmt::format("\n// {} <-> table \"{}\"; defined in the generated source.\n", model,
                        t.name);
    out_ << fmt::format("template <>\nstruct Mapper<{0}> : MapperBase<{0}> {{\n", model);
    out_ << "  static const Table& table();\n";
    out_ << fmt::format("  static std::vector<Value> values(const {}& object);\n", model);
    out_ << fmt::format("  static void load(const ColumnReader& reader, {}& object);\n", model);
    out_ << fmt::format("  static std::vector<Value> primary_key(const {}& object);\n", model);
    out_ << "  static std::span<const RelationshipInfo> relationships();\n";
    out_ << "};\n";
    out_ << fmt::format("extern template struct MapperBase<{}>;\n", model);
  }

  // The definitions of the Mapper<T> members and MapperBase<T>'s explicit instantiation, at
  // namespace scope in the generated source.
  void emit_mapper_definitions(const TableModel& t) {
    const std::string& model = t.qualified_name;
    out_ << fmt::format("\n// {} <-> table \"{}\".\n", model, t.name);
    out_ << fmt::format("template struct MapperBase<{}>;\n\n", model);

    // table(): constant data handed to define_table().
    out_ << fmt::format("const Table& Mapper<{}>::table() {{\n", model);
    out_ << "  static constexpr ColumnSpec kColumns[] = {\n";
    for (const ColumnModel& c : t.columns) {
      out_ << "      " << fit(6, "{", column_fields(c), "},") << "\n";
    }
    out_ << "  };\n";
    std::vector<std::string> table_fields = {field("name", literal(t.name)), ".columns = kColumns"};
    if (!t.comment.empty()) table_fields.push_back(field("comment", literal(t.comment)));
    if (!t.info.empty()) table_fields.push_back(field("info", literal(t.info)));
    auto names = [](const std::vector<std::string>& columns) {
      std::vector<std::string> quoted;
      for (const std::string& c : columns) quoted.push_back(literal(c));
      return quoted;
    };
    if (!t.uniques.empty()) {
      std::vector<std::string> items;
      for (std::size_t i = 0; i < t.uniques.size(); ++i) {
        const UniqueModel& u = t.uniques[i];
        std::string columns = fmt::format("kUnique{}Columns", i);
        out_ << "  " << array_declaration(2, "std::string_view", columns, names(u.columns)) << "\n";
        items.push_back(u.name.empty() ? fmt::format("{{.columns = {}}}", columns)
                                       : fmt::format("{{.columns = {}, .name = {}}}", columns,
                                                     literal(u.name)));
      }
      out_ << "  " << array_declaration(2, "UniqueSpec", "kUniques", items) << "\n";
      table_fields.push_back(".unique_constraints = kUniques");
    }
    if (!t.indexes.empty()) {
      std::vector<std::string> items;
      for (std::size_t i = 0; i < t.indexes.size(); ++i) {
        const IndexModel& index = t.indexes[i];
        std::string columns = fmt::format("kIndex{}Columns", i);
        out_ << "  " << array_declaration(2, "std::string_view", columns, names(index.columns))
             << "\n";
        std::vector<std::string> fields;
        if (!index.name.empty()) fields.push_back(field("name", literal(index.name)));
        fields.push_back(".columns = " + columns);
        if (index.unique) fields.push_back(".unique = true");
        items.push_back(fmt::format("{{{}}}", join(fields, ", ")));
      }
      out_ << "  " << array_declaration(2, "IndexSpec", "kIndexes", items) << "\n";
      table_fields.push_back(".indexes = kIndexes");
    }
    if (!t.checks.empty()) {
      std::vector<std::string> items;
      for (const CheckModel& c : t.checks) {
        items.push_back(c.name.empty() ? fmt::format("{{.sqltext = {}}}", literal(c.sql))
                                       : fmt::format("{{.sqltext = {}, .name = {}}}",
                                                     literal(c.sql), literal(c.name)));
      }
      out_ << "  " << array_declaration(2, "CheckSpec", "kChecks", items) << "\n";
      table_fields.push_back(".check_constraints = kChecks");
    }
    std::string head = "static const Table& defined = define_table({";
    std::string call = head + join(table_fields, ", ") + "});";
    if (2 + call.size() <= kColumnLimit) {
      out_ << "  " << call << "\n";
    } else {
      out_ << "  static const Table& defined =\n      define_table("
           << fit(19, "{", table_fields, "});") << "\n";
    }
    out_ << "  return defined;\n}\n";

    // values() and primary_key(): one ColumnWriter::write() per member, like load()'s reads.
    std::vector<const ColumnModel*> columns;
    std::vector<const ColumnModel*> key;
    for (const ColumnModel& c : t.columns) {
      columns.push_back(&c);
      if (c.primary_key) key.push_back(&c);
    }
    emit_writer("values", model, columns);

    // load()
    out_ << "\n"
         << definition(fmt::format("void Mapper<{}>::load", model),
                       fmt::format("const ColumnReader& reader, {}& object", model))
         << "\n";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const ColumnModel& c = t.columns[i];
      out_ << fmt::format("  reader.read{}({}, object.{});\n", storage(c), i, c.member);
    }
    out_ << "}\n";

    emit_writer("primary_key", model, key);

    // relationships()
    if (t.relationships.empty()) {
      std::string head =
          fmt::format("std::span<const RelationshipInfo> Mapper<{}>::relationships() {{", model);
      std::string body = head + " return {}; }";
      out_ << "\n" << (body.size() <= kColumnLimit ? body : head + "\n  return {};\n}") << "\n";
    } else {
      emit_relationships(t);
    }
  }

  // The template argument of a member stored other than by default: "<IntegerStorage>" or "".
  static std::string storage(const ColumnModel& c) {
    return c.enum_as_integer ? "<IntegerStorage>" : "";
  }

  // std::vector<Value> Mapper<Model>::<function>(const Model& object): the members' values, in
  // order.
  void emit_writer(std::string_view function, const std::string& model,
                   const std::vector<const ColumnModel*>& columns) {
    out_ << "\n"
         << definition(fmt::format("std::vector<Value> Mapper<{}>::{}", model, function),
                       fmt::format("const {}& object", model))
         << "\n";
    out_ << fmt::format("  ColumnWriter writer({});\n", columns.size());
    for (const ColumnModel* c : columns) {
      out_ << fmt::format("  writer.write{}(object.{});\n", storage(*c), c->member);
    }
    out_ << "  return writer.take();\n}\n";
  }

  void emit_relationships(const TableModel& t) {
    out_ << fmt::format("\nstd::span<const RelationshipInfo> Mapper<{}>::relationships() {{\n",
                        t.qualified_name);
    auto pairs = [](const std::vector<ColumnPairModel>& list) {
      std::vector<std::string> items;
      for (const ColumnPairModel& p : list) {
        items.push_back(fmt::format("{{{}, {}}}", literal(p.local), literal(p.remote)));
      }
      return items;
    };
    std::vector<std::string> entries;
    for (const RelationshipModel& r : t.relationships) {
      std::string prefix = fmt::format("k{}", camel_case(r.member));
      out_ << "  " << array_declaration(2, "ColumnPair", prefix + "Join", pairs(r.join)) << "\n";
      if (!r.secondary_join.empty()) {
        out_ << "  "
             << array_declaration(2, "ColumnPair", prefix + "SecondaryJoin",
                                  pairs(r.secondary_join))
             << "\n";
      }
      std::vector<std::string> quoted;
      for (const std::string& fk : r.foreign_keys) quoted.push_back(literal(fk));
      out_ << "  " << array_declaration(2, "std::string_view", prefix + "ForeignKeys", quoted)
           << "\n";
      if (!r.order_by.empty()) {
        std::vector<std::string> items;
        for (const OrderByModel& o : r.order_by) {
          items.push_back(
              fmt::format("{{{}, {}}}", literal(o.column), o.descending ? "true" : "false"));
        }
        out_ << "  " << array_declaration(2, "OrderByColumn", prefix + "OrderBy", items) << "\n";
      }
      std::vector<std::string> fields = {
          field("name", literal(r.member)),
          field("target", literal(r.target_table)),
          std::string(".direction = ") + direction(r.direction),
      };
      if (r.uselist) fields.push_back(".uselist = true");
      if (r.local_foreign_key) fields.push_back(".local_foreign_key = true");
      fields.push_back(".join = " + prefix + "Join");
      if (!r.secondary.empty()) {
        fields.push_back(field("secondary", literal(r.secondary)));
        fields.push_back(".secondary_join = " + prefix + "SecondaryJoin");
      }
      fields.push_back(".foreign_keys = " + prefix + "ForeignKeys");
      if (!r.back_populates.empty())
        fields.push_back(field("back_populates", literal(r.back_populates)));
      if (r.cascade != std::vector<std::string>{"save-update", "merge"}) {
        fields.push_back(wrap_operators(7, field("cascade", cascade(r.cascade)) + ",", " | ", 11));
        fields.back().pop_back();  // the comma was only there to count its width
      }
      if (r.lazy != LazyMode::kSelect) fields.push_back(std::string(".lazy = ") + lazy(r.lazy));
      if (!r.order_by.empty()) fields.push_back(".order_by = " + prefix + "OrderBy");
      if (r.post_update) fields.push_back(".post_update = true");
      entries.push_back(fit(6, "{", fields, "},"));
    }
    out_ << "  static constexpr RelationshipInfo kRelationships[] = {\n";
    for (const std::string& e : entries) out_ << "      " << e << "\n";
    out_ << "  };\n  return kRelationships;\n}\n";
  }

  void emit_descriptors(const TableModel& t) {
    out_ << "\n";
    const std::string& s = t.struct_name;
    out_ << fmt::format("// Typed columns and relationships of {}.\n", t.qualified_name);
    out_ << fmt::format("struct {}_ {{\n", s);
    out_ << fmt::format(
        "  static const athanor::Table& table() {{ return athanor::Mapper<{}>::table(); }}\n", s);
    for (const ColumnModel& c : t.columns) {
      std::string type = fmt::format("athanor::TypedColumn<decltype({}::{}){}>", s, c.member,
                                     c.enum_as_integer ? ", athanor::IntegerStorage" : "");
      out_ << member_declaration("static inline const", type,
                                 fmt::format("{}{{table(), {}}}", c.member, literal(c.name)))
           << "\n";
    }
    for (std::size_t i = 0; i < t.relationships.size(); ++i) {
      const RelationshipModel& r = t.relationships[i];
      std::string type =
          fmt::format("athanor::RelationshipRef<{}, decltype({}::{})>", s, s, r.member);
      out_ << member_declaration("static constexpr", type,
                                 fmt::format("{}{{&{}::{}, {}}}", r.member, s, r.member, i))
           << "\n";
    }
    out_ << "};\n";
  }

  const Schema& schema_;
  const std::string& header_;
  std::ostringstream out_;
};

}  // namespace

std::string emit_header(const Schema& schema, const std::string& header,
                        const std::string& include_spelling) {
  return Emitter(schema, header).header(include_spelling);
}

std::string emit_source(const Schema& schema, const std::string& header,
                        const std::string& include_spelling, const std::string& generated_header) {
  return Emitter(schema, header).source(include_spelling, generated_header);
}

}  // namespace athanor::gen
