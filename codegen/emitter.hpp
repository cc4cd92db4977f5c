// athanor-gen emitter: writes the C++ mapping code for the models of one header.
//
// The output (x.athanor.hpp for x.hpp) is small, formatted for reading, and only calls the
// mapping support library (include/athanor/mapping.hpp): per model a Mapper<T> specialisation
// (table, values, load, primary_key, relationships) and a descriptor struct T_ with typed columns
// and relationship handles; per stored enum an EnumTraits<E> specialisation. It contains no
// absolute paths or timestamps, so the same models always give byte-identical output.
#pragma once

#include <string>

#include "codegen/model.hpp"

namespace athanor::gen {

// The generated header for the models declared in `header` (an absolute path).
// `include_spelling` is how the generated file includes the model header ("models/blog.hpp").
std::string emit_header(const Schema& schema, const std::string& header,
                        const std::string& include_spelling);

}  // namespace athanor::gen
