// Files and Directories. Every os::<name> throws OSError as Python does;
// os::nothrow::<name> returns the error as a value instead. Where Python
// accepts a descriptor instead of a path, an overload takes borrowed_fd.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>  // ST_* flags of statvfs_result::f_flag
#include <sys/types.h>
#include <unistd.h>

#include "oscpp/platform.hpp"
#if OSCPP_HAVE_SYS_SYSMACROS_H
#include <sys/sysmacros.h>  // major, minor, makedev (elsewhere sys/types.h)
#endif

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
#include "oscpp/files_walk.hpp"   // scandir, DirEntry, walk, fwalk
#include "oscpp/files_xattr.hpp"  // getxattr, setxattr, listxattr, removexattr
#include "oscpp/path_arg.hpp"

namespace os {

// ---------------------------------------------------------------- options

// Keyword-only dir_fd=None, follow_symlinks=True.
struct at_options {
  borrowed_fd dir_fd = AT_FDCWD;
  bool follow_symlinks = true;
};

// access(path, mode, *, dir_fd=None, effective_ids=False,
// follow_symlinks=True)
struct access_options {
  borrowed_fd dir_fd = AT_FDCWD;
  bool effective_ids = false;
  bool follow_symlinks = true;
};

// rename / replace (src, dst, *, src_dir_fd=None, dst_dir_fd=None)
struct rename_options {
  borrowed_fd src_dir_fd = AT_FDCWD;
  borrowed_fd dst_dir_fd = AT_FDCWD;
};

// symlink(src, dst, target_is_directory=False, *, dir_fd=None)
struct symlink_options {
  bool target_is_directory = false;  // ignored on POSIX, as in Python
  borrowed_fd dir_fd = AT_FDCWD;
};

// utime(path, times=None, *, ns, dir_fd=None, follow_symlinks=True): at most
// one of times (seconds) and ns (nanoseconds); neither means "now".
struct utime_options {
  // Initialised so that designated initializers that omit them stay clean
  // under GCC's -Wmissing-field-initializers.
  std::optional<std::pair<double, double>> times = std::nullopt;
  std::optional<std::pair<std::int64_t, std::int64_t>> ns = std::nullopt;
  borrowed_fd dir_fd = AT_FDCWD;
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

// ------------------------------------------------- directories, links, nodes
// chdir, fchdir, getcwd(b), chown, lchown, chroot, link, mkfifo, mknod,
// pathconf, readlink, rmdir, replace, renames, removedirs, makedirs, statvfs,
// sync, truncate. major(dev), minor(dev) and makedev(ma, mi) are the C
// macros of <sys/sysmacros.h>.

// link(src, dst, *, src_dir_fd=None, dst_dir_fd=None, follow_symlinks=True)
struct link_options {
  borrowed_fd src_dir_fd = AT_FDCWD;
  borrowed_fd dst_dir_fd = AT_FDCWD;
  bool follow_symlinks = true;
};

// makedirs(name, mode=0o777, exist_ok=False)
struct makedirs_options {
  mode_t mode = 0777;
  bool exist_ok = false;
};

namespace nothrow {

result<void> chdir(const path_arg& path) noexcept;
result<void> chdir(borrowed_fd fd) noexcept;
result<void> fchdir(borrowed_fd fd) noexcept;
result<std::string> getcwd() noexcept;
result<std::string> getcwdb() noexcept;
result<void> chown(const path_arg& path, uid_t uid, gid_t gid,
                   at_options opts = {}) noexcept;
result<void> chown(borrowed_fd fd, uid_t uid, gid_t gid) noexcept;
result<void> lchown(const path_arg& path, uid_t uid, gid_t gid) noexcept;
result<void> chroot(const path_arg& path) noexcept;
result<void> link(const path_arg& src, const path_arg& dst,
                  link_options opts = {}) noexcept;
result<void> mkfifo(const path_arg& path, mode_t mode = 0666,
                    dir_fd_options opts = {}) noexcept;
result<void> mknod(const path_arg& path, mode_t mode = 0600, dev_t device = 0,
                   dir_fd_options opts = {}) noexcept;
result<long> pathconf(const path_arg& path, int name) noexcept;
result<long> pathconf(borrowed_fd fd, int name) noexcept;
// By name (a key of pathconf_names); one this system lacks is EINVAL here
// (std::invalid_argument from the throwing form, as Python's ValueError).
result<long> pathconf(const path_arg& path, std::string_view name) noexcept;
result<long> pathconf(borrowed_fd fd, std::string_view name) noexcept;
result<std::string> readlink(const path_arg& path,
                             dir_fd_options opts = {}) noexcept;
result<void> rmdir(const path_arg& path, dir_fd_options opts = {}) noexcept;
result<void> replace(const path_arg& src, const path_arg& dst,
                     rename_options opts = {}) noexcept;
result<void> renames(const path_arg& old, const path_arg& new_) noexcept;
result<void> removedirs(const path_arg& name) noexcept;
result<void> makedirs(const path_arg& name,
                      makedirs_options opts = {}) noexcept;
result<statvfs_result> statvfs(const path_arg& path) noexcept;
result<statvfs_result> statvfs(borrowed_fd fd) noexcept;
result<void> truncate(const path_arg& path, off_t length) noexcept;
result<void> truncate(borrowed_fd fd, off_t length) noexcept;

}  // namespace nothrow

// chdir(fd) is fchdir(fd), but its errors name the fd (as Python's do);
// fchdir's carry no filename.
inline void chdir(const path_arg& path) { nothrow::chdir(path).value(); }
inline void chdir(borrowed_fd fd) { nothrow::chdir(fd).value(); }
inline void fchdir(borrowed_fd fd) { nothrow::fchdir(fd).value(); }
// Any length: the buffer grows past PATH_MAX as needed. getcwdb is the same
// (C++ paths are bytes).
inline std::string getcwd() { return nothrow::getcwd().value(); }
inline std::string getcwdb() { return nothrow::getcwdb().value(); }
// uid or gid static_cast<uid_t>(-1) / static_cast<gid_t>(-1) leaves it
// unchanged. follow_symlinks=false changes a symlink itself.
inline void chown(const path_arg& path, uid_t uid, gid_t gid,
                  at_options opts = {}) {
  nothrow::chown(path, uid, gid, opts).value();
}
inline void chown(borrowed_fd fd, uid_t uid, gid_t gid) {
  nothrow::chown(fd, uid, gid).value();
}
inline void lchown(const path_arg& path, uid_t uid, gid_t gid) {
  nothrow::lchown(path, uid, gid).value();
}
inline void chroot(const path_arg& path) { nothrow::chroot(path).value(); }
// As Python on Linux: follow_symlinks=true follows a symlink src only when a
// dir_fd is given (linkat with AT_SYMLINK_FOLLOW); the plain form is link(2),
// which links the symlink itself.
inline void link(const path_arg& src, const path_arg& dst,
                 link_options opts = {}) {
  nothrow::link(src, dst, opts).value();
}
// mkfifo and mknod errors carry no filename, as Python's.
inline void mkfifo(const path_arg& path, mode_t mode = 0666,
                   dir_fd_options opts = {}) {
  nothrow::mkfifo(path, mode, opts).value();
}
inline void mknod(const path_arg& path, mode_t mode = 0600, dev_t device = 0,
                  dir_fd_options opts = {}) {
  nothrow::mknod(path, mode, device, opts).value();
}
// -1 where the system has no limit. The name is a key of pathconf_names
// (unknown: std::invalid_argument) or a number. EINVAL carries no filename
// (a bad name or a bad path: Python cannot tell), other errors the path, or
// the fd in decimal.
inline long pathconf(const path_arg& path, int name) {
  return nothrow::pathconf(path, name).value();
}
inline long pathconf(borrowed_fd fd, int name) {
  return nothrow::pathconf(fd, name).value();
}
long pathconf(const path_arg& path, std::string_view name);
long pathconf(borrowed_fd fd, std::string_view name);
// The link's target, of any length.
inline std::string readlink(const path_arg& path, dir_fd_options opts = {}) {
  return nothrow::readlink(path, opts).value();
}
inline void rmdir(const path_arg& path, dir_fd_options opts = {}) {
  nothrow::rmdir(path, opts).value();
}
inline void replace(const path_arg& src, const path_arg& dst,
                    rename_options opts = {}) {
  nothrow::replace(src, dst, opts).value();
}
// Python's os.renames: makes new's missing parents, renames, then prunes
// old's now empty parents (errors there are ignored). A failed makedirs
// reports the parent it could not create, a failed rename both names.
inline void renames(const path_arg& old, const path_arg& new_) {
  nothrow::renames(old, new_).value();
}
// Python's os.removedirs: rmdir(name), then each parent until one fails.
// Only the first rmdir's error is reported.
inline void removedirs(const path_arg& name) {
  nothrow::removedirs(name).value();
}
// Python's os.makedirs: missing parents are made with mode 0777 (the mode
// applies to the leaf only); a parent another thread creates meanwhile is no
// error. exist_ok=true still fails with FileExistsError if name exists and
// is not a directory. Errors name the component that could not be made.
inline void makedirs(const path_arg& name, makedirs_options opts = {}) {
  nothrow::makedirs(name, opts).value();
}
inline statvfs_result statvfs(const path_arg& path) {
  return nothrow::statvfs(path).value();
}
inline statvfs_result statvfs(borrowed_fd fd) {
  return nothrow::statvfs(fd).value();
}
// The fd form is ftruncate; its errors carry no filename, as Python's.
inline void truncate(const path_arg& path, off_t length) {
  nothrow::truncate(path, length).value();
}
inline void truncate(borrowed_fd fd, off_t length) {
  nothrow::truncate(fd, length).value();
}
// Never fails.
void sync() noexcept;

}  // namespace os
