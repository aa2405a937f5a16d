// posix_spawn's attributes and file actions, owned; shared by posix_spawn,
// spawn*, system and popen.
#pragma once

#include <spawn.h>

#include "oscpp/processes.hpp"

namespace os::detail {

class spawn_setup {
 public:
  spawn_setup() noexcept = default;
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
  ~spawn_setup();

  // Initialises the attributes / file actions on first use.
  result<void> use_attr() noexcept;
  result<void> use_actions() noexcept;
  // Adds actions that close every descriptor from lowfd on in the child.
  result<void> close_from(int lowfd) noexcept;
  // Python's keyword arguments of posix_spawn; std::invalid_argument for a
  // signal number out of range or a NUL in an open action's path.
  result<void> apply(const posix_spawn_options& opts);
  // Starts path (searched in the process PATH if search) with envp, or
  // the process environment if envp is nullptr; the error names path.
  result<pid_t> spawn(const char* path, char* const* argv, char* const* envp,
                      bool search = false) noexcept;

  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  bool has_attr = false;
  bool has_actions = false;

 private:
  const posix_spawnattr_t* attr_ptr() const noexcept {
    return has_attr ? &attr : nullptr;
  }
  const posix_spawn_file_actions_t* actions_ptr() const noexcept {
    return has_actions ? &actions : nullptr;
  }
};

// Waits for pid (EINTR retried, stops waited through) and returns
// waitstatus_to_exitcode of its status.
result<int> wait_exit_code(pid_t pid) noexcept;

}  // namespace os::detail
