// tree: a directory tree drawn as tree(1) draws it, names sorted. The
// Python it ports:
//
//   def tree(path, prefix=""):
//       entries = sorted(os.scandir(path), key=lambda e: e.name)
//       for i, entry in enumerate(entries):
//           last = i == len(entries) - 1
//           line = prefix + ("└── " if last else "├── ") + entry.name
//           if entry.is_symlink():
//               line += " -> " + os.readlink(entry.path)
//           print(line)
//           if entry.is_dir(follow_symlinks=False):
//               counts["dirs"] += 1
//               tree(entry.path, prefix + ("    " if last else "│   "))
//           else:
//               counts["files"] += 1
//
//   tree [PATH]
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "oscpp/os.hpp"

namespace {

struct counts {
  int dirs = 0;
  int files = 0;
};

void tree(const std::string& path, const std::string& prefix, counts& n) {
  std::vector<os::DirEntry> entries;
  for (os::DirEntry& entry : os::scandir(path)) entries.push_back(entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const os::DirEntry& entry = entries[i];
    bool last = i + 1 == entries.size();
    std::string line = prefix + (last ? "└── " : "├── ") + entry.name;
    if (entry.is_symlink()) line += " -> " + os::readlink(entry.path);
    std::puts(line.c_str());
    if (entry.is_dir({.follow_symlinks = false})) {
      ++n.dirs;
      tree(entry.path, prefix + (last ? "    " : "│   "), n);
    } else {
      ++n.files;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string top = argc > 1 ? argv[1] : ".";
  counts n;
  try {
    std::puts(top.c_str());
    tree(top, "", n);
  } catch (const os::OSError& e) {
    std::fprintf(stderr, "tree: %s\n", e.what());
    return 1;
  }
  std::printf("\n%d director%s, %d file%s\n", n.dirs, n.dirs == 1 ? "y" : "ies",
              n.files, n.files == 1 ? "" : "s");
  return 0;
}
