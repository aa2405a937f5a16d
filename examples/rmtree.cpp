// rmtree: removes a directory tree without ever following a symlink out of
// it, even if the tree changes while it runs: every name is removed
// relative to its parent's descriptor, which fwalk opened with O_NOFOLLOW.
// The Python it ports (shutil.rmtree's fd-based way, in short):
//
//   for root, dirs, files, rootfd in os.fwalk(top, topdown=False):
//       for name in files:
//           os.unlink(name, dir_fd=rootfd)
//       for name in dirs:
//           st = os.stat(name, dir_fd=rootfd, follow_symlinks=False)
//           if stat.S_ISLNK(st.st_mode):   # fwalk lists links to dirs
//               os.unlink(name, dir_fd=rootfd)
//           else:
//               os.rmdir(name, dir_fd=rootfd)
//   os.rmdir(top)
//
//   rmtree PATH...
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "oscpp/os.hpp"

namespace {

void rmtree(const std::string& top) {
  // A symlink given as top is refused, as shutil.rmtree refuses it.
  if (S_ISLNK(os::lstat(top).st_mode)) throw os::OSError(ENOTDIR, top);
  for (auto& [root, dirs, files, rootfd] : os::fwalk(top, {.topdown = false})) {
    for (const std::string& name : files) os::unlink(name, {.dir_fd = rootfd});
    for (const std::string& name : dirs) {
      auto st = os::stat(name, {.dir_fd = rootfd, .follow_symlinks = false});
      if (S_ISLNK(st.st_mode))
        os::unlink(name, {.dir_fd = rootfd});
      else
        os::rmdir(name, {.dir_fd = rootfd});
    }
  }
  os::rmdir(top);
}

}  // namespace

int main(int argc, char** argv) {
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    try {
      rmtree(argv[i]);
    } catch (const os::OSError& e) {
      std::fprintf(stderr, "rmtree: %s\n", e.what());
      status = 1;
    }
  }
  return status;
}
