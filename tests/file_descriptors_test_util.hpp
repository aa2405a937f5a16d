// Helpers shared by the File Descriptor Operations tests.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <typeinfo>

#include "oscpp/error.hpp"
#include "support/support.hpp"

#if defined(__linux__)
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#endif

namespace fd_test {

// A descriptor number that is not open: one just closed.
inline int closed_fd() {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ::close(fd);
  return fd;
}

inline bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// The first of n consecutive descriptor numbers, at 100 or above, that are
// not open.
inline int free_fds(int n) {
  for (int base = 100;; base += n) {
    bool all_free = true;
    for (int i = 0; i < n; ++i) all_free = all_free && !is_open(base + i);
    if (all_free) return base;
  }
}

// Runs fn in a forked child; returns its exit code (128 + signal if
// killed). The child never returns into the test.
inline int run_in_child(const std::function<int()>& fn) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn());
  EXPECT_GT(pid, 0);
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#if defined(__linux__)
// In a child only: syscall nr fails with errnum from now on (seccomp).
inline bool deny_syscall(long nr, int errnum) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<__u32>(nr), 0, 1),
      BPF_STMT(
          BPF_RET | BPF_K,
          SECCOMP_RET_ERRNO | (static_cast<__u32>(errnum) & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {static_cast<unsigned short>(std::size(filter)),
                            filter};
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}
#endif
constexpr int kNoSeccomp = 77;

}  // namespace fd_test
