// athanor-gen emitter: writes the C++ mapping code for the models of one header.
//
// The output is small, formatted for reading, and only calls the mapping support library
// (include/athanor/mapping.hpp). The header (x.athanor.hpp for x.hpp) declares, per model, a
// Mapper<T> specialisation (table, values, load, primary_key, relationships), an explicit
// instantiation declaration of MapperBase<T>, and a descriptor struct T_ with typed columns and
// relationship handles; per stored enum it defines an EnumTraits<E> specialisation. The source
// (x.athanor.cpp, beside the header) holds the bodies and MapperBase<T>'s explicit instantiation,
// so that they are compiled once per target instead of in every translation unit that includes
// the header. Neither contains absolute paths or timestamps, so the same models always give
// byte-identical output.
#pragma once

#include <string>

#include "codegen/model.hpp"

namespace athanor::gen {

// The generated header for the models declared in `header` (an absolute path).
// `include_spelling` is how the generated file includes the model header ("models/blog.hpp").
std::string emit_header(const Schema& schema, const std::string& header,
                        const std::string& include_spelling);

// The generated source for the same models: the definitions the header declares. It includes
// the header as `generated_header` (its file name: the two files sit in one directory).
std::string emit_source(const Schema& schema, const std::string& header,
                        const std::string& include_spelling, const std::string& generated_header);

}  // namespace athanor::gen
