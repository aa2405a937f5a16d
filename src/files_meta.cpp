// Files and Directories, the meta topic: what is recorded about a file and
// the calls that read or change it: stat, lstat, access, chmod, chown,
// lchown, utime, truncate, statvfs, pathconf, sync, and the supports_* sets.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "detail/conf_names.hpp"
#include "detail/syscall.hpp"
#include "oscpp/files.hpp"

namespace os {

// Python's sets on Linux (every member of each now exists in oscpp).
const std::set<std::string, std::less<>> supports_dir_fd = {
    "access",   "chmod",  "chown", "link", "mkdir",   "mkfifo", "mknod", "open",
    "readlink", "rename", "rmdir", "stat", "symlink", "unlink", "utime"};
const std::set<std::string, std::less<>> supports_fd = {
    "chdir",   "chmod", "chown",   "execve",   "listdir", "pathconf",
    "scandir", "stat",  "statvfs", "truncate", "utime"};
// Not chmod: Linux cannot change a symlink's mode (see os::chmod).
const std::set<std::string, std::less<>> supports_follow_symlinks = {
    "access", "chown", "link", "stat", "utime"};
const std::set<std::string, std::less<>> supports_effective_ids = {"access"};

// The names Python's os.pathconf_names has on Linux, with glibc's values.
const std::map<std::string, int, std::less<>> pathconf_names = {
#ifdef _PC_ALLOC_SIZE_MIN
    {"PC_ALLOC_SIZE_MIN", _PC_ALLOC_SIZE_MIN},
#endif
#ifdef _PC_ASYNC_IO
    {"PC_ASYNC_IO", _PC_ASYNC_IO},
#endif
#ifdef _PC_CHOWN_RESTRICTED
    {"PC_CHOWN_RESTRICTED", _PC_CHOWN_RESTRICTED},
#endif
#ifdef _PC_FILESIZEBITS
    {"PC_FILESIZEBITS", _PC_FILESIZEBITS},
#endif
#ifdef _PC_LINK_MAX
    {"PC_LINK_MAX", _PC_LINK_MAX},
#endif
#ifdef _PC_MAX_CANON
    {"PC_MAX_CANON", _PC_MAX_CANON},
#endif
#ifdef _PC_MAX_INPUT
    {"PC_MAX_INPUT", _PC_MAX_INPUT},
#endif
#ifdef _PC_NAME_MAX
    {"PC_NAME_MAX", _PC_NAME_MAX},
#endif
#ifdef _PC_NO_TRUNC
    {"PC_NO_TRUNC", _PC_NO_TRUNC},
#endif
#ifdef _PC_PATH_MAX
    {"PC_PATH_MAX", _PC_PATH_MAX},
#endif
#ifdef _PC_PIPE_BUF
    {"PC_PIPE_BUF", _PC_PIPE_BUF},
#endif
#ifdef _PC_PRIO_IO
    {"PC_PRIO_IO", _PC_PRIO_IO},
#endif
#ifdef _PC_REC_INCR_XFER_SIZE
    {"PC_REC_INCR_XFER_SIZE", _PC_REC_INCR_XFER_SIZE},
#endif
#ifdef _PC_REC_MAX_XFER_SIZE
    {"PC_REC_MAX_XFER_SIZE", _PC_REC_MAX_XFER_SIZE},
#endif
#ifdef _PC_REC_MIN_XFER_SIZE
    {"PC_REC_MIN_XFER_SIZE", _PC_REC_MIN_XFER_SIZE},
#endif
#ifdef _PC_REC_XFER_ALIGN
    {"PC_REC_XFER_ALIGN", _PC_REC_XFER_ALIGN},
#endif
#ifdef _PC_SOCK_MAXBUF
    {"PC_SOCK_MAXBUF", _PC_SOCK_MAXBUF},
#endif
#ifdef _PC_SYMLINK_MAX
    {"PC_SYMLINK_MAX", _PC_SYMLINK_MAX},
#endif
#ifdef _PC_SYNC_IO
    {"PC_SYNC_IO", _PC_SYNC_IO},
#endif
#ifdef _PC_VDISABLE
    {"PC_VDISABLE", _PC_VDISABLE},
#endif
};

namespace {

// Python reports a failed call on a descriptor with the descriptor itself as
// filename; here it is its decimal form, which the binding turns back into
// the caller's int.
std::string fd_name(int fd) { return std::to_string(fd); }

int at_flags(bool follow_symlinks) noexcept {
  return follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW;
}

// Python's conversion of a float timestamp for utime: floor to whole
// nanoseconds, computed on the fractional part so that large values keep
// their precision.
struct ::timespec to_timespec(double t) {
  if (std::isnan(t))
    throw std::invalid_argument("Invalid value NaN (not a number)");
  double intpart;
  double frac = std::modf(t, &intpart);
  frac = std::floor(frac * 1e9);
  if (frac >= 1e9) {
    frac -= 1e9;
    intpart += 1.0;
  } else if (frac < 0) {
    frac += 1e9;
    intpart -= 1.0;
  }
  // time_t is 64 bits: [-2**63, 2**63) holds exactly as doubles.
  if (!(intpart >= -9223372036854775808.0 && intpart < 9223372036854775808.0))
    throw std::overflow_error("timestamp out of range for platform time_t");
  struct ::timespec ts {};
  ts.tv_sec = static_cast<time_t>(intpart);
  ts.tv_nsec = static_cast<long>(frac);
  return ts;
}

// Nanoseconds split as Python's divmod(ns, 10**9): the remainder is never
// negative.
struct ::timespec ns_to_timespec(std::int64_t ns) noexcept {
  std::int64_t sec = ns / 1000000000;
  std::int64_t rem = ns % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    sec -= 1;
  }
  struct ::timespec ts {};
  ts.tv_sec = static_cast<time_t>(sec);
  ts.tv_nsec = static_cast<long>(rem);
  return ts;
}

// The times utime sets, or nullptr for "now" (neither times nor ns).
const struct ::timespec* utime_times(const utime_options& opts,
                                     struct ::timespec (&ts)[2]) {
  if (opts.times && opts.ns)
    throw std::invalid_argument(
        "utime: you may specify either 'times' or 'ns' but not both");
  if (opts.times) {
    ts[0] = to_timespec(opts.times->first);
    ts[1] = to_timespec(opts.times->second);
    return ts;
  }
  if (opts.ns) {
    ts[0] = ns_to_timespec(opts.ns->first);
    ts[1] = ns_to_timespec(opts.ns->second);
    return ts;
  }
  return nullptr;
}

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

bool access(const path_arg& path, int mode, access_options opts) {
  int flags =
      (opts.effective_ids ? AT_EACCESS : 0) | at_flags(opts.follow_symlinks);
  // Any failure, a bad dir_fd or mode included, is "not allowed" (Python).
  return detail::retry([&] {
           return ::faccessat(opts.dir_fd.get(), path.c_str(), mode, flags);
         }) == 0;
}

void chmod(const path_arg& path, mode_t mode, at_options opts) {
  auto r = nothrow::chmod(path, mode, opts);
  if (r) return;
  int e = r.error().value();
  if (!opts.follow_symlinks && (e == ENOTSUP || e == EOPNOTSUPP)) {
    if (opts.dir_fd.get() != AT_FDCWD)
      throw std::invalid_argument(
          "chmod: cannot use dir_fd and follow_symlinks together");
    throw std::logic_error(
        "chmod: follow_symlinks unavailable on this platform");
  }
  r.error().raise();
}

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

result<void> chmod(const path_arg& path, mode_t mode,
                   at_options opts) noexcept {
  return detail::call_void(
      [&] {
        return ::fchmodat(opts.dir_fd.get(), path.c_str(), mode,
                          at_flags(opts.follow_symlinks));
      },
      path);
}

result<void> chmod(borrowed_fd fd, mode_t mode) noexcept {
  auto r = detail::call_void([&] { return ::fchmod(fd.get(), mode); });
  if (!r) return detail::fail(r.error().value(), fd_name(fd.get()));
  return r;
}

result<stat_result> stat(const path_arg& path, at_options opts) noexcept {
  struct ::stat st;
  auto r = detail::call_void(
      [&] {
        return ::fstatat(opts.dir_fd.get(), path.c_str(), &st,
                         at_flags(opts.follow_symlinks));
      },
      path);
  if (!r) return std::move(r).error();
  return stat_result::from(st);
}

result<stat_result> stat(borrowed_fd fd) noexcept {
  struct ::stat st;
  auto r = detail::call_void([&] { return ::fstat(fd.get(), &st); });
  if (!r) return detail::fail(r.error().value(), fd_name(fd.get()));
  return stat_result::from(st);
}

result<stat_result> lstat(const path_arg& path, dir_fd_options opts) noexcept {
  return nothrow::stat(path,
                       {.dir_fd = opts.dir_fd.get(), .follow_symlinks = false});
}

// Errors carry no filename: Python's utime never attaches one.
result<void> utime(const path_arg& path, utime_options opts) {
  struct ::timespec ts[2];
  const struct ::timespec* times = utime_times(opts, ts);
  return detail::call_void([&] {
    return ::utimensat(opts.dir_fd.get(), path.c_str(), times,
                       at_flags(opts.follow_symlinks));
  });
}

result<void> utime(borrowed_fd fd, utime_options opts) {
  struct ::timespec ts[2];
  const struct ::timespec* times = utime_times(opts, ts);
  if (opts.dir_fd.get() != AT_FDCWD)
    throw std::invalid_argument(
        "utime: can't specify dir_fd without matching path");
  if (!opts.follow_symlinks)
    throw std::invalid_argument(
        "utime: cannot use fd and follow_symlinks together");
  return detail::call_void([&] { return ::futimens(fd.get(), times); });
}

result<long> pathconf(const path_arg& path, std::string_view name) noexcept {
  auto n = detail::conf_number(pathconf_names, name);
  if (!n) return detail::fail(EINVAL);
  return nothrow::pathconf(path, *n);
}

result<long> pathconf(borrowed_fd fd, std::string_view name) noexcept {
  return nothrow::fpathconf(fd, name);
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
