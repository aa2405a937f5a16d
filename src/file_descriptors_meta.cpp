// File Descriptor Operations, the meta topic: the file behind a
// descriptor: fstat and stat_result, fstatvfs, fpathconf, fchmod, fchown,
// fsync, fdatasync, ftruncate, posix_fallocate, posix_fadvise.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <string_view>

#include "detail/conf_names.hpp"
#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"

namespace os {

namespace {

constexpr std::int64_t kBillion = 1'000'000'000;

std::int64_t to_ns(const struct ::timespec& ts) noexcept {
  // Python's integer has no bound; int64 nanoseconds end in 2262, so times
  // beyond saturate instead of overflowing.
  std::int64_t ns;
  if (__builtin_mul_overflow(static_cast<std::int64_t>(ts.tv_sec), kBillion,
                             &ns) ||
      __builtin_add_overflow(ns, static_cast<std::int64_t>(ts.tv_nsec), &ns))
    return ts.tv_sec < 0 ? std::numeric_limits<std::int64_t>::min()
                         : std::numeric_limits<std::int64_t>::max();
  return ns;
}

// Python's float time: whole seconds plus nsec * 1e-9, with nsec in
// [0, 1e9) as the kernel gives it. ns * 1e-9 rounds differently: -1 ns is
// -9.999999717180685e-10 in Python, not -1e-09.
double to_seconds(std::int64_t ns) noexcept {
  std::int64_t sec = ns / kBillion;
  std::int64_t nsec = ns % kBillion;
  if (nsec < 0) {
    sec -= 1;
    nsec += kBillion;
  }
  // Two statements, so that no compiler fuses them into one fma, which
  // would round once where Python rounds twice.
  double fraction = static_cast<double>(nsec) * 1e-9;
  return static_cast<double>(sec) + fraction;
}

}  // namespace

double stat_result::atime() const noexcept { return to_seconds(st_atime_ns); }
double stat_result::mtime() const noexcept { return to_seconds(st_mtime_ns); }
double stat_result::ctime() const noexcept { return to_seconds(st_ctime_ns); }

stat_result stat_result::from(const struct ::stat& st) noexcept {
  stat_result r;
  r.st_mode = st.st_mode;
  r.st_ino = st.st_ino;
  r.st_dev = st.st_dev;
  r.st_nlink = st.st_nlink;
  r.st_uid = st.st_uid;
  r.st_gid = st.st_gid;
  r.st_size = st.st_size;
#if defined(__APPLE__)
  // macOS names the timespec fields st_*timespec (CPython's
  // HAVE_STAT_TV_NSEC2).
  r.st_atime_ns = to_ns(st.st_atimespec);
  r.st_mtime_ns = to_ns(st.st_mtimespec);
  r.st_ctime_ns = to_ns(st.st_ctimespec);
#else
  r.st_atime_ns = to_ns(st.st_atim);
  r.st_mtime_ns = to_ns(st.st_mtim);
  r.st_ctime_ns = to_ns(st.st_ctim);
#endif
  r.st_blksize = st.st_blksize;
  r.st_blocks = st.st_blocks;
  r.st_rdev = st.st_rdev;
  return r;
}

statvfs_result statvfs_result::from(const struct ::statvfs& st) noexcept {
  statvfs_result v;
  v.f_bsize = st.f_bsize;
  v.f_frsize = st.f_frsize;
  v.f_blocks = st.f_blocks;
  v.f_bfree = st.f_bfree;
  v.f_bavail = st.f_bavail;
  v.f_files = st.f_files;
  v.f_ffree = st.f_ffree;
  v.f_favail = st.f_favail;
  v.f_flag = st.f_flag;
  v.f_namemax = st.f_namemax;
  v.f_fsid = st.f_fsid;
  return v;
}

long fpathconf(borrowed_fd fd, std::string_view name) {
  return nothrow::fpathconf(fd,
                            detail::conf_number_or_throw(pathconf_names, name))
      .value();
}

namespace nothrow {

result<void> fchmod(borrowed_fd fd, mode_t mode) noexcept {
  return detail::call_void([&] { return ::fchmod(fd.get(), mode); });
}

result<void> fchown(borrowed_fd fd, uid_t uid, gid_t gid) noexcept {
  return detail::call_void([&] { return ::fchown(fd.get(), uid, gid); });
}

#if OSCPP_HAVE_FDATASYNC
result<void> fdatasync(borrowed_fd fd) noexcept {
  return detail::call_void([&] { return ::fdatasync(fd.get()); });
}
#endif

result<void> fsync(borrowed_fd fd) noexcept {
  return detail::call_void([&] { return ::fsync(fd.get()); });
}

result<stat_result> fstat(borrowed_fd fd) noexcept {
  struct ::stat st;
  auto r = detail::call_void([&] { return ::fstat(fd.get(), &st); });
  if (!r) return std::move(r).error();
  return stat_result::from(st);
}

result<statvfs_result> fstatvfs(borrowed_fd fd) noexcept {
  struct ::statvfs st;
  auto r = detail::call_void([&] { return ::fstatvfs(fd.get(), &st); });
  if (!r) return std::move(r).error();
  return statvfs_result::from(st);
}

result<void> ftruncate(borrowed_fd fd, off_t length) noexcept {
  return detail::call_void([&] { return ::ftruncate(fd.get(), length); });
}

#if OSCPP_HAVE_POSIX_FALLOCATE
result<void> posix_fallocate(borrowed_fd fd, off_t offset, off_t len) noexcept {
  return detail::call_errno_returning(
      [&] { return ::posix_fallocate(fd.get(), offset, len); });
}
#endif

#if OSCPP_HAVE_POSIX_FADVISE
result<void> posix_fadvise(borrowed_fd fd, off_t offset, off_t len,
                           int advice) noexcept {
  return detail::call_errno_returning(
      [&] { return ::posix_fadvise(fd.get(), offset, len, advice); });
}
#endif

result<long> fpathconf(borrowed_fd fd, std::string_view name) noexcept {
  auto n = detail::conf_number(pathconf_names, name);
  if (!n) return detail::fail(EINVAL);
  return nothrow::fpathconf(fd, *n);
}

result<long> fpathconf(borrowed_fd fd, int name) noexcept {
  // -1 with errno untouched means "no limit", so errno is cleared first.
  long r = detail::retry([&] {
    errno = 0;
    return ::fpathconf(fd.get(), name);
  });
  if (r == -1 && errno != 0) return detail::fail(errno);
  return r;
}

}  // namespace nothrow
}  // namespace os
