// scandir and DirEntry. Expected values and errors were checked against
// python3's os.scandir on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <iterator>
#include <map>
#include <new>
#include <ranges>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "oscpp/os.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using oscpp_test::write_file;

static_assert(std::ranges::input_range<os::ScandirIterator>);
static_assert(std::input_iterator<os::ScandirIterator::iterator>);
static_assert(os::PathLike<os::DirEntry>);
static_assert(!std::is_default_constructible_v<os::DirEntry>);

class Scandir : public oscpp_test::TempDirTest {
 protected:
  // dir/ holding: dir/, file, link_dir -> dir, link_file -> file,
  // dangling -> missing.
  void make_tree() {
    ASSERT_EQ(::mkdir(path("dir").c_str(), 0755), 0);
    write_file(path("file"), "python");
    ASSERT_EQ(::symlink(path("dir").c_str(), path("link_dir").c_str()), 0);
    ASSERT_EQ(::symlink("file", path("link_file").c_str()), 0);
    ASSERT_EQ(::symlink("missing", path("dangling").c_str()), 0);
  }

  // The entries of scandir(p), copied out, by name.
  std::map<std::string, os::DirEntry> entries(const std::string& p) {
    std::map<std::string, os::DirEntry> out;
    for (os::DirEntry& e : os::scandir(p)) out.emplace(e.name, e);
    return out;
  }

  // The entries of scandir(dir()) holding f (mode 0600) and link -> f.
  std::map<std::string, os::DirEntry> file_and_link() {
    write_file(path("f"), "");
    EXPECT_EQ(::chmod(path("f").c_str(), 0600), 0);
    EXPECT_EQ(::symlink("f", path("link").c_str()), 0);
    return entries(dir());
  }

  os::unique_fd open_dir(const std::string& p, int flags = O_RDONLY) {
    return os::unique_fd(::open(p.c_str(), flags | O_DIRECTORY | O_CLOEXEC));
  }
};

struct ::stat lstat_of(const std::string& p) {
  struct ::stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st;
}

// ---------------------------------------------------------------- scandir

TEST_F(Scandir, ListsEveryEntryWithNameAndJoinedPath) {
  make_tree();
  auto es = entries(dir());
  std::set<std::string> names;
  for (auto& [name, e] : es) {
    names.insert(name);
    EXPECT_EQ(e.name, name);
    EXPECT_EQ(e.path, path(name));
    EXPECT_EQ(os::fspath(e), path(name));
  }
  EXPECT_EQ(names, (std::set<std::string>{"dangling", "dir", "file", "link_dir",
                                          "link_file"}));
}

TEST_F(Scandir, EmptyDirectoryYieldsNothing) {
  auto it = os::scandir(dir());
  EXPECT_TRUE(it.begin() == it.end());
  EXPECT_TRUE(it.closed());
}

TEST_F(Scandir, PathIsJoinedAsPythonJoinsIt) {
  write_file(path("f"), "");
  // Python: scandir('a/') -> 'a/f', scandir('a//') -> 'a//f'.
  EXPECT_EQ(os::scandir(dir() + "/").next()->path, dir() + "/f");
  EXPECT_EQ(os::scandir(dir() + "//").next()->path, dir() + "//f");
  std::string cwd(4096, '\0');
  ASSERT_NE(::getcwd(cwd.data(), cwd.size()), nullptr);
  ASSERT_EQ(::chdir(dir().c_str()), 0);
  // scandir() and scandir('.') -> './f'
  std::string dot = os::scandir().next()->path;
  std::string dot2 = os::scandir(".").next()->path;
  std::string rel = os::scandir("./").next()->path;
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  EXPECT_EQ(dot, "./f");
  EXPECT_EQ(dot2, "./f");
  EXPECT_EQ(rel, "./f");
}

TEST_F(Scandir, MissingPathRaisesFileNotFoundError) {
  EXPECT_OS_ERROR(os::scandir(path("no")), os::FileNotFoundError, ENOENT,
                  path("no"));
  EXPECT_RESULT_ERROR(os::nothrow::scandir(path("no")), ENOENT, path("no"));
  // Python: scandir('') is FileNotFoundError with filename ''.
  EXPECT_OS_ERROR(os::scandir(""), os::FileNotFoundError, ENOENT, "");
}

TEST_F(Scandir, FileRaisesNotADirectoryError) {
  write_file(path("f"), "");
  EXPECT_OS_ERROR(os::scandir(path("f")), os::NotADirectoryError, ENOTDIR,
                  path("f"));
  EXPECT_RESULT_ERROR(os::nothrow::scandir(path("f")), ENOTDIR, path("f"));
}

TEST_F(Scandir, UnreadableDirectoryRaisesPermissionError) {
  ASSERT_EQ(::mkdir(path("locked").c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("locked");
  EXPECT_EQ(files_test::raises_in_child<os::PermissionError>(
                [&] { (void)os::scandir(p); }, EACCES, p),
            0);
}

TEST_F(Scandir, IteratingTwiceYieldsNothingMore) {
  write_file(path("a"), "");
  write_file(path("b"), "");
  auto it = os::scandir(dir());
  int n = 0;
  for ([[maybe_unused]] auto& e : it) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(it.closed());
  EXPECT_TRUE(it.begin() == it.end());
  EXPECT_EQ(it.next(), nullptr);
}

TEST_F(Scandir, HoldsOneCloexecDescriptorUntilExhaustedOrClosed) {
  write_file(path("a"), "");
  write_file(path("b"), "");
  std::set<int> before = oscpp_test::open_fds();
  auto it = os::scandir(dir());
  std::set<int> during = oscpp_test::open_fds();
  std::vector<int> added;
  std::set_difference(during.begin(), during.end(), before.begin(),
                      before.end(), std::back_inserter(added));
  ASSERT_EQ(added.size(), 1u);
  EXPECT_TRUE(oscpp_test::is_cloexec(added[0]));
  ASSERT_NE(it.next(), nullptr);
  EXPECT_FALSE(it.closed());
  it.close();
  it.close();  // twice is fine, as in Python
  EXPECT_TRUE(it.closed());
  EXPECT_EQ(it.next(), nullptr);
  EXPECT_EQ(oscpp_test::open_fds(), before);
  {
    auto it2 = os::scandir(dir());
    ASSERT_NE(it2.next(), nullptr);
  }  // destroyed half-way: closed
  EXPECT_EQ(oscpp_test::open_fds(), before);
  auto it3 = os::scandir(dir());
  while (it3.next() != nullptr) {
  }
  EXPECT_EQ(oscpp_test::open_fds(), before);  // exhausted: closed
}

TEST_F(Scandir, RemovedDirectoryEndsWithoutError) {
  ASSERT_EQ(::mkdir(path("d").c_str(), 0755), 0);
  auto it = os::scandir(path("d"));
  ASSERT_EQ(::rmdir(path("d").c_str()), 0);
  // getdents64 says ENOENT; readdir and Python say "no more entries".
  EXPECT_EQ(it.next(), nullptr);
  EXPECT_TRUE(it.closed());
}

TEST_F(Scandir, MovedIteratorKeepsIterating) {
  write_file(path("a"), "");
  write_file(path("b"), "");
  auto it = os::scandir(dir());
  std::string first = it.next()->name;
  os::ScandirIterator moved = std::move(it);
  os::DirEntry* second = moved.next();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second->name, first);
  EXPECT_EQ(moved.next(), nullptr);
}

TEST_F(Scandir, EntriesOutliveTheIterator) {
  write_file(path("f"), "python");
  std::vector<os::DirEntry> kept;
  for (auto& e : os::scandir(dir())) kept.push_back(e);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].stat().st_size, 6);
  EXPECT_TRUE(kept[0].is_file());
}

// ---------------------------------------------------------------- scandir(fd)

TEST_F(Scandir, DescriptorEntriesHaveTheNameAsPath) {
  write_file(path("f"), "python");
  ASSERT_EQ(::symlink("f", path("link").c_str()), 0);
  os::unique_fd fd = open_dir(dir());
  ASSERT_TRUE(fd);
  std::vector<os::DirEntry> es;
  for (auto& e : os::scandir(fd)) es.push_back(e);
  ASSERT_EQ(es.size(), 2u);
  for (auto& e : es) {
    EXPECT_EQ(e.path, e.name);
    EXPECT_EQ(e.is_symlink(), e.name == "link");
    EXPECT_FALSE(e.is_junction());  // Python 3.12: always False off Windows
    // stat() is relative to the descriptor, not to the working directory.
    EXPECT_EQ(e.stat().st_size, 6);
    EXPECT_EQ(e.stat({.follow_symlinks = false}).st_ino,
              lstat_of(path(e.name)).st_ino);
  }
  // Rewound when done: listing it again sees every name (Python).
  EXPECT_EQ(os::listdir(fd).size(), 2u);
  EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), 0);
}

TEST_F(Scandir, DescriptorIsRewoundWhenClosedEarly) {
  write_file(path("a"), "");
  write_file(path("b"), "");
  os::unique_fd fd = open_dir(dir());
  {
    auto it = os::scandir(fd);
    ASSERT_NE(it.next(), nullptr);
  }
  int n = 0;
  for ([[maybe_unused]] auto& e : os::scandir(fd)) ++n;
  EXPECT_EQ(n, 2);
}

TEST_F(Scandir, BadDescriptorRaisesOSErrorWithoutFilename) {
  // Python: the failed dup carries no filename.
  EXPECT_OS_ERROR(os::scandir(kBadFd), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::scandir(kBadFd), EBADF);
}

TEST_F(Scandir, FileDescriptorRaisesNotADirectoryErrorNamingIt) {
  write_file(path("f"), "");
  os::unique_fd fd(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  std::string name = std::to_string(fd.get());
  EXPECT_OS_ERROR(os::scandir(fd), os::NotADirectoryError, ENOTDIR, name);
  EXPECT_RESULT_ERROR(os::nothrow::scandir(fd), ENOTDIR, name);
}

// O_PATH is Linux's.
#if defined(__linux__)
TEST_F(Scandir, ReadErrorRaisesAndCloses) {
  write_file(path("f"), "");
  // An O_PATH descriptor passes fdopendir's checks but cannot be read.
  os::unique_fd fd = open_dir(dir(), O_PATH);
  ASSERT_TRUE(fd);
  std::string name = std::to_string(fd.get());
  auto it = os::scandir(fd);
  EXPECT_OS_ERROR(it.next(), os::OSError, EBADF, name);
  EXPECT_TRUE(it.closed());
  EXPECT_EQ(it.next(), nullptr);
  auto it2 = os::scandir(fd);
  EXPECT_RESULT_ERROR(it2.next(std::nothrow), EBADF, name);
  auto it3 = os::scandir(fd);
  EXPECT_OS_ERROR(it3.begin(), os::OSError, EBADF, name);
}
#endif

// ---------------------------------------------------------------- DirEntry

TEST_F(Scandir, EntryTypesMatchStat) {
  make_tree();
  auto es = entries(dir());
  struct expected {
    bool dir, file, link, dir_nofollow, file_nofollow;
  };
  std::map<std::string, expected> want = {
      {"dir", {true, false, false, true, false}},
      {"file", {false, true, false, false, true}},
      {"link_dir", {true, false, true, false, false}},
      {"link_file", {false, true, true, false, false}},
      {"dangling", {false, false, true, false, false}},
  };
  for (auto& [name, w] : want) {
    const os::DirEntry& e = es.at(name);
    EXPECT_EQ(e.is_dir(), w.dir) << name;
    EXPECT_EQ(e.is_file(), w.file) << name;
    EXPECT_EQ(e.is_symlink(), w.link) << name;
    EXPECT_EQ(e.is_dir({.follow_symlinks = false}), w.dir_nofollow) << name;
    EXPECT_EQ(e.is_file({.follow_symlinks = false}), w.file_nofollow) << name;
    EXPECT_EQ(*e.is_dir(std::nothrow), w.dir) << name;
    EXPECT_EQ(*e.is_file(std::nothrow), w.file) << name;
    EXPECT_EQ(*e.is_symlink(std::nothrow), w.link) << name;
    EXPECT_EQ(e.inode(), lstat_of(path(name)).st_ino) << name;
  }
}

TEST_F(Scandir, EntryStatMatchesStatAndLstat) {
  make_tree();
  auto es = entries(dir());
  for (const char* name : {"dir", "file", "link_dir", "link_file"}) {
    const os::DirEntry& e = es.at(name);
    os::stat_result st = os::stat(path(name));
    os::stat_result lst = os::lstat(path(name));
    EXPECT_EQ(e.stat().st_ino, st.st_ino) << name;
    EXPECT_EQ(e.stat().st_mode, st.st_mode) << name;
    EXPECT_EQ(e.stat().st_mtime_ns, st.st_mtime_ns) << name;
    EXPECT_EQ(e.stat({.follow_symlinks = false}).st_ino, lst.st_ino) << name;
    EXPECT_EQ(e.stat({.follow_symlinks = false}).st_mode, lst.st_mode) << name;
    EXPECT_EQ(e.stat(std::nothrow)->st_ino, st.st_ino) << name;
  }
}

TEST_F(Scandir, DanglingSymlinkStatRaisesButLstatWorks) {
  make_tree();
  auto es = entries(dir());
  const os::DirEntry& e = es.at("dangling");
  EXPECT_OS_ERROR(e.stat(), os::FileNotFoundError, ENOENT, path("dangling"));
  EXPECT_RESULT_ERROR(e.stat(std::nothrow), ENOENT, path("dangling"));
  EXPECT_TRUE(S_ISLNK(e.stat({.follow_symlinks = false}).st_mode));
  EXPECT_GT(e.inode(), 0u);
}

TEST_F(Scandir, RemovedEntriesAreNeitherDirsNorLinks) {
  ASSERT_EQ(::mkdir(path("d").c_str(), 0755), 0);
  auto es = entries(dir());
  ASSERT_EQ(::rmdir(path("d").c_str()), 0);
  const os::DirEntry& e = es.at("d");
  EXPECT_FALSE(e.is_file());
  EXPECT_FALSE(e.is_symlink());
  EXPECT_GT(e.inode(), 0u);
  EXPECT_OS_ERROR(e.stat(), os::FileNotFoundError, ENOENT, path("d"));
  EXPECT_OS_ERROR(e.stat({.follow_symlinks = false}), os::FileNotFoundError,
                  ENOENT, path("d"));
}

TEST_F(Scandir, StatIsCachedPerFollowSymlinksValue) {
  auto es = file_and_link();
  const os::DirEntry& f = es.at("f");
  const os::DirEntry& link = es.at("link");
  const os::stat_result& lst = f.stat({.follow_symlinks = false});
  EXPECT_EQ(link.stat().st_mode & 07777, 0600u);
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  // Cached: the old mode, the same object.
  EXPECT_EQ(f.stat({.follow_symlinks = false}).st_mode & 07777, 0600u);
  EXPECT_EQ(&f.stat({.follow_symlinks = false}), &lst);
  EXPECT_EQ(link.stat().st_mode & 07777, 0600u);
  // Not a link: its stat() is the lstat already fetched (no new syscall).
  EXPECT_EQ(f.stat().st_mode & 07777, 0600u);
  // The link's lstat was never fetched: fetched now.
  EXPECT_TRUE(S_ISLNK(link.stat({.follow_symlinks = false}).st_mode));
}

TEST_F(Scandir, CopiesCarryTheCacheAndFillTheirOwn) {
  auto es = file_and_link();
  const os::DirEntry& f = es.at("f");
  const os::DirEntry& link = es.at("link");
  const os::stat_result& cached = f.stat();
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  // A copy holds the stat cached so far, as its own object.
  os::DirEntry copy = f;
  EXPECT_EQ(copy.stat().st_mode & 07777, 0600u);
  EXPECT_NE(&copy.stat(), &cached);
  // A copy of an entry with nothing cached stats for itself only.
  os::DirEntry link_copy = link;
  EXPECT_FALSE(link_copy.type_known());
  EXPECT_EQ(link_copy.stat().st_mode & 07777, 0644u);
  EXPECT_TRUE(link_copy.type_known());
  EXPECT_FALSE(link.type_known());
  // Assignment replaces the cache: dropped, or copied.
  link_copy = link;
  EXPECT_FALSE(link_copy.type_known());
  EXPECT_EQ(link_copy.path, link.path);
  link_copy = f;
  EXPECT_EQ(link_copy.stat().st_mode & 07777, 0600u);
  EXPECT_EQ(link_copy.name, "f");
  os::DirEntry moved = std::move(copy);
  EXPECT_EQ(moved.stat().st_mode & 07777, 0600u);
}

TEST_F(Scandir, IteratorEntryStartsEachStepWithAnEmptyCache) {
  write_file(path("f1"), "");
  write_file(path("f2"), "python");
  ASSERT_EQ(::symlink("f1", path("l1").c_str()), 0);
  ASSERT_EQ(::symlink("f2", path("l2").c_str()), 0);
  std::map<std::string, std::int64_t> sizes;
  for (const os::DirEntry& e : os::scandir(dir())) {
    if (e.name[0] != 'l') continue;
    // The previous link's stat must not answer for this one.
    EXPECT_FALSE(e.type_known()) << e.name;
    sizes[e.name] = e.stat().st_size;
  }
  EXPECT_EQ(sizes, (std::map<std::string, std::int64_t>{{"l1", 0}, {"l2", 6}}));
}

// The stat cache is out of line (allocated on the first stat), so that the
// entries of a large directory stay small.
static_assert(sizeof(os::DirEntry) <
              2 * sizeof(std::string) + sizeof(os::stat_result));

TEST_F(Scandir, TypeKnownTellsWhetherASyscallIsNeeded) {
  write_file(path("f"), "");
  ASSERT_EQ(::symlink("f", path("link").c_str()), 0);
  auto es = entries(dir());
  const os::DirEntry& f = es.at("f");
  const os::DirEntry& link = es.at("link");
  // d_type answers for the file (ext4 and tmpfs fill it), and for the link
  // itself, but following the link needs a stat.
  EXPECT_TRUE(f.type_known());
  EXPECT_TRUE(link.type_known({.follow_symlinks = false}));
  EXPECT_FALSE(link.type_known());
  EXPECT_TRUE(link.is_file());
  EXPECT_TRUE(link.type_known());
}

TEST_F(Scandir, StatErrorsOtherThanNotFoundRaiseFromIsDir) {
  ASSERT_EQ(::mkdir(path("sub").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(path("sub/x").c_str(), 0755), 0);
  ASSERT_EQ(::symlink("x/y", path("sub/link").c_str()), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string sub = path("sub");
  // Readable but not searchable: names are listed, stat fails with EACCES.
  ASSERT_EQ(::chmod(sub.c_str(), 0444), 0);
  int rc = oscpp_test::run_unprivileged([&] {
    std::map<std::string, os::DirEntry> es;
    for (auto& e : os::scandir(sub)) es.emplace(e.name, e);
    if (es.size() != 2) return 10;
    // d_type answers without a stat.
    if (!es.at("x").is_dir() || !es.at("link").is_symlink()) return 11;
    auto r = es.at("link").is_dir(std::nothrow);
    if (r || r.error().value() != EACCES ||
        r.error().filename() != sub + "/link")
      return 12;
    try {
      (void)es.at("x").stat();
      return 13;
    } catch (const os::PermissionError& e) {
      if (e.filename() != sub + "/x") return 14;
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(Scandir, EntryIsPathLike) {
  write_file(path("f"), "python");
  auto es = entries(dir());
  EXPECT_EQ(os::stat(es.at("f")).st_size, 6);
  EXPECT_TRUE(os::access(es.at("f"), R_OK));
}

TEST_F(Scandir, EntryNamesMayBeMovedOut) {
  for (int i = 0; i < 100; ++i) write_file(path("f" + std::to_string(i)), "");
  std::set<std::string> names;
  for (auto& e : os::scandir(dir())) names.insert(std::move(e.name));
  EXPECT_EQ(names.size(), 100u);
  EXPECT_EQ(names.count("f42"), 1u);
}

TEST_F(Scandir, LargeDirectoryNeedsSeveralReads) {
  // More names than one 32 KiB getdents64 buffer holds.
  std::set<std::string> made;
  for (int i = 0; i < 3000; ++i) {
    std::string n = "file-with-a-longish-name-" + std::to_string(i);
    write_file(path(n), "");
    made.insert(n);
  }
  std::set<std::string> seen;
  for (auto& e : os::scandir(dir())) seen.insert(e.name);
  EXPECT_EQ(seen, made);
  EXPECT_EQ(os::listdir(dir()).size(), made.size());
}

}  // namespace
