// Shared by the spawn safety tests (spawn_safety_test, spawn_hammer_test):
// the helper child, the counts, and a watchdog.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/support.hpp"

#ifndef OSCPP_FD_REPORT
#error "tests/CMakeLists.txt defines OSCPP_FD_REPORT, the helper's path"
#endif

namespace spawn_safety {

// tests/support/fd_report.c: `oscpp_fd_report CODE [FD | =FD | pFD]...`
// exits with CODE plus the number of problems it saw (a stray descriptor,
// a "=FD" not open, a "pFD" not a pipe), naming each on stderr.
inline constexpr const char* kHelper = OSCPP_FD_REPORT;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// OSCPP_SPAWN_COUNT overrides a test's count of children (read before any
// thread starts: ::getenv is unsafe next to a writer).
inline int count_from_env(int fallback) {
  const char* e = std::getenv("OSCPP_SPAWN_COUNT");
  if (e == nullptr || *e == '\0') return fallback;
  int n = std::atoi(e);
  return n > 0 ? n : fallback;
}

// Inheritable descriptors above 2 that this process already had (from
// whoever started it): children get them legitimately, as their owner
// chose, so the helper must allow them.
inline std::vector<std::string> inherited_fds() {
  std::vector<std::string> out;
  for (int fd : oscpp_test::open_fds()) {
    int flags = ::fcntl(fd, F_GETFD);
    if (fd > 2 && flags != -1 && (flags & FD_CLOEXEC) == 0)
      out.push_back(std::to_string(fd));
  }
  return out;
}

// The helper's argv: the program, the expected code, the allowed
// descriptors, then extra ("=FD", "pFD" ...).
inline std::vector<std::string> helper_argv(
    int code, const std::vector<std::string>& allowed,
    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv{kHelper, std::to_string(code)};
  argv.insert(argv.end(), allowed.begin(), allowed.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// The same as one shell command line (the helper's path is quoted). The
// shell execs the helper rather than starting it as its own child (dash
// would vfork), which halves the cost of the system and popen tests and
// changes nothing the helper sees.
inline std::string helper_command(const std::vector<std::string>& argv) {
  std::string cmd = "exec '" + argv[0] + "'";
  for (std::size_t i = 1; i < argv.size(); ++i) cmd += " " + argv[i];
  return cmd;
}

// Aborts the test binary (with a message naming the test and how far it
// got) if it is still running after `limit`, so that a hung spawn fails CI
// instead of stalling it until the runner's timeout.
class watchdog {
 public:
  watchdog(std::string what, std::chrono::seconds limit)
      : what_(std::move(what)), thread_([this, limit] { watch(limit); }) {}
  ~watchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

  // Progress shown if the limit is reached.
  void progress(int i) { progress_.store(i, std::memory_order_relaxed); }

 private:
  void watch(std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, limit, [this] { return done_; })) return;
    std::fprintf(stderr,
                 "watchdog: %s still running after %lld s (at child %d); "
                 "aborting\n",
                 what_.c_str(), static_cast<long long>(limit.count()),
                 progress_.load());
    std::fflush(stderr);
    std::abort();
  }

  std::string what_;
  std::atomic<int> progress_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace spawn_safety
