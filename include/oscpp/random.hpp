// Random numbers: getrandom (GRND_NONBLOCK and GRND_RANDOM come from
// <sys/random.h>) and urandom. Every os::<name> throws OSError as Python
// does; os::nothrow::<name> returns the error as a value instead.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "oscpp/error.hpp"
#include "oscpp/platform.hpp"
#include "oscpp/size_arg.hpp"
#if OSCPP_HAVE_GETRANDOM
#include <sys/random.h>
#endif

namespace os {

// ---------------------------------------------------------------- nothrow
namespace nothrow {

#if OSCPP_HAVE_GETRANDOM
// One getrandom() call: fills at most buffer.size() bytes, returns how many.
result<std::size_t> getrandom(std::span<char> buffer, int flags = 0) noexcept;
result<std::string> getrandom(size_arg size, int flags = 0) noexcept;
#endif
// Fills the whole buffer (several calls if need be).
result<void> urandom(std::span<char> buffer) noexcept;
result<std::string> urandom(size_arg size) noexcept;

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

#if OSCPP_HAVE_GETRANDOM
// Python's os.getrandom: one call, so the result may be shorter than size
// (a very large size, or GRND_RANDOM). GRND_NONBLOCK throws BlockingIOError
// while the kernel's pool is not initialised yet.
inline std::string getrandom(size_arg size, int flags = 0) {
  return nothrow::getrandom(size, flags).value();
}
inline std::size_t getrandom(std::span<char> buffer, int flags = 0) {
  return nothrow::getrandom(buffer, flags).value();
}
#endif
// Exactly size random bytes suitable for cryptographic use: blocks only
// until the kernel's pool is initialised at boot; falls back to
// /dev/urandom where getrandom() is missing or forbidden. macOS:
// getentropy(), as Python there.
inline std::string urandom(size_arg size) {
  return nothrow::urandom(size).value();
}
inline void urandom(std::span<char> buffer) {
  nothrow::urandom(buffer).value();
}

}  // namespace os
