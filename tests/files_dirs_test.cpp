// Files and Directories, the dirs topic: listdir, mkdir, rmdir, chdir,
// fchdir, getcwd, getcwdb, chroot, makedirs, removedirs, renames. Expected
// values and errors were checked against python3's os on Linux.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cerrno>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "detail/getdents.hpp"
#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using files_test::lexists;
using files_test::mode_of;
using files_test::raises_in_child;
using oscpp_test::write_file;
using names = std::vector<std::string>;

bool isdir(const std::string& p) {
  struct ::stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

names sorted(names v) {
  std::sort(v.begin(), v.end());
  return v;
}

class Dirs : public files_test::DirTest {
 protected:
  // Tests that change the working directory get it back afterwards.
  void SetUp() override {
    DirTest::SetUp();
    saved_cwd_ = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(saved_cwd_, 0);
    char* real = ::realpath(dir().c_str(), nullptr);
    ASSERT_NE(real, nullptr);
    real_dir_ = real;
    ::free(real);
  }
  void TearDown() override {
    EXPECT_EQ(::fchdir(saved_cwd_), 0);
    ::close(saved_cwd_);
    DirTest::TearDown();
  }
  // dir() with its symlinks resolved, as getcwd reports it.
  const std::string& real_dir() const { return real_dir_; }

 private:
  int saved_cwd_ = -1;
  std::string real_dir_;
};

// ---------------------------------------------------------------- chdir

TEST_F(Dirs, ChdirAndGetcwd) {
  ASSERT_EQ(::mkdir(path("sub").c_str(), 0777), 0);
  os::chdir(dir());
  EXPECT_EQ(os::getcwd(), real_dir());
  EXPECT_EQ(os::getcwdb(), real_dir());
  os::chdir("sub");
  EXPECT_EQ(os::getcwd(), real_dir() + "/sub");
  EXPECT_TRUE(os::nothrow::chdir("..").has_value());
  EXPECT_EQ(*os::nothrow::getcwd(), real_dir());
}

TEST_F(Dirs, ChdirFdAndFchdir) {
  ASSERT_EQ(::mkdir(path("sub").c_str(), 0777), 0);
  os::unique_fd d = open_dir(path("sub"));
  ASSERT_TRUE(d);
  os::chdir(d);
  EXPECT_EQ(os::getcwd(), real_dir() + "/sub");
  os::unique_fd top = open_dir(dir());
  ASSERT_TRUE(top);
  os::fchdir(top);
  EXPECT_EQ(os::getcwd(), real_dir());
}

TEST_F(Dirs, ChdirErrors) {
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::chdir(path("missing")), os::FileNotFoundError, ENOENT,
                  path("missing"));
  EXPECT_OS_ERROR(os::chdir(path("f")), os::NotADirectoryError, ENOTDIR,
                  path("f"));
  EXPECT_RESULT_ERROR(os::nothrow::chdir(path("missing")), ENOENT,
                      path("missing"));
  // chdir(fd) names the fd, fchdir does not (Python's 999 vs None).
  EXPECT_OS_ERROR(os::chdir(kBadFd), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_OS_ERROR(os::fchdir(kBadFd), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fchdir(kBadFd), EBADF);
  int f = ::open(path("f").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(f, 0);
  EXPECT_RESULT_ERROR(os::nothrow::chdir(f), ENOTDIR, std::to_string(f));
  ::close(f);
}

TEST_F(Dirs, ChdirUnprivilegedIsPermissionError) {
  ASSERT_EQ(::mkdir(path("locked").c_str(), 0700), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("locked");
  EXPECT_EQ(
      raises_in_child<os::PermissionError>([&] { os::chdir(p); }, EACCES, p),
      0);
}

// ---------------------------------------------------------------- getcwd

TEST_F(Dirs, GetcwdBeyondPathMax) {
  // Each level is a long name; the whole path ends up far beyond PATH_MAX,
  // which the kernel's getcwd alone cannot report.
  const std::string name(200, 'd');
  os::chdir(dir());
  std::string expected = real_dir();
  int depth = 0;
  while (expected.size() <= 3 * PATH_MAX) {
    ASSERT_EQ(::mkdir(name.c_str(), 0700), 0);
    ASSERT_EQ(::chdir(name.c_str()), 0);
    expected += "/" + name;
    ++depth;
  }
#if defined(__linux__) && !defined(__GLIBC__)
  // musl's getcwd is the kernel's alone, as is Python's os.getcwd there.
  EXPECT_OS_ERROR(os::getcwd(), os::OSError, ENAMETOOLONG);
  EXPECT_RESULT_ERROR(os::nothrow::getcwdb(), ENAMETOOLONG);
#else
  EXPECT_EQ(os::getcwd(), expected);
  EXPECT_EQ(os::getcwdb(), expected);
#endif
  // Removed level by level: too deep for the fixture's path-based cleanup.
  for (int i = 0; i < depth; ++i) {
    ASSERT_EQ(::chdir(".."), 0);
    ASSERT_EQ(::rmdir(name.c_str()), 0);
  }
}

TEST_F(Dirs, GetcwdOfARemovedDirectory) {
  ASSERT_EQ(::mkdir(path("gone").c_str(), 0777), 0);
  os::chdir(path("gone"));
  ASSERT_EQ(::rmdir(path("gone").c_str()), 0);
  EXPECT_OS_ERROR(os::getcwd(), os::FileNotFoundError, ENOENT);
  EXPECT_OS_ERROR(os::getcwdb(), os::FileNotFoundError, ENOENT);
  EXPECT_RESULT_ERROR(os::nothrow::getcwd(), ENOENT);
}

// ---------------------------------------------------------------- chroot

TEST_F(Dirs, ChrootChangesTheRoot) {
  ASSERT_EQ(::mkdir(path("jail").c_str(), 0755), 0);
  write_file(path("jail/marker"), "x");
  std::string jail = path("jail");
  pid_t pid = ::fork();
  if (pid == 0) {
    try {
      os::chroot(jail);
      os::chdir("/");
      ::_exit(lexists("/marker") && os::getcwd() == "/" ? 0 : 1);
    } catch (...) {
      ::_exit(2);
    }
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(Dirs, ChrootErrors) {
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::chroot(path("missing")), os::FileNotFoundError, ENOENT,
                  path("missing"));
  EXPECT_OS_ERROR(os::chroot(path("f")), os::NotADirectoryError, ENOTDIR,
                  path("f"));
  EXPECT_RESULT_ERROR(os::nothrow::chroot(path("missing")), ENOENT,
                      path("missing"));
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string d = dir();
  EXPECT_EQ(
      raises_in_child<os::PermissionError>([&] { os::chroot(d); }, EPERM, d),
      0);
}

// ---------------------------------------------------------------- rmdir

TEST_F(Dirs, RmdirRemovesAnEmptyDirectory) {
  ASSERT_EQ(::mkdir(path("a").c_str(), 0777), 0);
  ASSERT_EQ(::mkdir(path("b").c_str(), 0777), 0);
  os::rmdir(path("a"));
  EXPECT_FALSE(lexists(path("a")));
  os::unique_fd d = open_dir(dir());
  ASSERT_TRUE(d);
  EXPECT_TRUE(os::nothrow::rmdir("b", {.dir_fd = d}).has_value());
  EXPECT_FALSE(lexists(path("b")));
}

TEST_F(Dirs, RmdirErrors) {
  ASSERT_EQ(::mkdir(path("full").c_str(), 0777), 0);
  write_file(path("full/f"), "x");
  // Not a subclass: ENOTEMPTY is a plain OSError in Python.
  EXPECT_OS_ERROR(os::rmdir(path("full")), os::OSError, ENOTEMPTY,
                  path("full"));
  EXPECT_OS_ERROR(os::rmdir(path("missing")), os::FileNotFoundError, ENOENT,
                  path("missing"));
  EXPECT_OS_ERROR(os::rmdir(path("full/f")), os::NotADirectoryError, ENOTDIR,
                  path("full/f"));
  EXPECT_RESULT_ERROR(os::nothrow::rmdir("full", {.dir_fd = kBadFd}), EBADF,
                      "full");
  EXPECT_TRUE(lexists(path("full/f")));
}

// ---------------------------------------------------------------- makedirs

TEST_F(Dirs, MakedirsCreatesEveryMissingParent) {
  ::mode_t old = ::umask(022);
  os::makedirs(path("a/b/c"), {.mode = 0700});
  os::makedirs(path("a/x/y/"));
  ::umask(old);
  EXPECT_TRUE(isdir(path("a/b/c")));
  EXPECT_TRUE(isdir(path("a/x/y")));
  // The mode is the leaf's; parents get 0777 less the umask.
  EXPECT_EQ(mode_of(path("a/b/c")), 0700u);
  EXPECT_EQ(mode_of(path("a/b")), 0755u);
  EXPECT_EQ(mode_of(path("a")), 0755u);
}

TEST_F(Dirs, MakedirsRelativeAndDotComponents) {
  os::chdir(dir());
  os::makedirs("r/s");
  EXPECT_TRUE(isdir(path("r/s")));
  // "n/." exists once "n" is made: no error, as in Python.
  os::makedirs("n/m/.");
  EXPECT_TRUE(isdir(path("n/m")));
  os::makedirs(".", {.exist_ok = true});
  EXPECT_OS_ERROR(os::makedirs("."), os::FileExistsError, EEXIST, ".");
  // With a parent that exists, "x/." is the existing x.
  EXPECT_OS_ERROR(os::makedirs("n/m/."), os::FileExistsError, EEXIST, "n/m/.");
}

TEST_F(Dirs, MakedirsExistOk) {
  ASSERT_EQ(::mkdir(path("d").c_str(), 0777), 0);
  EXPECT_OS_ERROR(os::makedirs(path("d")), os::FileExistsError, EEXIST,
                  path("d"));
  EXPECT_RESULT_ERROR(os::nothrow::makedirs(path("d")), EEXIST, path("d"));
  os::makedirs(path("d"), {.exist_ok = true});
  EXPECT_TRUE(os::nothrow::makedirs(path("d"), {.mode = 0, .exist_ok = true})
                  .has_value());
  // exist_ok does not cover a file in the way.
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::makedirs(path("f"), {.exist_ok = true}),
                  os::FileExistsError, EEXIST, path("f"));
}

TEST_F(Dirs, MakedirsNamesTheComponentThatFailed) {
  write_file(path("f"), "x");
  // Python: NotADirectoryError for 'f/x', the first missing parent.
  EXPECT_OS_ERROR(os::makedirs(path("f/x/y")), os::NotADirectoryError, ENOTDIR,
                  path("f/x"));
  EXPECT_OS_ERROR(os::makedirs(path("f/x/y"), {.exist_ok = true}),
                  os::NotADirectoryError, ENOTDIR, path("f/x"));
}

TEST_F(Dirs, MakedirsUnprivilegedIsPermissionError) {
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("a/b");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::makedirs(p); },
                                                 EACCES, path("a")),
            0);
  // Even with exist_ok, an existing directory is fine where mkdir is denied.
  ASSERT_EQ(::mkdir(path("e").c_str(), 0755), 0);
  std::string e = path("e");
  EXPECT_EQ(oscpp_test::run_unprivileged([&] {
              return os::nothrow::makedirs(e, {.exist_ok = true}) ? 0 : 1;
            }),
            0);
}

TEST_F(Dirs, MakedirsToleratesParentsCreatedConcurrently) {
  // Threads released together build trees that share every parent; whichever
  // thread makes a parent first, the others, which saw it missing a moment
  // before, must not fail on it.
  constexpr int kThreads = 4;
  constexpr int kRounds = 25;
  std::barrier start(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        std::string leaf = path("r" + std::to_string(round) +
                                "/a/b/c/d/e/f/g/h/t" + std::to_string(t));
        start.arrive_and_wait();
        if (!os::nothrow::makedirs(leaf)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_TRUE(isdir(path("r0/a/b/c/d/e/f/g/h/t" + std::to_string(t))));
}

// ---------------------------------------------------------------- removedirs

TEST_F(Dirs, RemovedirsPrunesEmptyParents) {
  ASSERT_EQ(::mkdir(path("keep").c_str(), 0777), 0);
  write_file(path("keep/f"), "x");
  ASSERT_EQ(::mkdir(path("keep/a").c_str(), 0777), 0);
  ASSERT_EQ(::mkdir(path("keep/a/b").c_str(), 0777), 0);
  ASSERT_EQ(::mkdir(path("keep/a/b/c").c_str(), 0777), 0);
  os::removedirs(path("keep/a/b/c/"));
  EXPECT_FALSE(lexists(path("keep/a")));
  // Stopped at the first parent that is not empty.
  EXPECT_TRUE(lexists(path("keep/f")));
}

TEST_F(Dirs, RemovedirsReportsOnlyTheLeaf) {
  EXPECT_OS_ERROR(os::removedirs(path("missing")), os::FileNotFoundError,
                  ENOENT, path("missing"));
  ASSERT_EQ(::mkdir(path("full").c_str(), 0777), 0);
  write_file(path("full/f"), "x");
  EXPECT_RESULT_ERROR(os::nothrow::removedirs(path("full")), ENOTEMPTY,
                      path("full"));
}

// ---------------------------------------------------------------- renames

TEST_F(Dirs, RenamesMakesAndPrunesParents) {
  ASSERT_EQ(::mkdir(path("old").c_str(), 0777), 0);
  ASSERT_EQ(::mkdir(path("old/sub").c_str(), 0777), 0);
  write_file(path("old/sub/f"), "data");
  os::renames(path("old/sub/f"), path("new/deep/g"));
  EXPECT_EQ(oscpp_test::read_file(path("new/deep/g")), "data");
  // old/sub and old were emptied, so removed; dir() itself is not empty.
  EXPECT_FALSE(lexists(path("old")));
  EXPECT_TRUE(isdir(dir()));
}

TEST_F(Dirs, RenamesErrors) {
  // Python creates new's parents before the rename fails.
  EXPECT_OS_ERROR(os::renames(path("missing"), path("a/b/c")),
                  os::FileNotFoundError, ENOENT, path("missing"),
                  path("a/b/c"));
  EXPECT_TRUE(isdir(path("a/b")));
  write_file(path("f"), "x");
  write_file(path("src"), "x");
  EXPECT_OS_ERROR(os::renames(path("src"), path("f/x/y")),
                  os::NotADirectoryError, ENOTDIR, path("f/x"));
  EXPECT_RESULT_ERROR(os::nothrow::renames(path("missing"), path("z")), ENOENT,
                      path("missing"), path("z"));
}

// ---------------------------------------------------------------- listdir

TEST_F(Dirs, ListdirNamesWithoutDots) {
  EXPECT_EQ(os::listdir(dir()), names{});
  write_file(path("a"), "");
  write_file(path(".hidden"), "");
  write_file(path("\xff\xfe"), "");
  os::mkdir(path("sub"));
  ASSERT_EQ(::symlink("nowhere", path("link").c_str()), 0);
  EXPECT_EQ(sorted(os::listdir(dir())),
            (names{".hidden", "a", "link", "sub", "\xff\xfe"}));
  auto r = os::nothrow::listdir(dir() + "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 5u);
}

TEST_F(Dirs, ListdirReadsLargeDirectories) {
  names expected;
  for (int i = 0; i < 3000; ++i) {
    std::string n = "entry-with-a-rather-long-name-" + std::to_string(i);
    write_file(path(n), "");
    expected.push_back(n);
  }
  EXPECT_EQ(sorted(os::listdir(dir())), sorted(expected));
}

TEST_F(Dirs, ListdirDefaultsToTheCurrentDirectory) {
  write_file(path("here"), "");
  os::unique_fd cwd(::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(cwd);
  ASSERT_EQ(::chdir(dir().c_str()), 0);
  names got = os::listdir();
  ASSERT_EQ(::fchdir(cwd.get()), 0);
  EXPECT_EQ(got, names{"here"});
}

TEST_F(Dirs, ListdirFdLeavesTheCallersDescriptorUsable) {
  write_file(path("a"), "");
  write_file(path("b"), "");
  os::unique_fd d = open_dir(dir());
  ASSERT_TRUE(d);
  EXPECT_EQ(sorted(os::listdir(d)), (names{"a", "b"}));
  // Rewound afterwards, so it works twice; the descriptor stays open.
  EXPECT_EQ(sorted(os::listdir(d.get())), (names{"a", "b"}));
  EXPECT_EQ(::lseek(d.get(), 0, SEEK_CUR), 0);
  EXPECT_NE(::fcntl(d.get(), F_GETFD), -1);
  auto r = os::nothrow::listdir(d.get());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 2u);
}

TEST_F(Dirs, ListdirOfARemovedDirectoryIsEmptyAsPython) {
  // getdents64 fails with ENOENT there; readdir, so Python, sees the end.
  ASSERT_EQ(::mkdir(path("gone").c_str(), 0755), 0);
  os::unique_fd d = open_dir(path("gone"));
  ASSERT_TRUE(d);
  ASSERT_EQ(::rmdir(path("gone").c_str()), 0);
  EXPECT_EQ(os::listdir(d), names{});
  std::string cwd = std::filesystem::current_path().string();
  ASSERT_EQ(::fchdir(d.get()), 0);
  auto in_removed_cwd = os::nothrow::listdir();
  EXPECT_EQ(::chdir(cwd.c_str()), 0);
  ASSERT_TRUE(in_removed_cwd) << in_removed_cwd.error().code().message();
  EXPECT_EQ(*in_removed_cwd, names{});
}

#if OSCPP_HAVE_GETDENTS64
TEST_F(Dirs, ListdirFdStartsAtTheCurrentOffsetAsPython) {
  for (int i = 0; i < 200; ++i)
    write_file(path("file_with_long_name_" + std::to_string(i)), "");
  os::unique_fd d = open_dir(dir());
  ASSERT_TRUE(d);
  // Consume some entries directly, as python3 does with ctypes: its
  // listdir(fd) then returns only the rest, and rewinds.
  alignas(8) char buf[512];
  ASSERT_GT(os::detail::getdents64(d.get(), buf, sizeof buf), 0);
  std::size_t rest = os::listdir(d).size();
  EXPECT_LT(rest, 200u);
  EXPECT_GT(rest, 0u);
  EXPECT_EQ(os::listdir(d).size(), 200u);
}
#endif

TEST_F(Dirs, ListdirErrors) {
  EXPECT_OS_ERROR(os::listdir(path("m")), os::FileNotFoundError, ENOENT,
                  path("m"));
  EXPECT_RESULT_ERROR(os::nothrow::listdir(path("m")), ENOENT, path("m"));
  EXPECT_OS_ERROR(os::listdir(""), os::FileNotFoundError, ENOENT, "");
  write_file(path("f"), "content");
  EXPECT_OS_ERROR(os::listdir(path("f")), os::NotADirectoryError, ENOTDIR,
                  path("f"));
  // Python: NotADirectoryError with the descriptor as filename; the file's
  // offset is left alone.
  os::unique_fd f(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(f);
  ASSERT_EQ(::lseek(f.get(), 3, SEEK_SET), 3);
  EXPECT_OS_ERROR(os::listdir(f), os::NotADirectoryError, ENOTDIR,
                  std::to_string(f.get()));
  EXPECT_EQ(::lseek(f.get(), 0, SEEK_CUR), 3);
  // A bad descriptor fails in dup, which Python reports without filename.
  EXPECT_OS_ERROR(os::listdir(kBadFd), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::listdir(kBadFd), EBADF);
  os::mkdir(path("closed"), 0700);
  open_up();
  std::string p = path("closed");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { (void)os::listdir(p); },
                                                 EACCES, p),
            0);
}

// ---------------------------------------------------------------- mkdir

TEST_F(Dirs, MkdirCreatesWithModeMaskedByUmask) {
  mode_t old = ::umask(027);
  os::mkdir(path("d"), 0777);
  os::mkdir(path("e"));  // default mode 0777
  ::umask(old);
  struct ::stat st;
  ASSERT_EQ(::stat(path("d").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_EQ(mode_of(path("e")), 0750u);
  os::mkdir(path("d/sub"), 0700);
  EXPECT_EQ(mode_of(path("d/sub")), 0700u);
}

TEST_F(Dirs, MkdirDirFd) {
  os::unique_fd d = open_dir();
  os::mkdir("rel", 0755, {.dir_fd = d});
  EXPECT_TRUE(lexists(path("rel")));
  ASSERT_TRUE(os::nothrow::mkdir("rel2", 0755, {.dir_fd = d}));
  EXPECT_TRUE(lexists(path("rel2")));
}

TEST_F(Dirs, MkdirErrors) {
  os::mkdir(path("d"));
  EXPECT_OS_ERROR(os::mkdir(path("d")), os::FileExistsError, EEXIST, path("d"));
  EXPECT_RESULT_ERROR(os::nothrow::mkdir(path("d")), EEXIST, path("d"));
  EXPECT_OS_ERROR(os::mkdir(path("no/d")), os::FileNotFoundError, ENOENT,
                  path("no/d"));
  EXPECT_OS_ERROR(os::mkdir(""), os::FileNotFoundError, ENOENT, "");
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::mkdir(path("f/d")), os::NotADirectoryError, ENOTDIR,
                  path("f/d"));
  EXPECT_OS_ERROR(os::mkdir("x", 0777, {.dir_fd = kBadFd}), os::OSError, EBADF,
                  "x");
  open_up();
  std::string p = path("nobody");
  EXPECT_EQ(
      raises_in_child<os::PermissionError>([&] { os::mkdir(p); }, EACCES, p),
      0);
  EXPECT_FALSE(lexists(p));
}

}  // namespace
