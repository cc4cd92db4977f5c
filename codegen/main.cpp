// athanor-gen: generates Athanor mapping code from annotated model headers.
//
//   athanor-gen -o OUTPUT_DIR [--base-dir DIR] [-I DIR]... [-D NAME[=VALUE]]...
//               [--cache-dir DIR] [--depfile FILE] [--stamp FILE] HEADER...
//
// All headers are parsed in one libclang pass; for each x.hpp the tool writes x.athanor.hpp and
// x.athanor.cpp (the bodies, to compile once into the target) under OUTPUT_DIR (mirroring x.hpp's
// path below --base-dir), each only when its text changed. On any error it prints
// `file:line:col: error: ...` lines, writes nothing and exits with status 1.
// --depfile writes a Makefile-style list of every file the parse read; --stamp touches a file on
// success (the build rule's output, so that unchanged outputs need not be rewritten).
// --cache-dir keeps <athanor/model.hpp> and what it includes precompiled between runs, which
// makes most of a run's parse time disappear.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "codegen/diagnostics.hpp"
#include "codegen/emitter.hpp"
#include "codegen/frontend.hpp"
#include "codegen/model.hpp"
#include "codegen/output.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kVersion = "0.1.0";

std::string absolute(const std::string& path) {
  return fs::absolute(fs::path(path)).lexically_normal().string();
}

int run(int argc, char** argv) {
  CLI::App app{"athanor-gen: generates Athanor mapping code from annotated model headers"};
  std::vector<std::string> headers;
  std::string output_dir;
  std::string base_dir = fs::current_path().string();
  athanor::gen::ParseOptions parse_options;
  std::string depfile;
  std::string stamp;
  bool verbose = false;
  app.add_option("headers", headers, "Model headers (all parsed together)")->required();
  app.add_option("-o,--output-dir", output_dir, "Directory of the generated headers and sources")
      ->required();
  app.add_option("--base-dir", base_dir,
                 "Outputs mirror each header's path relative to this directory (default: the "
                 "current directory)");
  // Repeatable options take one value each, so that they do not swallow the headers after them.
  app.add_option("-I,--include-dir", parse_options.include_dirs, "Include directory")
      ->allow_extra_args(false);
  app.add_option("--isystem", parse_options.system_include_dirs, "System include directory")
      ->allow_extra_args(false);
  app.add_option("-D,--define", parse_options.definitions, "Preprocessor definition NAME[=VALUE]")
      ->allow_extra_args(false);
  app.add_option("--clang-arg", parse_options.extra_args, "Extra argument for the parser")
      ->allow_extra_args(false);
  app.add_option("--cache-dir", parse_options.cache_dir,
                 "Keep a precompiled <athanor/model.hpp> here to speed up later runs");
  app.add_option("--depfile", depfile, "Write a Makefile-style depfile");
  app.add_option("--stamp", stamp, "Touch this file after a successful run");
  app.add_flag("-v,--verbose", verbose, "Report what was written");
  app.set_version_flag("--version", std::string("athanor-gen ") + kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  for (std::string& h : headers) h = absolute(h);
  for (std::string& d : parse_options.include_dirs) d = absolute(d);
  for (std::string& d : parse_options.system_include_dirs) d = absolute(d);
  output_dir = absolute(output_dir);
  if (!parse_options.cache_dir.empty()) parse_options.cache_dir = absolute(parse_options.cache_dir);
  base_dir = absolute(base_dir);

  athanor::gen::Diagnostics diagnostics;
  std::map<std::string, std::string> outputs;  // output path -> header
  for (const std::string& h : headers) {
    if (!fs::is_regular_file(h)) {
      diagnostics.error({}, "cannot read model header " + h);
      continue;
    }
    std::string out = athanor::gen::output_path(h, base_dir, output_dir);
    auto [it, inserted] = outputs.emplace(out, h);
    if (!inserted && it->second != h) {
      diagnostics.error({}, fmt::format("headers {} and {} would both generate {}; keep model "
                                        "headers below --base-dir or give them distinct names",
                                        it->second, h, out));
    }
  }
  if (!diagnostics.empty()) {
    diagnostics.print(std::cerr);
    return 1;
  }

  auto start = std::chrono::steady_clock::now();
  parse_options.headers = headers;
  athanor::gen::ParseResult parsed = athanor::gen::parse_headers(parse_options, diagnostics);
  if (!diagnostics.empty()) {
    diagnostics.print(std::cerr);
    return 1;
  }
  athanor::gen::Schema schema = athanor::gen::build_schema(parsed, diagnostics);
  if (!diagnostics.empty()) {
    diagnostics.print(std::cerr);
    return 1;
  }

  // Everything is checked: now produce every text, then write.
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& h : headers) {
    std::string out = athanor::gen::output_path(h, base_dir, output_dir);
    std::string spelling = athanor::gen::include_spelling(h, out, parse_options.include_dirs);
    files.emplace_back(out, athanor::gen::emit_header(schema, h, spelling));
    files.emplace_back(
        athanor::gen::source_path(out),
        athanor::gen::emit_source(schema, h, spelling, fs::path(out).filename().string()));
  }
  try {
    for (const auto& [path, text] : files) {
      bool written = athanor::gen::write_if_changed(path, text);
      if (verbose) std::cerr << (written ? "wrote " : "unchanged ") << path << '\n';
    }
    if (!depfile.empty()) {
      std::string target = !stamp.empty() ? absolute(stamp) : files.front().first;
      athanor::gen::write_if_changed(absolute(depfile),
                                     athanor::gen::depfile_text(target, parsed.dependencies));
    }
    if (!stamp.empty()) {
      fs::path p = absolute(stamp);
      if (p.has_parent_path()) fs::create_directories(p.parent_path());
      std::ofstream touch(p, std::ios::trunc);
      touch << "athanor-gen " << kVersion << '\n';
      if (!touch) throw std::runtime_error("cannot write " + p.string());
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  if (verbose) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::cerr << "athanor-gen: " << schema.tables.size() << " models from " << headers.size()
              << " headers in " << elapsed.count() << " ms\n";
  }
  return 0;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// LLVM keeps some allocations for the life of the process on purpose; they are not ours to free.
extern "C" const char* __lsan_default_suppressions() { return "leak:libLLVM\nleak:libclang\n"; }
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif

int main(int argc, char** argv) { return run(argc, argv); }
