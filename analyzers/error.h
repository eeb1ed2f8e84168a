// The small error hierarchy that the CLI translates into exit codes.
#pragma once

#include <stdexcept>
#include <string>

namespace lipsteeth {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class UsageError : public Error { using Error::Error; };        // bad flags or arguments
class QueryError : public Error { using Error::Error; };        // malformed query
class IndexMissingError : public Error { using Error::Error; }; // no index / wrong version / corrupt
class IndexLockedError : public Error { using Error::Error; };  // another writer holds the lock
class InputError : public Error { using Error::Error; };        // unreadable input (file, sidecar, gazetteer)

}  // namespace lipsteeth
