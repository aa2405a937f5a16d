#include "support/support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <vector>

#if defined(__linux__)
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#endif
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

extern char** environ;

namespace oscpp_test {

void TempDirTest::SetUp() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base && *base ? base : "/tmp") + "/oscpp-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  ASSERT_NE(::mkdtemp(buf.data()), nullptr) << std::strerror(errno);
  dir_ = buf.data();
}

void TempDirTest::TearDown() {
  if (dir_.empty()) return;
  std::error_code ec;
  // Make everything removable first: tests may leave read-only dirs.
  for (auto it = std::filesystem::recursive_directory_iterator(dir_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec))
      std::filesystem::permissions(it->path(),
                                   std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
  }
  std::filesystem::remove_all(dir_, ec);
  EXPECT_FALSE(ec) << "cannot remove " << dir_ << ": " << ec.message();
}

std::string TempDirTest::path(const std::string& name) const {
  return dir_ + "/" + name;
}

std::set<int> open_fds() {
  std::set<int> fds;
  // /dev/fd: /proc/self/fd on Linux, the fdesc file system on macOS.
  DIR* d = ::opendir("/dev/fd");
  if (d == nullptr) return fds;
  int self = ::dirfd(d);
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    int fd = std::atoi(e->d_name);
    if (fd != self) fds.insert(fd);
  }
  ::closedir(d);
  return fds;
}

bool is_cloexec(int fd) {
  int flags = ::fcntl(fd, F_GETFD);
  EXPECT_NE(flags, -1) << "fd " << fd << " is not open";
  return flags != -1 && (flags & FD_CLOEXEC) != 0;
}

void write_file(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  ASSERT_EQ(::write(fd, data.data(), data.size()),
            static_cast<ssize_t>(data.size()));
  ::close(fd);
}

std::string read_file(const std::string& path) {
  std::string out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0) << path << ": " << std::strerror(errno);
  if (fd < 0) return out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, n);
  ::close(fd);
  return out;
}

namespace {
std::map<std::string, child_main>& child_modes() {
  static std::map<std::string, child_main> modes;
  return modes;
}
}  // namespace

bool register_child_mode(const char* name, child_main fn) {
  child_modes()[name] = fn;
  return true;
}

std::string self_exe() {
#if defined(__APPLE__)
  std::uint32_t size = 0;
  ::_NSGetExecutablePath(nullptr, &size);
  std::string path(size, '\0');
  if (::_NSGetExecutablePath(path.data(), &size) != 0) return {};
  path.resize(std::strlen(path.c_str()));
  return path;
#else
  return std::filesystem::read_symlink("/proc/self/exe").string();
#endif
}

int run_child_mode(const std::string& name,
                   const std::vector<std::string>& args) {
  std::vector<std::string> all = {self_exe(), "--oscpp-child", name};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  EXPECT_EQ(rc, 0) << std::strerror(rc);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  return status;
}

std::pair<int, std::string> spawn_capture(std::vector<std::string> args,
                                          const std::vector<std::string>& env,
                                          bool with_stderr) {
  int out[2];
  if (pipe_cloexec(out) != 0) return {-1, "pipe2 failed"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = env;
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  if (with_stderr)
    ::posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  pid_t pid;
  int rc =
      ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string text;
  if (rc == 0) {
    char buf[65536];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) != 0) {
      if (n > 0)
        text.append(buf, static_cast<std::size_t>(n));
      else if (errno != EINTR)
        break;
    }
  }
  ::close(out[0]);
  if (rc != 0) return {-1, std::string("posix_spawn: ") + std::strerror(rc)};
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  return {status, text};
}

int in_child(const std::function<int()>& fn) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn());
  EXPECT_GT(pid, 0);
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

int run_unprivileged(const std::function<int()>& fn) {
  return in_child([&] {
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 ||
        ::setuid(65534) != 0)
      return 125;
    return fn();
  });
}

#if defined(__linux__)
long stat_field(int n) {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command name may hold spaces; fields resume after its ')'.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= n; ++i) rest >> field;
  return std::stol(field);
}

#endif

int closed_fd() {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ::close(fd);
  return fd;
}

int pipe_cloexec(int fds[2], int flags) {
#if OSCPP_HAVE_PIPE2
  return ::pipe2(fds, O_CLOEXEC | flags);
#else
  if (::pipe(fds) != 0) return -1;
  for (int i = 0; i < 2; ++i) {
    if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0 ||
        (flags != 0 &&
         ::fcntl(fds[i], F_SETFL, ::fcntl(fds[i], F_GETFL) | flags) != 0)) {
      ::close(fds[0]);
      ::close(fds[1]);
      return -1;
    }
  }
  return 0;
#endif
}

raw_pipe::raw_pipe() {
  int fds[2];
  EXPECT_EQ(pipe_cloexec(fds), 0);
  r.reset(fds[0]);
  w.reset(fds[1]);
}

#if defined(__linux__)
bool deny_syscalls(std::initializer_list<std::pair<int, int>> calls) {
  std::vector<::sock_filter> filter;
  filter.push_back(
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct ::seccomp_data, nr)));
  for (auto [nr, err] : calls) {
    filter.push_back(
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1));
    filter.push_back(BPF_STMT(BPF_RET | BPF_K,
                              SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)));
  }
  filter.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  ::sock_fprog prog{static_cast<unsigned short>(filter.size()), filter.data()};
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}
#endif

// Runs a registered child mode if argv asks for one; see main.cpp.
int maybe_run_child_mode(int argc, char** argv, bool* ran) {
  *ran = false;
  if (argc < 3 || std::strcmp(argv[1], "--oscpp-child") != 0) return 0;
  *ran = true;
  auto it = child_modes().find(argv[2]);
  if (it == child_modes().end()) return 127;
  return it->second(argc - 3, argv + 3);
}

}  // namespace oscpp_test
