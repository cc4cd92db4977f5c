// Athanor Core, dialect layer: the shared switch from ErrorCategory onto the exception tree
// (see error_category.hpp).
#include "core/dialects/error_category.hpp"

#include <utility>

namespace athanor::detail {

void raise_dbapi_error(ErrorCategory category, DBAPIError::Details details) {
  switch (category) {
    case ErrorCategory::kIntegrity:
      throw IntegrityError(std::move(details));
    case ErrorCategory::kData:
      throw DataError(std::move(details));
    case ErrorCategory::kProgramming:
      throw ProgrammingError(std::move(details));
    case ErrorCategory::kOperational:
      throw OperationalError(std::move(details));
    case ErrorCategory::kInterface:
      throw InterfaceError(std::move(details));
    case ErrorCategory::kNotSupported:
      throw NotSupportedError(std::move(details));
    case ErrorCategory::kInternal:
      throw InternalError(std::move(details));
    case ErrorCategory::kGeneric:
      break;
  }
  throw DBAPIError(std::move(details));
}

}  // namespace athanor::detail
