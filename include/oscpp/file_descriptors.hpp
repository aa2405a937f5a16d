// File Descriptor Operations (with Querying the size of a terminal and
// Inheritance of File Descriptors). Every os::<name> throws OSError as Python
// does; os::nothrow::<name> returns the error as a value instead.
//
// Descriptors created here are close-on-exec (non-inheritable) atomically,
// as in Python (PEP 446), except where the caller's flags say otherwise
// (pipe2, memfd_create, eventfd take flags verbatim as in Python;
// timerfd_create always adds TFD_CLOEXEC, as Python 3.13 does).
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/uio.h>  // RWF_* flags of preadv/pwritev
#include <unistd.h>
#if __has_include(<linux/memfd.h>)
#include <linux/memfd.h>  // MFD_HUGE_* (glibc's <sys/mman.h> lacks them)
#endif

#include "oscpp/platform.hpp"
#if OSCPP_HAVE_EVENTFD
#include <sys/eventfd.h>
#endif
#if OSCPP_HAVE_TIMERFD
#include <sys/timerfd.h>  // TFD_* of timerfd_create/settime
#endif

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "oscpp/bytes_view.hpp"
#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/path_arg.hpp"
#include "oscpp/size_arg.hpp"

namespace os {

// ---------------------------------------------------------------- results

// Python's os.stat_result. The float times are methods because st_atime,
// st_mtime and st_ctime are macros in <sys/stat.h>.
struct stat_result {
  mode_t st_mode = 0;
  ino_t st_ino = 0;
  dev_t st_dev = 0;
  nlink_t st_nlink = 0;
  uid_t st_uid = 0;
  gid_t st_gid = 0;
  off_t st_size = 0;
  std::int64_t st_atime_ns = 0;
  std::int64_t st_mtime_ns = 0;
  std::int64_t st_ctime_ns = 0;
  blksize_t st_blksize = 0;
  blkcnt_t st_blocks = 0;
  dev_t st_rdev = 0;

  // Python's st_atime / st_mtime / st_ctime: seconds as a double, computed
  // as Python does (sec + nsec * 1e-9).
  double atime() const noexcept;
  double mtime() const noexcept;
  double ctime() const noexcept;

  // The result of a struct stat, as Python builds it.
  static stat_result from(const struct ::stat& st) noexcept;
};

// Python's os.statvfs_result.
struct statvfs_result {
  unsigned long f_bsize = 0;
  unsigned long f_frsize = 0;
  std::uint64_t f_blocks = 0;
  std::uint64_t f_bfree = 0;
  std::uint64_t f_bavail = 0;
  std::uint64_t f_files = 0;
  std::uint64_t f_ffree = 0;
  std::uint64_t f_favail = 0;
  unsigned long f_flag = 0;
  unsigned long f_namemax = 0;
  unsigned long f_fsid = 0;

  // The result of a struct statvfs, as Python builds it.
  static statvfs_result from(const struct ::statvfs& st) noexcept;
};

// Python's os.terminal_size: unpacks as auto [columns, lines].
struct terminal_size {
  int columns = 0;
  int lines = 0;
};

// What pipe() and pipe2() return: auto [r, w] = os::pipe();
struct pipe_fds {
  unique_fd r;
  unique_fd w;
};

// What openpty() returns: auto [master, slave] = os::openpty();
struct pty_fds {
  unique_fd master_fd;
  unique_fd slave_fd;
};

#if OSCPP_HAVE_TIMERFD
// timerfd_gettime / timerfd_settime: (next expiration, interval).
struct timerfd_times {
  double initial = 0.0;
  double interval = 0.0;
};
struct timerfd_times_ns {
  std::int64_t initial = 0;
  std::int64_t interval = 0;
};
#endif

// ---------------------------------------------------------------- options

// Keyword-only dir_fd=None; AT_FDCWD is None.
struct dir_fd_options {
  borrowed_fd dir_fd = AT_FDCWD;
};

#if OSCPP_HAVE_TIMERFD
// timerfd_settime(fd, *, flags=0, initial=0.0, interval=0.0)
struct timerfd_settime_options {
  int flags = 0;
  double initial = 0.0;
  double interval = 0.0;
};
struct timerfd_settime_ns_options {
  int flags = 0;
  std::int64_t initial = 0;
  std::int64_t interval = 0;
};
#endif

// Python's os.pathconf_names: configuration name -> value for fpathconf.
extern const std::map<std::string, int, std::less<>> pathconf_names;

// ---------------------------------------------------------------- nothrow
namespace nothrow {

result<void> close(int fd) noexcept;
// A unique_fd, lvalue or rvalue, is released: empty afterwards even when
// close fails (the descriptor is gone on Linux either way).
result<void> close(unique_fd& fd) noexcept;
result<void> close(unique_fd&& fd) noexcept;
result<void> closerange(int fd_low, int fd_high) noexcept;
result<unique_fd> dup(borrowed_fd fd) noexcept;
result<int> dup2(borrowed_fd fd, int fd2, bool inheritable = true) noexcept;
result<void> fchmod(borrowed_fd fd, mode_t mode) noexcept;
result<void> fchown(borrowed_fd fd, uid_t uid, gid_t gid) noexcept;
#if OSCPP_HAVE_FDATASYNC
result<void> fdatasync(borrowed_fd fd) noexcept;
#endif
result<void> fsync(borrowed_fd fd) noexcept;
result<long> fpathconf(borrowed_fd fd, int name) noexcept;
// By name: a name this system lacks is EINVAL (not std::invalid_argument).
result<long> fpathconf(borrowed_fd fd, std::string_view name) noexcept;
result<stat_result> fstat(borrowed_fd fd) noexcept;
result<statvfs_result> fstatvfs(borrowed_fd fd) noexcept;
result<void> ftruncate(borrowed_fd fd, off_t length) noexcept;
result<bool> get_blocking(borrowed_fd fd) noexcept;
result<void> set_blocking(borrowed_fd fd, bool blocking) noexcept;
result<bool> get_inheritable(borrowed_fd fd) noexcept;
result<void> set_inheritable(borrowed_fd fd, bool inheritable) noexcept;
result<void> lockf(borrowed_fd fd, int cmd, off_t len) noexcept;
result<off_t> lseek(borrowed_fd fd, off_t pos, int how) noexcept;
result<unique_fd> open(const path_arg& path, int flags, mode_t mode = 0777,
                       dir_fd_options opts = {}) noexcept;
result<pty_fds> openpty() noexcept;
result<pipe_fds> pipe() noexcept;
#if OSCPP_HAVE_PIPE2
result<pipe_fds> pipe2(int flags) noexcept;
#endif
#if OSCPP_HAVE_POSIX_FALLOCATE
result<void> posix_fallocate(borrowed_fd fd, off_t offset, off_t len) noexcept;
#endif
#if OSCPP_HAVE_POSIX_FADVISE
result<void> posix_fadvise(borrowed_fd fd, off_t offset, off_t len,
                           int advice) noexcept;
#endif
result<std::string> read(borrowed_fd fd, size_arg n) noexcept;
result<std::string> pread(borrowed_fd fd, size_arg n, off_t offset) noexcept;
result<std::size_t> readv(borrowed_fd fd,
                          std::span<const std::span<char>> buffers) noexcept;
result<std::size_t> preadv(borrowed_fd fd,
                           std::span<const std::span<char>> buffers,
                           off_t offset, int flags = 0) noexcept;
result<std::size_t> write(borrowed_fd fd, bytes_view data) noexcept;
result<std::size_t> pwrite(borrowed_fd fd, bytes_view data,
                           off_t offset) noexcept;
result<std::size_t> writev(borrowed_fd fd,
                           std::span<const std::string_view> buffers) noexcept;
result<std::size_t> pwritev(borrowed_fd fd,
                            std::span<const std::string_view> buffers,
                            off_t offset, int flags = 0) noexcept;
#if OSCPP_HAVE_LINUX_SENDFILE
result<std::size_t> sendfile(borrowed_fd out_fd, borrowed_fd in_fd,
                             std::optional<off_t> offset,
                             size_arg count) noexcept;
#endif
#if OSCPP_HAVE_COPY_FILE_RANGE
result<std::size_t> copy_file_range(
    borrowed_fd src, borrowed_fd dst, size_arg count,
    std::optional<off_t> offset_src = std::nullopt,
    std::optional<off_t> offset_dst = std::nullopt) noexcept;
#endif
#if OSCPP_HAVE_SPLICE
result<std::size_t> splice(borrowed_fd src, borrowed_fd dst, size_arg count,
                           std::optional<off_t> offset_src = std::nullopt,
                           std::optional<off_t> offset_dst = std::nullopt,
                           unsigned int flags = 0) noexcept;
#endif
result<pid_t> tcgetpgrp(borrowed_fd fd) noexcept;
result<void> tcsetpgrp(borrowed_fd fd, pid_t pgid) noexcept;
result<std::string> ttyname(borrowed_fd fd) noexcept;
result<terminal_size> get_terminal_size(
    borrowed_fd fd = STDOUT_FILENO) noexcept;
#if OSCPP_HAVE_MEMFD_CREATE
result<unique_fd> memfd_create(const path_arg& name,
                               unsigned int flags = MFD_CLOEXEC) noexcept;
#endif
#if OSCPP_HAVE_EVENTFD
result<unique_fd> eventfd(unsigned int initval,
                          int flags = EFD_CLOEXEC) noexcept;
result<std::uint64_t> eventfd_read(borrowed_fd fd) noexcept;
result<void> eventfd_write(borrowed_fd fd, std::uint64_t value) noexcept;
#endif
#if OSCPP_HAVE_TIMERFD
result<unique_fd> timerfd_create(int clockid, int flags = 0) noexcept;
// Not noexcept: a NaN, infinite or out-of-range time throws
// std::overflow_error (Python's OverflowError) before the syscall.
result<timerfd_times> timerfd_settime(borrowed_fd fd,
                                      timerfd_settime_options opts = {});
result<timerfd_times_ns> timerfd_settime_ns(
    borrowed_fd fd, timerfd_settime_ns_options opts = {}) noexcept;
result<timerfd_times> timerfd_gettime(borrowed_fd fd) noexcept;
result<timerfd_times_ns> timerfd_gettime_ns(borrowed_fd fd) noexcept;
#endif
result<unique_fd> posix_openpt(int oflag) noexcept;
result<void> grantpt(borrowed_fd fd) noexcept;
result<void> unlockpt(borrowed_fd fd) noexcept;
result<std::string> ptsname(borrowed_fd fd) noexcept;
#if OSCPP_HAVE_LOGIN_TTY
// login_tty consumes fd (closes it, unless it is 0, 1 or 2). The unique_fd
// overload releases it only on success.
result<void> login_tty(int fd) noexcept;
result<void> login_tty(unique_fd&& fd) noexcept;
#endif

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

// Closes fd. Never retried on EINTR (the descriptor is gone on Linux).
inline void close(int fd) { nothrow::close(fd).value(); }
// os::close(fd) on a unique_fd closes it and leaves it empty, as Python's
// os.close(fd) leaves fd unusable.
inline void close(unique_fd& fd) { nothrow::close(fd).value(); }
inline void close(unique_fd&& fd) { nothrow::close(fd).value(); }
// Closes every descriptor in [fd_low, fd_high), ignoring errors, as Python.
inline void closerange(int fd_low, int fd_high) {
  nothrow::closerange(fd_low, fd_high).value();
}
// The encoding of the current LC_CTYPE locale (nl_langinfo(CODESET), "UTF-8"
// after setlocale(LC_ALL, "") in a UTF-8 environment; Python sets LC_CTYPE
// so at startup) if fd is a terminal, else nullopt (None). Never throws for
// a bad fd, as Python.
std::optional<std::string> device_encoding(borrowed_fd fd);
// A non-inheritable duplicate.
inline unique_fd dup(borrowed_fd fd) { return nothrow::dup(fd).value(); }
// Makes fd2 a copy of fd and returns fd2 (as an int: the caller already
// owns fd2). Inheritable unless inheritable=false. Never retried on EINTR.
inline int dup2(borrowed_fd fd, int fd2, bool inheritable = true) {
  return nothrow::dup2(fd, fd2, inheritable).value();
}
inline void fchmod(borrowed_fd fd, mode_t mode) {
  nothrow::fchmod(fd, mode).value();
}
// uid or gid -1 leaves that id unchanged.
inline void fchown(borrowed_fd fd, uid_t uid, gid_t gid) {
  nothrow::fchown(fd, uid, gid).value();
}
#if OSCPP_HAVE_FDATASYNC
inline void fdatasync(borrowed_fd fd) { nothrow::fdatasync(fd).value(); }
#endif
inline void fsync(borrowed_fd fd) { nothrow::fsync(fd).value(); }
// -1 where the system has no limit. The name may be a key of
// pathconf_names (unknown: std::invalid_argument) or a number.
inline long fpathconf(borrowed_fd fd, int name) {
  return nothrow::fpathconf(fd, name).value();
}
long fpathconf(borrowed_fd fd, std::string_view name);
inline stat_result fstat(borrowed_fd fd) { return nothrow::fstat(fd).value(); }
inline statvfs_result fstatvfs(borrowed_fd fd) {
  return nothrow::fstatvfs(fd).value();
}
inline void ftruncate(borrowed_fd fd, off_t length) {
  nothrow::ftruncate(fd, length).value();
}
inline bool get_blocking(borrowed_fd fd) {
  return nothrow::get_blocking(fd).value();
}
inline void set_blocking(borrowed_fd fd, bool blocking) {
  nothrow::set_blocking(fd, blocking).value();
}
inline bool get_inheritable(borrowed_fd fd) {
  return nothrow::get_inheritable(fd).value();
}
inline void set_inheritable(borrowed_fd fd, bool inheritable) {
  nothrow::set_inheritable(fd, inheritable).value();
}
// True if fd is a terminal; false for anything else, bad descriptors too.
bool isatty(borrowed_fd fd) noexcept;
inline void lockf(borrowed_fd fd, int cmd, off_t len) {
  nothrow::lockf(fd, cmd, len).value();
}
inline off_t lseek(borrowed_fd fd, off_t pos, int how) {
  return nothrow::lseek(fd, pos, how).value();
}
// Python's os.open: always adds O_CLOEXEC.
inline unique_fd open(const path_arg& path, int flags, mode_t mode = 0777,
                      dir_fd_options opts = {}) {
  return nothrow::open(path, flags, mode, opts).value();
}
// Both ends are opened close-on-exec atomically (posix_openpt with
// O_CLOEXEC, then TIOCGPTPEER or the slave's name with O_CLOEXEC), where
// openpty(3) would leave a window in which an exec inherits them.
inline pty_fds openpty() { return nothrow::openpty().value(); }
inline pipe_fds pipe() { return nothrow::pipe().value(); }
#if OSCPP_HAVE_PIPE2
inline pipe_fds pipe2(int flags) { return nothrow::pipe2(flags).value(); }
#endif
#if OSCPP_HAVE_POSIX_FALLOCATE
inline void posix_fallocate(borrowed_fd fd, off_t offset, off_t len) {
  nothrow::posix_fallocate(fd, offset, len).value();
}
#endif
#if OSCPP_HAVE_POSIX_FADVISE
inline void posix_fadvise(borrowed_fd fd, off_t offset, off_t len, int advice) {
  nothrow::posix_fadvise(fd, offset, len, advice).value();
}
#endif
// At most n bytes; "" at end of file. One read(2) of n bytes, as Python's,
// but a huge n does not allocate n bytes up front (Python's would raise
// MemoryError): a regular file gets a buffer of what is left in it, anything
// else reads into address space that is only committed as the kernel fills
// it. Out of memory is ENOMEM. A negative n is std::invalid_argument
// (size_arg).
inline std::string read(borrowed_fd fd, size_arg n) {
  return nothrow::read(fd, n).value();
}
inline std::string pread(borrowed_fd fd, size_arg n, off_t offset) {
  return nothrow::pread(fd, n, offset).value();
}
// Fills the buffers in turn; returns the total read. More than IOV_MAX
// buffers is EINVAL (after the kernel's EBADF check, as in Python).
inline std::size_t readv(borrowed_fd fd,
                         std::span<const std::span<char>> buffers) {
  return nothrow::readv(fd, buffers).value();
}
// preadv2, as Python on Linux: flags are RWF_* (<sys/uio.h>), and offset
// -1 reads at (and moves) the current position. pwritev likewise. Without
// preadv2 (musl, macOS) it is preadv, as Python there: flags other than 0 are
// std::logic_error (NotImplementedError; nothrow: ENOTSUP), -1 is EINVAL.
inline std::size_t preadv(borrowed_fd fd,
                          std::span<const std::span<char>> buffers,
                          off_t offset, int flags = 0) {
#if !OSCPP_HAVE_PREADV2
  if (flags != 0)
    throw std::logic_error("preadv2: flags unavailable on this platform");
#endif
  return nothrow::preadv(fd, buffers, offset, flags).value();
}
// One write: may write less than data (the count says), as Python's. data
// is any bytes (bytes_view: std::string, std::vector<char>, a span of
// std::byte ...). A write to a pipe with no reader raises BrokenPipeError
// only if SIGPIPE is ignored, as Python ignores it at startup; otherwise
// the signal ends the process, as in C (see os::ignore_sigpipe).
inline std::size_t write(borrowed_fd fd, bytes_view data) {
  return nothrow::write(fd, data).value();
}
inline std::size_t pwrite(borrowed_fd fd, bytes_view data, off_t offset) {
  return nothrow::pwrite(fd, data, offset).value();
}
inline std::size_t writev(borrowed_fd fd,
                          std::span<const std::string_view> buffers) {
  return nothrow::writev(fd, buffers).value();
}
inline std::size_t pwritev(borrowed_fd fd,
                           std::span<const std::string_view> buffers,
                           off_t offset, int flags = 0) {
#if !OSCPP_HAVE_PREADV2
  if (flags != 0)
    throw std::logic_error("pwritev2: flags unavailable on this platform");
#endif
  return nothrow::pwritev(fd, buffers, offset, flags).value();
}
#if OSCPP_HAVE_LINUX_SENDFILE
// offset nullopt (None) reads from in_fd's current position.
inline std::size_t sendfile(borrowed_fd out_fd, borrowed_fd in_fd,
                            std::optional<off_t> offset, size_arg count) {
  return nothrow::sendfile(out_fd, in_fd, offset, count).value();
}
#endif
#if OSCPP_HAVE_COPY_FILE_RANGE
inline std::size_t copy_file_range(
    borrowed_fd src, borrowed_fd dst, size_arg count,
    std::optional<off_t> offset_src = std::nullopt,
    std::optional<off_t> offset_dst = std::nullopt) {
  return nothrow::copy_file_range(src, dst, count, offset_src, offset_dst)
      .value();
}
#endif
#if OSCPP_HAVE_SPLICE
inline std::size_t splice(borrowed_fd src, borrowed_fd dst, size_arg count,
                          std::optional<off_t> offset_src = std::nullopt,
                          std::optional<off_t> offset_dst = std::nullopt,
                          unsigned int flags = 0) {
  return nothrow::splice(src, dst, count, offset_src, offset_dst, flags)
      .value();
}
#endif
inline pid_t tcgetpgrp(borrowed_fd fd) {
  return nothrow::tcgetpgrp(fd).value();
}
inline void tcsetpgrp(borrowed_fd fd, pid_t pgid) {
  nothrow::tcsetpgrp(fd, pgid).value();
}
inline std::string ttyname(borrowed_fd fd) {
  return nothrow::ttyname(fd).value();
}
inline terminal_size get_terminal_size(borrowed_fd fd = STDOUT_FILENO) {
  return nothrow::get_terminal_size(fd).value();
}
#if OSCPP_HAVE_MEMFD_CREATE
inline unique_fd memfd_create(const path_arg& name,
                              unsigned int flags = MFD_CLOEXEC) {
  return nothrow::memfd_create(name, flags).value();
}
#endif
#if OSCPP_HAVE_EVENTFD
inline unique_fd eventfd(unsigned int initval, int flags = EFD_CLOEXEC) {
  return nothrow::eventfd(initval, flags).value();
}
inline std::uint64_t eventfd_read(borrowed_fd fd) {
  return nothrow::eventfd_read(fd).value();
}
inline void eventfd_write(borrowed_fd fd, std::uint64_t value) {
  nothrow::eventfd_write(fd, value).value();
}
#endif
#if OSCPP_HAVE_TIMERFD
inline unique_fd timerfd_create(int clockid, int flags = 0) {
  return nothrow::timerfd_create(clockid, flags).value();
}
inline timerfd_times timerfd_settime(borrowed_fd fd,
                                     timerfd_settime_options opts = {}) {
  return nothrow::timerfd_settime(fd, opts).value();
}
inline timerfd_times_ns timerfd_settime_ns(
    borrowed_fd fd, timerfd_settime_ns_options opts = {}) {
  return nothrow::timerfd_settime_ns(fd, opts).value();
}
inline timerfd_times timerfd_gettime(borrowed_fd fd) {
  return nothrow::timerfd_gettime(fd).value();
}
inline timerfd_times_ns timerfd_gettime_ns(borrowed_fd fd) {
  return nothrow::timerfd_gettime_ns(fd).value();
}
#endif
// Python's os.posix_openpt: always adds O_CLOEXEC.
inline unique_fd posix_openpt(int oflag) {
  return nothrow::posix_openpt(oflag).value();
}
inline void grantpt(borrowed_fd fd) { nothrow::grantpt(fd).value(); }
inline void unlockpt(borrowed_fd fd) { nothrow::unlockpt(fd).value(); }
inline std::string ptsname(borrowed_fd fd) {
  return nothrow::ptsname(fd).value();
}
#if OSCPP_HAVE_LOGIN_TTY
// Makes fd the controlling terminal of a new session and the process's
// stdin/stdout/stderr (inheritable, as Python's), then closes fd.
inline void login_tty(int fd) { nothrow::login_tty(fd).value(); }
inline void login_tty(unique_fd&& fd) {
  nothrow::login_tty(std::move(fd)).value();
}
#endif
}  // namespace os
