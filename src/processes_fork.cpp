// Process Management: fork, forkpty and the register_at_fork callbacks.
#include <unistd.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/processes.hpp"
#if OSCPP_HAVE_LOGIN_TTY && defined(__linux__)
#include <utmp.h>  // login_tty
#elif OSCPP_HAVE_LOGIN_TTY
#include <util.h>
#endif

namespace os {
namespace {

using callbacks_ptr = std::shared_ptr<const at_fork_options>;

struct fork_registry {
  std::mutex mu;
  std::vector<callbacks_ptr> entries;
};

// Never destroyed: a fork may come from a thread running during exit.
fork_registry& registry() {
  static auto* r = new fork_registry;
  return *r;
}

// Python reports an exception of a callback and goes on with the next one.
void run(const std::function<void()>& f) noexcept {
  if (!f) return;
  try {
    f();
  } catch (...) {
  }
}

// fork() between the callbacks, as Python's os.fork: before (last
// registered first), then in the child child_setup and after_in_child, in
// the parent after_in_parent (in registration order; also when fork fails).
template <class ChildSetup>
result<pid_t> fork_with_callbacks(ChildSetup&& child_setup) noexcept {
  fork_registry& reg = registry();
  std::vector<callbacks_ptr> snapshot;
  {
    std::lock_guard lock(reg.mu);
    try {
      snapshot = reg.entries;
    } catch (const std::bad_alloc&) {
      return detail::fail(ENOMEM);
    }
  }
  for (auto it = snapshot.rbegin(); it != snapshot.rend(); ++it)
    run((*it)->before);
  pid_t pid;
  int saved_errno;
  {
    // Held across fork() so that the child's copy of the lock is not held
    // by a thread that does not exist there (this thread unlocks it).
    std::lock_guard lock(reg.mu);
    pid = ::fork();
    saved_errno = errno;
  }
  if (pid == 0) {
    child_setup();
    for (const auto& cb : snapshot) run(cb->after_in_child);
    return pid;
  }
  for (const auto& cb : snapshot) run(cb->after_in_parent);
  if (pid == -1) return detail::fail(saved_errno);
  return pid;
}

}  // namespace

namespace nothrow {

result<void> register_at_fork(at_fork_options callbacks) {
  if (!callbacks.before && !callbacks.after_in_child &&
      !callbacks.after_in_parent)
    throw std::invalid_argument("At least one argument is required.");
  auto entry = std::make_shared<const at_fork_options>(std::move(callbacks));
  fork_registry& reg = registry();
  std::lock_guard lock(reg.mu);
  reg.entries.push_back(std::move(entry));
  return {};
}

result<pid_t> fork() noexcept {
  return fork_with_callbacks([] {});
}

#if OSCPP_HAVE_LOGIN_TTY
result<forkpty_result> forkpty() noexcept {
  auto pty = nothrow::openpty();
  if (!pty) return std::move(pty).error();
  int master = pty->master_fd.get();
  int slave = pty->slave_fd.get();
  auto pid = fork_with_callbacks([&] {
    // As forkpty(3): the slave becomes the controlling terminal and
    // stdin/stdout/stderr of a new session; nothing here allocates.
    ::close(master);
    if (::login_tty(slave) == -1) ::_exit(1);
  });
  if (!pid) return std::move(pid).error();
  if (*pid == 0) {
    (void)pty->master_fd.release();
    (void)pty->slave_fd.release();
    return forkpty_result{0, unique_fd()};
  }
  return forkpty_result{*pid, std::move(pty->master_fd)};
}
#endif

}  // namespace nothrow
}  // namespace os
