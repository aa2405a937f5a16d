// The I/O calls of File Descriptor Operations: read, pread, readv, preadv,
// write, pwrite, writev, pwritev, sendfile, copy_file_range, splice. The
// expected values and errors were checked against python3's os module.
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "oscpp/file_descriptors.hpp"
#include "support/support.hpp"

namespace {

using oscpp_test::TempDirTest;

// A descriptor number that is not open, and high enough that no descriptor
// opened later in the test takes it.
int closed_fd() {
  int fd = 4000;
  while (::fcntl(fd, F_GETFD) != -1) ++fd;
  return fd;
}

class FdIoTest : public TempDirTest {
 protected:
  // Opens name (created with data) read-write.
  os::unique_fd file(const std::string& name, const std::string& data) {
    oscpp_test::write_file(path(name), data);
    return os::unique_fd(::open(path(name).c_str(), O_RDWR | O_CLOEXEC));
  }
  os::unique_fd directory() {
    return os::unique_fd(::open(dir().c_str(), O_RDONLY | O_CLOEXEC));
  }
  static os::pipe_fds make_pipe(int flags = 0) {
    int p[2];
    EXPECT_EQ(oscpp_test::pipe_cloexec(p, flags), 0);
    return {os::unique_fd(p[0]), os::unique_fd(p[1])};
  }
  static off_t tell(int fd) { return ::lseek(fd, 0, SEEK_CUR); }
};

// Keeps SIGPIPE ignored for a scope, so that EPIPE reaches the caller as it
// does in Python (which ignores SIGPIPE at startup).
class ignore_sigpipe {
 public:
  ignore_sigpipe() {
    struct sigaction sa = {};
    sa.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &sa, &old_);
  }
  ~ignore_sigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }

 private:
  struct sigaction old_ = {};
};

// ---------------------------------------------------------------- read

TEST_F(FdIoTest, ReadReturnsAtMostNAndEmptyAtEof) {
  auto fd = file("f", "0123456789");
  EXPECT_EQ(os::read(fd, 4), "0123");
  EXPECT_EQ(os::read(fd, 0), "");
  EXPECT_EQ(os::read(fd, 100), "456789");
  EXPECT_EQ(os::read(fd, 5), "");
  EXPECT_EQ(os::read(fd, 5), "");
  auto r = os::nothrow::read(fd, 1);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "");
}

TEST_F(FdIoTest, ReadFromPipeReturnsWhatIsThere) {
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  auto& w = fds.w;
  ASSERT_EQ(::write(w.get(), "abc", 3), 3);
  EXPECT_EQ(os::read(r, 2), "ab");
  EXPECT_EQ(os::read(r, 100), "c");
  w.reset();
  EXPECT_EQ(os::read(r, 100), "");  // every writer gone: end of file
}

TEST_F(FdIoTest, ReadHugeNOnShortInputsDoesNotAllocateN) {
  // Python allocates n up front (MemoryError for these); ours must not.
  auto fd = file("f", "0123456789");
  EXPECT_EQ(os::read(fd, PTRDIFF_MAX), "0123456789");
  EXPECT_EQ(os::read(fd, PTRDIFF_MAX), "");
  EXPECT_EQ(os::pread(fd, std::size_t{1} << 40, 3), "3456789");
  EXPECT_EQ(os::pread(fd, PTRDIFF_MAX, 10), "");
  EXPECT_EQ(os::pread(fd, PTRDIFF_MAX, 1000), "");

  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  auto& w = fds.w;
  ASSERT_EQ(::write(w.get(), "abc", 3), 3);
  std::string got = os::read(r, PTRDIFF_MAX);
  EXPECT_EQ(got, "abc");
  // A huge n leaves no huge buffer behind either.
  EXPECT_LT(got.capacity(), 8192u);
}

TEST_F(FdIoTest, ReadHugeNReturnsAllOfALargeFileInOneCall) {
  std::string data(300 * 1024 + 7, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = char(i * 7 + i / 251);
  auto fd = file("big", data);
  ASSERT_EQ(::lseek(fd.get(), 5, SEEK_SET), 5);
  EXPECT_EQ(os::read(fd, PTRDIFF_MAX), data.substr(5));
  EXPECT_EQ(tell(fd.get()), static_cast<off_t>(data.size()));
  EXPECT_EQ(os::pread(fd, PTRDIFF_MAX, 1000), data.substr(1000));
  // An n between the direct size and the file size is honoured exactly.
  ASSERT_EQ(::lseek(fd.get(), 0, SEEK_SET), 0);
  EXPECT_EQ(os::read(fd, 100 * 1024), data.substr(0, 100 * 1024));
  EXPECT_EQ(os::read(fd, 150 * 1024), data.substr(100 * 1024, 150 * 1024));
}

// procfs reports st_size 0, so a huge read of a procfs file longer than the
// first buffer must keep reading, not stop at what fstat said. The child's
// own /proc/self/cmdline is made long by its arguments.
OSCPP_CHILD_MODE(read_own_cmdline) {
  std::string expect = oscpp_test::self_exe();
  expect += '\0';
  expect += "--oscpp-child";
  expect += '\0';
  expect += "read_own_cmdline";
  expect += '\0';
  for (int i = 0; i < argc; ++i) {
    expect += argv[i];
    expect += '\0';
  }
  int fd = ::open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 10;
  auto r = os::nothrow::read(fd, PTRDIFF_MAX);
  ::close(fd);
  if (!r) return 11;
  if (expect.size() < 200 * 1024) return 12;
  return *r == expect ? 0 : 13;
}

// /proc and the pipe capacity (F_SETPIPE_SZ) are Linux's.
#if defined(__linux__)
TEST_F(FdIoTest, ReadHugeNOfProcFileReadsPastItsZeroSize) {
  std::vector<std::string> args(100, std::string(3000, 'a'));
  for (std::size_t i = 0; i < args.size(); ++i) args[i][0] = char('A' + i % 26);
  int status = oscpp_test::run_child_mode("read_own_cmdline", args);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// A character device or a pipe gets one read(2) of n bytes, as in Python:
// /dev/zero and /dev/urandom fill all of n (were cut at 64 KiB), a pipe
// holding more than 64 KiB gives all of it.
TEST_F(FdIoTest, ReadOfAStreamIsOneReadOfN) {
  os::unique_fd zero(::open("/dev/zero", O_RDONLY | O_CLOEXEC));
  std::string zeros = os::read(zero, 65537);
  EXPECT_EQ(zeros.size(), 65537u);
  EXPECT_EQ(zeros.find_first_not_of('\0'), std::string::npos);
  EXPECT_EQ(os::read(zero, 3 << 20).size(), std::size_t{3} << 20);
  EXPECT_EQ(os::pread(zero, 65537, 0).size(), 65537u);
  auto r = os::nothrow::read(zero, 1 << 20);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), std::size_t{1} << 20);
  os::unique_fd urandom(::open("/dev/urandom", O_RDONLY | O_CLOEXEC));
  EXPECT_EQ(os::read(urandom, 1 << 20).size(), std::size_t{1} << 20);

  os::pipe_fds fds = make_pipe();
  ASSERT_GE(::fcntl(fds.w.get(), F_SETPIPE_SZ, 1 << 20), 1 << 20);
  std::string data(200 * 1024, 'x');
  ASSERT_EQ(::write(fds.w.get(), data.data(), data.size()),
            static_cast<ssize_t>(data.size()));
  std::string got = os::read(fds.r, PTRDIFF_MAX);
  EXPECT_EQ(got, data);
  // The scratch space for n is not kept.
  EXPECT_LT(got.capacity(), 2 * data.size());
}
#endif

// Under an address-space limit far below n, a huge read of a short file
// still succeeds: the buffer is sized by the file, not by n.
OSCPP_CHILD_MODE(read_under_rlimit_as) {
  std::string path = argv[0];
  std::ifstream statm("/proc/self/statm");
  unsigned long pages = 0;
  statm >> pages;
  rlim_t limit = pages * ::sysconf(_SC_PAGESIZE) + (64ul << 20);
  struct rlimit rl = {limit, limit};
  if (::setrlimit(RLIMIT_AS, &rl) != 0) return 10;
  // The limit is in force: a 1 GiB allocation fails. (Through a volatile
  // pointer, or the compiler may elide the allocation and its failure.)
  void* (*volatile alloc)(std::size_t) = ::malloc;
  if (void* probe = alloc(std::size_t{1} << 30)) {
    ::free(probe);
    return 11;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 12;
  auto r = os::nothrow::read(fd, std::size_t{1} << 30);
  if (!r || *r != "0123456789") return 13;
  auto p = os::nothrow::pread(fd, std::size_t{1} << 31, 2);
  if (!p || *p != "23456789") return 14;
  ::close(fd);
  return 0;
}

TEST_F(FdIoTest, ReadHugeNUnderAddressSpaceLimit) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizers reserve more address space than the limit";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  GTEST_SKIP() << "sanitizers reserve more address space than the limit";
#endif
#endif
  oscpp_test::write_file(path("f"), "0123456789");
  int status = oscpp_test::run_child_mode("read_under_rlimit_as", {path("f")});
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(FdIoTest, ReadErrors) {
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::read(bad, 10), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::read(bad, PTRDIFF_MAX), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::read(bad, 10), EBADF);

  auto d = directory();
  EXPECT_OS_ERROR(os::read(d, 10), os::IsADirectoryError, EISDIR);
  EXPECT_OS_ERROR(os::read(d, 0), os::IsADirectoryError, EISDIR);
  EXPECT_OS_ERROR(os::read(d, PTRDIFF_MAX), os::IsADirectoryError, EISDIR);
  EXPECT_RESULT_ERROR(os::nothrow::read(d, 10), EISDIR);

  os::pipe_fds fds = make_pipe(O_NONBLOCK);
  auto& r = fds.r;
  auto& w = fds.w;
  EXPECT_OS_ERROR(os::read(r, 10), os::BlockingIOError, EAGAIN);
  EXPECT_OS_ERROR(os::read(r, PTRDIFF_MAX), os::BlockingIOError, EAGAIN);
  EXPECT_RESULT_ERROR(os::nothrow::read(r, 10), EAGAIN);
  // The write end is not readable.
  EXPECT_OS_ERROR(os::read(w, 10), os::OSError, EBADF);
}

// Python's Py_ssize_t sizes: a negative n, or an unsigned one that wrapped
// from a negative (size_t(-1)), is std::invalid_argument before any read,
// from the nothrow form too (as path_arg's embedded-NUL check).
TEST_F(FdIoTest, NegativeSizesAreInvalidArgument) {
  auto fd = file("f", "0123456789");
  EXPECT_THROW((void)os::read(fd, -1), std::invalid_argument);
  EXPECT_THROW((void)os::read(fd, std::size_t(-1)), std::invalid_argument);
  EXPECT_THROW((void)os::read(fd, SIZE_MAX / 2 + 1), std::invalid_argument);
  EXPECT_THROW((void)os::nothrow::read(fd, -5), std::invalid_argument);
  EXPECT_THROW((void)os::pread(fd, -1, 0), std::invalid_argument);
  EXPECT_THROW((void)os::nothrow::pread(fd, std::size_t(-1), 0),
               std::invalid_argument);
  // Nothing was read.
  EXPECT_EQ(tell(fd.get()), 0);
  try {
    (void)os::read(fd, -1);
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "negative argument not allowed");
  }
  auto [r, w] = make_pipe();
#if OSCPP_HAVE_SPLICE
  EXPECT_THROW((void)os::splice(fd, w, -1), std::invalid_argument);
#endif
#if OSCPP_HAVE_COPY_FILE_RANGE
  EXPECT_THROW((void)os::copy_file_range(fd, fd, -1), std::invalid_argument);
#endif
#if OSCPP_HAVE_LINUX_SENDFILE
  EXPECT_THROW((void)os::sendfile(w, fd, 0, -1), std::invalid_argument);
#endif
  int queued = -1;
  ASSERT_EQ(::ioctl(r.get(), FIONREAD, &queued), 0);
  EXPECT_EQ(queued, 0);
}

// ---------------------------------------------------------------- pread

TEST_F(FdIoTest, PreadReadsAtOffsetWithoutMovingThePosition) {
  auto fd = file("f", "0123456789");
  ASSERT_EQ(::lseek(fd.get(), 2, SEEK_SET), 2);
  EXPECT_EQ(os::pread(fd, 3, 5), "567");
  EXPECT_EQ(os::pread(fd, 100, 8), "89");
  EXPECT_EQ(os::pread(fd, 3, 10), "");
  EXPECT_EQ(os::pread(fd, 3, 100), "");
  EXPECT_EQ(tell(fd.get()), 2);
}

TEST_F(FdIoTest, PreadErrors) {
  auto fd = file("f", "0123456789");
  EXPECT_OS_ERROR(os::pread(fd, 3, -1), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pread(fd, 3, -1), EINVAL);
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  EXPECT_OS_ERROR(os::pread(r, 3, 0), os::OSError, ESPIPE);
  EXPECT_OS_ERROR(os::pread(r, PTRDIFF_MAX, 0), os::OSError, ESPIPE);
  EXPECT_RESULT_ERROR(os::nothrow::pread(r, 3, 0), ESPIPE);
  auto d = directory();
  EXPECT_OS_ERROR(os::pread(d, 3, 0), os::IsADirectoryError, EISDIR);
  EXPECT_OS_ERROR(os::pread(closed_fd(), 3, 0), os::OSError, EBADF);
}

// ---------------------------------------------------------------- readv

TEST_F(FdIoTest, ReadvFillsEachBufferInTurn) {
  auto fd = file("f", "0123456789");
  std::array<char, 3> a{};
  std::array<char, 0> empty{};
  std::array<char, 4> b{};
  std::array<char, 8> c{};
  std::vector<std::span<char>> bufs = {a, empty, b, c};
  EXPECT_EQ(os::readv(fd, bufs), 10u);
  EXPECT_EQ(std::string(a.data(), 3), "012");
  EXPECT_EQ(std::string(b.data(), 4), "3456");
  EXPECT_EQ(std::string(c.data(), 3), "789");
  EXPECT_EQ(os::readv(fd, bufs), 0u);  // end of file
  EXPECT_EQ(os::readv(fd, {}), 0u);
  auto r = os::nothrow::readv(fd, bufs);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 0u);
}

TEST_F(FdIoTest, ReadvManyBuffersUpToIovMax) {
  std::string data(IOV_MAX, 'x');
  auto fd = file("f", data);
  std::vector<char> store(IOV_MAX);
  std::vector<std::span<char>> bufs;
  for (auto& ch : store) bufs.emplace_back(&ch, 1);
  EXPECT_EQ(os::readv(fd, bufs), std::size_t{IOV_MAX});
  EXPECT_EQ(std::string(store.begin(), store.end()), data);
}

TEST_F(FdIoTest, ReadvErrors) {
  std::array<char, 4> a{};
  std::vector<std::span<char>> one = {a};
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::readv(bad, one), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::readv(bad, {}), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::readv(bad, one), EBADF);
  auto d = directory();
  EXPECT_OS_ERROR(os::readv(d, one), os::IsADirectoryError, EISDIR);
  os::pipe_fds fds = make_pipe(O_NONBLOCK);
  auto& r = fds.r;
  EXPECT_OS_ERROR(os::readv(r, one), os::BlockingIOError, EAGAIN);
  // More than IOV_MAX buffers: EINVAL, but a bad descriptor wins, as the
  // kernel (and so Python) checks it first.
  std::vector<std::span<char>> many(IOV_MAX + 1, std::span<char>(a));
  auto fd = file("f", "abc");
  EXPECT_OS_ERROR(os::readv(fd, many), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::readv(fd, many), EINVAL);
  EXPECT_OS_ERROR(os::readv(bad, many), os::OSError, EBADF);
}

// ---------------------------------------------------------------- preadv

TEST_F(FdIoTest, PreadvReadsAtOffset) {
  auto fd = file("f", "0123456789");
  std::array<char, 2> a{};
  std::array<char, 3> b{};
  std::vector<std::span<char>> bufs = {a, b};
  EXPECT_EQ(os::preadv(fd, bufs, 4), 5u);
  EXPECT_EQ(std::string(a.data(), 2) + std::string(b.data(), 3), "45678");
  EXPECT_EQ(tell(fd.get()), 0);
  EXPECT_EQ(os::preadv(fd, bufs, 9), 1u);
  EXPECT_EQ(a[0], '9');
  EXPECT_EQ(os::preadv(fd, bufs, 10), 0u);
#if OSCPP_HAVE_PREADV2
  // With flags (preadv2): RWF_HIPRI and RWF_NOWAIT on a cached file.
  EXPECT_EQ(os::preadv(fd, bufs, 0, RWF_HIPRI), 5u);
  EXPECT_EQ(std::string(a.data(), 2) + std::string(b.data(), 3), "01234");
  // RWF_NOWAIT needs filesystem support (EOPNOTSUPP without it).
  auto nowait = os::nothrow::preadv(fd, bufs, 1, RWF_NOWAIT);
  if (nowait) {
    EXPECT_EQ(*nowait, 5u);
    EXPECT_EQ(std::string(a.data(), 2) + std::string(b.data(), 3), "12345");
  } else {
    EXPECT_EQ(nowait.error().code().value(), EOPNOTSUPP);
  }
#else
  // No preadv2 (musl): flags are Python's NotImplementedError there.
  EXPECT_THROW(os::preadv(fd, bufs, 0, 1), std::logic_error);
  auto r = os::nothrow::preadv(fd, bufs, 0, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code().value(), ENOTSUP);
#endif
}

TEST_F(FdIoTest, PreadvOffsetMinusOneIsTheCurrentPosition) {
  // Python calls preadv2, where -1 means "at the file position, and move
  // it".
  auto fd = file("f", "0123456789");
  ASSERT_EQ(::lseek(fd.get(), 2, SEEK_SET), 2);
  std::array<char, 4> a{};
  std::vector<std::span<char>> bufs = {a};
#if OSCPP_HAVE_PREADV2
  EXPECT_EQ(os::preadv(fd, bufs, -1), 4u);
  EXPECT_EQ(std::string(a.data(), 4), "2345");
  EXPECT_EQ(tell(fd.get()), 6);
#else
  // Without preadv2 (musl before 1.2.5) Python calls preadv, whose
  // negative offset is EINVAL; the position stays.
  EXPECT_OS_ERROR(os::preadv(fd, bufs, -1), os::OSError, EINVAL);
  EXPECT_EQ(tell(fd.get()), 2);
#endif
}

TEST_F(FdIoTest, PreadvErrors) {
  auto fd = file("f", "0123456789");
  std::array<char, 4> a{};
  std::vector<std::span<char>> bufs = {a};
  EXPECT_OS_ERROR(os::preadv(fd, bufs, -2), os::OSError, EINVAL);
#if OSCPP_HAVE_PREADV2
  EXPECT_OS_ERROR(os::preadv(fd, bufs, 0, 0x40000000), os::OSError, EOPNOTSUPP);
  EXPECT_RESULT_ERROR(os::nothrow::preadv(fd, bufs, 0, 0x40000000), EOPNOTSUPP);
#else
  // Any flag is Python's NotImplementedError without preadv2.
  EXPECT_THROW(os::preadv(fd, bufs, 0, 0x40000000), std::logic_error);
  EXPECT_RESULT_ERROR(os::nothrow::preadv(fd, bufs, 0, 0x40000000), ENOTSUP);
#endif
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  EXPECT_OS_ERROR(os::preadv(r, bufs, 0), os::OSError, ESPIPE);
  auto d = directory();
  EXPECT_OS_ERROR(os::preadv(d, bufs, 0), os::IsADirectoryError, EISDIR);
  EXPECT_OS_ERROR(os::preadv(closed_fd(), bufs, 0), os::OSError, EBADF);
}

// ---------------------------------------------------------------- write

TEST_F(FdIoTest, WriteReturnsTheCount) {
  auto fd = file("f", "");
  EXPECT_EQ(os::write(fd, "hello"), 5u);
  EXPECT_EQ(os::write(fd, ""), 0u);
  EXPECT_EQ(os::write(fd, std::string("a\0b", 3)), 3u);
  auto r = os::nothrow::write(fd, "!");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 1u);
  EXPECT_EQ(oscpp_test::read_file(path("f")), std::string("helloa\0b!", 9));
}

// os.write(fd, bytearray(...)) / memoryview: any contiguous bytes.
TEST_F(FdIoTest, WriteTakesAnyBytes) {
  auto fd = file("f", "");
  std::vector<char> chars{'a', 'b'};
  EXPECT_EQ(os::write(fd, chars), 2u);
  std::vector<unsigned char> uchars{'c'};
  EXPECT_EQ(os::write(fd, uchars), 1u);
  std::array<std::byte, 2> bytes{std::byte{'d'}, std::byte{0}};
  EXPECT_EQ(os::write(fd, std::span<const std::byte>(bytes)), 2u);
  EXPECT_EQ(os::write(fd, std::span<std::byte>(bytes).first(1)), 1u);
  EXPECT_EQ(os::write(fd, std::u8string(u8"\u00e9")), 2u);
  EXPECT_EQ(os::pwrite(fd, std::vector<char>{'Z'}, 0), 1u);
  EXPECT_EQ(os::nothrow::write(fd, std::vector<char>{}).value(), 0u);
  EXPECT_EQ(oscpp_test::read_file(path("f")),
            std::string("Zbcd\0d\xc3\xa9", 8));
}

// The pipe's capacity (F_GETPIPE_SZ) is Linux's.
#if defined(__linux__)
TEST_F(FdIoTest, WritePartialToAFullPipeReturnsTheCount) {
  // Python's os.write does not loop: a non-blocking pipe takes what fits.
  os::pipe_fds fds = make_pipe(O_NONBLOCK);
  auto& r = fds.r;
  auto& w = fds.w;
  int capacity = ::fcntl(w.get(), F_GETPIPE_SZ);
  ASSERT_GT(capacity, 0);
  std::string big(static_cast<std::size_t>(capacity) * 2, 'z');
  EXPECT_EQ(os::write(w, big), static_cast<std::size_t>(capacity));
  EXPECT_OS_ERROR(os::write(w, "x"), os::BlockingIOError, EAGAIN);
  EXPECT_RESULT_ERROR(os::nothrow::write(w, "x"), EAGAIN);
  EXPECT_EQ(os::read(r, 10), "zzzzzzzzzz");
}
#endif

TEST_F(FdIoTest, WriteErrors) {
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::write(bad, "x"), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::write(bad, "x"), EBADF);
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  EXPECT_OS_ERROR(os::write(r, "x"), os::OSError, EBADF);
  auto d = directory();
  EXPECT_OS_ERROR(os::write(d, "x"), os::OSError, EBADF);
}

TEST_F(FdIoTest, WriteToPipeWithoutReaderIsBrokenPipe) {
  ignore_sigpipe guard;
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  auto& w = fds.w;
  r.reset();
  EXPECT_OS_ERROR(os::write(w, "x"), os::BrokenPipeError, EPIPE);
  EXPECT_RESULT_ERROR(os::nothrow::write(w, "x"), EPIPE);
  std::string_view one[] = {"x"};
  EXPECT_OS_ERROR(os::writev(w, one), os::BrokenPipeError, EPIPE);
  // A BrokenPipeError is a ConnectionError, as in Python.
  EXPECT_THROW((void)os::write(w, "x"), os::ConnectionError);
}

// ---------------------------------------------------------------- pwrite

TEST_F(FdIoTest, PwriteWritesAtOffsetWithoutMovingThePosition) {
  auto fd = file("f", "0123456789");
  ASSERT_EQ(::lseek(fd.get(), 1, SEEK_SET), 1);
  EXPECT_EQ(os::pwrite(fd, "ab", 3), 2u);
  EXPECT_EQ(os::pwrite(fd, "Z", 12), 1u);  // past the end: a hole
  EXPECT_EQ(tell(fd.get()), 1);
  EXPECT_EQ(oscpp_test::read_file(path("f")),
            std::string("012ab56789\0\0Z", 13));
}

TEST_F(FdIoTest, PwriteErrors) {
  auto fd = file("f", "0123456789");
  EXPECT_OS_ERROR(os::pwrite(fd, "x", -1), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pwrite(fd, "x", -1), EINVAL);
  os::pipe_fds fds = make_pipe();
  auto& w = fds.w;
  EXPECT_OS_ERROR(os::pwrite(w, "x", 0), os::OSError, ESPIPE);
  EXPECT_OS_ERROR(os::pwrite(closed_fd(), "x", 0), os::OSError, EBADF);
}

// ---------------------------------------------------------------- writev

TEST_F(FdIoTest, WritevGathersTheBuffers) {
  auto fd = file("f", "");
  std::vector<std::string_view> bufs = {"ab", "", "cde", "f"};
  EXPECT_EQ(os::writev(fd, bufs), 6u);
  EXPECT_EQ(os::writev(fd, {}), 0u);
  auto r = os::nothrow::writev(fd, bufs);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 6u);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "abcdefabcdef");
}

TEST_F(FdIoTest, WritevManyBuffersUpToIovMax) {
  auto fd = file("f", "");
  std::vector<std::string_view> bufs(IOV_MAX, "y");
  EXPECT_EQ(os::writev(fd, bufs), std::size_t{IOV_MAX});
  EXPECT_EQ(oscpp_test::read_file(path("f")), std::string(IOV_MAX, 'y'));
}

// The pipe's capacity (F_GETPIPE_SZ) is Linux's.
#if defined(__linux__)
TEST_F(FdIoTest, WritevPartialToAFullPipeReturnsTheCount) {
  os::pipe_fds fds = make_pipe(O_NONBLOCK);
  auto& w = fds.w;
  int capacity = ::fcntl(w.get(), F_GETPIPE_SZ);
  std::string big(static_cast<std::size_t>(capacity), 'q');
  std::vector<std::string_view> bufs = {big, big};
  EXPECT_EQ(os::writev(w, bufs), static_cast<std::size_t>(capacity));
  EXPECT_OS_ERROR(os::writev(w, bufs), os::BlockingIOError, EAGAIN);
}
#endif

TEST_F(FdIoTest, WritevErrors) {
  std::vector<std::string_view> one = {"x"};
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::writev(bad, one), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::writev(bad, one), EBADF);
  std::vector<std::string_view> many(IOV_MAX + 1, "x");
  auto fd = file("f", "");
  EXPECT_OS_ERROR(os::writev(fd, many), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::writev(bad, many), os::OSError, EBADF);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "");
}

// ---------------------------------------------------------------- pwritev

TEST_F(FdIoTest, PwritevWritesAtOffset) {
  auto fd = file("f", "0123456789");
  std::vector<std::string_view> bufs = {"ab", "cd"};
  EXPECT_EQ(os::pwritev(fd, bufs, 3), 4u);
  EXPECT_EQ(tell(fd.get()), 0);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "012abcd789");
  std::vector<std::string_view> z = {"Z"};
#if OSCPP_HAVE_PREADV2
  // RWF_APPEND appends whatever the offset.
  EXPECT_EQ(os::pwritev(fd, z, 0, RWF_APPEND), 1u);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "012abcd789Z");
  EXPECT_EQ(os::pwritev(fd, z, 0, RWF_DSYNC | RWF_SYNC), 1u);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "Z12abcd789Z");
#else
  // No pwritev2 (musl): flags are Python's NotImplementedError there.
  EXPECT_THROW(os::pwritev(fd, z, 0, 1), std::logic_error);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "012abcd789");
#endif
}

TEST_F(FdIoTest, PwritevOffsetMinusOneIsTheCurrentPosition) {
  auto fd = file("f", "0123456789");
  ASSERT_EQ(::lseek(fd.get(), 3, SEEK_SET), 3);
  std::vector<std::string_view> bufs = {"ab", "cd"};
#if OSCPP_HAVE_PREADV2
  EXPECT_EQ(os::pwritev(fd, bufs, -1), 4u);
  EXPECT_EQ(tell(fd.get()), 7);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "012abcd789");
#else
  // Without pwritev2, pwritev: a negative offset is EINVAL, nothing written.
  EXPECT_OS_ERROR(os::pwritev(fd, bufs, -1), os::OSError, EINVAL);
  EXPECT_EQ(tell(fd.get()), 3);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "0123456789");
#endif
}

TEST_F(FdIoTest, PwritevErrors) {
  auto fd = file("f", "0123456789");
  std::vector<std::string_view> one = {"x"};
  EXPECT_OS_ERROR(os::pwritev(fd, one, -2), os::OSError, EINVAL);
#if OSCPP_HAVE_PREADV2
  EXPECT_OS_ERROR(os::pwritev(fd, one, 0, 0x40000000), os::OSError, EOPNOTSUPP);
#else
  EXPECT_THROW(os::pwritev(fd, one, 0, 0x40000000), std::logic_error);
#endif
  EXPECT_RESULT_ERROR(os::nothrow::pwritev(fd, one, -2), EINVAL);
  os::pipe_fds fds = make_pipe();
  auto& w = fds.w;
  EXPECT_OS_ERROR(os::pwritev(w, one, 0), os::OSError, ESPIPE);
  EXPECT_OS_ERROR(os::pwritev(closed_fd(), one, 0), os::OSError, EBADF);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "0123456789");
}

// ---------------------------------------------------------------- sendfile

#if OSCPP_HAVE_LINUX_SENDFILE
TEST_F(FdIoTest, SendfileWithoutOffsetUsesAndMovesThePosition) {
  auto in = file("in", "0123456789");
  auto out = file("out", "");
  ASSERT_EQ(::lseek(in.get(), 2, SEEK_SET), 2);
  EXPECT_EQ(os::sendfile(out, in, std::nullopt, 3), 3u);
  EXPECT_EQ(tell(in.get()), 5);
  EXPECT_EQ(os::sendfile(out, in, std::nullopt, 100), 5u);
  EXPECT_EQ(os::sendfile(out, in, std::nullopt, 100), 0u);
  EXPECT_EQ(oscpp_test::read_file(path("out")), "23456789");
}

TEST_F(FdIoTest, SendfileWithOffsetLeavesThePosition) {
  auto in = file("in", "0123456789");
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  auto& w = fds.w;
  EXPECT_EQ(os::sendfile(w, in, 6, 3), 3u);
  EXPECT_EQ(os::sendfile(w, in, 100, 3), 0u);
  EXPECT_EQ(os::sendfile(w, in, 0, 0), 0u);
  EXPECT_EQ(tell(in.get()), 0);
  EXPECT_EQ(os::read(r, 10), "678");
  auto n = os::nothrow::sendfile(w, in, 0, 2);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2u);
}

TEST_F(FdIoTest, SendfileErrors) {
  auto in = file("in", "0123456789");
  auto out = file("out", "");
  EXPECT_OS_ERROR(os::sendfile(out, in, -1, 3), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::sendfile(out, in, -1, 3), EINVAL);
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::sendfile(out, bad, std::nullopt, 3), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::sendfile(bad, in, std::nullopt, 3), os::OSError, EBADF);
  auto d = directory();
  EXPECT_OS_ERROR(os::sendfile(out, d, std::nullopt, 3), os::OSError, EINVAL);
  os::pipe_fds fds = make_pipe(O_NONBLOCK);
  auto& w = fds.w;
  int capacity = ::fcntl(w.get(), F_GETPIPE_SZ);
  std::string fill(static_cast<std::size_t>(capacity), 'f');
  ASSERT_EQ(::write(w.get(), fill.data(), fill.size()), capacity);
  EXPECT_OS_ERROR(os::sendfile(w, in, 0, 3), os::BlockingIOError, EAGAIN);
}
#endif

// ----------------------------------------------------------------
// copy_file_range

#if OSCPP_HAVE_COPY_FILE_RANGE
TEST_F(FdIoTest, CopyFileRangeCopies) {
  auto src = file("src", "0123456789");
  auto dst = file("dst", "");
  EXPECT_EQ(os::copy_file_range(src, dst, 4), 4u);
  EXPECT_EQ(tell(src.get()), 4);
  EXPECT_EQ(tell(dst.get()), 4);
  // Explicit offsets leave the positions alone.
  EXPECT_EQ(os::copy_file_range(src, dst, 3, 7, 10), 3u);
  EXPECT_EQ(tell(src.get()), 4);
  EXPECT_EQ(tell(dst.get()), 4);
  EXPECT_EQ(os::copy_file_range(src, dst, 3, 100), 0u);
  EXPECT_EQ(os::copy_file_range(src, dst, 0), 0u);
  auto n = os::nothrow::copy_file_range(src, dst, 100, std::nullopt, 4);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 6u);
  EXPECT_EQ(oscpp_test::read_file(path("dst")), "0123456789789");
}

TEST_F(FdIoTest, CopyFileRangeErrors) {
  auto src = file("src", "0123456789");
  // Overlapping ranges of one file.
  EXPECT_OS_ERROR(os::copy_file_range(src, src, 3, 0, 1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::copy_file_range(src, src, 3, -1, 1), os::OSError,
                  EOVERFLOW);
  EXPECT_RESULT_ERROR(os::nothrow::copy_file_range(src, src, 3, 0, 1), EINVAL);
  os::pipe_fds fds = make_pipe();
  auto& w = fds.w;
  EXPECT_OS_ERROR(os::copy_file_range(src, w, 3), os::OSError, EINVAL);
  auto d = directory();
  EXPECT_OS_ERROR(os::copy_file_range(d, src, 3), os::IsADirectoryError,
                  EISDIR);
  EXPECT_OS_ERROR(os::copy_file_range(closed_fd(), src, 3), os::OSError, EBADF);
  int ro = ::open(path("src").c_str(), O_RDONLY | O_CLOEXEC);
  os::unique_fd ro_guard(ro);
  EXPECT_OS_ERROR(os::copy_file_range(src, ro, 3), os::OSError, EBADF);
}
#endif

// ---------------------------------------------------------------- splice

#if OSCPP_HAVE_SPLICE
TEST_F(FdIoTest, SpliceMovesBetweenFileAndPipe) {
  auto f = file("f", "0123456789");
  auto out = file("out", "");
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  auto& w = fds.w;
  EXPECT_EQ(os::splice(f, w, 4), 4u);  // from the file position
  EXPECT_EQ(tell(f.get()), 4);
  EXPECT_EQ(os::splice(f, w, 3, 8), 2u);  // at an offset: position kept
  EXPECT_EQ(tell(f.get()), 4);
  EXPECT_EQ(os::splice(r, out, 100, std::nullopt, 3), 6u);
  EXPECT_EQ(tell(out.get()), 0);
  EXPECT_EQ(oscpp_test::read_file(path("out")),
            std::string(3, '\0') + "012389");
  ASSERT_EQ(::write(w.get(), "xy", 2), 2);
  auto n = os::nothrow::splice(r, out, 100);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(oscpp_test::read_file(path("out")),
            "xy" + std::string(1, '\0') + "012389");
}

TEST_F(FdIoTest, SpliceErrors) {
  auto f = file("f", "0123456789");
  os::pipe_fds fds = make_pipe();
  auto& r = fds.r;
  auto& w = fds.w;
  // From a pipe to itself.
  EXPECT_OS_ERROR(os::splice(r, w, 3), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::splice(r, w, 3), EINVAL);
  // An offset for the pipe end.
  EXPECT_OS_ERROR(os::splice(r, f, 3, 0), os::OSError, ESPIPE);
  EXPECT_OS_ERROR(os::splice(f, w, 3, -1), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::splice(closed_fd(), w, 3), os::OSError, EBADF);
  // Neither end a pipe.
  auto g = file("g", "");
  EXPECT_OS_ERROR(os::splice(f, g, 3), os::OSError, EINVAL);
  // SPLICE_F_NONBLOCK on an empty pipe.
  EXPECT_OS_ERROR(
      os::splice(r, g, 3, std::nullopt, std::nullopt, SPLICE_F_NONBLOCK),
      os::BlockingIOError, EAGAIN);
}
#endif

}  // namespace
