// Miscellaneous System Information: confstr, sysconf, their names,
// cpu_count, process_cpu_count, getloadavg.
#include "oscpp/system_info.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif
#if defined(__linux__)
#include <sys/auxv.h>
#include <sys/syscall.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "oscpp/file_descriptors.hpp"  // fpathconf
#include "oscpp/scheduler.hpp"
#include "support/support.hpp"

namespace {

#if defined(__linux__)
using oscpp_test::deny_syscalls;
#endif
using oscpp_test::in_child;

// The page size and the clock ticks per second as the kernel gives them:
// the auxiliary vector on Linux; getpagesize and CLK_TCK elsewhere.
long kernel_pagesize() {
#if defined(__linux__)
  return static_cast<long>(::getauxval(AT_PAGESZ));
#else
  return ::getpagesize();
#endif
}
long kernel_clk_tck() {
#if defined(__linux__)
  return static_cast<long>(::getauxval(AT_CLKTCK));
#else
  return CLK_TCK;
#endif
}

template <class F>
void expect_unrecognized(F&& f) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unrecognized configuration name");
  }
}

// ---------------------------------------------------------------- names

TEST(ConfigurationNames, HoldPythonsNamesWithTheSystemsNumbers) {
  EXPECT_EQ(os::confstr_names.at("CS_PATH"), _CS_PATH);
#if defined(__linux__)
  EXPECT_EQ(os::confstr_names.at("CS_GNU_LIBC_VERSION"), _CS_GNU_LIBC_VERSION);
#endif
#if defined(__GLIBC__)
  // Python 3.11 and 3.13 on glibc have the same 27 and 135 names.
  EXPECT_EQ(os::confstr_names.size(), 27u);
  EXPECT_EQ(os::sysconf_names.size(), 135u);
  EXPECT_EQ(os::confstr_names.at("CS_XBS5_LPBIG_OFFBIG_LINTFLAGS"),
            _CS_XBS5_LPBIG_OFFBIG_LINTFLAGS);
#elif defined(__linux__)
  // musl has neither the XBS5 nor the LFS names, so Python there lacks them.
  EXPECT_EQ(os::confstr_names.count("CS_XBS5_LPBIG_OFFBIG_LINTFLAGS"), 0u);
  EXPECT_EQ(os::confstr_names.count("CS_LFS_LIBS"), 0u);
#endif
  EXPECT_EQ(os::sysconf_names.at("SC_ARG_MAX"), _SC_ARG_MAX);
  EXPECT_EQ(os::sysconf_names.at("SC_PAGESIZE"), _SC_PAGESIZE);
  EXPECT_EQ(os::sysconf_names.at("SC_PAGE_SIZE"), _SC_PAGESIZE);
  EXPECT_EQ(os::sysconf_names.at("SC_UIO_MAXIOV"), _SC_IOV_MAX);
#if defined(__linux__)
  EXPECT_EQ(os::sysconf_names.at("SC_MINSIGSTKSZ"), _SC_MINSIGSTKSZ);
  EXPECT_EQ(os::sysconf_names.at("SC_XOPEN_XPG4"), _SC_XOPEN_XPG4);
#endif
  for (const auto& [name, value] : os::confstr_names)
    EXPECT_EQ(name.rfind("CS_", 0), 0u) << name;
  for (const auto& [name, value] : os::sysconf_names)
    EXPECT_EQ(name.rfind("SC_", 0), 0u) << name;
  EXPECT_EQ(os::sysconf_names.count("SC_garbage"), 0u);
}

// ---------------------------------------------------------------- confstr

TEST(Confstr, ValuesByNumberAndByName) {
  EXPECT_EQ(os::confstr(_CS_PATH), "/bin:/usr/bin");
  EXPECT_EQ(os::confstr("CS_PATH"), "/bin:/usr/bin");
#if defined(__GLIBC__)
  EXPECT_EQ(os::confstr("CS_GNU_LIBC_VERSION"),
            std::string("glibc ") + ::gnu_get_libc_version());
  auto r = os::nothrow::confstr(_CS_GNU_LIBPTHREAD_VERSION);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(r->value().rfind("NPTL ", 0), 0u);
  // An empty value is "", not None.
  EXPECT_EQ(os::confstr("CS_LFS_LIBS"), std::string());
#else
  // musl names the GNU values but its confstr refuses them, so Python there
  // raises OSError EINVAL; its empty values are "", not None.
  EXPECT_OS_ERROR(os::confstr("CS_GNU_LIBC_VERSION"), os::OSError, EINVAL);
  EXPECT_EQ(os::confstr(_CS_POSIX_V6_WIDTH_RESTRICTED_ENVS), std::string());
#endif
}

TEST(Confstr, Errors) {
  expect_unrecognized([] { (void)os::confstr("CS_garbage"); });
  EXPECT_OS_ERROR(os::confstr(-1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::confstr(99999), os::OSError, EINVAL);
  auto r = os::nothrow::confstr(99999);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), EINVAL);
}

// ---------------------------------------------------------------- sysconf

TEST(Sysconf, ValuesByNumberAndByName) {
  struct ::rlimit rl;
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &rl), 0);
  EXPECT_EQ(os::sysconf(_SC_OPEN_MAX), static_cast<long>(rl.rlim_cur));
  EXPECT_EQ(os::sysconf("SC_PAGESIZE"), kernel_pagesize());
  EXPECT_EQ(os::sysconf("SC_CLK_TCK"), kernel_clk_tck());
  EXPECT_EQ(os::sysconf("SC_NGROUPS_MAX"), NGROUPS_MAX);
  EXPECT_EQ(in_child([] {
              struct ::rlimit lim {
                123, 123
              };
              CHILD_CHECK(::setrlimit(RLIMIT_NOFILE, &lim) == 0);
              CHILD_CHECK(os::sysconf("SC_OPEN_MAX") == 123);
              auto r = os::nothrow::sysconf(_SC_OPEN_MAX);
              CHILD_CHECK(r && *r == 123);
              return 0;
            }),
            0);
}

TEST(Sysconf, NoLimitIsMinusOneNotAnError) {
  // glibc: no fixed limit on AIO requests.
  EXPECT_EQ(os::sysconf("SC_AIO_MAX"), -1);
  auto r = os::nothrow::sysconf(_SC_AIO_MAX);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, -1);
#if defined(__GLIBC__)
  EXPECT_EQ(os::sysconf("SC_INT_MIN"), INT_MIN);
#else
  // musl has no _SC_INT_MIN, so Python there has no such name.
  expect_unrecognized([] { (void)os::sysconf("SC_INT_MIN"); });
#endif
}

TEST(Sysconf, Errors) {
  expect_unrecognized([] { (void)os::sysconf("SC_garbage"); });
  expect_unrecognized([] { (void)os::sysconf(""); });
  EXPECT_OS_ERROR(os::sysconf(-1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::sysconf(999999), os::OSError, EINVAL);
#if defined(__GLIBC__)
  // A name Python lists that glibc rejects.
  EXPECT_OS_ERROR(os::sysconf("SC_EQUIV_CLASS_MAX"), os::OSError, EINVAL);
#else
  // musl does not define it, so Python there does not list it.
  expect_unrecognized([] { (void)os::sysconf("SC_EQUIV_CLASS_MAX"); });
#endif
  auto r = os::nothrow::sysconf(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), EINVAL);
}

// The nothrow forms by name: a name this system lacks is EINVAL, as the
// number would be; nothing throws.
TEST(Sysconf, NothrowByName) {
  EXPECT_EQ(os::nothrow::sysconf("SC_PAGESIZE").value(), kernel_pagesize());
  EXPECT_EQ(os::nothrow::sysconf("SC_garbage").error().value(), EINVAL);
  EXPECT_EQ(os::nothrow::sysconf("SC_EQUIV_CLASS_MAX").error().value(), EINVAL);
  EXPECT_EQ(os::nothrow::confstr("CS_PATH").value(), "/bin:/usr/bin");
  EXPECT_EQ(os::nothrow::confstr("CS_garbage").error().value(), EINVAL);
  os::unique_fd root(::open("/", O_RDONLY | O_CLOEXEC));
  EXPECT_EQ(os::nothrow::fpathconf(root, "PC_NAME_MAX").value(),
            ::fpathconf(root.get(), _PC_NAME_MAX));
  EXPECT_EQ(os::nothrow::fpathconf(root, "PC_garbage").error().value(), EINVAL);
}

// ---------------------------------------------------------------- cpus

// /sys and /proc are Linux's.
#if defined(__linux__)
int online_cpus() {
  std::ifstream in("/sys/devices/system/cpu/online");
  std::string list;
  std::getline(in, list);
  int count = 0;
  std::istringstream parts(list);
  std::string part;
  while (std::getline(parts, part, ',')) {
    auto dash = part.find('-');
    int lo = std::stoi(part.substr(0, dash));
    int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
    count += hi - lo + 1;
  }
  return count;
}

TEST(CpuCount, CountsOnlineCpus) {
  auto n = os::cpu_count();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, online_cpus());
}
#endif

#if OSCPP_HAVE_SCHED_SETAFFINITY
TEST(ProcessCpuCount, CountsTheAffinityMask) {
  auto n = os::process_cpu_count();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, static_cast<int>(os::sched_getaffinity(0).size()));
  int last = *os::sched_getaffinity(0).rbegin();
#if defined(__GLIBC__)
  const int online = online_cpus();
#else
  // musl counts _SC_NPROCESSORS_ONLN from the affinity mask, and so does
  // Python's os.cpu_count there.
  const int online = 1;
#endif
  EXPECT_EQ(in_child([last, online] {
              os::sched_setaffinity(0, {last});
              CHILD_CHECK(os::process_cpu_count() == 1);
              CHILD_CHECK(os::cpu_count() == online);
              return 0;
            }),
            0);
}
#endif

// seccomp is Linux's.
#if defined(__linux__)
TEST(ProcessCpuCount, FallsBackToCpuCount) {
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(deny_syscalls({{SYS_sched_getaffinity, EPERM}}));
              CHILD_CHECK(os::process_cpu_count() == os::cpu_count());
              return 0;
            }),
            0);
}
#endif

// ---------------------------------------------------------------- load

// /proc and seccomp are Linux's.
#if defined(__linux__)
std::vector<double> proc_loadavg() {
  std::ifstream in("/proc/loadavg");
  std::vector<double> load(3);
  in >> load[0] >> load[1] >> load[2];
  return load;
}

TEST(Getloadavg, MatchesProcLoadavg) {
  // The kernel updates the averages every 5 s: read /proc on both sides and
  // accept either reading (it prints two decimals).
  auto before = proc_loadavg();
  auto [one, five, fifteen] = os::getloadavg();
  auto after = proc_loadavg();
  double got[] = {one, five, fifteen};
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(got[i], std::min(before[i], after[i]) - 0.006) << i;
    EXPECT_LE(got[i], std::max(before[i], after[i]) + 0.006) << i;
  }
  auto r = os::nothrow::getloadavg();
  ASSERT_TRUE(r);
  EXPECT_GE((*r)[2], 0.0);
}

TEST(Getloadavg, UnobtainableIsOSError) {
  // Without /proc/loadavg and sysinfo() (glibc's fallback) there is no load.
#if !defined(__GLIBC__)
  GTEST_SKIP() << "musl's getloadavg ignores a failed sysinfo() and reports "
                  "numbers: no failure to see";
#endif
  EXPECT_EQ(
      in_child([] {
        CHILD_CHECK(deny_syscalls(
            {{SYS_openat, ENOENT}, {SYS_open, ENOENT}, {SYS_sysinfo, ENOSYS}}));
        auto r = os::nothrow::getloadavg();
        CHILD_CHECK(!r && r.error().value() == ENOSYS);
        try {
          (void)os::getloadavg();
          return 99;
        } catch (const os::OSError& e) {
          CHILD_CHECK(typeid(e) == typeid(os::OSError));
          CHILD_CHECK(e.code().value() == ENOSYS);
        }
        return 0;
      }),
      0);
}

#endif

}  // namespace
