// Files and Directories, ownership and nodes: chown, lchown, mkfifo, mknod,
// pathconf, statvfs, sync, truncate.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>

#include "detail/conf_names.hpp"
#include "detail/syscall.hpp"
#include "oscpp/files.hpp"

namespace os {

namespace {

// Python names a descriptor in its errors by the descriptor itself; here it
// is its decimal form, which the binding turns back into the caller's int.
std::string fd_name(int fd) { return std::to_string(fd); }

// pathconf and fpathconf: -1 with errno untouched means "no limit", so
// errno is cleared before each attempt.
template <class F>
long query_limit(F&& f) noexcept {
  return detail::retry([&] {
    errno = 0;
    return f();
  });
}

// EINVAL may mean a bad configuration name: Python names no file then.
error_info limit_error(int errnum, std::string_view name) noexcept {
  if (errnum == EINVAL) return detail::fail(errnum);
  return detail::fail(errnum, name);
}

}  // namespace

long pathconf(const path_arg& path, std::string_view name) {
  return nothrow::pathconf(path,
                           detail::conf_number_or_throw(pathconf_names, name))
      .value();
}

long pathconf(borrowed_fd fd, std::string_view name) {
  return nothrow::pathconf(fd,
                           detail::conf_number_or_throw(pathconf_names, name))
      .value();
}

void sync() noexcept { ::sync(); }

namespace nothrow {

result<long> pathconf(const path_arg& path, std::string_view name) noexcept {
  auto n = detail::conf_number(pathconf_names, name);
  if (!n) return detail::fail(EINVAL);
  return nothrow::pathconf(path, *n);
}

result<long> pathconf(borrowed_fd fd, std::string_view name) noexcept {
  return nothrow::fpathconf(fd, name);
}

result<void> chown(const path_arg& path, uid_t uid, gid_t gid,
                   at_options opts) noexcept {
  return detail::call_void(
      [&] {
        return ::fchownat(opts.dir_fd.get(), path.c_str(), uid, gid,
                          opts.follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW);
      },
      path);
}

result<void> chown(borrowed_fd fd, uid_t uid, gid_t gid) noexcept {
  auto r = detail::call_void([&] { return ::fchown(fd.get(), uid, gid); });
  if (!r) return detail::fail(r.error().value(), fd_name(fd.get()));
  return r;
}

result<void> lchown(const path_arg& path, uid_t uid, gid_t gid) noexcept {
  return detail::call_void([&] { return ::lchown(path.c_str(), uid, gid); },
                           path);
}

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

result<long> pathconf(const path_arg& path, int name) noexcept {
  long r = query_limit([&] { return ::pathconf(path.c_str(), name); });
  if (r == -1 && errno != 0) return limit_error(errno, path.view());
  return r;
}

result<long> pathconf(borrowed_fd fd, int name) noexcept {
  long r = query_limit([&] { return ::fpathconf(fd.get(), name); });
  if (r == -1 && errno != 0) {
    int e = errno;
    return limit_error(e, fd_name(fd.get()));
  }
  return r;
}

result<statvfs_result> statvfs(const path_arg& path) noexcept {
  struct ::statvfs st;
  auto r =
      detail::call_void([&] { return ::statvfs(path.c_str(), &st); }, path);
  if (!r) return std::move(r).error();
  return statvfs_result::from(st);
}

result<statvfs_result> statvfs(borrowed_fd fd) noexcept {
  struct ::statvfs st;
  auto r = detail::call_void([&] { return ::fstatvfs(fd.get(), &st); });
  if (!r) return detail::fail(r.error().value(), fd_name(fd.get()));
  return statvfs_result::from(st);
}

result<void> truncate(const path_arg& path, off_t length) noexcept {
  return detail::call_void([&] { return ::truncate(path.c_str(), length); },
                           path);
}

// Python's truncate on an fd is ftruncate, whose errors name no file.
result<void> truncate(borrowed_fd fd, off_t length) noexcept {
  return detail::call_void([&] { return ::ftruncate(fd.get(), length); });
}

}  // namespace nothrow
}  // namespace os
