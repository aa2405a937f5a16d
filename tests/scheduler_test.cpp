// Interface to the scheduler: priorities, policies, parameters, the RR
// interval, affinity. Results are checked against /proc; changes are made in
// forked children only.
#include "oscpp/scheduler.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "support/support.hpp"

namespace {

using oscpp_test::in_child;
using oscpp_test::run_unprivileged;
#if defined(__linux__)
using oscpp_test::stat_field;
#endif

[[maybe_unused]] constexpr pid_t kNoSuchPid = INT_MAX;

#if OSCPP_HAVE_SCHED_SETAFFINITY
// The CPUs of a list such as "0-3,6" (Cpus_allowed_list).
std::set<int> parse_cpu_list(const std::string& list) {
  std::set<int> cpus;
  std::istringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    auto dash = part.find('-');
    int lo = std::stoi(part.substr(0, dash));
    int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
    for (int c = lo; c <= hi; ++c) cpus.insert(c);
  }
  return cpus;
}

std::set<int> allowed_cpus() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Cpus_allowed_list:", 0) == 0)
      return parse_cpu_list(line.substr(line.find_first_not_of(" \t", 18)));
  ADD_FAILURE() << "no Cpus_allowed_list";
  return {};
}
#endif

// ---------------------------------------------------------------- priority

TEST(SchedPriority, MinAndMaxPerPolicy) {
  EXPECT_EQ(os::sched_get_priority_min(SCHED_RR), 1);
  EXPECT_EQ(os::sched_get_priority_max(SCHED_RR), 99);
  EXPECT_EQ(os::sched_get_priority_min(SCHED_FIFO), 1);
  EXPECT_EQ(os::sched_get_priority_max(SCHED_FIFO), 99);
  EXPECT_EQ(os::sched_get_priority_min(SCHED_OTHER), 0);
  EXPECT_EQ(os::sched_get_priority_max(SCHED_OTHER), 0);
  auto r = os::nothrow::sched_get_priority_max(SCHED_RR);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 99);
}

TEST(SchedPriority, UnknownPolicyIsEinval) {
  EXPECT_OS_ERROR(os::sched_get_priority_min(-23), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::sched_get_priority_max(-23), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::sched_get_priority_min(-23), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::sched_get_priority_max(-23), EINVAL);
}

// ---------------------------------------------------------------- policy

#if defined(__linux__) && !defined(__GLIBC__)
TEST(SchedPolicy, PolicyAndParamCallsAreENOSYSOnMusl) {
  // musl's sched_[gs]etscheduler and sched_[gs]etparam always fail with
  // ENOSYS (Linux's calls act on one thread, POSIX's on the process), and
  // so do Python's os.sched_* there, whatever the arguments.
  for (pid_t pid : {0, -1, kNoSuchPid}) {
    EXPECT_OS_ERROR(os::sched_getscheduler(pid), os::OSError, ENOSYS);
    EXPECT_OS_ERROR(os::sched_getparam(pid), os::OSError, ENOSYS);
    EXPECT_OS_ERROR(os::sched_setparam(pid, {}), os::OSError, ENOSYS);
    EXPECT_OS_ERROR(os::sched_setscheduler(pid, SCHED_OTHER, {}), os::OSError,
                    ENOSYS);
    EXPECT_RESULT_ERROR(os::nothrow::sched_getscheduler(pid), ENOSYS);
    EXPECT_RESULT_ERROR(os::nothrow::sched_getparam(pid), ENOSYS);
    EXPECT_RESULT_ERROR(os::nothrow::sched_setparam(pid, {}), ENOSYS);
    EXPECT_RESULT_ERROR(os::nothrow::sched_setscheduler(pid, SCHED_OTHER, {}),
                        ENOSYS);
  }
  // Nothing changed.
  EXPECT_EQ(stat_field(41), SCHED_OTHER);
}
#elif OSCPP_HAVE_SCHED_SETSCHEDULER
TEST(SchedPolicy, GetschedulerMatchesProc) {
  // proc(5) field 41 is the policy.
  EXPECT_EQ(os::sched_getscheduler(0), stat_field(41));
  EXPECT_EQ(os::sched_getscheduler(::getpid()), stat_field(41));
  auto r = os::nothrow::sched_getscheduler(0);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, stat_field(41));
}

TEST(SchedPolicy, GetschedulerErrors) {
  EXPECT_OS_ERROR(os::sched_getscheduler(-1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::sched_getscheduler(kNoSuchPid), os::ProcessLookupError,
                  ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::sched_getscheduler(-1), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::sched_getscheduler(kNoSuchPid), ESRCH);
}

TEST(SchedPolicy, SetschedulerAndParam) {
  EXPECT_EQ(in_child([] {
              os::sched_setscheduler(0, SCHED_FIFO, {.sched_priority = 3});
              CHILD_CHECK(os::sched_getscheduler(0) == SCHED_FIFO);
              CHILD_CHECK(os::sched_getparam(0).sched_priority == 3);
              CHILD_CHECK(stat_field(41) == SCHED_FIFO);
              CHILD_CHECK(stat_field(40) == 3);  // rt_priority
              os::sched_setparam(0, {.sched_priority = 7});
              auto p = os::nothrow::sched_getparam(0);
              CHILD_CHECK(p && p->sched_priority == 7);
              CHILD_CHECK(stat_field(40) == 7);
              os::sched_setscheduler(0, SCHED_BATCH, {});
              CHILD_CHECK(os::sched_getscheduler(0) == SCHED_BATCH);
              os::sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, {});
              CHILD_CHECK(os::sched_getscheduler(0) ==
                          (SCHED_OTHER | SCHED_RESET_ON_FORK));
              return 0;
            }),
            0);
}

TEST(SchedPolicy, SetschedulerErrors) {
  EXPECT_EQ(
      in_child([] {
        CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
            [] { os::sched_setscheduler(0, 12345, {}); }, EINVAL));
        // SCHED_OTHER takes priority 0 only.
        CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
            [] {
              os::sched_setscheduler(0, SCHED_OTHER, {.sched_priority = 5});
            },
            EINVAL));
        CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
            [] { os::sched_setparam(0, {.sched_priority = 5}); }, EINVAL));
        CHILD_CHECK(::oscpp_test::os_error<os::ProcessLookupError>(
            [] { os::sched_setscheduler(kNoSuchPid, SCHED_OTHER, {}); },
            ESRCH));
        CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
            [] { os::sched_setparam(-1, {}); }, EINVAL));
        auto r = os::nothrow::sched_setscheduler(0, 12345, {});
        CHILD_CHECK(!r && r.error().value() == EINVAL);
        auto p = os::nothrow::sched_setparam(kNoSuchPid, {});
        CHILD_CHECK(!p && p.error().value() == ESRCH);
        return 0;
      }),
      0);
  // Real-time policies need privilege.
  EXPECT_EQ(run_unprivileged([] {
              CHILD_CHECK(::oscpp_test::os_error<os::PermissionError>(
                  [] {
                    os::sched_setscheduler(0, SCHED_FIFO,
                                           {.sched_priority = 1});
                  },
                  EPERM));
              return 0;
            }),
            0);
}

TEST(SchedParam, GetparamOfAnOrdinaryProcessIsZero) {
  EXPECT_EQ(os::sched_getparam(0).sched_priority, stat_field(40));
  auto r = os::nothrow::sched_getparam(::getpid());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->sched_priority, stat_field(40));
}

TEST(SchedParam, GetparamErrors) {
  EXPECT_OS_ERROR(os::sched_getparam(-1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::sched_getparam(kNoSuchPid), os::ProcessLookupError,
                  ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::sched_getparam(-1), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::sched_getparam(kNoSuchPid), ESRCH);
}
#endif

// ---------------------------------------------------------------- rr

#if OSCPP_HAVE_SCHED_SETSCHEDULER
TEST(SchedRrGetInterval, IsTheRoundRobinQuantum) {
#if !(defined(__linux__) && !defined(__GLIBC__))
  // (musl cannot make a process round-robin: see above.)
  EXPECT_EQ(in_child([] {
              os::sched_setscheduler(0, SCHED_RR, {.sched_priority = 1});
              std::ifstream in("/proc/sys/kernel/sched_rr_timeslice_ms");
              long ms = 0;
              CHILD_CHECK(in >> ms);
              CHILD_CHECK(os::sched_rr_get_interval(0) == ms / 1000.0);
              auto r = os::nothrow::sched_rr_get_interval(0);
              CHILD_CHECK(r && *r == ms / 1000.0);
              return 0;
            }),
            0);
#endif
  // Not round-robin: a finite, non-negative number of seconds.
  double other = os::sched_rr_get_interval(0);
  EXPECT_GE(other, 0.0);
  EXPECT_LT(other, 1.0);
}

TEST(SchedRrGetInterval, Errors) {
  EXPECT_OS_ERROR(os::sched_rr_get_interval(-1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::sched_rr_get_interval(kNoSuchPid), os::ProcessLookupError,
                  ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::sched_rr_get_interval(kNoSuchPid), ESRCH);
}
#endif

TEST(SchedYield, Succeeds) {
  // Linux's sched_yield cannot fail.
  os::sched_yield();
  EXPECT_TRUE(os::nothrow::sched_yield());
}

// ---------------------------------------------------------------- affinity

#if OSCPP_HAVE_SCHED_SETAFFINITY
TEST(SchedAffinity, GetaffinityMatchesProc) {
  std::set<int> cpus = os::sched_getaffinity(0);
  EXPECT_EQ(cpus, allowed_cpus());
  EXPECT_FALSE(cpus.empty());
  auto r = os::nothrow::sched_getaffinity(::getpid());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, cpus);
}

TEST(SchedAffinity, GetaffinityErrors) {
  // pid -1 is no process (ESRCH), as for Python.
  EXPECT_OS_ERROR(os::sched_getaffinity(-1), os::ProcessLookupError, ESRCH);
  EXPECT_OS_ERROR(os::sched_getaffinity(kNoSuchPid), os::ProcessLookupError,
                  ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::sched_getaffinity(-1), ESRCH);
}

TEST(SchedAffinity, SetaffinityThenGetaffinity) {
  std::set<int> all = allowed_cpus();
  int first = *all.begin();
  int last = *all.rbegin();
  EXPECT_EQ(in_child([&] {
              os::sched_setaffinity(0, {first});
              CHILD_CHECK(os::sched_getaffinity(0) == std::set<int>{first});
              CHILD_CHECK(allowed_cpus() == std::set<int>{first});
              // Any container; CPUs the machine lacks (beyond glibc's 1024
              // too) are dropped by the kernel.
              std::vector<int> many{last, 5000, 1 << 20};
              os::sched_setaffinity(0, many);
              CHILD_CHECK(os::sched_getaffinity(0) == std::set<int>{last});
              auto r = os::nothrow::sched_setaffinity(0, all);
              CHILD_CHECK(r);
              CHILD_CHECK(os::sched_getaffinity(0) == all);
              return 0;
            }),
            0);
}

TEST(SchedAffinity, SetaffinityErrors) {
  EXPECT_EQ(in_child([] {
              // An empty mask, or one with no CPU of this machine: EINVAL.
              CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
                  [] { os::sched_setaffinity(0, std::set<int>{}); }, EINVAL));
              CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
                  [] { os::sched_setaffinity(0, {100000}); }, EINVAL));
              auto r = os::nothrow::sched_setaffinity(0, std::set<int>{});
              CHILD_CHECK(!r && r.error().value() == EINVAL);
              CHILD_CHECK(::oscpp_test::os_error<os::ProcessLookupError>(
                  [] { os::sched_setaffinity(-1, {0}); }, ESRCH));
              CHILD_CHECK(::oscpp_test::os_error<os::ProcessLookupError>(
                  [] { os::sched_setaffinity(kNoSuchPid, {0}); }, ESRCH));
              return 0;
            }),
            0);
  // Python's ValueError / OverflowError, before any call.
  try {
    os::sched_setaffinity(0, {0, -10});
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "negative CPU number");
  }
  try {
    os::sched_setaffinity(0, {INT_MAX});
    ADD_FAILURE() << "no exception";
  } catch (const std::overflow_error& e) {
    EXPECT_STREQ(e.what(), "CPU number too large");
  }
  EXPECT_THROW((void)os::nothrow::sched_setaffinity(0, std::set<int>{-1}),
               std::invalid_argument);
  EXPECT_EQ(os::sched_getaffinity(0), allowed_cpus());
  // Another user's process.
  EXPECT_EQ(run_unprivileged([] {
              CHILD_CHECK(::oscpp_test::os_error<os::PermissionError>(
                  [] { os::sched_setaffinity(1, {0}); }, EPERM));
              return 0;
            }),
            0);
}
#endif

}  // namespace
