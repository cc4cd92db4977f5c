// Athanor Core, sqlite dialect: factory (the dialect class itself is private to this folder).
#pragma once

#include <memory>

#include "athanor/core/dialect.hpp"

namespace athanor::detail {

std::shared_ptr<Dialect> make_sqlite_dialect();

}  // namespace athanor::detail
