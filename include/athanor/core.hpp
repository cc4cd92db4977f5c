// Athanor Core: the whole Core API in one include.
//
// Layer: Core, the lowest layer (the mapping support and the ORM sit on top of it and Core never
// includes them). Each header included here states its own contract: ownership, thread-safety,
// errors and preconditions.
#pragma once

#include "athanor/core/dialect.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/param_sets.hpp"
#include "athanor/core/reflection.hpp"
#include "athanor/core/result.hpp"
#include "athanor/core/schema.hpp"
#include "athanor/core/sql.hpp"
#include "athanor/core/types.hpp"
#include "athanor/core/url.hpp"
#include "athanor/core/value.hpp"
