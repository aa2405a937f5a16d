// Process Management: system and popen (both run /bin/sh -c).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "detail/spawn.hpp"
#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/processes.hpp"

namespace os {
namespace {

void check_command(std::string_view cmd) {
  if (cmd.find('\0') != std::string_view::npos)
    throw std::invalid_argument("embedded null byte");
}

}  // namespace

namespace nothrow {

result<int> system(std::string_view command) {
  check_command(command);
  std::string cmd(command);
  // glibc's system(3) starts the shell with posix_spawn and handles
  // SIGINT/SIGQUIT/SIGCHLD as POSIX requires; it retries EINTR itself.
  int status = ::system(cmd.c_str());
  if (status == -1) return detail::fail(errno);
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
  ::sigemptyset(&def);
  ::sigaddset(&def, SIGPIPE);
  ::sigaddset(&def, SIGXFSZ);
  int e =
      ::posix_spawn_file_actions_adddup2(&setup.actions, theirs.get(), target);
  if (e == 0) e = ::posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
  if (e == 0) e = ::posix_spawnattr_setsigdefault(&setup.attr, &def);
  if (e == 0)
    e = ::posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF);
  if (e != 0) return detail::fail(e);
  auto pid = setup.spawn("/bin/sh", args.data(), ::environ);
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
