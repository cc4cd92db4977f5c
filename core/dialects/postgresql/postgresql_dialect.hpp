// Athanor Core, postgresql dialect: factory (the dialect class itself is private to this folder).
#pragma once

#include <memory>

#include "athanor/core/dialect.hpp"

namespace athanor::detail {

std::shared_ptr<Dialect> make_postgresql_dialect();

}  // namespace athanor::detail
