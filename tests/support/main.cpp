// The test binary's main: child modes, and a listener that fails any test
// that leaks a descriptor or leaves a child process unreaped.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <sstream>

#include "support/support.hpp"

namespace oscpp_test {
int maybe_run_child_mode(int argc, char** argv, bool* ran);

namespace {
class LeakListener : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo&) override {
    before_ = open_fds();
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    std::set<int> after = open_fds();
    std::ostringstream leaked;
    for (int fd : after)
      if (!before_.count(fd)) leaked << ' ' << fd;
    if (!leaked.str().empty()) {
      ADD_FAILURE() << "test leaked descriptor(s):" << leaked.str();
      for (int fd : after)
        if (!before_.count(fd)) ::close(fd);
    }
    int status;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0)
      ADD_FAILURE() << "test left child " << pid << " unreaped";
    if (pid == 0) ADD_FAILURE() << "test left a child process running";
  }
  std::set<int> before_;
};
}  // namespace
}  // namespace oscpp_test

int main(int argc, char** argv) {
  bool ran = false;
  int rc = oscpp_test::maybe_run_child_mode(argc, argv, &ran);
  if (ran) return rc;
  ::testing::InitGoogleTest(&argc, argv);
  // The leak listener reports failures, so it must run before the printer.
  auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
  auto* printer = listeners.Release(listeners.default_result_printer());
  listeners.Append(new oscpp_test::LeakListener);
  if (printer != nullptr) listeners.Append(printer);
  return RUN_ALL_TESTS();
}
