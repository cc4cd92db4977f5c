// athanor-gen frontend: parses the model headers with libclang and extracts what the generator
// needs as plain data (no libclang types leave frontend.cpp).
//
// All headers of one step are parsed together, as one umbrella translation unit, with the
// target's include directories and definitions and ATHANOR_GENERATOR defined, so the annotation
// macros become `[[clang::annotate("athanor:<kind>:<options>")]]` attributes. The frontend
// reports what it finds (structs, their fields and annotations, member types classified against
// the types Core can store) and leaves judging it to the model builder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "codegen/diagnostics.hpp"

namespace athanor::gen {

// An athanor annotation found on a declaration.
struct Annotation {
  std::string kind;         // "table", "column", "relationship", "transient", "index", "unique",
                            // "check", "enum_value"; anything else is an unknown annotation
  std::string text;         // the options, as stringized by the macro
  SourceLocation location;  // the macro's position in the source
};

// What a member's type is, in terms of the Values Core stores.
enum class TypeCategory {
  kBool,
  kInteger,
  kFloat,
  kString,
  kBytes,
  kDecimal,
  kDate,          // std::chrono::sys_days
  kYearMonthDay,  // std::chrono::year_month_day
  kTimestamp,     // athanor::Timestamp (sys_time<microseconds>)
  kSystemClock,   // std::chrono::system_clock::time_point
  kLocalTimestamp,
  kTimeOfDay,
  kUuid,
  kJson,          // nlohmann::json
  kJsonDocument,  // athanor::JsonDocument
  kEnum,
  kCollection,  // athanor::Collection<T>
  kReference,   // athanor::Reference<T>
  kUnsupported,
};

struct EnumeratorInfo {
  std::string name;
  long long value = 0;
  std::vector<Annotation> annotations;
  SourceLocation location;
};

struct EnumInfo {
  std::string usr;
  std::string name;            // unqualified
  std::string qualified_name;  // e.g. "blog::Status"
  bool scoped = false;
  bool has_traits = false;  // a hand-written athanor::EnumTraits<E> specialisation is visible
  std::vector<EnumeratorInfo> enumerators;
  SourceLocation location;
};

struct MemberType {
  TypeCategory category = TypeCategory::kUnsupported;
  bool optional = false;        // std::optional<...>
  unsigned bits = 0;            // integers and floats
  bool is_signed = true;        // integers
  std::string spelling;         // as written, for messages
  std::string why_unsupported;  // kUnsupported: a hint, may be empty
  // kEnum: index into ParseResult::enums.
  std::size_t enum_index = 0;
  // kCollection / kReference: the target struct.
  std::string target_usr;
  std::string target_name;        // qualified
  std::string target_file;        // where it is defined; empty when only declared
  bool target_annotated = false;  // it carries ATHANOR_TABLE
};

struct FieldInfo {
  std::string name;
  MemberType type;
  SourceLocation location;
  std::vector<Annotation> annotations;
  bool is_public = true;
  bool is_const = false;
  bool is_bitfield = false;
};

struct StructInfo {
  std::string usr;
  std::string name;            // unqualified
  std::string qualified_name;  // e.g. "blog::User"
  std::string namespace_name;  // enclosing namespaces, e.g. "blog" or "app::models"; may be empty
  std::string file;            // the header declaring it
  SourceLocation location;
  std::vector<Annotation> annotations;
  std::vector<FieldInfo> fields;  // non-static data members, in declaration order
  bool is_nested = false;         // declared inside another class or a function
  bool in_anonymous_namespace = false;
  bool has_bases = false;
  bool is_union = false;
};

// An athanor annotation where none belongs (a function, a static member, a template...).
struct StrayAnnotation {
  Annotation annotation;
  std::string declaration;  // what it is on, e.g. "a member function", "a class template"
};

struct ParseResult {
  std::vector<StructInfo> structs;  // every struct/class defined in the step's headers that has an
                                    // athanor annotation, on itself or on a member
  std::vector<EnumInfo> enums;      // enums used by those structs' members
  std::vector<StrayAnnotation> strays;
  std::vector<std::string> dependencies;  // every file the parse read (headers and includes)
};

struct ParseOptions {
  std::vector<std::string> headers;  // absolute paths
  std::vector<std::string> include_dirs;
  std::vector<std::string> system_include_dirs;
  std::vector<std::string> definitions;  // NAME or NAME=VALUE
  std::vector<std::string> extra_args;   // passed to clang as they are
  // Where to keep the precompiled prelude (<athanor/model.hpp> and what it includes) between
  // runs; empty: parse everything every time.
  std::string cache_dir;
};

// Parses the headers. Compiler errors go to `diagnostics` (and the result is then partial).
ParseResult parse_headers(const ParseOptions& options, Diagnostics& diagnostics);

}  // namespace athanor::gen
