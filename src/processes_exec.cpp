// Process Management: the exec* family.
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include "detail/environ_lock.hpp"
#include "detail/path_search.hpp"
#include "detail/syscall.hpp"
#include "oscpp/environ.hpp"
#include "oscpp/processes.hpp"

namespace os {
namespace {

// Python's argument checks of execv (kind "execv() arg 2") and execve
// (kind "execve: argv").
void check_exec_args(const arg_list& args, bool with_env) {
  if (args.empty())
    throw std::invalid_argument(with_env ? "execve: argv must not be empty"
                                         : "execv() arg 2 must not be empty");
  if (args[0].empty())
    throw std::invalid_argument(
        with_env ? "execve: argv first element cannot be empty"
                 : "execv() arg 2 first element cannot be empty");
}

// exec returns only on failure; EINTR cannot come from it. Without env,
// the process environment is read under its lock (see environ.cpp).
result<void> exec_path(std::string_view path, const arg_list& args,
                       const env_list* env) {
  // path views a NUL-terminated string (a path_arg or a std::string).
  const char* p = path.data();
  if (env) {
    ::execve(p, args.data(), env->data());
  } else {
    auto env_lock = detail::share_process_environ();
    ::execv(p, args.data());
  }
  return detail::fail(errno, path);
}

}  // namespace

namespace nothrow {

result<void> execv(const path_arg& path, const arg_list& args) {
  check_exec_args(args, false);
  return exec_path(path.view(), args, nullptr);
}

result<void> execve(const path_arg& path, const arg_list& args,
                    const env_list& env) {
  check_exec_args(args, true);
  return exec_path(path.view(), args, &env);
}

#if OSCPP_HAVE_FEXECVE
result<void> execve(int fd, const arg_list& args, const env_list& env) {
  check_exec_args(args, true);
  ::fexecve(fd, args.data(), env.data());
  return detail::fail(errno, std::to_string(fd));
}
#endif

result<void> execvp(const path_arg& file, const arg_list& args) {
  check_exec_args(args, false);
  return detail::search_exec_path<void>(
      file.view(), get_exec_path(),
      [&](const std::string& full) { return exec_path(full, args, nullptr); });
}

result<void> execvpe(const path_arg& file, const arg_list& args,
                     const env_list& env) {
  check_exec_args(args, true);
  auto path = env.find("PATH");
  return detail::search_exec_path<void>(
      file.view(), detail::split_exec_path(path ? &*path : nullptr),
      [&](const std::string& full) { return exec_path(full, args, &env); });
}

}  // namespace nothrow

void execv(const path_arg& path, const arg_list& args) {
  nothrow::execv(path, args).value();
  __builtin_unreachable();
}
void execve(const path_arg& path, const arg_list& args, const env_list& env) {
  nothrow::execve(path, args, env).value();
  __builtin_unreachable();
}
#if OSCPP_HAVE_FEXECVE
void execve(int fd, const arg_list& args, const env_list& env) {
  nothrow::execve(fd, args, env).value();
  __builtin_unreachable();
}
#endif
void execvp(const path_arg& file, const arg_list& args) {
  nothrow::execvp(file, args).value();
  __builtin_unreachable();
}
void execvpe(const path_arg& file, const arg_list& args, const env_list& env) {
  nothrow::execvpe(file, args, env).value();
  __builtin_unreachable();
}

}  // namespace os
