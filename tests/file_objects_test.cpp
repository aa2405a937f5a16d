// File Object Creation: fdopen. Every expectation was checked against
// python3 (3.11).
#include "oscpp/file_objects.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "oscpp/file_descriptors.hpp"
#include "support/support.hpp"

#if defined(__linux__)
#include <stdio_ext.h>  // __flbf, __fbufsize: glibc's and musl's
#endif

namespace {

using oscpp_test::closed_fd;
using oscpp_test::invalid_argument_message;
using oscpp_test::is_cloexec;
using oscpp_test::raw_pipe;

// ---------------------------------------------------------------- fdopen

class Fdopen : public oscpp_test::TempDirTest {
 protected:
  // The file "f" with content, opened with flags.
  os::unique_fd file(int flags, const std::string& content = "hello") {
    oscpp_test::write_file(path("f"), content);
    int fd = ::open(path("f").c_str(), flags | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    return os::unique_fd(fd);
  }
  std::string contents() { return oscpp_test::read_file(path("f")); }
};

TEST_F(Fdopen, ReadsAndTakesTheDescriptor) {
  auto fd = file(O_RDONLY);
  int raw = fd.get();
  os::file_ptr f = os::fdopen(std::move(fd));
  ASSERT_TRUE(f);
  EXPECT_FALSE(fd);  // taken
  EXPECT_EQ(::fileno(f.get()), raw);
  EXPECT_TRUE(is_cloexec(raw));  // fdopen leaves the flag as it was
  char buf[16] = {};
  EXPECT_EQ(std::fread(buf, 1, sizeof buf, f.get()), 5u);
  EXPECT_STREQ(buf, "hello");
  f.reset();  // fclose closes the descriptor
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
}

TEST_F(Fdopen, WritesWithPythonsModes) {
  for (const char* mode : {"w", "wb", "wt", "tw", "x", "xb", "w+", "+w"}) {
    auto fd = file(O_RDWR | O_TRUNC, "");
    auto f = os::nothrow::fdopen(std::move(fd), mode);
    ASSERT_TRUE(f) << mode;
    // fputs returns a non-negative number (glibc 1, musl 0).
    EXPECT_GE(std::fputs("data", f->get()), 0) << mode;
    f->reset();
    EXPECT_EQ(contents(), "data") << mode;
  }
}

TEST_F(Fdopen, UpdateModesReadAndWrite) {
  auto f = os::fdopen(file(O_RDWR), "r+b");
  char buf[3] = {};
  ASSERT_EQ(std::fread(buf, 1, 2, f.get()), 2u);
  EXPECT_STREQ(buf, "he");
  ASSERT_EQ(std::fseek(f.get(), 0, SEEK_CUR), 0);
  std::fputs("XY", f.get());
  f.reset();
  EXPECT_EQ(contents(), "heXYo");
}

TEST_F(Fdopen, AppendSeeksToTheEndWithoutOAppend) {
  // Python: fdopen(fd, 'a').tell() == 5 and fd keeps its flags.
  auto fd = file(O_RDWR);
  int raw = fd.get();
  auto f = os::fdopen(std::move(fd), "a");
  EXPECT_EQ(std::ftell(f.get()), 5);
  EXPECT_EQ(::fcntl(raw, F_GETFL) & O_APPEND, 0);
  std::fputs("!", f.get());
  f.reset();
  EXPECT_EQ(contents(), "hello!");
  // A pipe cannot seek, and need not: 'a' works on it.
  raw_pipe p;
  auto pf = os::nothrow::fdopen(std::move(p.w), "ab");
  ASSERT_TRUE(pf);
  EXPECT_FALSE(p.w);
}

TEST_F(Fdopen, InvalidModesAreValueErrorAndKeepTheDescriptor) {
  // python3 os.fdopen(fd, mode): ValueError with these messages, fd open.
  const std::pair<const char*, const char*> cases[] = {
      {"",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"+",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"b",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"t",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"rr", "invalid mode: 'rr'"},
      {"r++", "invalid mode: 'r++'"},
      {"++", "invalid mode: '++'"},
      {"rbb", "invalid mode: 'rbb'"},
      {"q", "invalid mode: 'q'"},
      {"rU", "invalid mode: 'rU'"},
      {"U", "invalid mode: 'U'"},
      {"rB", "invalid mode: 'rB'"},
      {"r ", "invalid mode: 'r '"},
      {"rwq", "invalid mode: 'rwq'"},
      {"rw", "must have exactly one of create/read/write/append mode"},
      {"ra", "must have exactly one of create/read/write/append mode"},
      {"rbt", "can't have text and binary mode at once"},
      {"rwbt", "can't have text and binary mode at once"},
      {"bt", "can't have text and binary mode at once"},
  };
  auto fd = file(O_RDWR);
  int raw = fd.get();
  for (const auto& c : cases) {
    const char* mode = c.first;
    const char* message = c.second;
    EXPECT_EQ(
        invalid_argument_message([&] { os::fdopen(std::move(fd), mode); }),
        message)
        << mode;
    EXPECT_EQ(invalid_argument_message(
                  [&] { (void)os::nothrow::fdopen(std::move(fd), mode); }),
              message)
        << mode;
    EXPECT_EQ(fd.get(), raw) << mode;
  }
  EXPECT_NE(::fcntl(raw, F_GETFD), -1);
}

TEST_F(Fdopen, UnbufferedTextIsValueError) {
  auto fd = file(O_RDWR);
  EXPECT_EQ(invalid_argument_message(
                [&] { os::fdopen(std::move(fd), "r", {.buffering = 0}); }),
            "can't have unbuffered text I/O");
  EXPECT_TRUE(fd);
  // Checked before the descriptor: a bad fd does not change the answer.
  os::unique_fd bad(closed_fd());
  EXPECT_EQ(invalid_argument_message(
                [&] { os::fdopen(std::move(bad), "w", {.buffering = 0}); }),
            "can't have unbuffered text I/O");
  (void)bad.release();
}

TEST_F(Fdopen, ErrorsKeepTheDescriptor) {
  // Python: OSError EBADF for a closed descriptor.
  os::unique_fd bad(closed_fd());
  int bad_raw = bad.get();
  EXPECT_OS_ERROR(os::fdopen(std::move(bad)), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fdopen(std::move(bad), "rb"), EBADF);
  EXPECT_EQ(bad.release(), bad_raw);

  // Python: IsADirectoryError [Errno 21] Is a directory: 3 (the fd).
  os::unique_fd dfd(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  int dir_raw = dfd.get();
  try {
    os::fdopen(std::move(dfd));
    ADD_FAILURE() << "no exception for a directory";
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(os::IsADirectoryError));
    EXPECT_EQ(e.code().value(), EISDIR);
    EXPECT_EQ(e.filename(), std::to_string(dir_raw));
  }
  auto r = os::nothrow::fdopen(std::move(dfd), "r");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), EISDIR);
  EXPECT_EQ(dfd.get(), dir_raw);

  auto ro = file(O_RDONLY);
  int ro_raw = ro.get();
#if defined(__linux__) && !defined(__GLIBC__)
  // musl's fdopen(3) does not check the access mode (POSIX: "may fail"):
  // the stream is made and its first write fails, as Python's does.
  auto w = os::nothrow::fdopen(std::move(ro), "w");
  ASSERT_TRUE(w);
  EXPECT_FALSE(ro);
  std::fputs("x", w->get());
  errno = 0;
  EXPECT_EQ(std::fflush(w->get()), EOF);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(::fileno(w->get()), ro_raw);
#else
  // glibc's fdopen(3) refuses a mode the access mode cannot serve (Python
  // fails at the first write instead).
  EXPECT_RESULT_ERROR(os::nothrow::fdopen(std::move(ro), "w"), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::fdopen(std::move(ro), "r+"), EINVAL);
  EXPECT_EQ(ro.get(), ro_raw);
#endif
}

// The buffering is read with <stdio_ext.h> (glibc, musl).
#if defined(__linux__)
TEST_F(Fdopen, DefaultBufferingIsFullOnAFile) {
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "w");
  std::fputs("ab\n", f.get());
  EXPECT_EQ(contents(), "");
  EXPECT_EQ(__flbf(f.get()), 0);
  std::fflush(f.get());
  EXPECT_EQ(contents(), "ab\n");
}

TEST_F(Fdopen, LineBufferingForTextWithBufferingOne) {
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "w", {.buffering = 1});
  EXPECT_NE(__flbf(f.get()), 0);
  std::fputs("ab\n", f.get());
  EXPECT_EQ(contents(), "ab\n");
  std::fputs("cd", f.get());
  EXPECT_EQ(contents(), "ab\n");
}

TEST_F(Fdopen, BinaryIgnoresLineBuffering) {
  // Python warns and uses the default buffer size.
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb", {.buffering = 1});
  EXPECT_EQ(__flbf(f.get()), 0);
  std::fputs("ab\n", f.get());
  EXPECT_EQ(contents(), "");
}
#endif

TEST_F(Fdopen, UnbufferedBinaryWritesThrough) {
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb", {.buffering = 0});
  std::fputs("x", f.get());
  EXPECT_EQ(contents(), "x");
}

// The buffering is read with <stdio_ext.h> (glibc, musl).
#if defined(__linux__)
TEST_F(Fdopen, BufferingSizeIsHonoured) {
  // (glibc writes through buffers under 128 bytes, so 256 is the example.)
  auto sized = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb", {.buffering = 256});
  std::string a(200, 'a'), b(100, 'b');
#if defined(__linux__) && !defined(__GLIBC__)
  // musl keeps 8 bytes of a given buffer for ungetc, and writes the
  // buffered bytes and the ones that do not fit in one go.
  EXPECT_EQ(__fbufsize(sized.get()), 256u - 8u);
  std::fputs(a.c_str(), sized.get());
  EXPECT_EQ(contents(), "");
  std::fputs(b.c_str(), sized.get());
  EXPECT_EQ(contents(), a + b);
#else
  EXPECT_EQ(__fbufsize(sized.get()), 256u);
  std::fputs(a.c_str(), sized.get());
  EXPECT_EQ(contents(), "");
  std::fputs(b.c_str(), sized.get());
  EXPECT_EQ(contents().size(), 256u);  // one full buffer went out
#endif
  sized.reset();
  EXPECT_EQ(contents(), a + b);

  // The default buffer holds the same 300 bytes without writing.
  auto dflt = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb");
  std::fputs((a + b).c_str(), dflt.get());
  EXPECT_EQ(contents(), "");
}

TEST_F(Fdopen, TextOnATerminalIsLineBufferedBinaryIsNot) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  os::unique_fd m(master);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  auto open_slave = [&] {
    return os::unique_fd(
        ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC));
  };
  auto text = os::fdopen(open_slave(), "w");
  EXPECT_NE(__flbf(text.get()), 0);
  auto binary = os::fdopen(open_slave(), "wb");
  std::fputs("x", binary.get());  // glibc decides buffering on first use
  EXPECT_EQ(__flbf(binary.get()), 0);
  auto sized = os::fdopen(open_slave(), "w", {.buffering = 64});
  EXPECT_EQ(__flbf(sized.get()), 0);
}
#endif

}  // namespace
