// Process Parameters: ids, groups, process groups and sessions, priorities,
// umask, uname, getlogin, ctermid. Results are checked against /proc; calls
// that change the process run in forked children (as root, or dropped to
// 65534 with run_unprivileged), never in the test process itself.
#include "oscpp/process_parameters.hpp"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "oscpp/file_descriptors.hpp"
#include "support/support.hpp"

namespace {

using oscpp_test::in_child;
using oscpp_test::run_unprivileged;
#if defined(__linux__)
using oscpp_test::stat_field;
#endif

// No process has this id: pid_max is at most 2**22.
constexpr pid_t kNoSuchPid = INT_MAX;

// The numbers after "<key>:" in /proc/self/status.
std::vector<long> status_numbers(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    std::vector<long> out;
    long v;
    while (fields >> v) out.push_back(v);
    return out;
  }
  ADD_FAILURE() << "no " << key << " in /proc/self/status";
  return {};
}

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// ---------------------------------------------------------------- ids

#if OSCPP_HAVE_GETRESUID
TEST(Ids, GettersMatchProc) {
  auto uids = status_numbers("Uid");
  auto gids = status_numbers("Gid");
  ASSERT_EQ(uids.size(), 4u);
  ASSERT_EQ(gids.size(), 4u);
  EXPECT_EQ(os::getuid(), static_cast<uid_t>(uids[0]));
  EXPECT_EQ(os::geteuid(), static_cast<uid_t>(uids[1]));
  EXPECT_EQ(os::getgid(), static_cast<gid_t>(gids[0]));
  EXPECT_EQ(os::getegid(), static_cast<gid_t>(gids[1]));
  auto [ruid, euid, suid] = os::getresuid();
  EXPECT_EQ(ruid, static_cast<uid_t>(uids[0]));
  EXPECT_EQ(euid, static_cast<uid_t>(uids[1]));
  EXPECT_EQ(suid, static_cast<uid_t>(uids[2]));
  auto [rgid, egid, sgid] = os::getresgid();
  EXPECT_EQ(rgid, static_cast<gid_t>(gids[0]));
  EXPECT_EQ(egid, static_cast<gid_t>(gids[1]));
  EXPECT_EQ(sgid, static_cast<gid_t>(gids[2]));
  auto r = os::nothrow::getresuid();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->euid, os::geteuid());
  auto g = os::nothrow::getresgid();
  ASSERT_TRUE(g);
  EXPECT_EQ(g->egid, os::getegid());
}

TEST(Ids, GettersSeeChangesMadeInAChild) {
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(::setresgid(11, 12, 13) == 0);
              CHILD_CHECK(::setresuid(21, 22, 23) == 0);
              CHILD_CHECK(os::getuid() == 21 && os::geteuid() == 22);
              CHILD_CHECK(os::getgid() == 11 && os::getegid() == 12);
              auto [r, e, s] = os::getresuid();
              CHILD_CHECK(r == 21 && e == 22 && s == 23);
              auto [rg, eg, sg] = os::getresgid();
              CHILD_CHECK(rg == 11 && eg == 12 && sg == 13);
              return 0;
            }),
            0);
}

TEST(Ids, SetuidAsRootChangesEveryUid) {
  EXPECT_EQ(in_child([] {
              os::setuid(65534);
              auto [r, e, s] = os::getresuid();
              CHILD_CHECK(r == 65534 && e == 65534 && s == 65534);
              return 0;
            }),
            0);
}
#endif

TEST(Ids, SetuidMinusOneIsEinval) {
  // Python's os.setuid(-1) passes (uid_t)-1 on: EINVAL.
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
                  [] { os::setuid(uid_t(-1)); }, EINVAL));
              auto r = os::nothrow::setuid(uid_t(-1));
              CHILD_CHECK(!r && r.error().value() == EINVAL);
              return 0;
            }),
            0);
}

#if OSCPP_HAVE_GETRESUID
TEST(Ids, SettersUnprivilegedArePermissionErrors) {
  EXPECT_EQ(
      run_unprivileged([] {
        constexpr int eperm = EPERM;
        using PE = os::PermissionError;
        CHILD_CHECK(::oscpp_test::os_error<PE>([] { os::setuid(0); }, eperm));
        CHILD_CHECK(::oscpp_test::os_error<PE>([] { os::seteuid(0); }, eperm));
        CHILD_CHECK(::oscpp_test::os_error<PE>([] { os::setgid(0); }, eperm));
        CHILD_CHECK(::oscpp_test::os_error<PE>([] { os::setegid(0); }, eperm));
        CHILD_CHECK(
            ::oscpp_test::os_error<PE>([] { os::setreuid(0, 0); }, eperm));
        CHILD_CHECK(
            ::oscpp_test::os_error<PE>([] { os::setregid(0, 0); }, eperm));
        CHILD_CHECK(::oscpp_test::os_error<PE>([] { os::setresuid(0, -1, -1); },
                                               eperm));
        CHILD_CHECK(::oscpp_test::os_error<PE>([] { os::setresgid(0, -1, -1); },
                                               eperm));
        CHILD_CHECK(
            ::oscpp_test::os_error<PE>([] { os::setgroups({0}); }, eperm));
        CHILD_CHECK(::oscpp_test::os_error<PE>(
            [] { os::initgroups("root", 0); }, eperm));
        for (auto r :
             {os::nothrow::setuid(0), os::nothrow::seteuid(0),
              os::nothrow::setgid(0), os::nothrow::setegid(0),
              os::nothrow::setreuid(0, 0), os::nothrow::setregid(0, 0),
              os::nothrow::setresuid(0, 0, 0), os::nothrow::setresgid(0, 0, 0),
              os::nothrow::initgroups("root", 0)})
          CHILD_CHECK(!r && r.error().value() == EPERM &&
                      !r.error().filename());
        return 0;
      }),
      0);
}
#endif

#if OSCPP_HAVE_GETRESUID
TEST(Ids, SetEffectiveIdsLeaveTheOthers) {
  EXPECT_EQ(in_child([] {
              os::setegid(7);
              os::seteuid(8);
              auto [r, e, s] = os::getresuid();
              CHILD_CHECK(r == 0 && e == 8 && s == 0);
              auto [rg, eg, sg] = os::getresgid();
              CHILD_CHECK(rg == 0 && eg == 7 && sg == 0);
              return 0;
            }),
            0);
}

TEST(Ids, MinusOneLeavesIdsUnchanged) {
  EXPECT_EQ(in_child([] {
              os::setregid(5, -1);
              os::setreuid(6, -1);
              os::setreuid(-1, -1);
              os::setregid(-1, -1);
              auto [r, e, s] = os::getresuid();
              CHILD_CHECK(r == 6 && e == 0);
              auto [rg, eg, sg] = os::getresgid();
              CHILD_CHECK(rg == 5 && eg == 0);
              os::setresgid(-1, 31, -1);
              os::setresuid(-1, -1, 32);
              auto u = os::getresuid();
              CHILD_CHECK(u.ruid == 6 && u.euid == 0 && u.suid == 32);
              auto g = os::getresgid();
              CHILD_CHECK(g.rgid == 5 && g.egid == 31 && g.sgid == sg);
              return 0;
            }),
            0);
}

TEST(Ids, SetresAsRoot) {
  EXPECT_EQ(in_child([] {
              os::setresgid(41, 42, 43);
              os::setresuid(44, 45, 46);
              auto [r, e, s] = os::getresuid();
              CHILD_CHECK(r == 44 && e == 45 && s == 46);
              auto [rg, eg, sg] = os::getresgid();
              CHILD_CHECK(rg == 41 && eg == 42 && sg == 43);
              // Now unprivileged: back to root is refused.
              CHILD_CHECK(::oscpp_test::os_error<os::PermissionError>(
                  [] { os::setresuid(0, 0, 0); }, EPERM));
              return 0;
            }),
            0);
}
#endif

// ---------------------------------------------------------------- groups

TEST(Groups, GetgroupsMatchesProc) {
  std::set<gid_t> expected;
  for (long g : status_numbers("Groups"))
    expected.insert(static_cast<gid_t>(g));
  auto groups = os::getgroups();
  EXPECT_EQ(std::set<gid_t>(groups.begin(), groups.end()), expected);
  auto r = os::nothrow::getgroups();
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, groups);
}

TEST(Groups, SetgroupsThenGetgroups) {
  EXPECT_EQ(in_child([] {
              os::setgroups({3, 1, 2});
              // Linux keeps the list sorted.
              CHILD_CHECK((os::getgroups() == std::vector<gid_t>{1, 2, 3}));
              std::vector<gid_t> many(100);
              for (gid_t i = 0; i < many.size(); ++i) many[i] = 1000 + i;
              os::setgroups(many);
              CHILD_CHECK(os::getgroups() == many);
              os::setgroups(std::vector<gid_t>{});
              CHILD_CHECK(os::getgroups().empty());
              return 0;
            }),
            0);
}

TEST(Groups, SetgroupsErrors) {
  EXPECT_EQ(in_child([] {
              // More than the kernel's NGROUPS_MAX, 65536: EINVAL. (musl's
              // <limits.h> says 32, the historical value; Linux takes more.)
              std::vector<gid_t> too_many(
                  std::max<std::size_t>(NGROUPS_MAX, 65536) + 1, 5);
              CHILD_CHECK(::oscpp_test::os_error<os::OSError>(
                  [&] { os::setgroups(too_many); }, EINVAL));
              // gid -1 is not a group.
              auto r = os::nothrow::setgroups(std::vector<gid_t>{gid_t(-1)});
              CHILD_CHECK(!r && r.error().value() == EINVAL);
              return 0;
            }),
            0);
}

TEST(Groups, GetgrouplistPutsTheGroupFirst) {
  auto groups = os::getgrouplist("root", 0);
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups[0], 0u);
  // An unknown user belongs to the given group only.
  EXPECT_EQ(os::getgrouplist("oscpp-no-such-user", 4242),
            std::vector<gid_t>{4242});
  auto r = os::nothrow::getgrouplist(std::string("root"), 77);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front(), 77u);
}

TEST(Groups, GetgrouplistFindsSupplementaryGroups) {
  // Any group of the group database that lists a member: that member's list
  // holds it.
  ::setgrent();
  std::string member;
  gid_t gid = 0;
  while (struct ::group* g = ::getgrent()) {
    if (g->gr_mem != nullptr && g->gr_mem[0] != nullptr) {
      member = g->gr_mem[0];
      gid = g->gr_gid;
      break;
    }
  }
  ::endgrent();
  if (member.empty()) GTEST_SKIP() << "no group lists a member";
  auto groups = os::getgrouplist(member, 4243);
  EXPECT_EQ(groups.front(), 4243u);
  EXPECT_NE(std::find(groups.begin(), groups.end(), gid), groups.end());
}

TEST(Groups, GetgrouplistEmbeddedNulIsInvalidArgument) {
  using namespace std::string_literals;
  EXPECT_THROW(os::getgrouplist("ro\0ot"s, 0), std::invalid_argument);
  EXPECT_THROW((void)os::nothrow::getgrouplist("ro\0ot"s, 0),
               std::invalid_argument);
  EXPECT_THROW(os::initgroups("ro\0ot"s, 0), std::invalid_argument);
}

TEST(Groups, InitgroupsAddsTheGroup) {
  EXPECT_EQ(in_child([] {
              os::setgroups({1, 2});
              os::initgroups("root", 4244);
              auto groups = os::getgroups();
              CHILD_CHECK(std::find(groups.begin(), groups.end(), 4244) !=
                          groups.end());
              // An unknown user: just the group.
              os::initgroups("oscpp-no-such-user", 4245);
              CHILD_CHECK(os::getgroups() == std::vector<gid_t>{4245});
              return 0;
            }),
            0);
}

// ---------------------------------------------------------------- login

// getlogin without a login name: OSError ENXIO, in both forms.
bool getlogin_fails_with_enxio() {
  auto r = os::nothrow::getlogin();
  return !r && r.error().value() == ENXIO &&
         ::oscpp_test::os_error<os::OSError>([] { (void)os::getlogin(); },
                                             ENXIO);
}

#if defined(__linux__) && !defined(__GLIBC__)
TEST(Login, GetloginIsLognameOnMusl) {
  // musl's getlogin is getenv("LOGNAME") (no utmp, no loginuid), and so is
  // Python's os.getlogin there; getlogin_r says ENXIO without it.
  EXPECT_EQ(in_child([] {
              ::setenv("LOGNAME", "oscpp-user", 1);
              CHILD_CHECK(os::getlogin() == "oscpp-user");
              ::unsetenv("LOGNAME");
              CHILD_CHECK(getlogin_fails_with_enxio());
              return 0;
            }),
            0);
}
#else
TEST(Login, GetloginNamesTheLoginUid) {
  if (::access("/proc/self/loginuid", W_OK) != 0)
    GTEST_SKIP() << "no writable /proc/self/loginuid (no audit support)";
  EXPECT_EQ(in_child([] {
              int fd = ::open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
              CHILD_CHECK(fd >= 0);
              CHILD_CHECK(::write(fd, "0", 1) == 1);
              ::close(fd);
              CHILD_CHECK(os::getlogin() == "root");
              auto r = os::nothrow::getlogin();
              CHILD_CHECK(r && *r == "root");
              return 0;
            }),
            0);
}

TEST(Login, GetloginWithoutLoginUidOrTerminalIsENXIO) {
  if (::access("/proc/self/loginuid", W_OK) != 0)
    GTEST_SKIP() << "no writable /proc/self/loginuid (no audit support)";
  EXPECT_EQ(in_child([] {
              int fd = ::open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
              CHILD_CHECK(fd >= 0);
              CHILD_CHECK(::write(fd, "4294967295", 10) == 10);
              ::close(fd);
              int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
              CHILD_CHECK(null >= 0 && ::dup2(null, 0) == 0);
              ::close(null);
              CHILD_CHECK(getlogin_fails_with_enxio());
              return 0;
            }),
            0);
}
#endif

// ---------------------------------------------------------------- sessions

// /proc/self/stat is Linux's.
#if defined(__linux__)
TEST(ProcessGroups, GetpgidAndGetsidMatchProc) {
  EXPECT_EQ(os::getpgrp(), static_cast<pid_t>(stat_field(5)));
  EXPECT_EQ(os::getpgid(0), static_cast<pid_t>(stat_field(5)));
  EXPECT_EQ(os::getpgid(os::getpid()), os::getpgrp());
  EXPECT_EQ(os::getsid(0), static_cast<pid_t>(stat_field(6)));
  EXPECT_EQ(os::getpid(), static_cast<pid_t>(std::stol(
                              read_line("/proc/self/stat").substr(0, 20))));
  EXPECT_EQ(os::getppid(), static_cast<pid_t>(stat_field(4)));
  auto r = os::nothrow::getsid(os::getpid());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, os::getsid(0));
}
#endif

TEST(ProcessGroups, NoSuchProcessIsProcessLookupError) {
  EXPECT_OS_ERROR(os::getpgid(kNoSuchPid), os::ProcessLookupError, ESRCH);
  EXPECT_OS_ERROR(os::getsid(kNoSuchPid), os::ProcessLookupError, ESRCH);
  EXPECT_OS_ERROR(os::setpgid(kNoSuchPid, 0), os::ProcessLookupError, ESRCH);
  EXPECT_OS_ERROR(os::getpgid(-1), os::ProcessLookupError, ESRCH);
  EXPECT_OS_ERROR(os::setpgid(-1, 0), os::OSError, EINVAL);
  auto r = os::nothrow::getpgid(kNoSuchPid);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), ESRCH);
  auto s = os::nothrow::getsid(kNoSuchPid);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().value(), ESRCH);
  auto p = os::nothrow::setpgid(kNoSuchPid, 0);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().value(), ESRCH);
}

TEST(ProcessGroups, SetpgrpAndSetpgidMakeAGroup) {
  EXPECT_EQ(in_child([] {
              os::setpgrp();
              CHILD_CHECK(os::getpgrp() == os::getpid());
              CHILD_CHECK(os::getpgid(0) == os::getpid());
              return 0;
            }),
            0);
  EXPECT_EQ(in_child([] {
              os::setpgid(0, 0);
              CHILD_CHECK(os::getpgrp() == os::getpid());
              return 0;
            }),
            0);
}

TEST(ProcessGroups, SetsidMakesASession) {
  EXPECT_EQ(in_child([] {
              os::setsid();
              CHILD_CHECK(os::getsid(0) == os::getpid());
              CHILD_CHECK(os::getpgrp() == os::getpid());
              // A session leader can neither start another session nor
              // move to another group.
              CHILD_CHECK(::oscpp_test::os_error<os::PermissionError>(
                  [] { os::setsid(); }, EPERM));
              auto r = os::nothrow::setsid();
              CHILD_CHECK(!r && r.error().value() == EPERM);
              CHILD_CHECK(::oscpp_test::os_error<os::PermissionError>(
                  [] { os::setpgrp(); }, EPERM));
              auto p = os::nothrow::setpgrp();
              CHILD_CHECK(!p && p.error().value() == EPERM);
              return 0;
            }),
            0);
}

// ---------------------------------------------------------------- priority

// /proc/self/stat is Linux's.
#if defined(__linux__)
TEST(Priority, GetpriorityIsTheNiceValue) {
  // proc(5) field 19 is the nice value.
  EXPECT_EQ(os::getpriority(PRIO_PROCESS, 0), stat_field(19));
  EXPECT_EQ(os::getpriority(PRIO_PROCESS, os::getpid()), stat_field(19));
  auto r = os::nothrow::getpriority(PRIO_PROCESS, 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, stat_field(19));
}
#endif

TEST(Priority, SetpriorityThenGetpriority) {
  EXPECT_EQ(in_child([] {
              os::setpriority(PRIO_PROCESS, 0, 5);
              CHILD_CHECK(os::getpriority(PRIO_PROCESS, 0) == 5);
              // -1 is a nice value, not a failure.
              os::setpriority(PRIO_PROCESS, os::getpid(), -1);
              CHILD_CHECK(os::getpriority(PRIO_PROCESS, 0) == -1);
              auto r = os::nothrow::getpriority(PRIO_PROCESS, 0);
              CHILD_CHECK(r && *r == -1);
              return 0;
            }),
            0);
}

TEST(Priority, Errors) {
  EXPECT_OS_ERROR(os::getpriority(999, 0), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::getpriority(PRIO_PROCESS, kNoSuchPid),
                  os::ProcessLookupError, ESRCH);
  EXPECT_OS_ERROR(os::getpriority(PRIO_PROCESS, -1), os::ProcessLookupError,
                  ESRCH);
  EXPECT_OS_ERROR(os::setpriority(999, 0, 0), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::setpriority(PRIO_PROCESS, kNoSuchPid, 0),
                  os::ProcessLookupError, ESRCH);
  auto r = os::nothrow::getpriority(999, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), EINVAL);
  auto s = os::nothrow::setpriority(999, 0, 0);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().value(), EINVAL);
  // Only a privileged process may lower its nice value.
  EXPECT_EQ(run_unprivileged([] {
              CHILD_CHECK(::oscpp_test::os_error<os::PermissionError>(
                  [] { os::setpriority(PRIO_PROCESS, 0, -5); }, EACCES));
              return 0;
            }),
            0);
}

// ---------------------------------------------------------------- misc

TEST(Umask, SetsAndReturnsThePrevious) {
  mode_t old = os::umask(027);
  std::string field;
  {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("Umask:", 0) == 0) field = line.substr(line.find('0'));
  }
  EXPECT_EQ(os::umask(old), 027u);
  EXPECT_EQ(field, "0027");
  // Only the permission bits are kept, as Python's umask(-1) shows.
  EXPECT_EQ(in_child([] {
              os::umask(mode_t(-1));
              CHILD_CHECK(os::umask(0) == 0777);
              return 0;
            }),
            0);
}

TEST(Ctermid, IsDevTty) {
  EXPECT_EQ(os::ctermid(), "/dev/tty");
  auto r = os::nothrow::ctermid();
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "/dev/tty");
}

TEST(Uname, MatchesProcSysKernel) {
  auto [sysname, nodename, release, version, machine] = os::uname();
  EXPECT_EQ(sysname, read_line("/proc/sys/kernel/ostype"));
  EXPECT_EQ(nodename, read_line("/proc/sys/kernel/hostname"));
  EXPECT_EQ(release, read_line("/proc/sys/kernel/osrelease"));
  EXPECT_EQ(version, read_line("/proc/sys/kernel/version"));
  if (::access("/proc/sys/kernel/arch", R_OK) == 0) {
    EXPECT_EQ(machine, read_line("/proc/sys/kernel/arch"));
  }
  auto r = os::nothrow::uname();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->sysname, "Linux");
}

#if OSCPP_HAVE_SETNS
// unshare(CLONE_NEWUTS) gives the child its own host name; setns back into
// a namespace of the same type works, into another type is EINVAL.
TEST(Namespaces, UnshareAndSetnsInChild) {
  std::string parent_name = os::uname().nodename;
  EXPECT_EQ(in_child([] {
              os::unshare(CLONE_NEWUTS);
              CHILD_CHECK(::sethostname("oscpp-ns", 8) == 0);
              CHILD_CHECK(os::uname().nodename == "oscpp-ns");
              int fd = ::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
              CHILD_CHECK(fd >= 0);
              os::setns(fd, CLONE_NEWUTS);
              os::setns(fd);
              auto wrong = os::nothrow::setns(fd, CLONE_NEWNET);
              CHILD_CHECK(!wrong && wrong.error().value() == EINVAL);
              CHILD_CHECK(!wrong.error().filename());
              ::close(fd);
              return 0;
            }),
            0);
  EXPECT_EQ(os::uname().nodename, parent_name);
}

TEST(Namespaces, Errors) {
  EXPECT_OS_ERROR(os::unshare(-1), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::unshare(-1), EINVAL);
  int bad = oscpp_test::closed_fd();
  EXPECT_OS_ERROR(os::setns(bad, 0), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::setns(bad), EBADF);
}
#endif

}  // namespace

namespace {

// Writes to a pipe whose reader is gone; the exit code says what happened.
int write_to_closed_pipe() {
  auto [r, w] = os::pipe();
  r.reset();
  try {
    (void)os::write(w, "x");
  } catch (const os::BrokenPipeError& e) {
    return e.code().value() == EPIPE ? 0 : 2;
  }
  return 3;
}

// A C++ program dies of SIGPIPE where Python raises BrokenPipeError; after
// os::ignore_sigpipe() it gets Python's behaviour.
TEST(IgnoreSigpipe, GivesPythonsBrokenPipeError) {
  int status = oscpp_test::in_child([] {
    ::signal(SIGPIPE, SIG_DFL);
    return write_to_closed_pipe();
  });
  EXPECT_EQ(status, 128 + SIGPIPE);
  status = oscpp_test::in_child([] {
    ::signal(SIGPIPE, SIG_DFL);
    os::ignore_sigpipe();
    struct sigaction now = {};
    ::sigaction(SIGPIPE, nullptr, &now);
    if (now.sa_handler != SIG_IGN) return 4;
    return write_to_closed_pipe();
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
