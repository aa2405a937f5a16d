// The one syscall helper: call, retry on EINTR (PEP 475) after asking the
// interruption hook, and on failure capture errno with the filename(s).
#pragma once

#include <cerrno>
#include <string_view>
#include <type_traits>

#include "oscpp/error.hpp"
#include "oscpp/path_arg.hpp"

namespace os::detail {

// Runs the installed interruption hook; true means "retry the call".
bool retry_after_eintr() noexcept;

inline std::string_view name_of(const path_arg& p) noexcept { return p.view(); }
inline std::string_view name_of(std::string_view s) noexcept { return s; }

// The error_info for errnum with the given names (none, one or two).
inline error_info fail(int errnum) noexcept { return error_info(errnum); }
inline error_info fail(int errnum, std::string_view a) noexcept {
  return error_info(errnum, a);
}
inline error_info fail(int errnum, std::string_view a,
                       std::string_view b) noexcept {
  return error_info(errnum, a, b);
}

// Calls f() until it does not fail with EINTR; a failure is a return of -1
// with errno set. If the hook declines to retry, returns -1 with errno EINTR.
template <class F>
inline auto retry(F&& f) noexcept {
  for (;;) {
    auto r = f();
    if (r != -1 || errno != EINTR) return r;
    if (!retry_after_eintr()) {
      errno = EINTR;
      return r;
    }
  }
}

// retry(), then the value or the error with errno and the names.
template <class F, class... Names>
inline auto call(F&& f, const Names&... names) noexcept
    -> result<std::invoke_result_t<F&>> {
  auto r = retry(f);
  if (r == -1) return fail(errno, name_of(names)...);
  return r;
}

// The same, for calls whose value is of no interest.
template <class F, class... Names>
inline result<void> call_void(F&& f, const Names&... names) noexcept {
  if (retry(f) == -1) return fail(errno, name_of(names)...);
  return {};
}

// For calls that return an error number instead of setting errno
// (posix_fallocate, posix_fadvise, posix_spawn ...): 0 is success.
template <class F, class... Names>
inline result<void> call_errno_returning(F&& f,
                                         const Names&... names) noexcept {
  for (;;) {
    int e = f();
    if (e == 0) return {};
    if (e != EINTR || !retry_after_eintr()) return fail(e, name_of(names)...);
  }
}

}  // namespace os::detail
