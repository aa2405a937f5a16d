// which: where each command would be found on PATH. The Python it ports:
//
//   def which(name, all=False):
//       found = []
//       dirs = [""] if "/" in name else os.get_exec_path(os.environ)
//       for d in dirs:
//           path = os.path.join(d, name)
//           if os.access(path, os.X_OK) and not os.path.isdir(path):
//               found.append(path)
//               if not all:
//                   break
//       return found
//
//   which [-a] NAME...     exit status 1 if a NAME is not found
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "oscpp/os.hpp"

namespace {

bool is_dir(const std::string& path) {
  auto st = os::nothrow::stat(path);
  return st && S_ISDIR(st->st_mode);
}

std::vector<std::string> which(const std::string& name, bool all) {
  std::vector<std::string> found;
  std::vector<std::string> dirs{""};
  if (name.find('/') == std::string::npos)
    dirs = os::get_exec_path(os::environ);
  for (const std::string& dir : dirs) {
    std::string path = dir.empty() ? name : dir + "/" + name;
    // access() says no (false) rather than throwing, as in Python.
    if (os::access(path, X_OK) && !is_dir(path)) {
      found.push_back(path);
      if (!all) break;
    }
  }
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  bool all = false;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "-a") {
      all = true;
      continue;
    }
    std::vector<std::string> found = which(argv[i], all);
    if (found.empty()) status = 1;
    for (const std::string& path : found) std::puts(path.c_str());
  }
  return status;
}
