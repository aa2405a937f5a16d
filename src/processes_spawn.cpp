// Process Management: posix_spawn, posix_spawnp and spawn*: every child is
// started by the C library's posix_spawn (clone(CLONE_VM|CLONE_VFORK) +
// exec, the exec error reported back to the parent, the failed child
// reaped), so nothing runs between fork and exec but the C library's own
// async-signal-safe code.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <variant>

#include "detail/dir_reader.hpp"
#include "detail/environ_lock.hpp"
#include "detail/path_search.hpp"
#include "detail/process_environ.hpp"
#include "detail/spawn.hpp"
#include "detail/syscall.hpp"
#include "oscpp/environ.hpp"
#include "oscpp/processes.hpp"

namespace os {
namespace detail {

spawn_setup::~spawn_setup() {
  if (has_attr) ::posix_spawnattr_destroy(&attr);
  if (has_actions) ::posix_spawn_file_actions_destroy(&actions);
}

result<void> spawn_setup::use_attr() noexcept {
  if (has_attr) return {};
  if (int e = ::posix_spawnattr_init(&attr)) return fail(e);
  has_attr = true;
  return {};
}

result<void> spawn_setup::use_actions() noexcept {
  if (has_actions) return {};
  if (int e = ::posix_spawn_file_actions_init(&actions)) return fail(e);
  has_actions = true;
  return {};
}

result<void> spawn_setup::close_from(int lowfd) noexcept {
  if (auto r = use_actions(); !r) return r;
#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
  if (int e = ::posix_spawn_file_actions_addclosefrom_np(&actions, lowfd))
    return fail(e);
  return {};
#else
    // No closefrom action (musl, macOS): one close action per descriptor open
    // now, listed where CPython's subprocess lists them when it has no
    // close_range (/proc/self/fd on Linux, /dev/fd on macOS).
#if defined(__linux__)
  const char* fd_dir = "/proc/self/fd";
#else
  const char* fd_dir = "/dev/fd";
#endif
  int dir = ::open(fd_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir == -1) return fail(errno);
  dir_reader reader;
  raw_dirent entry;
  int r = 0, e = 0;
  while (e == 0 && (r = reader.next(dir, entry)) == 1) {
    int fd = 0;
    for (char c : entry.name) {
      if (c < '0' || c > '9' || fd > 99999999) {
        fd = -1;
        break;
      }
      fd = fd * 10 + (c - '0');
    }
    if (fd >= lowfd && fd != dir)
      e = ::posix_spawn_file_actions_addclose(&actions, fd);
  }
  if (e == 0 && r == -1) e = errno;
  reader.reset();
  ::close(dir);
  if (e != 0) return fail(e);
  return {};
#endif
}

namespace {

// Python's signal set argument: every number in [1, NSIG - 1].
void fill_sigset(sigset_t& set, const std::vector<int>& signals) {
  sigemptyset(&set);
  for (int sig : signals) {
    if (sig < 1 || sig >= NSIG)
      throw std::invalid_argument("signal number " + std::to_string(sig) +
                                  " out of range [1; " +
                                  std::to_string(NSIG - 1) + "]");
    sigaddset(&set, sig);
  }
}

struct action_adder {
  posix_spawn_file_actions_t* fa;
  int operator()(const spawn_open& a) const {
    return ::posix_spawn_file_actions_addopen(fa, a.fd, a.path.c_str(), a.flags,
                                              a.mode);
  }
  int operator()(const spawn_close& a) const {
    return ::posix_spawn_file_actions_addclose(fa, a.fd.get());
  }
  int operator()(const spawn_dup2& a) const {
    return ::posix_spawn_file_actions_adddup2(fa, a.fd.get(), a.new_fd);
  }
#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
  int operator()(const spawn_closefrom& a) const {
    return ::posix_spawn_file_actions_addclosefrom_np(fa, a.fd);
  }
#endif
};

}  // namespace

result<void> spawn_setup::apply(const posix_spawn_options& opts) {
  short flags = 0;
  // Python checks every argument before it changes anything.
  sigset_t mask, def;
  if (opts.setsigmask) fill_sigset(mask, *opts.setsigmask);
  if (opts.setsigdef) fill_sigset(def, *opts.setsigdef);
  if (!opts.file_actions.empty()) {
    if (auto r = use_actions(); !r) return r;
    for (const auto& action : opts.file_actions)
      if (int e = std::visit(action_adder{&actions}, action)) return fail(e);
  }
  if (!opts.setpgroup && !opts.resetids && !opts.setsid && !opts.setsigmask &&
      !opts.setsigdef && !opts.scheduler)
    return {};
  if (auto r = use_attr(); !r) return r;
  if (opts.setpgroup) {
    if (int e = ::posix_spawnattr_setpgroup(&attr, *opts.setpgroup))
      return fail(e);
    flags |= POSIX_SPAWN_SETPGROUP;
  }
  if (opts.resetids) flags |= POSIX_SPAWN_RESETIDS;
  if (opts.setsid) flags |= POSIX_SPAWN_SETSID;
  if (opts.setsigmask) {
    if (int e = ::posix_spawnattr_setsigmask(&attr, &mask)) return fail(e);
    flags |= POSIX_SPAWN_SETSIGMASK;
  }
  if (opts.setsigdef) {
    if (int e = ::posix_spawnattr_setsigdefault(&attr, &def)) return fail(e);
    flags |= POSIX_SPAWN_SETSIGDEF;
  }
  if (opts.scheduler) {
#ifndef POSIX_SPAWN_SETSCHEDULER
    // macOS: no scheduler attributes; CPython raises NotImplementedError.
    throw std::logic_error(
        "posix_spawn: scheduler unavailable on this platform");
#else
    if (opts.scheduler->policy) {
      if (int e =
              ::posix_spawnattr_setschedpolicy(&attr, *opts.scheduler->policy))
        return fail(e);
      flags |= POSIX_SPAWN_SETSCHEDULER;
    }
    struct ::sched_param param {};
    param.sched_priority = opts.scheduler->param.sched_priority;
    if (int e = ::posix_spawnattr_setschedparam(&attr, &param)) return fail(e);
    flags |= POSIX_SPAWN_SETSCHEDPARAM;
#endif
  }
  if (int e = ::posix_spawnattr_setflags(&attr, flags)) return fail(e);
  return {};
}

result<pid_t> spawn_setup::spawn(const char* path, char* const* argv,
                                 char* const* envp, bool search) noexcept {
  pid_t pid = -1;
  // The child reads the process environment (PATH, or envp itself) until
  // it has exec'd, which posix_spawn waits for.
  auto env_lock = share_process_environ();
  if (envp == nullptr) envp = process_environ();  // read under the lock
  // Not retried on EINTR: the C library's posix_spawn does not report it.
  int e =
      search ? ::posix_spawnp(&pid, path, actions_ptr(), attr_ptr(), argv, envp)
             : ::posix_spawn(&pid, path, actions_ptr(), attr_ptr(), argv, envp);
  if (e != 0) return fail(e, std::string_view(path));
  return pid;
}

// Waits for pid as Python's spawn* do: through stops, to the exit code.
result<int> wait_exit_code(pid_t pid) noexcept {
  int status = 0;
  for (;;) {
    auto r = call([&] { return ::waitpid(pid, &status, 0); });
    if (!r) return std::move(r).error();
    if (!WIFSTOPPED(status)) break;
  }
  return waitstatus_to_exitcode(status);
}

}  // namespace detail

namespace {

void check_spawn_args(const arg_list& args, const char* who) {
  if (args.empty())
    throw std::invalid_argument(std::string(who) + ": argv must not be empty");
  if (args[0].empty())
    throw std::invalid_argument(std::string(who) +
                                ": argv first element cannot be empty");
}

result<pid_t> posix_spawn_impl(const path_arg& path, const arg_list& args,
                               char* const* envp,
                               const posix_spawn_options& opts, bool search) {
  check_spawn_args(args, search ? "posix_spawnp" : "posix_spawn");
  detail::spawn_setup setup;
  if (auto r = setup.apply(opts); !r) return std::move(r).error();
  return setup.spawn(path.c_str(), args.data(), envp, search);
}

// Python's spawn* (os._spawnvef): argv checked, then started and, unless
// mode is P_NOWAIT, waited for.
void check_spawnv_args(const arg_list& args) {
  if (args.empty() || args[0].empty())
    throw std::invalid_argument("argv first element cannot be empty");
}

result<int> finish_spawnv(int mode, result<pid_t> pid) noexcept {
  if (!pid) return std::move(pid).error();
  if (mode == P_NOWAIT) return static_cast<int>(*pid);
  return detail::wait_exit_code(*pid);
}

result<int> spawnv_impl(int mode, const path_arg& path, const arg_list& args,
                        char* const* envp) {
  check_spawnv_args(args);
  detail::spawn_setup setup;
  return finish_spawnv(mode, setup.spawn(path.c_str(), args.data(), envp));
}

// spawnvp/spawnvpe: Python's PATH search (of os::environ's PATH or env's).
// A candidate that does not exist is skipped without starting a child: exec
// would fail on it with the same ENOENT/ENOTDIR.
result<int> spawnvp_impl(int mode, const path_arg& file, const arg_list& args,
                         const std::vector<std::string>& dirs,
                         char* const* envp) {
  check_spawnv_args(args);
  detail::spawn_setup setup;
  auto pid = detail::search_exec_path<pid_t>(
      file.view(), dirs, [&](const std::string& full) -> result<pid_t> {
        if (::access(full.c_str(), F_OK) == -1 &&
            (errno == ENOENT || errno == ENOTDIR))
          return detail::fail(errno, full);
        return setup.spawn(full.c_str(), args.data(), envp);
      });
  return finish_spawnv(mode, std::move(pid));
}

}  // namespace

int waitstatus_to_exitcode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  if (WIFSTOPPED(status))
    throw std::invalid_argument("process stopped by delivery of signal " +
                                std::to_string(WSTOPSIG(status)));
  throw std::invalid_argument("invalid wait status: " + std::to_string(status));
}

namespace nothrow {

result<pid_t> posix_spawn(const path_arg& path, const arg_list& args,
                          const env_list& env,
                          const posix_spawn_options& opts) {
  return posix_spawn_impl(path, args, env.data(), opts, false);
}

result<pid_t> posix_spawnp(const path_arg& file, const arg_list& args,
                           const env_list& env,
                           const posix_spawn_options& opts) {
  return posix_spawn_impl(file, args, env.data(), opts, true);
}

result<pid_t> posix_spawn(const path_arg& path, const arg_list& args,
                          const posix_spawn_options& opts) {
  return posix_spawn_impl(path, args, nullptr, opts, false);
}

result<pid_t> posix_spawnp(const path_arg& file, const arg_list& args,
                           const posix_spawn_options& opts) {
  return posix_spawn_impl(file, args, nullptr, opts, true);
}

result<int> spawnv(int mode, const path_arg& path, const arg_list& args) {
  return spawnv_impl(mode, path, args, nullptr);
}

result<int> spawnve(int mode, const path_arg& path, const arg_list& args,
                    const env_list& env) {
  return spawnv_impl(mode, path, args, env.data());
}

result<int> spawnvp(int mode, const path_arg& file, const arg_list& args) {
  return spawnvp_impl(mode, file, args, get_exec_path(), nullptr);
}

result<int> spawnvpe(int mode, const path_arg& file, const arg_list& args,
                     const env_list& env) {
  auto path = env.find("PATH");
  return spawnvp_impl(mode, file, args,
                      detail::split_exec_path(path ? &*path : nullptr),
                      env.data());
}

}  // namespace nothrow
}  // namespace os
