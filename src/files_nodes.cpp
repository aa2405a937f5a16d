// Files and Directories, the nodes topic: mkfifo and mknod (major, minor
// and makedev are the C macros).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "detail/syscall.hpp"
#include "oscpp/files.hpp"

namespace os::nothrow {

// mkfifo and mknod name no file in their errors, as Python's.
result<void> mkfifo(const path_arg& path, mode_t mode,
                    dir_fd_options opts) noexcept {
#if OSCPP_HAVE_MKNODAT
  return detail::call_void(
      [&] { return ::mkfifoat(opts.dir_fd.get(), path.c_str(), mode); });
#else
  // No mkfifoat (macOS before 13): mkfifo, and dir_fd unsupported, as
  // CPython there (its NotImplementedError is ENOTSUP here).
  if (opts.dir_fd.get() != AT_FDCWD) return detail::fail(ENOTSUP);
  return detail::call_void([&] { return ::mkfifo(path.c_str(), mode); });
#endif
}

result<void> mknod(const path_arg& path, mode_t mode, dev_t device,
                   dir_fd_options opts) noexcept {
#if OSCPP_HAVE_MKNODAT
  return detail::call_void(
      [&] { return ::mknodat(opts.dir_fd.get(), path.c_str(), mode, device); });
#else
  // No mknodat (macOS before 13): mknod, dir_fd unsupported, as mkfifo.
  if (opts.dir_fd.get() != AT_FDCWD) return detail::fail(ENOTSUP);
  return detail::call_void([&] { return ::mknod(path.c_str(), mode, device); });
#endif
}

}  // namespace os::nothrow
