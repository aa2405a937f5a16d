// Files and Directories. Every os::<name> throws OSError as Python does;
// os::nothrow::<name> returns the error as a value instead. Where Python
// accepts a descriptor instead of a path, an overload takes borrowed_fd.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/files_walk.hpp"  // scandir, DirEntry, walk, fwalk
#include "oscpp/path_arg.hpp"

namespace os {

// ---------------------------------------------------------------- options

// Keyword-only dir_fd=None, follow_symlinks=True.
struct at_options {
  int dir_fd = AT_FDCWD;
  bool follow_symlinks = true;
};

// access(path, mode, *, dir_fd=None, effective_ids=False,
// follow_symlinks=True)
struct access_options {
  int dir_fd = AT_FDCWD;
  bool effective_ids = false;
  bool follow_symlinks = true;
};

// rename / replace (src, dst, *, src_dir_fd=None, dst_dir_fd=None)
struct rename_options {
  int src_dir_fd = AT_FDCWD;
  int dst_dir_fd = AT_FDCWD;
};

// symlink(src, dst, target_is_directory=False, *, dir_fd=None)
struct symlink_options {
  bool target_is_directory = false;  // ignored on POSIX, as in Python
  int dir_fd = AT_FDCWD;
};

// utime(path, times=None, *, ns, dir_fd=None, follow_symlinks=True): at most
// one of times (seconds) and ns (nanoseconds); neither means "now".
struct utime_options {
  // Initialised so that designated initializers that omit them stay clean
  // under GCC's -Wmissing-field-initializers.
  std::optional<std::pair<double, double>> times = std::nullopt;
  std::optional<std::pair<std::int64_t, std::int64_t>> ns = std::nullopt;
  int dir_fd = AT_FDCWD;
  bool follow_symlinks = true;
};

// Python's supports_dir_fd, supports_fd, supports_follow_symlinks and
// supports_effective_ids: the names of the functions that accept each.
extern const std::set<std::string, std::less<>> supports_dir_fd;
extern const std::set<std::string, std::less<>> supports_fd;
extern const std::set<std::string, std::less<>> supports_follow_symlinks;
extern const std::set<std::string, std::less<>> supports_effective_ids;

// ---------------------------------------------------------------- nothrow
namespace nothrow {

result<void> chmod(const path_arg& path, mode_t mode,
                   at_options opts = {}) noexcept;
result<void> chmod(borrowed_fd fd, mode_t mode) noexcept;
result<std::vector<std::string>> listdir(const path_arg& path = ".") noexcept;
result<std::vector<std::string>> listdir(borrowed_fd fd) noexcept;
result<void> mkdir(const path_arg& path, mode_t mode = 0777,
                   dir_fd_options opts = {}) noexcept;
result<void> rename(const path_arg& src, const path_arg& dst,
                    rename_options opts = {}) noexcept;
result<stat_result> stat(const path_arg& path, at_options opts = {}) noexcept;
result<stat_result> stat(borrowed_fd fd) noexcept;
result<stat_result> lstat(const path_arg& path,
                          dir_fd_options opts = {}) noexcept;
result<void> symlink(const path_arg& src, const path_arg& dst,
                     symlink_options opts = {}) noexcept;
result<void> unlink(const path_arg& path, dir_fd_options opts = {}) noexcept;
result<void> remove(const path_arg& path, dir_fd_options opts = {}) noexcept;
// Not noexcept: giving both times and ns, a NaN time, or dir_fd or
// follow_symlinks=false with an fd throws std::invalid_argument; a time
// beyond time_t std::overflow_error. Errors carry no filename, as Python's.
result<void> utime(const path_arg& path, utime_options opts = {});
result<void> utime(borrowed_fd fd, utime_options opts = {});

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

// True if the access is allowed. Never throws for a failed check (Python
// returns False); on Linux every option combination is supported.
bool access(const path_arg& path, int mode, access_options opts = {});
// follow_symlinks=false works on anything but a symlink, whose mode Linux
// cannot change: then, as Python, std::logic_error (Python's
// NotImplementedError), or std::invalid_argument if dir_fd was given too;
// nothrow::chmod reports EOPNOTSUPP.
void chmod(const path_arg& path, mode_t mode, at_options opts = {});
inline void chmod(borrowed_fd fd, mode_t mode) {
  nothrow::chmod(fd, mode).value();
}
// Names in arbitrary order, without "." and "..". The fd form reads from
// the descriptor's current offset and rewinds it afterwards, as Python.
// Errors on a descriptor (here and in stat, chmod) carry the fd in decimal
// as filename, where Python's carries the int.
inline std::vector<std::string> listdir(const path_arg& path = ".") {
  return nothrow::listdir(path).value();
}
inline std::vector<std::string> listdir(borrowed_fd fd) {
  return nothrow::listdir(fd).value();
}
inline void mkdir(const path_arg& path, mode_t mode = 0777,
                  dir_fd_options opts = {}) {
  nothrow::mkdir(path, mode, opts).value();
}
inline void rename(const path_arg& src, const path_arg& dst,
                   rename_options opts = {}) {
  nothrow::rename(src, dst, opts).value();
}
inline stat_result stat(const path_arg& path, at_options opts = {}) {
  return nothrow::stat(path, opts).value();
}
inline stat_result stat(borrowed_fd fd) { return nothrow::stat(fd).value(); }
inline stat_result lstat(const path_arg& path, dir_fd_options opts = {}) {
  return nothrow::lstat(path, opts).value();
}
inline void symlink(const path_arg& src, const path_arg& dst,
                    symlink_options opts = {}) {
  nothrow::symlink(src, dst, opts).value();
}
inline void unlink(const path_arg& path, dir_fd_options opts = {}) {
  nothrow::unlink(path, opts).value();
}
inline void remove(const path_arg& path, dir_fd_options opts = {}) {
  nothrow::remove(path, opts).value();
}
inline void utime(const path_arg& path, utime_options opts = {}) {
  nothrow::utime(path, opts).value();
}
inline void utime(borrowed_fd fd, utime_options opts = {}) {
  nothrow::utime(fd, opts).value();
}

}  // namespace os
