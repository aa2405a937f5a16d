// File Descriptor Operations, the terminal family: isatty, ttyname, the
// process group of a terminal, its size, and pseudo-terminals.
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"
#if OSCPP_HAVE_LOGIN_TTY && defined(__linux__)
#include <utmp.h>
#elif OSCPP_HAVE_LOGIN_TTY
#include <util.h>
#endif

namespace os {

namespace detail {

// The slave of an unlocked master, opened by its name: what openpty falls
// back to where TIOCGPTPEER is missing. Not static, so the tests can reach
// this path on kernels that do have TIOCGPTPEER.
result<unique_fd> open_pty_slave_by_name(int master_fd) noexcept {
  auto name = nothrow::ptsname(master_fd);
  if (!name) return std::move(name).error();
  auto fd = call(
      [&] { return ::open(name->c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC); });
  if (!fd) return std::move(fd).error();
  return unique_fd(*fd);
}

}  // namespace detail

bool isatty(borrowed_fd fd) noexcept { return ::isatty(fd.get()) == 1; }

std::optional<std::string> device_encoding(borrowed_fd fd) {
  if (!isatty(fd)) return std::nullopt;
  // Python reports the encoding of the current LC_CTYPE locale; it sets that
  // from the environment at startup, a C++ program does so with setlocale.
  const char* codeset = ::nl_langinfo(CODESET);
  if (codeset == nullptr || *codeset == '\0') return "utf-8";
  return std::string(codeset);
}

namespace nothrow {

result<std::string> ttyname(borrowed_fd fd) noexcept {
  char buf[PATH_MAX];
  auto r = detail::call_errno_returning(
      [&] { return ::ttyname_r(fd.get(), buf, sizeof buf); });
  if (!r) return std::move(r).error();
  return std::string(buf);
}

result<pid_t> tcgetpgrp(borrowed_fd fd) noexcept {
  return detail::call([&] { return ::tcgetpgrp(fd.get()); });
}

result<void> tcsetpgrp(borrowed_fd fd, pid_t pgid) noexcept {
  return detail::call_void([&] { return ::tcsetpgrp(fd.get(), pgid); });
}

result<terminal_size> get_terminal_size(borrowed_fd fd) noexcept {
  struct ::winsize w {};
  auto r = detail::call_void([&] { return ::ioctl(fd.get(), TIOCGWINSZ, &w); });
  if (!r) return std::move(r).error();
  return terminal_size{w.ws_col, w.ws_row};
}

result<unique_fd> posix_openpt(int oflag) noexcept {
  auto fd = detail::call([&] { return ::posix_openpt(oflag | O_CLOEXEC); });
  if (!fd) return std::move(fd).error();
  return unique_fd(*fd);
}

result<void> grantpt(borrowed_fd fd) noexcept {
  // Python swaps SIGCHLD's handler around grantpt for systems whose grantpt
  // forks a helper; glibc on Linux (devpts) never does, and changing a
  // process-wide disposition here would race with other threads.
  return detail::call_void([&] { return ::grantpt(fd.get()); });
}

result<void> unlockpt(borrowed_fd fd) noexcept {
  return detail::call_void([&] { return ::unlockpt(fd.get()); });
}

result<std::string> ptsname(borrowed_fd fd) noexcept {
  char buf[PATH_MAX];
  auto r = detail::call_errno_returning(
      [&] { return ::ptsname_r(fd.get(), buf, sizeof buf); });
  if (!r) return std::move(r).error();
  return std::string(buf);
}

result<pty_fds> openpty() noexcept {
  // openpty(3) opens both ends inheritable and Python then clears the flag
  // in a second step; this opens each end with O_CLOEXEC instead.
  auto master = nothrow::posix_openpt(O_RDWR | O_NOCTTY);
  if (!master) return std::move(master).error();
  if (auto r = nothrow::grantpt(*master); !r) return std::move(r).error();
  if (auto r = nothrow::unlockpt(*master); !r) return std::move(r).error();
#ifdef TIOCGPTPEER
  // TIOCGPTPEER (Linux 4.13) opens the slave through the master, so no path
  // lookup can be redirected to another terminal in between.
  int slave = detail::retry([&] {
    return ::ioctl(master->get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  });
  if (slave != -1) return pty_fds{std::move(*master), unique_fd(slave)};
  if (errno != EINVAL && errno != ENOTTY) return detail::fail(errno);
#endif
  // Elsewhere (macOS) by name, as CPython's openpty over posix_openpt.
  auto by_name = detail::open_pty_slave_by_name(master->get());
  if (!by_name) return std::move(by_name).error();
  return pty_fds{std::move(*master), std::move(*by_name)};
}

#if OSCPP_HAVE_LOGIN_TTY
result<void> login_tty(int fd) noexcept {
  return detail::call_void([&] { return ::login_tty(fd); });
}

result<void> login_tty(unique_fd&& fd) noexcept {
  auto r = nothrow::login_tty(fd.get());
  // login_tty closed fd (or made it one of 0, 1, 2): it is no longer ours.
  if (r) (void)fd.release();
  return r;
}
#endif

}  // namespace nothrow
}  // namespace os
