// Process Management: posix_spawn and posix_spawnp with every option
// (file_actions open/close/dup2/closefrom, setpgroup, resetids, setsid,
// setsigmask, setsigdef, scheduler). The spawned program is mostly this test
// binary in a child mode that prints what it was given; its output comes
// back through a pipe dup2'd onto its stdout by a file action. Expected
// values and errors were checked against python3 (3.11) on this machine.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "oscpp/environ.hpp"
#include "oscpp/file_descriptors.hpp"  // pipe, read
#include "oscpp/processes.hpp"
#include "oscpp/system_info.hpp"  // devnull
#include "processes_test_util.hpp"
#include "support/support.hpp"

extern char** environ;

namespace {

using namespace std::string_literals;
using oscpp_test::raw_pipe;
using oscpp_test::self_exe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

// ---------------------------------------------------------------- modes

OSCPP_CHILD_MODE(spawn_cmdline) { return print_cmdline(); }
OSCPP_CHILD_MODE(spawn_environ) { return print_environ('\n'); }

// "pid pgid sid ruid euid"
OSCPP_CHILD_MODE(spawn_ids) {
  std::ostringstream out;
  out << ::getpid() << ' ' << ::getpgid(0) << ' ' << ::getsid(0) << ' '
      << ::getuid() << ' ' << ::geteuid();
  write_all(1, out.str());
  return 0;
}

// "<SigBlk> <SigIgn>" of /proc/self/status, signals 1-31 only (glibc's
// posix_spawn leaves its internal signals 32 and 33 ignored, in Python's
// children too).
OSCPP_CHILD_MODE(spawn_signals) {
  std::ifstream in("/proc/self/status");
  std::string line;
  unsigned long long blk = 0, ign = 0;
  while (std::getline(in, line)) {
    if (line.rfind("SigBlk:\t", 0) == 0)
      blk = std::stoull(line.substr(8), nullptr, 16);
    if (line.rfind("SigIgn:\t", 0) == 0)
      ign = std::stoull(line.substr(8), nullptr, 16);
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx %016llx", blk & 0x7fffffffULL,
                ign & 0x7fffffffULL);
  write_all(1, buf);
  return 0;
}

#if OSCPP_HAVE_SCHED_SETSCHEDULER
// "policy priority"
OSCPP_CHILD_MODE(spawn_sched) {
  ::sched_param p{};
  ::sched_getparam(0, &p);
  write_all(1, std::to_string(::sched_getscheduler(0)) + " " +
                   std::to_string(p.sched_priority));
  return 0;
}
#endif

// For each descriptor number given: '1' if open, '0' if not.
OSCPP_CHILD_MODE(spawn_fds) {
  std::string out;
  for (int i = 0; i < argc; ++i)
    out += ::fcntl(std::atoi(argv[i]), F_GETFD) != -1 ? '1' : '0';
  write_all(1, out);
  return 0;
}

// A mask as /proc/self/status shows it.
std::string mask_of(std::initializer_list<int> sigs) {
  unsigned long long m = 0;
  for (int s : sigs) m |= 1ULL << (s - 1);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", m);
  return buf;
}

// Spawns this binary in child mode `mode` with args, stdout on a pipe (a
// dup2 action put before opts' file actions), and returns what it printed;
// its exit status goes to *status.
std::string spawn_mode(const std::string& mode,
                       const std::vector<std::string>& args,
                       os::posix_spawn_options opts = {}, int* status = nullptr,
                       const os::env_list* env = nullptr) {
  raw_pipe out;
  std::vector<std::string> argv = {"child", "--oscpp-child", mode};
  argv.insert(argv.end(), args.begin(), args.end());
  opts.file_actions.insert(opts.file_actions.begin(), os::spawn_dup2{out.w, 1});
  pid_t pid = env ? os::posix_spawn(self_exe(), argv, *env, opts)
                  : os::posix_spawn(self_exe(), argv, opts);
  out.w.reset();
  std::string text = read_all(out.r.get());
  int st = reap(pid);
  if (status) *status = st;
  return text;
}

// ---------------------------------------------------------------- basics

TEST(PosixSpawn, RunsTheProgramAndReturnsItsPid) {
  pid_t pid =
      os::posix_spawn("/bin/sh", {"sh", "-c", "exit 7"}, os::env_list{});
  ASSERT_GT(pid, 0);
  EXPECT_EQ(reap(pid), 7 << 8);
  auto r = os::nothrow::posix_spawn("/bin/sh", {"sh", "-c", "exit $X"},
                                    os::env_list{{"X", "9"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(reap(*r), 9 << 8);
}

TEST(PosixSpawn, PassesArgvAndEnvironmentExactly) {
  EXPECT_EQ(spawn_mode("spawn_cmdline", {"a", "b c", ""}),
            "child\0--oscpp-child\0spawn_cmdline\0a\0b c\0\0"s);
  os::env_list env{{"B", "2"}, {"A", "x=1"}};
  env.add("=C", "3");  // Python passes a key starting with '='
  EXPECT_EQ(spawn_mode("spawn_environ", {}, {}, nullptr, &env),
            "B=2\nA=x=1\n=C=3\n");
}

TEST(PosixSpawn, WithoutEnvironmentInheritsTheProcessOne) {
  auto c = run_in_child([] {
    os::environ.set("OSCPP_SPAWN_TEST", "inherited");
    return spawn_mode("spawn_environ", {});
  });
  EXPECT_NE(c.output.find("\nOSCPP_SPAWN_TEST=inherited\n"), std::string::npos)
      << c.output;
}

TEST(PosixSpawn, ExecFailureNamesThePathAndLeavesNoChild) {
  // Python: posix_spawn('/nonexist', ['a'], {}) FileNotFoundError filename
  // '/nonexist'; '/etc/passwd' PermissionError.
  EXPECT_OS_ERROR(os::posix_spawn("/nonexist", {"a"}, os::env_list{}),
                  os::FileNotFoundError, ENOENT, "/nonexist");
  expect_no_child();
  EXPECT_OS_ERROR(os::posix_spawn("/etc/passwd", {"a"}, os::env_list{}),
                  os::PermissionError, EACCES, "/etc/passwd");
  expect_no_child();
  EXPECT_RESULT_ERROR(os::nothrow::posix_spawn("/nonexist", {"a"}), ENOENT,
                      "/nonexist");
  expect_no_child();
}

TEST(PosixSpawn, InvalidArgumentsStartNothing) {
  // Python's ValueErrors: "posix_spawn: argv must not be empty", "...argv
  // first element cannot be empty", "embedded null byte", "illegal
  // environment variable name", "signal number 0 out of range [1; 64]".
  const os::env_list none;
  expect_invalid([&] { os::posix_spawn("/bin/true", os::arg_list{}, none); },
                 "must not be empty");
  expect_invalid([&] { os::posix_spawn("/bin/true", {""}, none); },
                 "first element cannot be empty");
  expect_invalid([&] { os::posix_spawnp("true", os::arg_list{}, none); },
                 "must not be empty");
  expect_invalid([&] { os::posix_spawnp("true", {""}, none); },
                 "first element cannot be empty");
  expect_invalid(
      [&] { (void)os::nothrow::posix_spawn("/bin/true", os::arg_list{}); },
      "must not be empty");
  expect_invalid([&] { (void)os::nothrow::posix_spawnp("true", {""}); },
                 "first element cannot be empty");
  expect_invalid([&] { os::posix_spawn("/bin/true\0"s, {"a"}, none); },
                 "embedded null byte");
  expect_invalid(
      [&] {
        os::posix_spawn("/bin/true", {"a"}, os::env_list{{"A=B", "1"}});
      },
      "illegal environment variable name");
  for (int sig : {0, 65, -1}) {
    std::string msg =
        "signal number " + std::to_string(sig) + " out of range [1; 64]";
    expect_invalid(
        [&] {
          os::posix_spawn("/bin/true", {"a"}, none,
                          {.setsigmask = std::vector<int>{SIGUSR1, sig}});
        },
        msg);
    expect_invalid(
        [&] {
          (void)os::nothrow::posix_spawnp("true", {"a"}, none,
                                          {.setsigdef = std::vector<int>{sig}});
        },
        msg);
  }
}

TEST(PosixSpawn, InheritsOnlyInheritableDescriptors) {
  raw_pipe cloexec;
  os::unique_fd inheritable = inheritable_dup(cloexec.r.get());
  EXPECT_EQ(spawn_mode("spawn_fds", {std::to_string(cloexec.r.get()),
                                     std::to_string(cloexec.w.get()),
                                     std::to_string(inheritable.get())}),
            "001");
}

// ---------------------------------------------------------------- actions

class PosixSpawnFiles : public oscpp_test::TempDirTest {};

TEST_F(PosixSpawnFiles, OpenActionOpensTheFileInTheChild) {
  oscpp_test::write_file(path("in"), "5\n");
  mode_t mask = ::umask(0);
  ::umask(mask);
  pid_t pid = os::posix_spawn(
      "/bin/sh", {"sh", "-c", "echo out; read x; exit $x"}, os::env_list{},
      {.file_actions = {
           os::spawn_open{1, path("out"), O_WRONLY | O_CREAT | O_TRUNC, 0640},
           os::spawn_open{0, path("in"), O_RDONLY, 0}}});
  EXPECT_EQ(reap(pid), 5 << 8);
  EXPECT_EQ(oscpp_test::read_file(path("out")), "out\n");
  struct stat st {};
  ASSERT_EQ(::stat(path("out").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640 & ~mask);
}

// file_actions=[(POSIX_SPAWN_OPEN, 0, os.devnull, O_RDONLY, 0),
// (POSIX_SPAWN_DUP2, w, 1), (POSIX_SPAWN_CLOSE, r)] with w and r owned
// descriptors, as Python writes it.
TEST_F(PosixSpawnFiles, ActionsTakeOwnedDescriptorsAndDevnull) {
  auto [r, w] = os::pipe();
  auto [unused_r, unused_w] = os::pipe();
  pid_t pid = os::posix_spawn(
      "/bin/sh", {"sh", "-c", "wc -c; echo closed 2>/dev/null >&4"},
      os::env_list{},
      {.file_actions = {os::spawn_open{0, os::devnull, O_RDONLY, 0},
                        os::spawn_dup2{w, 1}, os::spawn_dup2{unused_w, 4},
                        os::spawn_close{unused_w}, os::spawn_close{4}}});
  w.reset();
  unused_w.reset();
  std::string out;
  for (std::string s; !(s = os::read(r, 100)).empty();) out += s;
  EXPECT_EQ(reap(pid), 2 << 8);  // fd 4 was closed: the echo failed
  EXPECT_EQ(out, "0\n");
}

TEST_F(PosixSpawnFiles, FailedOpenActionNamesTheProgram) {
  // Python: file_actions=[(POSIX_SPAWN_OPEN, 3, '/nonexist/x', O_RDONLY,
  // 0)] FileNotFoundError with the spawned path as filename.
  os::posix_spawn_options opts{
      .file_actions = {os::spawn_open{3, path("missing/x"), O_RDONLY, 0}}};
  EXPECT_OS_ERROR(os::posix_spawn("/bin/true", {"true"}, os::env_list{}, opts),
                  os::FileNotFoundError, ENOENT, "/bin/true");
  expect_no_child();
  EXPECT_RESULT_ERROR(os::nothrow::posix_spawn("/bin/true", {"true"}, opts),
                      ENOENT, "/bin/true");
  expect_no_child();
  opts.file_actions = {os::spawn_open{3, path("x"), O_RDONLY, 0}};
  EXPECT_OS_ERROR(os::posix_spawnp("true", {"true"}, os::env_list{}, opts),
                  os::FileNotFoundError, ENOENT, "true");
  expect_no_child();
}

TEST(PosixSpawn, CloseActionClosesInTheChild) {
  raw_pipe p;
  os::unique_fd a = inheritable_dup(p.r.get());
  os::unique_fd b = inheritable_dup(p.r.get());
  EXPECT_EQ(spawn_mode("spawn_fds",
                       {std::to_string(a.get()), std::to_string(b.get())},
                       {.file_actions = {os::spawn_close{a}}}),
            "01");
  // Closing a descriptor that is not open is not an error (Python gives a
  // pid for (POSIX_SPAWN_CLOSE, 1000)).
  int status = -1;
  spawn_mode("spawn_fds", {},
             {.file_actions = {os::spawn_close{oscpp_test::closed_fd()}}},
             &status);
  EXPECT_EQ(status, 0);
}

TEST(PosixSpawn, Dup2ActionMakesAnInheritableCopy) {
  raw_pipe p;  // close-on-exec: dup2 onto another number clears that
  int target = 1000;
  ASSERT_EQ(::fcntl(target, F_GETFD), -1);
  EXPECT_EQ(spawn_mode("spawn_fds",
                       {std::to_string(target), std::to_string(p.r.get())},
                       {.file_actions = {os::spawn_dup2{p.r, target}}}),
            "10");
}

TEST(PosixSpawn, FailedDup2Action) {
  // Python: (POSIX_SPAWN_DUP2, 1000, 5) OSError EBADF with the program as
  // filename (the child's dup2 failed); (POSIX_SPAWN_DUP2, -1, 5) OSError
  // EBADF without one (refused before spawning).
  int bad = oscpp_test::closed_fd();
  os::posix_spawn_options opts{.file_actions = {os::spawn_dup2{bad, 5}}};
  EXPECT_OS_ERROR(os::posix_spawn("/bin/true", {"true"}, os::env_list{}, opts),
                  os::OSError, EBADF, "/bin/true");
  expect_no_child();
  opts.file_actions = {os::spawn_dup2{-1, 5}};
  EXPECT_OS_ERROR(os::posix_spawn("/bin/true", {"true"}, os::env_list{}, opts),
                  os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::posix_spawn("/bin/true", {"true"}, opts),
                      EBADF);
  expect_no_child();
}

#if OSCPP_HAVE_POSIX_SPAWN_ADDCLOSEFROM_NP
TEST(PosixSpawn, ClosefromActionClosesEverythingFromThere) {
  raw_pipe p;
  os::unique_fd low = inheritable_dup(p.r.get());
  os::unique_fd high(::fcntl(p.r.get(), F_DUPFD, 900));  // inheritable
  ASSERT_GE(high.get(), 900);
  ASSERT_LT(low.get(), 900);
  EXPECT_EQ(spawn_mode("spawn_fds",
                       {std::to_string(low.get()), std::to_string(high.get())},
                       {.file_actions = {os::spawn_closefrom{900}}}),
            "10");
  // The actions run in order: the stdout dup2 that spawn_mode puts first
  // comes before closefrom(3), so the output still arrives.
  EXPECT_EQ(spawn_mode("spawn_fds",
                       {std::to_string(low.get()), std::to_string(high.get())},
                       {.file_actions = {os::spawn_closefrom{3}}}),
            "00");
}
#endif

// ---------------------------------------------------------------- attrs

std::vector<long> numbers(const std::string& text) {
  std::istringstream in(text);
  std::vector<long> out;
  long v;
  while (in >> v) out.push_back(v);
  return out;
}

TEST(PosixSpawn, SetpgroupAndSetsid) {
  auto ids = numbers(spawn_mode("spawn_ids", {}, {.setpgroup = 0}));
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[1], ids[0]);  // its own group
  EXPECT_EQ(ids[2], ::getsid(0));
  // Into an existing group: this process's.
  ids = numbers(spawn_mode("spawn_ids", {}, {.setpgroup = ::getpgid(0)}));
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[1], ::getpgid(0));
  // Without: the parent's group.
  ids = numbers(spawn_mode("spawn_ids", {}));
  EXPECT_EQ(ids[1], ::getpgid(0));
  ids = numbers(spawn_mode("spawn_ids", {}, {.setsid = true}));
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[2], ids[0]);  // session leader
  EXPECT_EQ(ids[1], ids[0]);
}

TEST(PosixSpawn, FailedSetpgroupOrSetsidNamesTheProgram) {
  // Python: setpgroup=999999 PermissionError EPERM '/bin/true';
  // setpgroup=0 with setsid=True the same (setsid in a group leader).
  EXPECT_OS_ERROR(os::posix_spawn("/bin/true", {"true"}, os::env_list{},
                                  {.setpgroup = kNoSuchPid}),
                  os::PermissionError, EPERM, "/bin/true");
  expect_no_child();
  EXPECT_OS_ERROR(os::posix_spawn("/bin/true", {"true"}, os::env_list{},
                                  {.setpgroup = 0, .setsid = true}),
                  os::PermissionError, EPERM, "/bin/true");
  expect_no_child();
  EXPECT_RESULT_ERROR(os::nothrow::posix_spawn("/bin/true", {"true"},
                                               {.setpgroup = kNoSuchPid}),
                      EPERM, "/bin/true");
  expect_no_child();
}

#if OSCPP_HAVE_GETRESUID
TEST(PosixSpawn, ResetidsGivesTheRealIds) {
  // From a process with real uid 65534 and effective uid 0, the child runs
  // as 65534 with resetids, as 0 without.
  auto c = run_in_child([] {
    if (::setresgid(65534, 0, 0) != 0 || ::setresuid(65534, 0, 0) != 0)
      return "cannot set ids"s;
    std::string with = spawn_mode("spawn_ids", {}, {.resetids = true});
    std::string without = spawn_mode("spawn_ids", {});
    auto w = numbers(with), wo = numbers(without);
    if (w.size() != 5 || wo.size() != 5) return "bad output: " + with;
    return std::to_string(w[3]) + " " + std::to_string(w[4]) + " / " +
           std::to_string(wo[3]) + " " + std::to_string(wo[4]);
  });
  EXPECT_EQ(c.output, "65534 65534 / 65534 0");
}
#endif

TEST(PosixSpawn, SetsigmaskSetsTheChildsMask) {
  auto c = run_in_child([] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    std::string out = spawn_mode("spawn_signals", {}) + "|";
    out += spawn_mode("spawn_signals", {},
                      {.setsigmask = std::vector<int>{SIGUSR1, SIGTERM}}) +
           "|";
    out += spawn_mode("spawn_signals", {}, {.setsigmask = std::vector<int>{}});
    return out;
  });
  std::string none = mask_of({});
  EXPECT_EQ(c.output, mask_of({SIGUSR2}) + " " + none + "|" +
                          mask_of({SIGUSR1, SIGTERM}) + " " + none + "|" +
                          none + " " + none);
}

TEST(PosixSpawn, SetsigdefRestoresDefaultActions) {
  auto c = run_in_child([] {
    ::signal(SIGUSR1, SIG_IGN);
    ::signal(SIGUSR2, SIG_IGN);
    std::string out = spawn_mode("spawn_signals", {}) + "|";
    out += spawn_mode("spawn_signals", {},
                      {.setsigdef = std::vector<int>{SIGUSR1}});
    return out;
  });
  std::string none = mask_of({});
  EXPECT_EQ(c.output, none + " " + mask_of({SIGUSR1, SIGUSR2}) + "|" + none +
                          " " + mask_of({SIGUSR2}));
}

#if defined(__linux__) && !defined(__GLIBC__)
TEST(PosixSpawn, SchedulerIsENOSYSOnMusl) {
  // musl's posix_spawnattr_setschedpolicy/setschedparam are ENOSYS (its
  // sched_setscheduler too: Linux's call sets a thread's policy, not the
  // process's), so Python's posix_spawn(scheduler=...) is OSError ENOSYS
  // there, before any child.
  for (os::spawn_scheduler s : {os::spawn_scheduler{SCHED_FIFO, {1}},
                                os::spawn_scheduler{std::nullopt, {0}}}) {
    EXPECT_OS_ERROR(os::posix_spawn("/bin/true", {"true"}, os::env_list{},
                                    {.scheduler = s}),
                    os::OSError, ENOSYS);
    expect_no_child();
    EXPECT_RESULT_ERROR(
        os::nothrow::posix_spawn("/bin/true", {"true"}, {.scheduler = s}),
        ENOSYS);
  }
}
#elif OSCPP_HAVE_SCHED_SETSCHEDULER
TEST(PosixSpawn, SchedulerSetsPolicyAndParameters) {
  // Python: scheduler=(SCHED_FIFO, sched_param(1)) gives the child "1 1";
  // scheduler=(None, param) keeps the parent's policy with that priority.
  EXPECT_EQ(spawn_mode("spawn_sched", {},
                       {.scheduler = os::spawn_scheduler{SCHED_FIFO, {1}}}),
            std::to_string(SCHED_FIFO) + " 1");
  EXPECT_EQ(spawn_mode("spawn_sched", {},
                       {.scheduler = os::spawn_scheduler{SCHED_OTHER, {0}}}),
            std::to_string(SCHED_OTHER) + " 0");
  auto c = run_in_child([] {
    ::sched_param p{};
    p.sched_priority = 2;
    if (::sched_setscheduler(0, SCHED_RR, &p) != 0) return "no SCHED_RR"s;
    return spawn_mode("spawn_sched", {},
                      {.scheduler = os::spawn_scheduler{std::nullopt, {3}}});
  });
  EXPECT_EQ(c.output, std::to_string(SCHED_RR) + " 3");
}

TEST(PosixSpawn, FailedSchedulerIsOSError) {
  // Python: (SCHED_FIFO, sched_param(1000)) and (None, sched_param(5))
  // under SCHED_OTHER: OSError EINVAL with the program as filename (the
  // child failed); policy 999: OSError EINVAL without one (refused by
  // posix_spawnattr_setschedpolicy before spawning).
  auto spawn = [](os::spawn_scheduler s) {
    return [s] {
      os::posix_spawn("/bin/true", {"true"}, os::env_list{}, {.scheduler = s});
    };
  };
  EXPECT_TRUE(::oscpp_test::os_error<os::OSError>(spawn({SCHED_FIFO, {1000}}),
                                                  EINVAL, "/bin/true"));
  expect_no_child();
  EXPECT_TRUE(::oscpp_test::os_error<os::OSError>(spawn({std::nullopt, {5}}),
                                                  EINVAL, "/bin/true"));
  expect_no_child();
  EXPECT_TRUE(::oscpp_test::os_error<os::OSError>(spawn({999, {0}}), EINVAL));
  expect_no_child();
  EXPECT_RESULT_ERROR(
      os::nothrow::posix_spawn("/bin/true", {"true"},
                               {.scheduler = os::spawn_scheduler{999, {0}}}),
      EINVAL);
}
#endif

// ---------------------------------------------------------------- spawnp

// posix_spawnp searches PATH of the process environment, not env's (the C
// library's rule, as Python); errors name the file as given.
TEST_F(PathSearchTest, PosixSpawnpSearchesTheProcessPath) {
  auto c = run_in_child([&] {
    os::environ.set("PATH", path_of({"notadir", "noexec", "good"}));
    std::string out;
    pid_t pid =
        os::posix_spawnp("prog", {"prog"}, {{"PATH", path_of({"empty"})}});
    out += std::to_string(code_of(reap(pid))) + " ";
    auto r = os::nothrow::posix_spawnp("prog", {"prog"});
    out += r ? std::to_string(code_of(reap(*r))) : "error";
    return out;
  });
  EXPECT_EQ(c.output, "7 7");
}

TEST_F(PathSearchTest, PosixSpawnpErrorsNameTheFile) {
  // Python: PATH=notadir:noexec PermissionError 'prog';
  // PATH=notadir:empty FileNotFoundError 'prog'.
  auto c = run_in_child([&] {
    os::environ.set("PATH", path_of({"notadir", "noexec"}));
    return encode(catch_report(
        [] { os::posix_spawnp("prog", {"prog"}, os::env_list{}); }));
  });
  expect_report<os::PermissionError>(decode(c.output), EACCES, "prog");
  c = run_in_child([&] {
    os::environ.set("PATH", path_of({"notadir", "empty"}));
    return encode(catch_report([&] {
      os::posix_spawnp("prog", {"prog"}, {{"PATH", path_of({"good"})}});
    }));
  });
  expect_report<os::FileNotFoundError>(decode(c.output), ENOENT, "prog");
  c = run_in_child([&] {
    os::environ.set("PATH", path_of({"empty"}));
    return encode(error_report(os::nothrow::posix_spawnp("prog", {"prog"})));
  });
  expect_result_report(decode(c.output), ENOENT, "prog");
  // A name with a slash is not searched.
  EXPECT_OS_ERROR(os::posix_spawnp(path("noexec/prog"), {"prog"}),
                  os::PermissionError, EACCES, path("noexec/prog"));
  expect_no_child();
}

TEST(PosixSpawn, DoesNotRunTheAtForkCallbacks) {
  EXPECT_EQ(at_fork_calls_during([] {
              reap(os::posix_spawn("/bin/true", {"true"}));
              reap(os::posix_spawnp("true", {"true"}));
            }),
            "0");
}

}  // namespace
