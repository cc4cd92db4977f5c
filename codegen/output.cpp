// athanor-gen output: paths, write-if-changed and depfiles (see output.hpp).
#include "codegen/output.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace athanor::gen {
namespace fs = std::filesystem;

namespace {
// `path` relative to `base` when it lies inside it.
bool relative_inside(const fs::path& path, const fs::path& base, fs::path& out) {
  fs::path rel = path.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return false;
  out = rel;
  return true;
}
}  // namespace

std::string output_path(const std::string& header, const std::string& base_dir,
                        const std::string& output_dir) {
  fs::path h = fs::path(header).lexically_normal();
  fs::path rel;
  if (base_dir.empty() || !relative_inside(h, fs::path(base_dir).lexically_normal(), rel)) {
    rel = h.filename();
  }
  fs::path stem = rel.parent_path() / rel.stem();
  return (fs::path(output_dir) / (stem.string() + ".athanor.hpp")).lexically_normal().string();
}

std::string source_path(const std::string& generated_header) {
  return fs::path(generated_header).replace_extension(".cpp").string();
}

std::string include_spelling(const std::string& header, const std::string& output,
                             const std::vector<std::string>& include_dirs) {
  fs::path h = fs::path(header).lexically_normal();
  std::string best;
  for (const std::string& dir : include_dirs) {
    fs::path rel;
    if (relative_inside(h, fs::path(dir).lexically_normal(), rel)) {
      std::string spelled = rel.generic_string();
      if (best.empty() || spelled.size() < best.size()) best = spelled;
    }
  }
  if (!best.empty()) return best;
  return h.lexically_relative(fs::path(output).parent_path().lexically_normal()).generic_string();
}

bool write_if_changed(const std::string& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream current;
      current << in.rdbuf();
      if (current.str() == text) return false;
    }
  }
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  // Write a sibling and rename it over the target, so readers never see half a file.
  fs::path temporary = p;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, p);
  return true;
}

std::string depfile_text(const std::string& target, const std::vector<std::string>& dependencies) {
  auto escape = [](const std::string& path) {
    std::string out;
    for (char c : path) {
      if (c == ' ' || c == '#' || c == '\\') out += '\\';
      if (c == '$') out += '$';
      out += c;
    }
    return out;
  };
  std::string out = escape(target) + ":";
  for (const std::string& d : dependencies) out += " \\\n  " + escape(d);
  return out + "\n";
}

}  // namespace athanor::gen
