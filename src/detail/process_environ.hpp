// The process environment block (char** name=value strings), however the
// platform declares it.
#pragma once

#if defined(__APPLE__)
#include <crt_externs.h>
#else
#include <unistd.h>
#endif

namespace os::detail {

inline char** process_environ() noexcept {
#if defined(__APPLE__)
  // macOS: code in a shared library cannot refer to environ itself; CPython
  // reads it through _NSGetEnviron there, and so does this.
  return *::_NSGetEnviron();
#else
  return ::environ;
#endif
}

}  // namespace os::detail
