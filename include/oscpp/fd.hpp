// Descriptors: os::unique_fd owns one, os::borrowed_fd is the parameter type
// of every function that only uses one.
#pragma once

#include <utility>

#include "oscpp/error.hpp"

namespace os {

// Owns a file descriptor and closes it on destruction (errors ignored there;
// call close() to see them). Move-only, never converts to int implicitly, so
// `int fd = os::open(...)` does not compile.
class unique_fd {
 public:
  constexpr unique_fd() noexcept = default;
  constexpr explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& o) noexcept {
    if (this != &o) reset(std::exchange(o.fd_, -1));
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { reset(); }

  constexpr int get() const noexcept { return fd_; }
  constexpr explicit operator bool() const noexcept { return fd_ >= 0; }
  // Gives up ownership: the caller must close the returned descriptor.
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
  // Closes the held descriptor (errors ignored) and takes fd.
  void reset(int fd = -1) noexcept;
  // Closes the descriptor now, throwing OSError as os::close would. The
  // descriptor is released even when close fails (as POSIX leaves it).
  void close();

  friend bool operator==(const unique_fd& a, const unique_fd& b) noexcept {
    return a.fd_ == b.fd_;
  }

 private:
  int fd_ = -1;
};

// A descriptor borrowed for the duration of a call: a plain int or a
// unique_fd (which keeps ownership).
class borrowed_fd {
 public:
  template <class I>
  requires std::is_integral_v<I> &&
      (!std::is_same_v<I, bool>)constexpr borrowed_fd(I fd) noexcept
      : fd_(static_cast<int>(fd)) {}
  constexpr borrowed_fd(const unique_fd& fd) noexcept : fd_(fd.get()) {}
  constexpr int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace os
