// Process Management: system and popen (both run /bin/sh -c, started with
// posix_spawn).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "detail/spawn.hpp"
#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/processes.hpp"

namespace os {
namespace {

// system()'s saved SIGINT/SIGQUIT dispositions and how many calls run.
std::mutex g_system_mu;
int g_system_users = 0;
struct sigaction g_saved_int, g_saved_quit;

void check_command(std::string_view cmd) {
  if (cmd.find('\0') != std::string_view::npos)
    throw std::invalid_argument("embedded null byte");
}

}  // namespace

namespace nothrow {

result<int> system(std::string_view command) {
  check_command(command);
  arg_list args{"sh", "-c", command};
  // As POSIX's system(3): SIGINT and SIGQUIT ignored and SIGCHLD blocked in
  // the caller while the shell runs; the first of concurrent calls saves
  // the dispositions, the last restores them.
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigset_t chld, old_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  {
    std::lock_guard lock(g_system_mu);
    if (g_system_users++ == 0) {
      ::sigaction(SIGINT, &ignore, &g_saved_int);
      ::sigaction(SIGQUIT, &ignore, &g_saved_quit);
    }
    old_int = g_saved_int;
    old_quit = g_saved_quit;
  }
  ::pthread_sigmask(SIG_BLOCK, &chld, &old_mask);

  detail::spawn_setup setup;
  result<pid_t> pid = -1;
  if (auto r = setup.use_attr(); !r) {
    pid = std::move(r).error();
  } else {
    // The child gets the caller's mask and default SIGINT/SIGQUIT (unless
    // the caller ignored them before).
    sigset_t def;
    sigemptyset(&def);
    if (old_int.sa_handler != SIG_IGN) sigaddset(&def, SIGINT);
    if (old_quit.sa_handler != SIG_IGN) sigaddset(&def, SIGQUIT);
    int e = ::posix_spawnattr_setsigdefault(&setup.attr, &def);
    if (e == 0) e = ::posix_spawnattr_setsigmask(&setup.attr, &old_mask);
    if (e == 0)
      e = ::posix_spawnattr_setflags(
          &setup.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid = e == 0 ? setup.spawn("/bin/sh", args.data(), nullptr)
                 : result<pid_t>(detail::fail(e));
  }
  result<int> status = 0;
  if (pid) {
    int st = 0;
    // Retried whatever the interruption hook says, as the C library's
    // system(3) does: the shell is always reaped.
    pid_t w;
    do {
      w = ::waitpid(*pid, &st, 0);
    } while (w == -1 && errno == EINTR);
    status = w != -1 ? result<int>(st) : result<int>(detail::fail(errno));
  } else {
    // As glibc's system(3), so Python's os.system: a shell that could not
    // be started (no process, or no exec) reads as one that exited 127.
    status = 127 << 8;
  }

  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  {
    std::lock_guard lock(g_system_mu);
    if (--g_system_users == 0) {
      ::sigaction(SIGINT, &g_saved_int, nullptr);
      ::sigaction(SIGQUIT, &g_saved_quit, nullptr);
    }
  }
  return status;
}

result<popen_file> popen(std::string_view cmd, std::string_view mode,
                         popen_options opts) {
  check_command(cmd);
  if (mode != "r" && mode != "w")
    throw std::invalid_argument("invalid mode " + python_repr(mode));
  if (opts.buffering == 0)
    throw std::invalid_argument("popen() does not support unbuffered streams");
  bool reading = mode == "r";
  arg_list args{"/bin/sh", "-c", cmd};
  auto fds = nothrow::pipe();
  if (!fds) return std::move(fds).error();
  unique_fd& ours = reading ? fds->r : fds->w;
  unique_fd& theirs = reading ? fds->w : fds->r;
  int target = reading ? 1 : 0;

  detail::spawn_setup setup;
  if (auto r = setup.use_actions(); !r) return std::move(r).error();
  if (auto r = setup.use_attr(); !r) return std::move(r).error();
  // As subprocess.Popen (close_fds=True, restore_signals=True): the pipe as
  // stdin or stdout and no other descriptor beyond 0-2, SIGPIPE and
  // SIGXFSZ back to their defaults.
  sigset_t def;
  // sig*set without ::, here and elsewhere: macOS defines them as macros.
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  sigaddset(&def, SIGXFSZ);
  int e =
      ::posix_spawn_file_actions_adddup2(&setup.actions, theirs.get(), target);
  if (e != 0) return detail::fail(e);
  if (auto r = setup.close_from(3); !r) return std::move(r).error();
  e = ::posix_spawnattr_setsigdefault(&setup.attr, &def);
  if (e == 0)
    e = ::posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF);
  if (e != 0) return detail::fail(e);
  auto pid = setup.spawn("/bin/sh", args.data(), nullptr);
  if (!pid) return std::move(pid).error();
  theirs.reset();
  return popen_file(std::move(ours), *pid, reading);
}

}  // namespace nothrow

// ---------------------------------------------------------------- popen_file

popen_file::popen_file(popen_file&& other) noexcept
    : fd_(std::move(other.fd_)),
      pid_(std::exchange(other.pid_, -1)),
      reading_(other.reading_),
      buf_(std::move(other.buf_)) {}

popen_file& popen_file::operator=(popen_file&& other) noexcept {
  if (this != &other) {
    (void)close(std::nothrow);
    fd_ = std::move(other.fd_);
    pid_ = std::exchange(other.pid_, -1);
    reading_ = other.reading_;
    buf_ = std::move(other.buf_);
  }
  return *this;
}

popen_file::~popen_file() { (void)close(std::nothrow); }

bool popen_file::fill() {
  char chunk[65536];
  auto n = detail::call([&] { return ::read(fd_.get(), chunk, sizeof chunk); });
  if (!n) std::move(n).error().raise();
  buf_.append(chunk, static_cast<std::size_t>(*n));
  return *n > 0;
}

std::string popen_file::read() {
  while (fill()) {
  }
  return std::exchange(buf_, std::string());
}

std::string popen_file::read(std::size_t n) {
  while (buf_.size() < n && fill()) {
  }
  std::string out = buf_.substr(0, n);
  buf_.erase(0, out.size());
  return out;
}

std::string popen_file::readline() {
  std::size_t scanned = 0;
  for (;;) {
    auto nl = buf_.find('\n', scanned);
    if (nl != std::string::npos) {
      std::string line = buf_.substr(0, nl + 1);
      buf_.erase(0, nl + 1);
      return line;
    }
    scanned = buf_.size();
    if (!fill()) return std::exchange(buf_, std::string());
  }
}

void popen_file::write(std::string_view data) {
  while (!data.empty()) {
    auto n = detail::call(
        [&] { return ::write(fd_.get(), data.data(), data.size()); });
    if (!n) std::move(n).error().raise();
    data.remove_prefix(static_cast<std::size_t>(*n));
  }
}

result<std::optional<int>> popen_file::close(std::nothrow_t) noexcept {
  buf_.clear();
  result<void> closed;
  if (fd_) closed = nothrow::close(fd_.release());
  if (pid_ == -1) {
    if (!closed) return std::move(closed).error();
    return std::optional<int>();
  }
  auto code = detail::wait_exit_code(std::exchange(pid_, -1));
  if (!closed) return std::move(closed).error();
  if (!code) return std::move(code).error();
  if (*code == 0) return std::optional<int>();
  return std::optional<int>(*code * 256);  // Python's returncode << 8
}

std::optional<int> popen_file::close() { return close(std::nothrow).value(); }

std::pair<unique_fd, pid_t> popen_file::release() noexcept {
  buf_.clear();
  return {std::move(fd_), std::exchange(pid_, -1)};
}

}  // namespace os
