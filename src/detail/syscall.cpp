#include "detail/syscall.hpp"

#include <atomic>

namespace os {
namespace {
std::atomic<interruption_hook> g_hook{nullptr};
}  // namespace

interruption_hook set_interruption_hook(interruption_hook hook) noexcept {
  return g_hook.exchange(hook);
}

namespace detail {
bool retry_after_eintr() noexcept {
  interruption_hook hook = g_hook.load(std::memory_order_acquire);
  if (hook == nullptr) return true;
  int saved = errno;
  bool again = hook();
  errno = saved;
  return again;
}
}  // namespace detail
}  // namespace os
