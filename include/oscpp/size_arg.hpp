// os::size_arg: the parameter type of byte counts that Python takes as a
// Py_ssize_t (read's n, urandom's size, splice's count ...).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

namespace os {

// Any integer converts. A negative value, or an unsigned one above
// PTRDIFF_MAX (std::size_t(-1) and every other wrapped negative), throws
// std::invalid_argument("negative argument not allowed") at the call site,
// before any syscall, like path_arg's embedded-NUL check: so the nothrow::
// forms throw it too. Python raises ValueError or OSError(EINVAL) depending
// on the function; C++ has one rule.
class size_arg {
 public:
  template <std::integral I>
  requires(!std::same_as<I, bool>) constexpr size_arg(I n) : n_(check(n)) {}

  constexpr std::size_t get() const noexcept { return n_; }
  constexpr operator std::size_t() const noexcept { return n_; }

 private:
  template <class I>
  static constexpr std::size_t check(I n) {
    if constexpr (std::is_signed_v<I>) {
      if (n < 0) throw std::invalid_argument("negative argument not allowed");
    } else if constexpr (sizeof(I) >= sizeof(std::ptrdiff_t)) {
      if (n > static_cast<std::make_unsigned_t<std::ptrdiff_t>>(PTRDIFF_MAX))
        throw std::invalid_argument("negative argument not allowed");
    }
    return static_cast<std::size_t>(n);
  }

  std::size_t n_;
};

}  // namespace os
