// athanor-gen frontend: the only code that talks to libclang (see frontend.hpp).
#include "codegen/frontend.hpp"

#include <clang-c/Index.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace athanor::gen {
namespace {

constexpr std::string_view kAnnotationPrefix = "athanor:";
constexpr const char* kUmbrellaName = "athanor-gen-umbrella.cpp";

// ---- small libclang helpers -----------------------------------------------------------------

std::string take(CXString s) {
  const char* c = clang_getCString(s);
  std::string out = c != nullptr ? c : "";
  clang_disposeString(s);
  return out;
}

std::string spelling(CXCursor c) { return take(clang_getCursorSpelling(c)); }
std::string type_spelling(CXType t) { return take(clang_getTypeSpelling(t)); }

std::string normalized_path(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return ec ? std::filesystem::path(path).lexically_normal().string() : p.string();
}

// The position where a declaration (or an attribute from a macro) was written: for macro
// expansions, the macro invocation in the model header.
SourceLocation location_of(CXSourceLocation loc, std::map<CXFile, std::string>* names = nullptr) {
  CXFile file = nullptr;
  unsigned line = 0;
  unsigned column = 0;
  clang_getExpansionLocation(loc, &file, &line, &column, nullptr);
  SourceLocation out;
  if (file == nullptr) return out;
  if (names != nullptr) {
    auto it = names->find(file);
    if (it == names->end()) {
      it = names->emplace(file, normalized_path(take(clang_getFileName(file)))).first;
    }
    out.file = it->second;
  } else {
    out.file = normalized_path(take(clang_getFileName(file)));
  }
  out.line = line;
  out.column = column;
  return out;
}

template <class F>
void for_each_child(CXCursor parent, F&& fn) {
  clang_visitChildren(
      parent,
      [](CXCursor c, CXCursor, CXClientData data) {
        (*static_cast<F*>(data))(c);
        return CXChildVisit_Continue;
      },
      &fn);
}

bool is_record(CXCursorKind kind) {
  return kind == CXCursor_StructDecl || kind == CXCursor_ClassDecl || kind == CXCursor_UnionDecl;
}

// "a::b::Name", skipping inline namespaces (std::__cxx11, nlohmann::json_abi_v3_11_2).
std::string qualified_name(CXCursor c, bool* anonymous = nullptr) {
  std::vector<std::string> parts;
  for (CXCursor p = c;
       !clang_Cursor_isNull(p) && clang_getCursorKind(p) != CXCursor_TranslationUnit;
       p = clang_getCursorSemanticParent(p)) {
    CXCursorKind kind = clang_getCursorKind(p);
    if (kind == CXCursor_Namespace) {
      if (clang_Cursor_isInlineNamespace(p) != 0) continue;
      if (clang_Cursor_isAnonymous(p) != 0) {
        if (anonymous != nullptr) *anonymous = true;
        continue;
      }
    }
    if (kind == CXCursor_LinkageSpec) continue;
    parts.push_back(spelling(p));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += "::";
    out += *it;
  }
  return out;
}

// The types Core stores, as canonical types, taken from aliases the umbrella file declares.
struct Probes {
  std::vector<std::pair<CXType, TypeCategory>> types;
};

const char* const kProbeSource = R"(
#include <athanor/model.hpp>
namespace athanor_gen_probe {
using String = std::string;
using Bytes = athanor::Bytes;
using Decimal = athanor::Decimal;
using Date = std::chrono::sys_days;
using YearMonthDay = std::chrono::year_month_day;
using Timestamp = athanor::Timestamp;
using SystemClock = std::chrono::system_clock::time_point;
using LocalTimestamp = athanor::LocalTimestamp;
using TimeOfDay = athanor::TimeOfDay;
using Uuid = athanor::UuidValue;
using Json = nlohmann::json;
using JsonDocument = athanor::JsonDocument;
}  // namespace athanor_gen_probe
)";

const std::map<std::string, TypeCategory, std::less<>>& probe_categories() {
  static const std::map<std::string, TypeCategory, std::less<>> categories = {
      {"String", TypeCategory::kString},
      {"Bytes", TypeCategory::kBytes},
      {"Decimal", TypeCategory::kDecimal},
      {"Date", TypeCategory::kDate},
      {"YearMonthDay", TypeCategory::kYearMonthDay},
      {"Timestamp", TypeCategory::kTimestamp},
      {"SystemClock", TypeCategory::kSystemClock},
      {"LocalTimestamp", TypeCategory::kLocalTimestamp},
      {"TimeOfDay", TypeCategory::kTimeOfDay},
      {"Uuid", TypeCategory::kUuid},
      {"Json", TypeCategory::kJson},
      {"JsonDocument", TypeCategory::kJsonDocument},
  };
  return categories;
}

class Extractor {
 public:
  Extractor(CXTranslationUnit tu, std::set<std::string> headers, ParseResult& result)
      : tu_(tu), headers_(std::move(headers)), result_(result) {}

  void run() {
    CXCursor root = clang_getTranslationUnitCursor(tu_);
    find_probes_and_traits(root);
    visit_scope(root);
    for (EnumInfo& info : result_.enums) info.has_traits = traits_.count(info.usr) > 0;
  }

 private:
  SourceLocation location(CXCursor c) { return location_of(clang_getCursorLocation(c), &files_); }

  bool in_step(const SourceLocation& loc) const { return headers_.count(loc.file) > 0; }

  // Athanor annotations directly on `c`.
  std::vector<Annotation> annotations_of(CXCursor c) {
    std::vector<Annotation> out;
    for_each_child(c, [&](CXCursor child) {
      if (clang_getCursorKind(child) != CXCursor_AnnotateAttr) return;
      std::string text = spelling(child);
      if (text.compare(0, kAnnotationPrefix.size(), kAnnotationPrefix) != 0) return;
      std::string rest = text.substr(kAnnotationPrefix.size());
      std::size_t colon = rest.find(':');
      Annotation a;
      a.kind = rest.substr(0, colon);
      a.text = colon == std::string::npos ? "" : rest.substr(colon + 1);
      a.location = location(child);
      out.push_back(std::move(a));
    });
    return out;
  }

  // Probe aliases (athanor_gen_probe::*) and hand-written EnumTraits specialisations are found
  // at namespace scope anywhere in the translation unit.
  void find_probes_and_traits(CXCursor scope) {
    for_each_child(scope, [&](CXCursor c) {
      CXCursorKind kind = clang_getCursorKind(c);
      if (kind == CXCursor_Namespace) {
        std::string name = spelling(c);
        if (name == "athanor_gen_probe") {
          for_each_child(c, [&](CXCursor alias) {
            if (clang_getCursorKind(alias) != CXCursor_TypeAliasDecl) return;
            auto it = probe_categories().find(spelling(alias));
            if (it == probe_categories().end()) return;
            CXType type = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(alias));
            probes_.types.emplace_back(type, it->second);
          });
          return;
        }
        if (name == "std" || name == "nlohmann" || name == "boost") return;  // nothing of ours
        find_probes_and_traits(c);
        return;
      }
      if (kind == CXCursor_StructDecl || kind == CXCursor_ClassDecl) {
        CXCursor primary = clang_getSpecializedCursorTemplate(c);
        if (clang_Cursor_isNull(primary) || qualified_name(primary) != "athanor::EnumTraits")
          return;
        CXType arg = clang_Type_getTemplateArgumentAsType(clang_getCursorType(c), 0);
        CXCursor decl = clang_getTypeDeclaration(clang_getCanonicalType(arg));
        if (clang_getCursorKind(decl) == CXCursor_EnumDecl) {
          traits_.insert(take(clang_getCursorUSR(decl)));
        }
      }
    });
  }

  // Namespace-level declarations of the step's headers.
  void visit_scope(CXCursor scope) {
    for_each_child(scope, [&](CXCursor c) {
      CXCursorKind kind = clang_getCursorKind(c);
      if (kind == CXCursor_Namespace || kind == CXCursor_LinkageSpec) {
        visit_scope(c);
        return;
      }
      SourceLocation loc = location(c);
      if (!in_step(loc)) return;
      visit_declaration(c, kind, false);
    });
  }

  void visit_declaration(CXCursor c, CXCursorKind kind, bool nested) {
    if (is_record(kind)) {
      if (clang_isCursorDefinition(c) != 0) visit_record(c, kind, nested);
      return;
    }
    std::string what;
    switch (kind) {
      case CXCursor_ClassTemplate:
      case CXCursor_ClassTemplatePartialSpecialization:
        what = "a class template (models must be plain structs)";
        break;
      case CXCursor_FunctionDecl:
      case CXCursor_FunctionTemplate:
        what = "a function";
        break;
      case CXCursor_VarDecl:
        what = "a variable";
        break;
      case CXCursor_EnumDecl:
        what = "an enum";
        for_each_child(c, [&](CXCursor e) {
          if (clang_getCursorKind(e) != CXCursor_EnumConstantDecl) return;
          for (Annotation& a : annotations_of(e)) {
            if (a.kind != "enum_value") {
              result_.strays.push_back({std::move(a), "an enumerator"});
            }
          }
        });
        break;
      case CXCursor_TypedefDecl:
      case CXCursor_TypeAliasDecl:
        what = "a type alias";
        break;
      default:
        what = "this declaration";
        break;
    }
    for (Annotation& a : annotations_of(c)) result_.strays.push_back({std::move(a), what});
  }

  void visit_record(CXCursor c, CXCursorKind kind, bool nested) {
    StructInfo info;
    info.usr = take(clang_getCursorUSR(c));
    info.name = spelling(c);
    info.qualified_name = qualified_name(c, &info.in_anonymous_namespace);
    info.location = location(c);
    info.file = info.location.file;
    info.is_nested = nested;
    info.is_union = kind == CXCursor_UnionDecl;
    info.annotations = annotations_of(c);
    {
      std::size_t last = info.qualified_name.rfind("::");
      info.namespace_name = last == std::string::npos ? "" : info.qualified_name.substr(0, last);
    }
    bool annotated = !info.annotations.empty();

    for_each_child(c, [&](CXCursor m) {
      CXCursorKind mk = clang_getCursorKind(m);
      switch (mk) {
        case CXCursor_FieldDecl: {
          FieldInfo field;
          field.name = spelling(m);
          field.location = location(m);
          field.annotations = annotations_of(m);
          field.is_public = clang_getCXXAccessSpecifier(m) == CX_CXXPublic;
          field.is_bitfield = clang_Cursor_isBitField(m) != 0;
          CXType type = clang_getCursorType(m);
          field.is_const = clang_isConstQualifiedType(type) != 0;
          field.type = classify(type);
          annotated = annotated || !field.annotations.empty();
          info.fields.push_back(std::move(field));
          break;
        }
        case CXCursor_CXXBaseSpecifier:
          info.has_bases = true;
          break;
        case CXCursor_VarDecl:
        case CXCursor_CXXMethod:
        case CXCursor_FunctionTemplate:
        case CXCursor_Constructor:
        case CXCursor_Destructor:
        case CXCursor_ConversionFunction: {
          std::string what = mk == CXCursor_VarDecl ? "a static data member" : "a member function";
          for (Annotation& a : annotations_of(m)) {
            result_.strays.push_back({std::move(a), what});
          }
          break;
        }
        case CXCursor_StructDecl:
        case CXCursor_ClassDecl:
        case CXCursor_UnionDecl:
        case CXCursor_ClassTemplate:
        case CXCursor_EnumDecl:
        case CXCursor_TypedefDecl:
        case CXCursor_TypeAliasDecl:
          visit_declaration(m, mk, true);
          break;
        default:
          break;
      }
    });
    if (annotated) result_.structs.push_back(std::move(info));
  }

  MemberType classify(CXType written) {
    MemberType out;
    out.spelling = type_spelling(written);
    CXType type = clang_getCanonicalType(written);
    if (type.kind == CXType_Record) {
      CXCursor decl = clang_getTypeDeclaration(type);
      CXCursor primary = clang_getSpecializedCursorTemplate(decl);
      if (!clang_Cursor_isNull(primary) && qualified_name(primary) == "std::optional") {
        CXType inner = clang_getCanonicalType(clang_Type_getTemplateArgumentAsType(type, 0));
        MemberType value = classify_value(inner, out.spelling);
        if (value.category == TypeCategory::kCollection ||
            value.category == TypeCategory::kReference) {
          value.category = TypeCategory::kUnsupported;
          value.why_unsupported =
              "a relationship member cannot be optional; an empty Reference is "
              "already \"none\"";
        }
        value.optional = true;
        value.spelling = out.spelling;
        if (value.category == TypeCategory::kUnsupported && value.why_unsupported.empty()) {
          CXCursor inner_decl = clang_getTypeDeclaration(inner);
          CXCursor inner_primary = clang_getSpecializedCursorTemplate(inner_decl);
          if (!clang_Cursor_isNull(inner_primary) &&
              qualified_name(inner_primary) == "std::optional") {
            value.why_unsupported = "std::optional cannot nest";
          }
        }
        return value;
      }
    }
    return classify_value(type, out.spelling);
  }

  MemberType classify_value(CXType type, const std::string& written) {
    MemberType out;
    out.spelling = written;
    for (const auto& [probe, category] : probes_.types) {
      if (clang_equalTypes(type, probe) != 0) {
        out.category = category;
        return out;
      }
    }
    switch (type.kind) {
      case CXType_Bool:
        out.category = TypeCategory::kBool;
        return out;
      case CXType_SChar:
      case CXType_UChar:
      case CXType_Short:
      case CXType_UShort:
      case CXType_Int:
      case CXType_UInt:
      case CXType_Long:
      case CXType_ULong:
      case CXType_LongLong:
      case CXType_ULongLong:
        out.category = TypeCategory::kInteger;
        out.bits = static_cast<unsigned>(clang_Type_getSizeOf(type) * 8);
        out.is_signed = type.kind == CXType_SChar || type.kind == CXType_Short ||
                        type.kind == CXType_Int || type.kind == CXType_Long ||
                        type.kind == CXType_LongLong;
        return out;
      case CXType_Float:
      case CXType_Double:
        out.category = TypeCategory::kFloat;
        out.bits = static_cast<unsigned>(clang_Type_getSizeOf(type) * 8);
        return out;
      case CXType_Char_S:
      case CXType_Char_U:
      case CXType_WChar:
      case CXType_Char16:
      case CXType_Char32:
        out.why_unsupported =
            "character types are not stored; use std::string, or std::int8_t "
            "for a small number";
        return out;
      case CXType_LongDouble:
        out.why_unsupported = "long double has no portable SQL type; use double";
        return out;
      case CXType_Int128:
      case CXType_UInt128:
        out.why_unsupported = "128-bit integers have no portable SQL type";
        return out;
      case CXType_LValueReference:
      case CXType_RValueReference:
        out.why_unsupported = "a reference member cannot be loaded from a row";
        return out;
      case CXType_Pointer:
        out.why_unsupported =
            "a pointer member cannot be stored; for a related object use "
            "athanor::Reference<T>";
        return out;
      case CXType_ConstantArray:
        out.why_unsupported =
            "arrays are not stored; use std::string, athanor::Bytes or "
            "nlohmann::json";
        return out;
      case CXType_Enum:
        return classify_enum(type, out);
      case CXType_Record:
        return classify_record(type, out);
      default:
        return out;
    }
  }

  MemberType classify_enum(CXType type, MemberType out) {
    CXCursor decl = clang_getTypeDeclaration(type);
    std::string usr = take(clang_getCursorUSR(decl));
    auto it = std::find_if(result_.enums.begin(), result_.enums.end(),
                           [&](const EnumInfo& e) { return e.usr == usr; });
    if (it == result_.enums.end()) {
      EnumInfo info;
      info.usr = usr;
      info.name = spelling(decl);
      info.qualified_name = qualified_name(decl);
      info.scoped = clang_EnumDecl_isScoped(decl) != 0;
      info.location = location(decl);
      for_each_child(decl, [&](CXCursor e) {
        if (clang_getCursorKind(e) != CXCursor_EnumConstantDecl) return;
        EnumeratorInfo enumerator;
        enumerator.name = spelling(e);
        enumerator.value = clang_getEnumConstantDeclValue(e);
        enumerator.annotations = annotations_of(e);
        enumerator.location = location(e);
        info.enumerators.push_back(std::move(enumerator));
      });
      result_.enums.push_back(std::move(info));
      it = result_.enums.end() - 1;
    }
    out.category = TypeCategory::kEnum;
    out.enum_index = static_cast<std::size_t>(it - result_.enums.begin());
    return out;
  }

  MemberType classify_record(CXType type, MemberType out) {
    CXCursor decl = clang_getTypeDeclaration(type);
    CXCursor primary = clang_getSpecializedCursorTemplate(decl);
    std::string template_name = clang_Cursor_isNull(primary) ? "" : qualified_name(primary);
    if (template_name == "athanor::Collection" || template_name == "athanor::Reference") {
      out.category = template_name == "athanor::Collection" ? TypeCategory::kCollection
                                                            : TypeCategory::kReference;
      CXType target = clang_getCanonicalType(clang_Type_getTemplateArgumentAsType(type, 0));
      CXCursor target_decl = clang_getTypeDeclaration(target);
      out.target_usr = take(clang_getCursorUSR(target_decl));
      out.target_name = qualified_name(target_decl);
      CXCursor definition = clang_getCursorDefinition(target_decl);
      if (!clang_Cursor_isNull(definition)) {
        out.target_file = location(definition).file;
        for (const Annotation& a : annotations_of(definition)) {
          if (a.kind == "table") out.target_annotated = true;
        }
      }
      return out;
    }
    if (template_name == "std::vector") {
      out.why_unsupported =
          "only athanor::Bytes (std::vector<std::byte>) is stored as a vector; "
          "use nlohmann::json for lists of values, or athanor::Collection<T> "
          "for related objects";
    } else if (template_name == "std::chrono::time_point") {
      out.why_unsupported =
          "time points are stored as std::chrono::sys_days, athanor::Timestamp "
          "(microseconds), std::chrono::system_clock::time_point or "
          "athanor::LocalTimestamp";
    } else if (template_name == "std::shared_ptr" || template_name == "std::unique_ptr") {
      out.why_unsupported = "for a related object use athanor::Reference<T>";
    }
    return out;
  }

  CXTranslationUnit tu_;
  std::set<std::string> headers_;
  ParseResult& result_;
  Probes probes_;
  std::set<std::string> traits_;
  std::map<CXFile, std::string> files_;
};

// Adds a hint to clang errors that come from misplaced annotation macros.
std::string explain_clang_error(const std::string& message) {
  if (message.find("misplaced attributes") != std::string::npos ||
      message.find("an attribute list cannot appear here") != std::string::npos) {
    return message +
           "; ATHANOR_TABLE (and ATHANOR_INDEX, ATHANOR_UNIQUE, ATHANOR_CHECK) go right "
           "after the struct keyword: struct ATHANOR_TABLE(\"users\") User { ... };";
  }
  if (message.find("'annotate' attribute") != std::string::npos) {
    return message + "; check the placement of the ATHANOR_ annotation";
  }
  return message;
}

}  // namespace

namespace {

constexpr const char* kPreludeName = "athanor-gen-prelude.hpp";
// What every step parses regardless of its models: Athanor's model header and what it includes
// (the standard library, nlohmann::json). It is most of the parse time, so with a cache
// directory it is precompiled once and reused by later runs.
constexpr const char* kPreludeSource = "#include <athanor/model.hpp>\n";

std::string cache_key(const std::vector<std::string>& args) {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](std::string_view text) {
    for (char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
    hash ^= 0xff;
    hash *= 1099511628211ull;
  };
  mix(take(clang_getClangVersion()));
  for (const std::string& a : args) mix(a);
  return fmt::format("{:016x}", hash);
}

std::vector<const char*> c_args(const std::vector<std::string>& args) {
  std::vector<const char*> out;
  out.reserve(args.size());
  for (const std::string& a : args) out.push_back(a.c_str());
  return out;
}

std::set<std::string> inclusions(CXTranslationUnit tu, std::string_view skip) {
  struct Data {
    std::set<std::string> files;
    std::string_view skip;
  } data{{}, skip};
  clang_getInclusions(
      tu,
      [](CXFile file, CXSourceLocation*, unsigned, CXClientData client) {
        auto* d = static_cast<Data*>(client);
        std::string name = take(clang_getFileName(file));
        if (!name.ends_with(d->skip)) d->files.insert(normalized_path(name));
      },
      &data);
  return data.files;
}

// The precompiled prelude for `args` in `cache_dir`, built when missing (or when `rebuild`).
// Returns an empty path when it cannot be built; the caller then parses without it.
std::string prelude_pch(CXIndex index, std::vector<std::string> args, const std::string& cache_dir,
                        bool rebuild) {
  namespace fs = std::filesystem;
  fs::path pch = fs::path(cache_dir) / ("prelude-" + cache_key(args) + ".pch");
  fs::path deps = pch;
  deps.replace_extension(".deps");
  std::error_code ec;
  if (!rebuild && fs::exists(pch, ec) && fs::exists(deps, ec)) return pch.string();

  args[1] = "c++-header";  // args start with "-x", "c++"
  std::vector<const char*> argv = c_args(args);
  CXUnsavedFile unsaved{kPreludeName, kPreludeSource,
                        std::char_traits<char>::length(kPreludeSource)};
  CXTranslationUnit tu = nullptr;
  CXErrorCode code = clang_parseTranslationUnit2(
      index, kPreludeName, argv.data(), static_cast<int>(argv.size()), &unsaved, 1,
      CXTranslationUnit_ForSerialization | CXTranslationUnit_SkipFunctionBodies, &tu);
  if (code != CXError_Success || tu == nullptr) return {};
  bool ok = true;
  for (unsigned i = 0; i < clang_getNumDiagnostics(tu); ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) ok = false;
    clang_disposeDiagnostic(d);
  }
  if (ok) {
    fs::create_directories(pch.parent_path(), ec);
    // Written aside and renamed, so that a concurrent reader never sees half a file.
    fs::path temporary = pch;
    temporary += fmt::format(".{}.tmp", static_cast<const void*>(&pch));
    ok = !ec && clang_saveTranslationUnit(tu, temporary.c_str(), CXSaveTranslationUnit_None) ==
                    CXSaveError_None;
    if (ok) {
      std::ofstream out(deps, std::ios::trunc);
      for (const std::string& file : inclusions(tu, kPreludeName)) out << file << '\n';
      ok = static_cast<bool>(out);
    }
    if (ok) fs::rename(temporary, pch, ec);
    ok = ok && !ec;
    if (!ok) fs::remove(temporary, ec);
  }
  clang_disposeTranslationUnit(tu);
  return ok ? pch.string() : std::string();
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Whether a parse failed because of the precompiled prelude (stale or unreadable), not the code.
bool pch_trouble(CXTranslationUnit tu) {
  for (unsigned i = 0; i < clang_getNumDiagnostics(tu); ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    std::string text = take(clang_getDiagnosticSpelling(d));
    bool bad =
        clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
        (text.find("precompiled header") != std::string::npos ||
         text.find("PCH file") != std::string::npos || text.find("AST file") != std::string::npos);
    clang_disposeDiagnostic(d);
    if (bad) return true;
  }
  return false;
}

}  // namespace

ParseResult parse_headers(const ParseOptions& options, Diagnostics& diagnostics) {
  ParseResult result;

  std::string umbrella;
  std::set<std::string> headers;
  for (const std::string& header : options.headers) {
    std::string path = normalized_path(header);
    headers.insert(path);
    umbrella += fmt::format("#include \"{}\"\n", path);
  }
  umbrella += kProbeSource;

  std::vector<std::string> args = {"-x", "c++", "-std=c++20", "-DATHANOR_GENERATOR=1",
                                   "-Wno-everything"};
  for (const std::string& dir : options.include_dirs) args.push_back("-I" + dir);
  for (const std::string& dir : options.system_include_dirs) {
    args.push_back("-isystem");
    args.push_back(dir);
  }
  for (const std::string& definition : options.definitions) args.push_back("-D" + definition);
  for (const std::string& arg : options.extra_args) args.push_back(arg);

  CXUnsavedFile unsaved{kUmbrellaName, umbrella.c_str(),
                        static_cast<unsigned long>(umbrella.size())};
  CXIndex index = clang_createIndex(/*excludeDeclarationsFromPCH=*/0, /*displayDiagnostics=*/0);
  CXTranslationUnit tu = nullptr;
  std::string pch;
  auto parse = [&](const std::string& prelude) {
    std::vector<std::string> full = args;
    if (!prelude.empty()) {
      full.push_back("-include-pch");
      full.push_back(prelude);
    }
    std::vector<const char*> argv = c_args(full);
    tu = nullptr;
    return clang_parseTranslationUnit2(
        index, kUmbrellaName, argv.data(), static_cast<int>(argv.size()), &unsaved, 1,
        CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_KeepGoing, &tu);
  };
  if (!options.cache_dir.empty()) pch = prelude_pch(index, args, options.cache_dir, false);
  CXErrorCode code = parse(pch);
  if (!pch.empty() && (code != CXError_Success || tu == nullptr || pch_trouble(tu))) {
    // A stale prelude (e.g. Athanor's headers changed since it was built): rebuild it once.
    if (tu != nullptr) clang_disposeTranslationUnit(tu);
    pch = prelude_pch(index, args, options.cache_dir, true);
    code = parse(pch);
  }
  if (code != CXError_Success || tu == nullptr) {
    diagnostics.error({}, fmt::format("libclang could not parse the headers (error code {})",
                                      static_cast<int>(code)));
    clang_disposeIndex(index);
    return result;
  }

  unsigned count = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < count; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    CXDiagnosticSeverity severity = clang_getDiagnosticSeverity(d);
    if (severity == CXDiagnostic_Error || severity == CXDiagnostic_Fatal) {
      SourceLocation loc = location_of(clang_getDiagnosticLocation(d));
      if (loc.file.ends_with(kUmbrellaName)) loc = {};
      diagnostics.error(loc, explain_clang_error(take(clang_getDiagnosticSpelling(d))));
    }
    clang_disposeDiagnostic(d);
  }

  Extractor(tu, headers, result).run();

  std::set<std::string> dependencies = inclusions(tu, kUmbrellaName);
  if (!pch.empty()) {
    // The files read into the precompiled prelude count as read by this step too.
    std::filesystem::path deps(pch);
    deps.replace_extension(".deps");
    for (std::string& file : read_lines(deps.string())) dependencies.insert(std::move(file));
    dependencies.erase(pch);
  }
  result.dependencies.assign(dependencies.begin(), dependencies.end());

  clang_disposeTranslationUnit(tu);
  clang_disposeIndex(index);
  return result;
}

}  // namespace athanor::gen
