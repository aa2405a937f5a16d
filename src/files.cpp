// Files and Directories: access, chmod, listdir, mkdir, rename, stat, lstat,
// symlink, unlink, remove, utime, and the supports_* sets.
#include "oscpp/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

#include "detail/dir_reader.hpp"
#include "detail/syscall.hpp"

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

namespace {

// Python reports a failed call on a descriptor with the descriptor itself as
// filename; here it is its decimal form, which the binding turns back into
// the caller's int.
std::string fd_name(int fd) { return std::to_string(fd); }

int at_flags(bool follow_symlinks) noexcept {
  return follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW;
}

// Appends the names in the directory open as fd, from its current offset,
// to names. Returns 0 or the errno of the failed read.
int read_names(int fd, std::vector<std::string>& names) noexcept {
  detail::dir_reader reader;
  detail::raw_dirent entry;
  int r;
  while ((r = reader.next(fd, entry)) == 1) names.emplace_back(entry.name);
  return r == 0 ? 0 : errno;
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

result<std::vector<std::string>> listdir(const path_arg& path) noexcept {
  auto fd = detail::call(
      [&] { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); },
      path);
  if (!fd) return std::move(fd).error();
  unique_fd dir(*fd);
  std::vector<std::string> names;
  if (int e = read_names(dir.get(), names)) return detail::fail(e, path.view());
  return names;
}

result<std::vector<std::string>> listdir(borrowed_fd fd) noexcept {
  // A duplicate so that the caller's descriptor stays open; it shares the
  // offset, so reading starts where the caller's offset is, as in Python.
  auto dup =
      detail::call([&] { return ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0); });
  if (!dup) return std::move(dup).error();
  unique_fd dir(*dup);
  std::vector<std::string> names;
  int e = read_names(dir.get(), names);
  // Rewound afterwards (Python's rewinddir), so a second listdir sees every
  // name; not for a non-directory, whose offset Python leaves alone.
  if (e != ENOTDIR) (void)::lseek(dir.get(), 0, SEEK_SET);
  if (e != 0) return detail::fail(e, fd_name(fd.get()));
  return names;
}

result<void> mkdir(const path_arg& path, mode_t mode,
                   dir_fd_options opts) noexcept {
  return detail::call_void(
      [&] { return ::mkdirat(opts.dir_fd.get(), path.c_str(), mode); }, path);
}

result<void> rename(const path_arg& src, const path_arg& dst,
                    rename_options opts) noexcept {
  return detail::call_void(
      [&] {
        return ::renameat(opts.src_dir_fd.get(), src.c_str(),
                          opts.dst_dir_fd.get(), dst.c_str());
      },
      src, dst);
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

result<void> symlink(const path_arg& src, const path_arg& dst,
                     symlink_options opts) noexcept {
  return detail::call_void(
      [&] { return ::symlinkat(src.c_str(), opts.dir_fd.get(), dst.c_str()); },
      src, dst);
}

result<void> unlink(const path_arg& path, dir_fd_options opts) noexcept {
  return detail::call_void(
      [&] { return ::unlinkat(opts.dir_fd.get(), path.c_str(), 0); }, path);
}

result<void> remove(const path_arg& path, dir_fd_options opts) noexcept {
  return nothrow::unlink(path, opts);
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

}  // namespace nothrow
}  // namespace os
