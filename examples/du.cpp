// du: the space each directory of a tree takes, subdirectories included,
// as `du` prints it (KiB of allocated blocks, or bytes with -b). A hard
// link is counted once. The Python it ports:
//
//   seen, totals = set(), {}
//   for root, dirs, files, rootfd in os.fwalk(top, topdown=False):
//       size = usage(os.stat(rootfd))
//       for entry in os.scandir(rootfd):
//           if not entry.is_dir(follow_symlinks=False):
//               size += usage(entry.stat(follow_symlinks=False))
//       size += sum(totals.pop(os.path.join(root, d), 0) for d in dirs)
//       totals[root] = size
//       print(size // 1024, root, sep="\t")
//
// where usage(st) is 0 for a (dev, ino) already seen, else st_blocks * 512.
//
//   du [-b] [PATH...]
#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oscpp/os.hpp"

namespace {

class disk_usage {
 public:
  explicit disk_usage(bool apparent) : apparent_(apparent) {}

  // Prints the total of each directory below top, bottom up.
  void run(const std::string& top) {
    std::map<std::string, long long> totals;
    auto report = [](const os::OSError& e) {
      std::fprintf(stderr, "du: %s\n", e.what());
    };
    for (auto& [root, dirs, files, rootfd] :
         os::fwalk(top, {.topdown = false, .onerror = report})) {
      long long size = usage(os::fstat(rootfd));
      // scandir's entries know their type from the directory, and stat each
      // entry at most once: one fstatat per non-directory.
      for (const os::DirEntry& entry : os::scandir(rootfd)) {
        if (!entry.is_dir({.follow_symlinks = false}))
          size += usage(entry.stat({.follow_symlinks = false}));
      }
      for (const std::string& d : dirs) {
        auto it = totals.find(root + "/" + d);
        if (it == totals.end()) continue;  // a symlink to a directory
        size += it->second;
        totals.erase(it);
      }
      totals[root] = size;
      print(size, root);
    }
  }

 private:
  long long usage(const os::stat_result& st) {
    if (st.st_nlink > 1 && !S_ISDIR(st.st_mode) &&
        !seen_.insert({st.st_dev, st.st_ino}).second)
      return 0;
    return apparent_ ? st.st_size : st.st_blocks * 512;
  }

  void print(long long size, const std::string& path) const {
    long long shown = apparent_ ? size : (size + 1023) / 1024;
    std::printf("%lld\t%s\n", shown, path.c_str());
  }

  bool apparent_;
  std::set<std::pair<dev_t, ino_t>> seen_;
};

}  // namespace

int main(int argc, char** argv) {
  bool apparent = false;
  std::vector<std::string> tops;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "-b")
      apparent = true;
    else
      tops.emplace_back(argv[i]);
  }
  if (tops.empty()) tops.emplace_back(".");
  disk_usage du(apparent);
  try {
    for (const std::string& top : tops) du.run(top);
  } catch (const os::OSError& e) {
    std::fprintf(stderr, "du: %s\n", e.what());
    return 1;
  }
  return 0;
}
