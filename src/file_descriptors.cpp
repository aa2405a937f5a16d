// File Descriptor Operations: creating, duplicating and closing descriptors,
// their flags (blocking, inheritance), offsets and locks. The metadata calls
// (fstat, fchmod, fsync ...) are in file_descriptors_meta.cpp.
#include "oscpp/file_descriptors.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#if __has_include(<sys/syscall.h>)
#include <sys/syscall.h>  // SYS_close_range
#endif
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "detail/getdents.hpp"
#include "detail/syscall.hpp"

namespace os::nothrow {

result<void> close(int fd) noexcept {
  // Never retried: on Linux the descriptor is released even when close()
  // reports EINTR, and a retry could close one another thread just opened.
  if (::close(fd) == -1 && errno != EINTR) return detail::fail(errno);
  return {};
}

result<void> close(unique_fd& fd) noexcept { return close(fd.release()); }
result<void> close(unique_fd&& fd) noexcept { return close(fd.release()); }

namespace {

// Closes the open descriptors numbered first..last, one by one, ignoring
// errors. Allocates nothing.
void close_each(unsigned first, unsigned last) noexcept {
#if OSCPP_HAVE_GETDENTS64
  // /proc/self/fd lists only the open descriptors; trying every number of a
  // range such as [3, INT_MAX) would take minutes.
  int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    alignas(detail::kernel_dirent) char buf[4096];
    ssize_t n;
    while ((n = detail::getdents64(dir, buf, sizeof buf)) > 0) {
      for (ssize_t off = 0; off < n;) {
        const auto* e =
            reinterpret_cast<const detail::kernel_dirent*>(buf + off);
        off += e->d_reclen;
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        unsigned long fd = 0;
        for (const char* p = e->d_name; *p >= '0' && *p <= '9'; ++p)
          fd = fd * 10 + static_cast<unsigned long>(*p - '0');
        // Closing while reading is fine: the kernel lists by fd number.
        if (fd >= first && fd <= last && fd != static_cast<unsigned>(dir))
          ::close(static_cast<int>(fd));
      }
    }
    ::close(dir);
    return;
  }
#else
  // No /proc (macOS): as CPython's closerange there, nothing at or above
  // sysconf(_SC_OPEN_MAX) is tried.
  long open_max = ::sysconf(_SC_OPEN_MAX);
  if (open_max >= 0 && static_cast<unsigned long>(open_max) <= last) {
    if (open_max == 0) return;
    last = static_cast<unsigned>(open_max - 1);
  }
#endif
  // No /proc (or no descriptor left to read it): no descriptor can be
  // numbered at or above the larger of the two limits.
  struct ::rlimit rl;
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rlim_t limit = std::max(rl.rlim_cur, rl.rlim_max);
    if (limit != RLIM_INFINITY && limit <= last) {
      if (limit == 0) return;
      last = static_cast<unsigned>(limit - 1);
    }
  }
  for (unsigned fd = first; fd <= last; ++fd) ::close(static_cast<int>(fd));
}

}  // namespace

result<void> closerange(int fd_low, int fd_high) noexcept {
  // The documented range [fd_low, fd_high). CPython 3.11 passes fd_high - 1
  // to close_range unchecked, so closerange(5, 0) there closes every
  // descriptor from 5 up; an empty range closes nothing here.
  int first = std::max(fd_low, 0);
  if (fd_high <= first) return {};
  auto last = static_cast<unsigned>(fd_high - 1);
#ifdef SYS_close_range
  // close_range ignores per-descriptor errors; it fails only where the
  // kernel lacks it (before 5.9) or a seccomp sandbox denies it.
  if (::syscall(SYS_close_range, static_cast<unsigned>(first), last, 0U) == 0)
    return {};
#endif
  close_each(static_cast<unsigned>(first), last);
  return {};
}

result<unique_fd> dup(borrowed_fd fd) noexcept {
  auto r = detail::call([&] { return ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0); });
  if (!r) return std::move(r).error();
  return unique_fd(*r);
}

result<int> dup2(borrowed_fd fd, int fd2, bool inheritable) noexcept {
  // As Python: fd == fd2 returns fd2 untouched if inheritable, and fails
  // with EINVAL (dup3's answer) if not.
#if OSCPP_HAVE_DUP3
  int r =
      inheritable ? ::dup2(fd.get(), fd2) : ::dup3(fd.get(), fd2, O_CLOEXEC);
#else
  // No dup3 (macOS): dup2, then close-on-exec in a second step, as CPython
  // does there (fd == fd2 is then no error).
  int r = ::dup2(fd.get(), fd2);
  if (r != -1 && !inheritable && ::fcntl(fd2, F_SETFD, FD_CLOEXEC) == -1) {
    int e = errno;
    ::close(fd2);
    return detail::fail(e);
  }
#endif
  // Never retried, EINTR is success (as close): Linux's dup2 reports no
  // EINTR, and elsewhere fd2 may already be replaced, so a retry could
  // clobber a descriptor another thread has just been given as fd2.
  if (r == -1 && errno != EINTR) return detail::fail(errno);
  return fd2;
}

result<bool> get_blocking(borrowed_fd fd) noexcept {
  auto flags = detail::call([&] { return ::fcntl(fd.get(), F_GETFL); });
  if (!flags) return std::move(flags).error();
  return (*flags & O_NONBLOCK) == 0;
}

result<void> set_blocking(borrowed_fd fd, bool blocking) noexcept {
  // FIONBIO changes O_NONBLOCK alone, atomically, as CPython does on Linux;
  // F_GETFL then F_SETFL could undo another thread's change to the other
  // status flags in between. Sandboxes that forbid ioctl get fcntl.
  int nonblocking = blocking ? 0 : 1;
  if (detail::retry([&] { return ::ioctl(fd.get(), FIONBIO, &nonblocking); }) ==
      0)
    return {};
  if (errno != ENOTTY && errno != EACCES) return detail::fail(errno);
  auto flags = detail::call([&] { return ::fcntl(fd.get(), F_GETFL); });
  if (!flags) return std::move(flags).error();
  int wanted = blocking ? (*flags & ~O_NONBLOCK) : (*flags | O_NONBLOCK);
  if (wanted == *flags) return {};
  return detail::call_void([&] { return ::fcntl(fd.get(), F_SETFL, wanted); });
}

result<bool> get_inheritable(borrowed_fd fd) noexcept {
  auto flags = detail::call([&] { return ::fcntl(fd.get(), F_GETFD); });
  if (!flags) return std::move(flags).error();
  return (*flags & FD_CLOEXEC) == 0;
}

result<void> set_inheritable(borrowed_fd fd, bool inheritable) noexcept {
  // ioctl takes one syscall where fcntl takes two. It fails with EBADF on
  // O_PATH descriptors and with EACCES where a sandbox forbids ioctl: then
  // fcntl decides (and reports EBADF for a descriptor that is not open).
  unsigned long request = inheritable ? FIONCLEX : FIOCLEX;
  if (detail::retry([&] { return ::ioctl(fd.get(), request); }) == 0) return {};
  if (errno != EBADF && errno != ENOTTY && errno != EACCES)
    return detail::fail(errno);
  auto flags = detail::call([&] { return ::fcntl(fd.get(), F_GETFD); });
  if (!flags) return std::move(flags).error();
  int wanted = inheritable ? (*flags & ~FD_CLOEXEC) : (*flags | FD_CLOEXEC);
  if (wanted == *flags) return {};
  return detail::call_void([&] { return ::fcntl(fd.get(), F_SETFD, wanted); });
}

result<void> lockf(borrowed_fd fd, int cmd, off_t len) noexcept {
  return detail::call_void([&] { return ::lockf(fd.get(), cmd, len); });
}

result<off_t> lseek(borrowed_fd fd, off_t pos, int how) noexcept {
  return detail::call([&] { return ::lseek(fd.get(), pos, how); });
}

result<unique_fd> open(const path_arg& path, int flags, mode_t mode,
                       dir_fd_options opts) noexcept {
  auto r = detail::call(
      [&] {
        return ::openat(opts.dir_fd.get(), path.c_str(), flags | O_CLOEXEC,
                        mode);
      },
      path);
  if (!r) return std::move(r).error();
  return unique_fd(*r);
}

#if OSCPP_HAVE_PIPE2
result<pipe_fds> pipe() noexcept { return pipe2(O_CLOEXEC); }

result<pipe_fds> pipe2(int flags) noexcept {
  int fds[2];
  auto r = detail::call_void([&] { return ::pipe2(fds, flags); });
  if (!r) return std::move(r).error();
  return pipe_fds{unique_fd(fds[0]), unique_fd(fds[1])};
}
#else
// No pipe2 (macOS): pipe, then close-on-exec on each end, as CPython's
// os.pipe there (not atomic: a fork+exec in another thread in between
// inherits them).
result<pipe_fds> pipe() noexcept {
  int fds[2];
  auto r = detail::call_void([&] { return ::pipe(fds); });
  if (!r) return std::move(r).error();
  pipe_fds ends{unique_fd(fds[0]), unique_fd(fds[1])};
  for (int fd : fds)
    if (::fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) return detail::fail(errno);
  return ends;
}
#endif

}  // namespace os::nothrow
