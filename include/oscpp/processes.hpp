// Process Management: exec*, _exit, abort, fork, forkpty, register_at_fork,
// kill, killpg, nice, popen, posix_spawn, posix_spawnp, spawn*, system,
// times, wait, waitid, waitpid, wait3, wait4, waitstatus_to_exitcode,
// pidfd_open. Every os::<name> throws OSError as Python does;
// os::nothrow::<name> returns the OS error as a value instead. Invalid
// arguments (Python's ValueError: an empty argv, an empty argv[0], a NUL in
// any string, an environment key that is empty or holds '=', a signal number
// out of range) throw std::invalid_argument from both forms, before any
// process is started.
//
// Children are started with posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK)
// + exec, the exec error reported back to the parent), so spawn*, system,
// popen and posix_spawn are safe in threaded programs and inherit only the
// descriptors that are inheritable (everything this library creates is
// close-on-exec). The W* status macros (WIFEXITED(status) ...), the P_PID /
// P_PGID / P_ALL / P_PIDFD id types, the W* options and the EX_* exit codes
// are the C macros of <sys/wait.h> and <sysexits.h>.
//
// Children started with the process environment (no env argument) read it
// under a lock that os::environ's writes, os::putenv and os::unsetenv take
// too, so a thread changing the environment meanwhile cannot free the array
// a child is being given (C code calling ::setenv directly still can).
//
// Deviations from Python, on purpose: when the program cannot be executed,
// spawn* raise OSError (errno, filename) in the parent, where Python's
// fork-based spawn* return 127 from a child that failed silently; every
// exec* error names the path (Python's execv names none); forkpty's master
// is close-on-exec (CPython 3.11 leaves it inheritable); popen's child gets
// no descriptor beyond 0-2 (as subprocess's close_fds), spawn* and system
// pass the inheritable ones (as Python's).
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <concepts>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <new>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/path_arg.hpp"
#include "oscpp/platform.hpp"
#include "oscpp/scheduler.hpp"

namespace os {

// ---------------------------------------------------------------- constants

// Python's os.P_WAIT, P_NOWAIT, P_NOWAITO: the modes of spawn*.
inline constexpr int P_WAIT = 0;
inline constexpr int P_NOWAIT = 1;
inline constexpr int P_NOWAITO = 1;

// Python's file_actions tags of posix_spawn (the values Python uses).
inline constexpr int POSIX_SPAWN_OPEN = 0;
inline constexpr int POSIX_SPAWN_CLOSE = 1;
inline constexpr int POSIX_SPAWN_DUP2 = 2;
#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
inline constexpr int POSIX_SPAWN_CLOSEFROM = 3;
#endif

// ---------------------------------------------------------------- arguments

// An argument list for exec*, spawn* and posix_spawn: argv as the C calls
// want it (NUL-terminated strings and a null-terminated pointer array),
// built from any range of strings (std::vector<std::string>, string_views,
// const char* ...) or path-likes, or a braced list. A NUL inside a string
// throws std::invalid_argument ("embedded null byte").
class arg_list {
 public:
  arg_list() = default;
  arg_list(std::initializer_list<path_arg> args);
  template <std::ranges::input_range R>
  requires std::constructible_from<path_arg, std::ranges::range_reference_t<R>>
  arg_list(R&& args) {  // NOLINT(google-explicit-constructor)
    for (auto&& a : args) push_back(path_arg(a).view());
  }
  arg_list(const arg_list& other);
  arg_list& operator=(const arg_list& other);
  arg_list(arg_list&& other) noexcept;
  arg_list& operator=(arg_list&& other) noexcept;

  // Appends one string (std::invalid_argument on a NUL).
  void push_back(std::string_view arg);
  std::size_t size() const noexcept { return offsets_.size(); }
  bool empty() const noexcept { return offsets_.empty(); }
  std::string_view operator[](std::size_t i) const noexcept;
  // The execv-style array: size() pointers, then nullptr. Valid until the
  // next change to the list.
  char* const* data() const noexcept { return ptrs_.data(); }

 private:
  void repoint() noexcept;            // ptrs_ from chars_ and offsets_
  std::string chars_;                 // "a\0b\0..."
  std::vector<std::size_t> offsets_;  // where each string starts
  std::vector<char*> ptrs_{nullptr};  // into chars_, then nullptr
};

// An environment for exec*e, spawn*e and posix_spawn: "KEY=VALUE" strings,
// built from any range of pairs of strings (std::map, a vector of pairs,
// os::environ.copy() ...) or a braced list of pairs. A NUL in a key or a
// value throws std::invalid_argument ("embedded null byte"); an empty key
// or one with '=' after its first character std::invalid_argument
// ("illegal environment variable name"), as in Python.
class env_list {
 public:
  env_list() = default;
  env_list(std::initializer_list<std::pair<std::string_view, std::string_view>>
               items);
  template <class R>
  requires requires(const R& r) {
    std::string_view(std::begin(r)->first);
    std::string_view(std::begin(r)->second);
  }
  env_list(const R& items) {  // NOLINT(google-explicit-constructor)
    for (const auto& [key, value] : items)
      add(std::string_view(key), std::string_view(value));
  }

  // Adds KEY=VALUE, checked as above. Entries keep their order; a key given
  // twice is passed twice (the C library's getenv finds the first).
  void add(std::string_view key, std::string_view value);
  // PATH's value, if set (what get_exec_path(env) searches).
  std::optional<std::string_view> find(std::string_view key) const;
  const arg_list& strings() const noexcept { return strings_; }
  char* const* data() const noexcept { return strings_.data(); }

 private:
  arg_list strings_;
};

// ---------------------------------------------------------------- results

// Python's os.times_result: seconds as floats, elapsed since a fixed point
// in the past.
struct times_result {
  double user = 0.0;
  double system = 0.0;
  double children_user = 0.0;
  double children_system = 0.0;
  double elapsed = 0.0;
};

#if OSCPP_HAVE_WAITID
// Python's os.waitid_result (si_pid, si_uid, si_signo, si_status,
// si_code). si_pid, si_uid and si_status are macros of <signal.h>, so the
// fields drop the si_ prefix; unpacking in Python's order works:
// auto [pid, uid, signo, status, code] = *os::waitid(P_PID, pid, WEXITED);
struct waitid_result {
  pid_t pid = 0;
  uid_t uid = 0;
  int signo = 0;
  int status = 0;
  int code = 0;
};
#endif

// What wait() and waitpid() return: auto [pid, status] = os::wait();
struct wait_result {
  pid_t pid = 0;
  int status = 0;
};

// What wait3() and wait4() return: auto [pid, status, rusage] = ...
struct wait_rusage_result {
  pid_t pid = 0;
  int status = 0;
  struct ::rusage rusage {};
};

#if OSCPP_HAVE_LOGIN_TTY
// What forkpty() returns: auto [pid, fd] = os::forkpty(); fd is the pty
// master in the parent (close-on-exec), empty in the child.
struct forkpty_result {
  pid_t pid = 0;
  unique_fd fd{};
};
#endif

// ---------------------------------------------------------------- options

// register_at_fork(*, before=None, after_in_child=None,
// after_in_parent=None). At least one must be set.
struct at_fork_options {
  std::function<void()> before{};
  std::function<void()> after_in_child{};
  std::function<void()> after_in_parent{};
};

// The path of a spawn_open: a copy of anything path_arg accepts.
class spawn_path {
 public:
  spawn_path() = default;
  // Implicit, from whatever path_arg takes (checked as path_arg checks).
  template <class P>
  requires std::is_constructible_v<path_arg, const P&> spawn_path(const P& p)
      : s_(path_arg(p).str()) {}
  const char* c_str() const noexcept { return s_.c_str(); }
  const std::string& str() const noexcept { return s_; }

 private:
  std::string s_;
};

// One entry of posix_spawn's file_actions, as Python's tuples:
// (POSIX_SPAWN_OPEN, fd, path, flags, mode) is os::spawn_open{fd, path,
// flags, mode}, (POSIX_SPAWN_CLOSE, fd) os::spawn_close{fd},
// (POSIX_SPAWN_DUP2, fd, new_fd) os::spawn_dup2{fd, new_fd},
// (POSIX_SPAWN_CLOSEFROM, fd) os::spawn_closefrom{fd}. A descriptor of the
// parent is a borrowed_fd (an int or a unique_fd); path takes any path,
// os::devnull included.
struct spawn_open {
  int fd = 0;
  spawn_path path{};
  int flags = 0;
  mode_t mode = 0;
};
struct spawn_close {
  borrowed_fd fd = -1;
};
struct spawn_dup2 {
  borrowed_fd fd = -1;
  int new_fd = 0;
};
#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
struct spawn_closefrom {
  int fd = 0;
};
using spawn_file_action =
    std::variant<spawn_open, spawn_close, spawn_dup2, spawn_closefrom>;
#else
using spawn_file_action = std::variant<spawn_open, spawn_close, spawn_dup2>;
#endif

// Python's scheduler=(policy, param): a policy of nullopt sets only the
// parameters (POSIX_SPAWN_SETSCHEDPARAM).
struct spawn_scheduler {
  std::optional<int> policy{};
  sched_param param{};
};

// posix_spawn's keyword-only parameters, Python's defaults. setsigmask and
// setsigdef: nullopt is "not given" (an empty list sets an empty mask).
struct posix_spawn_options {
  std::vector<spawn_file_action> file_actions{};
  std::optional<pid_t> setpgroup{};
  bool resetids = false;
  bool setsid = false;
  std::optional<std::vector<int>> setsigmask{};
  std::optional<std::vector<int>> setsigdef{};
  std::optional<spawn_scheduler> scheduler{};
};

// Python's os.popen(cmd, mode='r', buffering=-1): the mode is "r" or "w".
// The library reads and writes the pipe itself; buffering is accepted for
// Python's checks (0 is refused, as Python does) and otherwise unused.
struct popen_options {
  int buffering = -1;
};

// What popen() returns (Python's os._wrap_close): the parent's end of a pipe
// to `/bin/sh -c cmd`'s stdout ("r") or stdin ("w"). close() closes the pipe,
// waits for the shell and returns Python's result: nullopt if it exited 0,
// else exit_code << 8 (waitstatus_to_exitcode, so a signal gives -sig << 8).
// The destructor closes and waits if close() was not called.
class popen_file {
 public:
  popen_file() = default;
  popen_file(unique_fd fd, pid_t pid, bool reading) noexcept
      : fd_(std::move(fd)), pid_(pid), reading_(reading) {}
  popen_file(popen_file&& other) noexcept;
  popen_file& operator=(popen_file&& other) noexcept;
  popen_file(const popen_file&) = delete;
  popen_file& operator=(const popen_file&) = delete;
  ~popen_file();

  // Everything until end of file ("r" mode).
  std::string read();
  // At most n bytes, fewer only at end of file; "" at end of file.
  std::string read(std::size_t n);
  // One line with its '\n' (the last one may lack it); "" at end of file.
  std::string readline();
  // Writes all of data ("w" mode).
  void write(std::string_view data);
  // The pipe's descriptor (-1 once closed) and the shell's pid.
  int fileno() const noexcept { return fd_.get(); }
  pid_t pid() const noexcept { return pid_; }
  bool closed() const noexcept { return !fd_; }
  // Closes the pipe and reaps the shell (see above); a second call returns
  // nullopt.
  std::optional<int> close();
  // The same, with the OS error as a value.
  result<std::optional<int>> close(std::nothrow_t) noexcept;
  // Gives up the pipe and the child without closing or waiting.
  std::pair<unique_fd, pid_t> release() noexcept;

 private:
  bool fill();  // reads more into buf_; false at end of file
  unique_fd fd_;
  pid_t pid_ = -1;
  bool reading_ = true;
  std::string buf_;  // read-ahead of readline()
};

// ---------------------------------------------------------------- never fail

// Python's os.abort(): SIGABRT, no cleanup.
[[noreturn]] inline void abort() noexcept { ::abort(); }
// Python's os._exit(n): exits now, without flushing stdio or running
// atexit handlers.
[[noreturn]] inline void _exit(int n) noexcept { ::_exit(n); }

// ---------------------------------------------------------------- nothrow
namespace nothrow {

// exec*: return only on failure. The filename of the error is the path
// tried (for the p forms: the last candidate, or the first one that failed
// with something other than ENOENT/ENOTDIR, as Python).
result<void> execv(const path_arg& path, const arg_list& args);
result<void> execve(const path_arg& path, const arg_list& args,
                    const env_list& env);
#if OSCPP_HAVE_FEXECVE
// execve(fd, ...): fexecve, Python's execve with an fd as path.
result<void> execve(int fd, const arg_list& args, const env_list& env);
#endif
result<void> execvp(const path_arg& file, const arg_list& args);
result<void> execvpe(const path_arg& file, const arg_list& args,
                     const env_list& env);

result<pid_t> fork() noexcept;
#if OSCPP_HAVE_LOGIN_TTY
result<forkpty_result> forkpty() noexcept;
#endif
result<void> register_at_fork(at_fork_options callbacks);

result<void> kill(pid_t pid, int sig) noexcept;
result<void> killpg(pid_t pgid, int sig) noexcept;
result<int> nice(int increment) noexcept;

result<popen_file> popen(std::string_view cmd, std::string_view mode = "r",
                         popen_options opts = {});

result<pid_t> posix_spawn(const path_arg& path, const arg_list& args,
                          const env_list& env,
                          const posix_spawn_options& opts = {});
result<pid_t> posix_spawnp(const path_arg& file, const arg_list& args,
                           const env_list& env,
                           const posix_spawn_options& opts = {});
// The same with the current process environment (::environ). A braced
// environment must be spelled os::env_list{{"K", "v"}} to tell it from the
// options.
result<pid_t> posix_spawn(const path_arg& path, const arg_list& args,
                          const posix_spawn_options& opts = {});
result<pid_t> posix_spawnp(const path_arg& file, const arg_list& args,
                           const posix_spawn_options& opts = {});

result<int> spawnv(int mode, const path_arg& path, const arg_list& args);
result<int> spawnve(int mode, const path_arg& path, const arg_list& args,
                    const env_list& env);
result<int> spawnvp(int mode, const path_arg& file, const arg_list& args);
result<int> spawnvpe(int mode, const path_arg& file, const arg_list& args,
                     const env_list& env);

result<int> system(std::string_view command);
result<times_result> times() noexcept;

result<wait_result> wait() noexcept;
result<wait_result> waitpid(pid_t pid, int options) noexcept;
result<wait_rusage_result> wait3(int options) noexcept;
result<wait_rusage_result> wait4(pid_t pid, int options) noexcept;
#if OSCPP_HAVE_WAITID
result<std::optional<waitid_result>> waitid(idtype_t idtype, id_t id,
                                            int options) noexcept;
#endif

#if OSCPP_HAVE_PIDFD_OPEN
result<unique_fd> pidfd_open(pid_t pid, unsigned int flags = 0) noexcept;
#endif

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

// Python's os.waitstatus_to_exitcode: the exit code, or -signal for a
// killed process; std::invalid_argument for a stopped process or a status
// that is neither ("invalid wait status: N").
int waitstatus_to_exitcode(int status);

// exec* replace the process image; they return only by throwing. The
// argument list must not be empty and its first element not "".
[[noreturn]] void execv(const path_arg& path, const arg_list& args);
[[noreturn]] void execve(const path_arg& path, const arg_list& args,
                         const env_list& env);
#if OSCPP_HAVE_FEXECVE
[[noreturn]] void execve(int fd, const arg_list& args, const env_list& env);
#endif
// Searches PATH of os::environ (execvp) or of env (execvpe), as Python.
[[noreturn]] void execvp(const path_arg& file, const arg_list& args);
[[noreturn]] void execvpe(const path_arg& file, const arg_list& args,
                          const env_list& env);

// Python's execl(path, arg0, arg1, ...) and execlp.
template <class... Args>
[[noreturn]] void execl(const path_arg& path, const Args&... args) {
  execv(path, arg_list{path_arg(args)...});
}
template <class... Args>
[[noreturn]] void execlp(const path_arg& file, const Args&... args) {
  execvp(file, arg_list{path_arg(args)...});
}

namespace detail {
// Splits (a0, ..., an, env) into arg_list{a0..an} and the last argument.
template <class... Args, std::size_t... I>
auto split_env_last(std::index_sequence<I...>, const Args&... args) {
  auto all = std::forward_as_tuple(args...);
  return std::pair<arg_list, env_list>(
      arg_list{path_arg(std::get<I>(all))...},
      env_list(std::get<sizeof...(Args) - 1>(all)));
}
template <class... Args>
auto split_env_last(const Args&... args) {
  static_assert(sizeof...(Args) >= 1, "the environment comes last");
  return split_env_last(std::make_index_sequence<sizeof...(Args) - 1>{},
                        args...);
}
}  // namespace detail

// Python's execle(path, arg0, arg1, ..., env) and execlpe: the environment
// (any range of pairs) comes last.
template <class... Args>
[[noreturn]] void execle(const path_arg& path, const Args&... args_then_env) {
  auto [args, env] = detail::split_env_last(args_then_env...);
  execve(path, args, env);
}
template <class... Args>
[[noreturn]] void execlpe(const path_arg& file, const Args&... args_then_env) {
  auto [args, env] = detail::split_env_last(args_then_env...);
  execvpe(file, args, env);
}

// Python's os.fork(): runs the register_at_fork callbacks (before: last
// registered first; after_in_parent / after_in_child: in registration
// order). 0 in the child, the child's pid in the parent. An exception
// thrown by a callback is ignored, as Python ignores (reports) them.
inline pid_t fork() { return nothrow::fork().value(); }
#if OSCPP_HAVE_LOGIN_TTY
// fork() with the child on a new pseudo-terminal (its session leader, the
// slave as stdin/stdout/stderr); the parent gets the master.
inline forkpty_result forkpty() { return nothrow::forkpty().value(); }
#endif
// Callbacks run by os::fork / os::forkpty (not by posix_spawn, system or
// popen, as in Python). None set throws std::invalid_argument ("At least
// one argument is required.").
inline void register_at_fork(at_fork_options callbacks) {
  nothrow::register_at_fork(std::move(callbacks)).value();
}

inline void kill(pid_t pid, int sig) { nothrow::kill(pid, sig).value(); }
inline void killpg(pid_t pgid, int sig) { nothrow::killpg(pgid, sig).value(); }
// Adds increment to the niceness and returns the new one (-1 is a valid
// result, not an error).
inline int nice(int increment) { return nothrow::nice(increment).value(); }

// Python's os.popen: runs `/bin/sh -c cmd`. A mode other than "r" or "w"
// throws std::invalid_argument ("invalid mode 'x'"); buffering 0 too
// ("popen() does not support unbuffered streams").
inline popen_file popen(std::string_view cmd, std::string_view mode = "r",
                        popen_options opts = {}) {
  return nothrow::popen(cmd, mode, opts).value();
}

// Python's os.posix_spawn(path, argv, env, *, file_actions ...): the
// child's pid. An exec failure (or a failed file action) is an OSError with
// path as filename; the child is reaped.
inline pid_t posix_spawn(const path_arg& path, const arg_list& args,
                         const env_list& env,
                         const posix_spawn_options& opts = {}) {
  return nothrow::posix_spawn(path, args, env, opts).value();
}
// posix_spawnp: searches PATH of the process environment (the C library's
// rule, as in Python).
inline pid_t posix_spawnp(const path_arg& file, const arg_list& args,
                          const env_list& env,
                          const posix_spawn_options& opts = {}) {
  return nothrow::posix_spawnp(file, args, env, opts).value();
}
inline pid_t posix_spawn(const path_arg& path, const arg_list& args,
                         const posix_spawn_options& opts = {}) {
  return nothrow::posix_spawn(path, args, opts).value();
}
inline pid_t posix_spawnp(const path_arg& file, const arg_list& args,
                          const posix_spawn_options& opts = {}) {
  return nothrow::posix_spawnp(file, args, opts).value();
}

// Python's spawn*(mode, path, args[, env]): P_NOWAIT (and P_NOWAITO) return
// the pid; any other mode waits and returns waitstatus_to_exitcode of the
// child (stops are waited through). The p forms search PATH of os::environ
// (spawnvp) or of env (spawnvpe), as Python.
inline int spawnv(int mode, const path_arg& path, const arg_list& args) {
  return nothrow::spawnv(mode, path, args).value();
}
inline int spawnve(int mode, const path_arg& path, const arg_list& args,
                   const env_list& env) {
  return nothrow::spawnve(mode, path, args, env).value();
}
inline int spawnvp(int mode, const path_arg& file, const arg_list& args) {
  return nothrow::spawnvp(mode, file, args).value();
}
inline int spawnvpe(int mode, const path_arg& file, const arg_list& args,
                    const env_list& env) {
  return nothrow::spawnvpe(mode, file, args, env).value();
}
template <class... Args>
int spawnl(int mode, const path_arg& path, const Args&... args) {
  return spawnv(mode, path, arg_list{path_arg(args)...});
}
template <class... Args>
int spawnlp(int mode, const path_arg& file, const Args&... args) {
  return spawnvp(mode, file, arg_list{path_arg(args)...});
}
template <class... Args>
int spawnle(int mode, const path_arg& path, const Args&... args_then_env) {
  auto [args, env] = detail::split_env_last(args_then_env...);
  return spawnve(mode, path, args, env);
}
template <class... Args>
int spawnlpe(int mode, const path_arg& file, const Args&... args_then_env) {
  auto [args, env] = detail::split_env_last(args_then_env...);
  return spawnvpe(mode, file, args, env);
}

// Python's os.system: the wait status of `/bin/sh -c command`, started with
// posix_spawn as glibc's system(3) does (SIGINT/SIGQUIT ignored and SIGCHLD
// blocked in the caller meanwhile); a shell that cannot be started gives
// 127 << 8, as in Python.
inline int system(std::string_view command) {
  return nothrow::system(command).value();
}
inline times_result times() { return nothrow::times().value(); }

// ECHILD is ChildProcessError. waitpid(pid, WNOHANG) with nothing to report
// gives {0, 0}, as Python.
inline wait_result wait() { return nothrow::wait().value(); }
inline wait_result waitpid(pid_t pid, int options) {
  return nothrow::waitpid(pid, options).value();
}
inline wait_rusage_result wait3(int options) {
  return nothrow::wait3(options).value();
}
inline wait_rusage_result wait4(pid_t pid, int options) {
  return nothrow::wait4(pid, options).value();
}
#if OSCPP_HAVE_WAITID
// nullopt where Python returns None (WNOHANG and no child to report).
inline std::optional<waitid_result> waitid(idtype_t idtype, id_t id,
                                           int options) {
  return nothrow::waitid(idtype, id, options).value();
}
#endif
#if OSCPP_HAVE_PIDFD_OPEN
// A close-on-exec descriptor referring to process pid.
inline unique_fd pidfd_open(pid_t pid, unsigned int flags = 0) {
  return nothrow::pidfd_open(pid, flags).value();
}
#endif

}  // namespace os
