// athanor-gen output: where generated files go, how they include their model header, and how
// they reach the disk (only when their text changed, so that unchanged models do not trigger
// rebuilds), plus the Makefile-style depfile the build system reads to rerun the generator.
#pragma once

#include <string>
#include <vector>

namespace athanor::gen {

// x.hpp -> <output_dir>/<x's path relative to base_dir>.athanor.hpp; a header outside base_dir
// keeps only its file name.
std::string output_path(const std::string& header, const std::string& base_dir,
                        const std::string& output_dir);

// The generated source beside a generated header: x.athanor.hpp -> x.athanor.cpp.
std::string source_path(const std::string& generated_header);

// How `output` should include `header`: relative to the include directory that gives the
// shortest spelling, else relative to the output's own directory.
std::string include_spelling(const std::string& header, const std::string& output,
                             const std::vector<std::string>& include_dirs);

// Writes `text` to `path` unless the file already holds exactly that text; creates directories.
// Returns true when the file was written. Throws std::runtime_error on I/O failure.
bool write_if_changed(const std::string& path, const std::string& text);

// "target: dep dep ..." with Makefile escaping.
std::string depfile_text(const std::string& target, const std::vector<std::string>& dependencies);

}  // namespace athanor::gen
