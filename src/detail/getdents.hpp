// Linux's getdents64 call under its C library's name: glibc's getdents64
// fills struct dirent64; musl's getdents is the same call, and its struct
// dirent has dirent64's layout (musl has no separate 64-bit names).
#pragma once

#include "oscpp/platform.hpp"

#if OSCPP_HAVE_GETDENTS64
#include <dirent.h>
#include <unistd.h>

#include <cstddef>

namespace os::detail {

#if defined(__GLIBC__)
using kernel_dirent = struct ::dirent64;
inline ssize_t getdents64(int fd, char* buf, std::size_t n) noexcept {
  return ::getdents64(fd, buf, n);
}
#else
using kernel_dirent = struct ::dirent;
inline ssize_t getdents64(int fd, char* buf, std::size_t n) noexcept {
  return ::getdents(fd, reinterpret_cast<struct ::dirent*>(buf), n);
}
#endif

}  // namespace os::detail
#endif
