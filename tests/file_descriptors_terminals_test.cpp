// Terminals and pseudo-terminals: every expectation was checked against
// python3 (3.11) and, for the names added in 3.13 (posix_openpt, grantpt,
// unlockpt, ptsname, login_tty), python3.13.
#include <fcntl.h>
#include <langinfo.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <functional>
#include <sstream>
#include <string>
#include <typeinfo>

#include "oscpp/file_descriptors.hpp"
#include "support/support.hpp"

namespace os::detail {
// Defined in src/file_descriptors_terminals.cpp: openpty's fallback for
// kernels without TIOCGPTPEER, which this kernel has.
result<unique_fd> open_pty_slave_by_name(int master_fd) noexcept;
}  // namespace os::detail

namespace {

using oscpp_test::closed_fd;
using oscpp_test::is_cloexec;
using oscpp_test::raw_pipe;

class Terminals : public oscpp_test::TempDirTest {
 protected:
  // A regular file, read-write.
  os::unique_fd regular() {
    std::string p = path("regular");
    oscpp_test::write_file(p, "data");
    int fd = ::open(p.c_str(), O_RDWR | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    return os::unique_fd(fd);
  }
};

// Runs fn in a forked child and returns what it reported: "" if all was
// well, else a description of what failed (or of the exception it threw).
std::string in_child(const std::function<std::string()>& fn) {
  int fds[2];
  if (oscpp_test::pipe_cloexec(fds) != 0) return "pipe2 failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    try {
      out = fn();
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
    }
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, n);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    out += " [child died, status " + std::to_string(status) + "]";
  return out;
}

// Collects failed checks inside a child, where gtest cannot report them.
struct child_report {
  std::ostringstream out;
  void check(bool ok, const std::string& what) {
    if (!ok) out << what << "; ";
  }
  template <class T>
  void check_error(const os::result<T>& r, int errnum,
                   const std::string& what) {
    if (r.has_value())
      out << what << ": succeeded, expected errno " << errnum << "; ";
    else if (r.error().value() != errnum)
      out << what << ": errno " << r.error().value() << ", expected " << errnum
          << "; ";
  }
  std::string str() const { return out.str(); }
};

// ---------------------------------------------------------------- isatty

TEST_F(Terminals, IsattyTrueOnlyForTerminals) {
  auto [master, slave] = os::openpty();
  EXPECT_TRUE(os::isatty(slave));
  EXPECT_TRUE(os::isatty(master));
  EXPECT_TRUE(os::isatty(slave.get()));
  auto f = regular();
  EXPECT_FALSE(os::isatty(f));
  raw_pipe p;
  EXPECT_FALSE(os::isatty(p.r));
}

TEST_F(Terminals, IsattyFalseForBadDescriptors) {
  static_assert(noexcept(os::isatty(0)));
  EXPECT_FALSE(os::isatty(closed_fd()));
  EXPECT_FALSE(os::isatty(-1));
}

// ---------------------------------------------------------------- ttyname

TEST_F(Terminals, TtynameOfSlaveIsItsPtsName) {
  auto [master, slave] = os::openpty();
  std::string name = os::ttyname(slave);
  EXPECT_EQ(name.rfind("/dev/pts/", 0), 0u) << name;
  EXPECT_EQ(name, os::ptsname(master));
  auto r = os::nothrow::ttyname(slave);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, name);
}

TEST_F(Terminals, TtynameErrors) {
  auto f = regular();
  EXPECT_OS_ERROR(os::ttyname(f), os::OSError, ENOTTY);
  EXPECT_RESULT_ERROR(os::nothrow::ttyname(f), ENOTTY);
  raw_pipe p;
  EXPECT_OS_ERROR(os::ttyname(p.w), os::OSError, ENOTTY);
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::ttyname(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::ttyname(bad), EBADF);
}

// ---------------------------------------------------------------- openpty

// Writes a line to one end of a terminal and reads it at the other.
void expect_line_passes(int from, int to) {
  ASSERT_EQ(::write(from, "hi\n", 3), 3);
  char buf[16];
  ssize_t n = ::read(to, buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, 2), "hi");
}

TEST_F(Terminals, OpenptyBothEndsCloseOnExecAndConnected) {
  auto [master, slave] = os::openpty();
  ASSERT_TRUE(master);
  ASSERT_TRUE(slave);
  // Python: os.get_inheritable() is False for both ends.
  EXPECT_TRUE(is_cloexec(master.get()));
  EXPECT_TRUE(is_cloexec(slave.get()));
  EXPECT_EQ(::fcntl(slave.get(), F_GETFL) & O_ACCMODE, O_RDWR);
  EXPECT_EQ(os::ttyname(slave), os::ptsname(master));
  expect_line_passes(master.get(), slave.get());
  expect_line_passes(slave.get(), master.get());
}

TEST_F(Terminals, OpenptyNothrowForm) {
  auto r = os::nothrow::openpty();
  ASSERT_TRUE(r);
  EXPECT_TRUE(is_cloexec(r->master_fd.get()));
  EXPECT_TRUE(is_cloexec(r->slave_fd.get()));
}

TEST_F(Terminals, OpenptyFallbackOpensTheSlaveByNameCloseOnExec) {
  auto master = os::posix_openpt(O_RDWR | O_NOCTTY);
  os::grantpt(master);
  os::unlockpt(master);
  auto slave = os::detail::open_pty_slave_by_name(master.get());
  ASSERT_TRUE(slave);
  EXPECT_TRUE(is_cloexec(slave->get()));
  EXPECT_EQ(os::ttyname(*slave), os::ptsname(master));
  expect_line_passes(master.get(), slave->get());
}

TEST_F(Terminals, OpenptyFallbackErrorLeavesNothingOpen) {
  auto f = regular();
  EXPECT_RESULT_ERROR(os::detail::open_pty_slave_by_name(f.get()), ENOTTY);
  EXPECT_RESULT_ERROR(os::detail::open_pty_slave_by_name(closed_fd()), EBADF);
}

// ---------------------------------------------------------------- tcgetpgrp

TEST_F(Terminals, TcgetpgrpErrors) {
  auto f = regular();
  EXPECT_OS_ERROR(os::tcgetpgrp(f), os::OSError, ENOTTY);
  EXPECT_RESULT_ERROR(os::nothrow::tcgetpgrp(f), ENOTTY);
  raw_pipe p;
  EXPECT_OS_ERROR(os::tcgetpgrp(p.r), os::OSError, ENOTTY);
  // A terminal that is not our controlling terminal: ENOTTY too.
  auto pty = os::openpty();
  EXPECT_OS_ERROR(os::tcgetpgrp(pty.slave_fd), os::OSError, ENOTTY);
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::tcgetpgrp(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::tcgetpgrp(bad), EBADF);
}

TEST_F(Terminals, TcsetpgrpErrorsOutsideTheSession) {
  auto f = regular();
  EXPECT_OS_ERROR(os::tcsetpgrp(f, ::getpgrp()), os::OSError, ENOTTY);
  EXPECT_RESULT_ERROR(os::nothrow::tcsetpgrp(f, ::getpgrp()), ENOTTY);
  auto pty = os::openpty();
  EXPECT_OS_ERROR(os::tcsetpgrp(pty.slave_fd, ::getpgrp()), os::OSError,
                  ENOTTY);
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::tcsetpgrp(bad, ::getpgrp()), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::tcsetpgrp(bad, ::getpgrp()), EBADF);
}

// ---------------------------------------------------------------- size

TEST_F(Terminals, GetTerminalSizeReadsTheWindowSize) {
  auto [master, slave] = os::openpty();
  auto [columns, lines] = os::get_terminal_size(slave);
  // A new pseudo-terminal is 0x0, as Python reports.
  EXPECT_EQ(columns, 0);
  EXPECT_EQ(lines, 0);
  struct ::winsize w {};
  w.ws_col = 132;
  w.ws_row = 43;
  ASSERT_EQ(::ioctl(master.get(), TIOCSWINSZ, &w), 0);
  os::terminal_size size = os::get_terminal_size(slave);
  EXPECT_EQ(size.columns, 132);
  EXPECT_EQ(size.lines, 43);
  auto r = os::nothrow::get_terminal_size(master);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->columns, 132);
  EXPECT_EQ(r->lines, 43);
}

TEST_F(Terminals, GetTerminalSizeErrors) {
  auto f = regular();
  EXPECT_OS_ERROR(os::get_terminal_size(f), os::OSError, ENOTTY);
  EXPECT_RESULT_ERROR(os::nothrow::get_terminal_size(f), ENOTTY);
  raw_pipe p;
  EXPECT_OS_ERROR(os::get_terminal_size(p.w), os::OSError, ENOTTY);
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::get_terminal_size(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::get_terminal_size(bad), EBADF);
}

TEST_F(Terminals, GetTerminalSizeDefaultsToStdout) {
  // Python's default fd is STDOUT_FILENO: run it in a child whose stdout is
  // a terminal of known size.
  auto [master, slave] = os::openpty();
  struct ::winsize w {};
  w.ws_col = 77;
  w.ws_row = 11;
  ASSERT_EQ(::ioctl(master.get(), TIOCSWINSZ, &w), 0);
  int sfd = slave.get();
  std::string report = in_child([&]() -> std::string {
    if (::dup2(sfd, STDOUT_FILENO) != STDOUT_FILENO) return "dup2";
    auto [c, l] = os::get_terminal_size();
    return c == 77 && l == 11 ? "" : "wrong size";
  });
  EXPECT_EQ(report, "");
}

// ---------------------------------------------------------------- encoding

// Sets LC_CTYPE for the duration of a test, as Python does at startup.
class ctype_locale {
 public:
  explicit ctype_locale(const char* name)
      : saved_(std::setlocale(LC_CTYPE, nullptr)) {
    ok_ = std::setlocale(LC_CTYPE, name) != nullptr;
  }
  ~ctype_locale() { std::setlocale(LC_CTYPE, saved_.c_str()); }
  bool ok() const { return ok_; }

 private:
  std::string saved_;
  bool ok_ = false;
};

TEST_F(Terminals, DeviceEncodingIsTheLocaleCodesetOnTerminals) {
  auto [master, slave] = os::openpty();
  {
    ctype_locale utf8("C.UTF-8");
    ASSERT_TRUE(utf8.ok());
    // python3 on this machine (LANG=C.UTF-8): 'UTF-8'.
    EXPECT_EQ(os::device_encoding(slave), "UTF-8");
    EXPECT_EQ(os::device_encoding(master), "UTF-8");
  }
  {
    ctype_locale c("C");
    ASSERT_TRUE(c.ok());
#if defined(__linux__) && !defined(__GLIBC__)
    // musl's C locale calls its codeset "ASCII" (nl_langinfo(CODESET)).
    EXPECT_EQ(os::device_encoding(slave), "ASCII");
#else
    // Python after locale.setlocale(LC_CTYPE, 'C'): 'ANSI_X3.4-1968'.
    EXPECT_EQ(os::device_encoding(slave), "ANSI_X3.4-1968");
#endif
  }
}

TEST_F(Terminals, DeviceEncodingNoneForNonTerminalsAndBadFds) {
  auto f = regular();
  EXPECT_EQ(os::device_encoding(f), std::nullopt);
  raw_pipe p;
  EXPECT_EQ(os::device_encoding(p.r), std::nullopt);
  EXPECT_EQ(os::device_encoding(closed_fd()), std::nullopt);
  EXPECT_EQ(os::device_encoding(-1), std::nullopt);
}

// ---------------------------------------------------------------- openpt

TEST_F(Terminals, PosixOpenptAddsCloseOnExec) {
  auto m = os::posix_openpt(O_RDWR | O_NOCTTY);
  EXPECT_TRUE(is_cloexec(m.get()));
  EXPECT_EQ(::fcntl(m.get(), F_GETFL) & O_ACCMODE, O_RDWR);
  EXPECT_TRUE(os::isatty(m));
  auto also = os::nothrow::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_TRUE(also);
  EXPECT_TRUE(is_cloexec(also->get()));
  // Python passes other flags through: O_RDONLY works too.
  auto ro = os::posix_openpt(O_RDONLY);
  EXPECT_TRUE(is_cloexec(ro.get()));
  EXPECT_EQ(::fcntl(ro.get(), F_GETFL) & O_ACCMODE, O_RDONLY);
}

TEST_F(Terminals, PosixOpenptErrors) {
  // Python 3.13: os.posix_openpt(-1) -> NotADirectoryError (O_DIRECTORY).
  EXPECT_OS_ERROR(os::posix_openpt(-1), os::NotADirectoryError, ENOTDIR);
  EXPECT_RESULT_ERROR(os::nothrow::posix_openpt(-1), ENOTDIR);
}

TEST_F(Terminals, GrantptUnlockptPtsnameOpenTheSlave) {
  auto m = os::posix_openpt(O_RDWR | O_NOCTTY);
  // Python: ptsname works before grantpt/unlockpt on Linux.
  std::string name = os::ptsname(m);
  EXPECT_EQ(name.rfind("/dev/pts/", 0), 0u) << name;
  // Still locked: opening the slave fails until unlockpt.
  int locked = ::open(name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  EXPECT_EQ(locked, -1);
  if (locked >= 0) ::close(locked);
  os::grantpt(m);
  EXPECT_TRUE(os::nothrow::grantpt(m));
  os::unlockpt(m);
  EXPECT_TRUE(os::nothrow::unlockpt(m));
  auto r = os::nothrow::ptsname(m);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, name);
  int s = ::open(name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(s, 0);
  os::unique_fd slave(s);
  EXPECT_EQ(os::ttyname(slave), name);
}

TEST_F(Terminals, GrantptUnlockptErrors) {
  // Python 3.13: EINVAL for a regular file, a pipe and a slave; EBADF.
  auto f = regular();
  raw_pipe p;
  auto [master, slave] = os::openpty();
  int bad = closed_fd();
#if defined(__linux__) && !defined(__GLIBC__)
  // musl's grantpt does nothing (Linux's devpts needs nothing) and always
  // succeeds; its unlockpt is the TIOCSPTLCK ioctl: ENOTTY, EBADF.
  for (int fd : {f.get(), p.r.get(), slave.get(), bad}) {
    EXPECT_NO_THROW(os::grantpt(fd));
    EXPECT_TRUE(os::nothrow::grantpt(fd));
  }
  for (int fd : {f.get(), p.r.get(), slave.get()}) {
    EXPECT_OS_ERROR(os::unlockpt(fd), os::OSError, ENOTTY);
    EXPECT_RESULT_ERROR(os::nothrow::unlockpt(fd), ENOTTY);
  }
#else
  for (int fd : {f.get(), p.r.get(), slave.get()}) {
    EXPECT_OS_ERROR(os::grantpt(fd), os::OSError, EINVAL);
    EXPECT_RESULT_ERROR(os::nothrow::grantpt(fd), EINVAL);
    EXPECT_OS_ERROR(os::unlockpt(fd), os::OSError, EINVAL);
    EXPECT_RESULT_ERROR(os::nothrow::unlockpt(fd), EINVAL);
  }
  EXPECT_OS_ERROR(os::grantpt(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::grantpt(bad), EBADF);
#endif
  EXPECT_OS_ERROR(os::unlockpt(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::unlockpt(bad), EBADF);
}

TEST_F(Terminals, PtsnameErrors) {
  // Python 3.13: ENOTTY for a regular file, a pipe and a slave; EBADF.
  auto f = regular();
  raw_pipe p;
  auto [master, slave] = os::openpty();
  for (int fd : {f.get(), p.r.get(), slave.get()}) {
    EXPECT_OS_ERROR(os::ptsname(fd), os::OSError, ENOTTY);
    EXPECT_RESULT_ERROR(os::nothrow::ptsname(fd), ENOTTY);
  }
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::ptsname(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::ptsname(bad), EBADF);
}

// ---------------------------------------------------------------- login_tty

#if OSCPP_HAVE_LOGIN_TTY
TEST_F(Terminals, LoginTtyMakesTheTerminalControllingAndStdio) {
  auto [master, slave] = os::openpty();
  std::string name = os::ttyname(slave);
  os::unique_fd* slave_p = &slave;
  std::string report = in_child([&]() -> std::string {
    child_report rep;
    int sfd = slave_p->get();
    os::login_tty(std::move(*slave_p));
    rep.check(!*slave_p, "unique_fd not released on success");
    rep.check(::fcntl(sfd, F_GETFD) == -1 && errno == EBADF,
              "fd > 2 not closed");
    rep.check(::getsid(0) == ::getpid(), "not a session leader");
    for (int fd : {0, 1, 2}) {
      rep.check(os::ttyname(fd) == name, "stdio is not the tty");
      // Python: get_inheritable(0..2) is True after login_tty.
      rep.check((::fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0,
                "stdio is close-on-exec");
    }
    rep.check(os::tcgetpgrp(0) == ::getpgrp(),
              "not the foreground process group");
    auto r = os::nothrow::tcgetpgrp(1);
    rep.check(r && *r == ::getpid(), "nothrow tcgetpgrp");
    return rep.str();
  });
  EXPECT_EQ(report, "");
}

TEST_F(Terminals, LoginTtyIntOverloadClosesTheDescriptor) {
  auto [master, slave] = os::openpty();
  int sfd = slave.get();
  std::string report = in_child([&]() -> std::string {
    child_report rep;
    auto r = os::nothrow::login_tty(sfd);
    rep.check(r.has_value(), "login_tty failed");
    rep.check(::fcntl(sfd, F_GETFD) == -1, "fd not closed");
    rep.check(os::isatty(0) && os::isatty(1) && os::isatty(2),
              "stdio not a tty");
    return rep.str();
  });
  EXPECT_EQ(report, "");
}

TEST_F(Terminals, LoginTtyErrorsKeepTheDescriptor) {
  auto f = regular();
  int ffd = f.get();
  os::unique_fd* f_p = &f;
  std::string report = in_child([&]() -> std::string {
    child_report rep;
    // Python 3.13: ENOTTY for a regular file, EBADF for a bad fd.
    rep.check_error(os::nothrow::login_tty(ffd), ENOTTY, "int");
    rep.check_error(os::nothrow::login_tty(std::move(*f_p)), ENOTTY,
                    "unique_fd");
    rep.check(f_p->get() == ffd, "unique_fd released on failure");
    rep.check(::fcntl(ffd, F_GETFD) != -1, "fd closed on failure");
    try {
      os::login_tty(ffd);
      rep.check(false, "no exception");
    } catch (const os::OSError& e) {
      rep.check(typeid(e) == typeid(os::OSError), "type");
      rep.check(e.code().value() == ENOTTY, "errno");
    }
    rep.check_error(os::nothrow::login_tty(closed_fd()), EBADF, "bad fd");
    return rep.str();
  });
  EXPECT_EQ(report, "");
}

TEST_F(Terminals, TcsetpgrpMovesTheForegroundGroup) {
  auto [master, slave] = os::openpty();
  int sfd = slave.release();
  std::string report = in_child([&]() -> std::string {
    child_report rep;
    os::login_tty(sfd);
    os::tcsetpgrp(0, ::getpgrp());
    rep.check(os::tcgetpgrp(0) == ::getpgrp(), "own group");
    // Python 3.13: PermissionError for another session's group,
    // EINVAL for a negative one, ProcessLookupError for none.
    rep.check_error(os::nothrow::tcsetpgrp(0, 1), EPERM, "pgid 1");
    rep.check_error(os::nothrow::tcsetpgrp(0, -5), EINVAL, "-5");
    try {
      os::tcsetpgrp(0, 999999);
      rep.check(false, "no exception for 999999");
    } catch (const os::ProcessLookupError& e) {
      rep.check(e.code().value() == ESRCH, "ESRCH");
    }
    try {
      os::tcsetpgrp(0, 1);
      rep.check(false, "no exception for pgid 1");
    } catch (const os::PermissionError& e) {
      rep.check(e.code().value() == EPERM, "EPERM");
    }
    // A grandchild in a group of its own becomes the foreground.
    int gate[2];
    if (oscpp_test::pipe_cloexec(gate) != 0) return "pipe2";
    pid_t g = ::fork();
    if (g == 0) {
      ::setpgid(0, 0);
      ::close(gate[1]);  // else the read below never sees EOF
      char c;
      (void)!::read(gate[0], &c, 1);
      ::_exit(0);
    }
    ::close(gate[0]);
    ::setpgid(g, g);
    auto r = os::nothrow::tcsetpgrp(0, g);
    rep.check(r.has_value(), "tcsetpgrp to the grandchild");
    rep.check(os::tcgetpgrp(0) == g, "foreground is not the group");
    ::close(gate[1]);
    int status;
    ::waitpid(g, &status, 0);
    return rep.str();
  });
  EXPECT_EQ(report, "");
  ::close(sfd);
}
#endif

}  // namespace
