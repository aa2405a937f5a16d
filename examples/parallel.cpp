// parallel: runs shell commands at once, each with its own pipe for its
// output (stdout and stderr), then prints each command's output and exit
// code in the order given; the exit status is the number of commands that
// failed. The Python it ports:
//
//   children = []
//   for cmd in commands:
//       r, w = os.pipe()
//       pid = os.posix_spawn("/bin/sh", ["sh", "-c", cmd], os.environ,
//                            file_actions=[(os.POSIX_SPAWN_DUP2, w, 1),
//                                          (os.POSIX_SPAWN_DUP2, w, 2)])
//       os.close(w)
//       children.append((cmd, pid, r))
//   for cmd, pid, r in children:
//       output = b"".join(iter(lambda: os.read(r, 65536), b""))
//       os.close(r)
//       code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
//       print(f"[{code}] {cmd}"); sys.stdout.write(output.decode())
//
//   parallel COMMAND...
#include <sys/types.h>

#include <cstdio>
#include <string>
#include <vector>

#include "oscpp/os.hpp"

namespace {

struct child {
  std::string command;
  pid_t pid;
  os::unique_fd out;
};

child start(const std::string& command) {
  auto [r, w] = os::pipe();  // close-on-exec: no child inherits another's
  pid_t pid = os::posix_spawn(
      "/bin/sh", {"sh", "-c", command},
      {.file_actions = {os::spawn_dup2{w, 1}, os::spawn_dup2{w, 2}}});
  os::close(w);  // the child holds the write end now
  return {command, pid, std::move(r)};
}

// Reads to end of file; a child that fills its pipe waits until its turn.
std::string drain(const os::unique_fd& fd) {
  std::string all;
  for (std::string chunk; !(chunk = os::read(fd, 65536)).empty();) all += chunk;
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<child> children;
  int failed = 0;
  try {
    for (int i = 1; i < argc; ++i) children.push_back(start(argv[i]));
    for (child& c : children) {
      std::string output = drain(c.out);
      os::close(c.out);
      int code = os::waitstatus_to_exitcode(os::waitpid(c.pid, 0).status);
      if (code != 0) ++failed;
      std::printf("[%d] %s\n%s", code, c.command.c_str(), output.c_str());
    }
  } catch (const os::OSError& e) {
    std::fprintf(stderr, "parallel: %s\n", e.what());
    return 255;
  }
  return failed;
}
