// Athanor Core: the exception tree.
//
// One hierarchy, shaped like SQLAlchemy's `exc` module. Every error the library raises derives from
// athanor::Error. Errors coming from a database driver are translated at exactly one place per
// backend (core/dialects/<db>/) into a DBAPIError subclass that keeps the SQL, a truncated
// rendering of the parameters, the SQLSTATE (where the backend has one) and the native error code.
// Errors are thrown by value and caught by reference; each is a plain value (copies are
// independent) whose what() is the whole message. Nothing the database raised is swallowed: it
// reaches the caller as one of these, at the latest by the connection's next call.
#pragma once

#include <stdexcept>
#include <string>

namespace athanor {

// Base of everything Athanor throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad argument from the caller: malformed URL, unknown option, unknown column name, a value of
// the wrong type for a column.
class ArgumentError : public Error {
 public:
  using Error::Error;
};

// A statement cannot be compiled for the target dialect (a feature the backend lacks, an
// incomplete statement).
class CompileError : public Error {
 public:
  using Error::Error;
};

// Nothing, or more than one row, where exactly one was required (Result::one()).
class NoResultFound : public Error {
 public:
  using Error::Error;
};
class MultipleResultsFound : public Error {
 public:
  using Error::Error;
};

// The connection pool could not hand out a connection within the timeout.
class PoolTimeoutError : public Error {
 public:
  using Error::Error;
};

// A transaction or connection was used in a state that does not allow it (e.g. a closed
// connection, a transaction already committed).
class InvalidRequestError : public Error {
 public:
  using Error::Error;
};

// An error reported by the database or its client library.
class DBAPIError : public Error {
 public:
  struct Details {
    std::string message;     // the driver's message
    std::string sql;         // the statement being executed (may be empty)
    std::string parameters;  // rendered, truncated parameters (may be empty)
    std::string sqlstate;    // five-character SQLSTATE, empty where unknown
    int native_code = 0;     // backend-native error number (sqlite3 extended code, MySQL errno)
    bool connection_invalidated = false;  // the connection was lost and has been discarded
  };

  explicit DBAPIError(Details details);

  const std::string& message() const noexcept { return details_.message; }
  const std::string& sql() const noexcept { return details_.sql; }
  const std::string& parameters() const noexcept { return details_.parameters; }
  const std::string& sqlstate() const noexcept { return details_.sqlstate; }
  int native_code() const noexcept { return details_.native_code; }
  bool connection_invalidated() const noexcept { return details_.connection_invalidated; }
  const Details& details() const noexcept { return details_; }

 private:
  Details details_;
};

// Constraint violations: unique, foreign key, not null, check.
class IntegrityError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};
// Problems with the database's operation, often outside the caller's control: lost connection,
// server shut down, lock timeout, cannot connect.
class OperationalError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};
// Errors in the SQL itself: syntax error, unknown table or column.
class ProgrammingError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};
// Problems with the processed data: value out of range, invalid text representation.
class DataError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};
// Errors of the client library interface itself rather than of the database.
class InterfaceError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};
// The database does not support an API or operation.
class NotSupportedError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};
// An internal database error (corruption, internal inconsistency).
class InternalError : public DBAPIError {
 public:
  using DBAPIError::DBAPIError;
};

}  // namespace athanor
