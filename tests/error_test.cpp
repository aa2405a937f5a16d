#include "oscpp/error.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <exception>
#include <typeinfo>
#include <vector>

namespace {

TEST(OSError, WhatMatchesPythonStr) {
  // str(OSError(2, 'No such file or directory')) etc., checked in python3.
  EXPECT_STREQ(os::OSError(ENOENT).what(),
               "[Errno 2] No such file or directory");
  EXPECT_STREQ(os::OSError(ENOENT, "x").what(),
               "[Errno 2] No such file or directory: 'x'");
  EXPECT_STREQ(os::OSError(EEXIST, "a", "b").what(),
               "[Errno 17] File exists: 'a' -> 'b'");
  EXPECT_STREQ(os::OSError(ENOENT, "").what(),
               "[Errno 2] No such file or directory: ''");
  // filename2 without filename is not shown, as in Python.
  EXPECT_STREQ(os::OSError(ENOENT, std::nullopt, "b").what(),
               "[Errno 2] No such file or directory");
}

TEST(OSError, FilenameReprLikePython) {
  // repr() of the fsdecoded name: quotes, escapes, surrogateescape.
  EXPECT_EQ(os::python_repr("it's"), "\"it's\"");
  EXPECT_EQ(os::python_repr("a'b\"c"), "'a\\'b\"c'");
  EXPECT_EQ(os::python_repr("a\nb\tc\rd\\"), "'a\\nb\\tc\\rd\\\\'");
  EXPECT_EQ(os::python_repr("\x01\x7f"), "'\\x01\\x7f'");
  EXPECT_EQ(os::python_repr("\xff"), "'\\udcff'");
  EXPECT_EQ(os::python_repr("caf\xc3\xa9"), "'caf\xc3\xa9'");
  EXPECT_EQ(os::python_repr("\xc2\xa0"), "'\\xa0'");
  EXPECT_EQ(os::python_repr("\xe2\x80\xa8"), "'\\u2028'");
}

TEST(OSError, CarriesErrnoStrerrorAndFilenames) {
  os::OSError e(EACCES, "f1", "f2");
  EXPECT_EQ(e.code().value(), EACCES);
  EXPECT_EQ(e.code().category(), std::generic_category());
  EXPECT_EQ(e.errno_value(), EACCES);
  EXPECT_EQ(e.strerror(), "Permission denied");
  EXPECT_EQ(e.filename(), "f1");
  EXPECT_EQ(e.filename2(), "f2");
  os::OSError none(EACCES);
  EXPECT_FALSE(none.filename().has_value());
  EXPECT_FALSE(none.filename2().has_value());
}

template <class Expected>
void expect_raises_as(int errnum) {
  try {
    os::raise_os_error(errnum, "f");
    ADD_FAILURE() << "no exception for errno " << errnum;
  } catch (const Expected& e) {
    EXPECT_EQ(typeid(e), typeid(Expected)) << "errno " << errnum;
    EXPECT_EQ(e.code().value(), errnum);
    EXPECT_EQ(e.filename(), "f");
  }
}

TEST(OSError, SubclassFollowsErrnoAsPep3151) {
  expect_raises_as<os::BlockingIOError>(EAGAIN);
  expect_raises_as<os::BlockingIOError>(EALREADY);
  expect_raises_as<os::BlockingIOError>(EINPROGRESS);
  expect_raises_as<os::ChildProcessError>(ECHILD);
  expect_raises_as<os::BrokenPipeError>(EPIPE);
  expect_raises_as<os::BrokenPipeError>(ESHUTDOWN);
  expect_raises_as<os::ConnectionAbortedError>(ECONNABORTED);
  expect_raises_as<os::ConnectionRefusedError>(ECONNREFUSED);
  expect_raises_as<os::ConnectionResetError>(ECONNRESET);
  expect_raises_as<os::FileExistsError>(EEXIST);
  expect_raises_as<os::FileNotFoundError>(ENOENT);
  expect_raises_as<os::InterruptedError>(EINTR);
  expect_raises_as<os::IsADirectoryError>(EISDIR);
  expect_raises_as<os::NotADirectoryError>(ENOTDIR);
  expect_raises_as<os::PermissionError>(EACCES);
  expect_raises_as<os::PermissionError>(EPERM);
  expect_raises_as<os::ProcessLookupError>(ESRCH);
  expect_raises_as<os::TimeoutError>(ETIMEDOUT);
  expect_raises_as<os::OSError>(EIO);
  expect_raises_as<os::OSError>(EBADF);
  // The hierarchy: ConnectionError's children are ConnectionErrors.
  try {
    os::raise_os_error(EPIPE);
  } catch (const os::ConnectionError& e) {
    EXPECT_EQ(e.code().value(), EPIPE);
  }
  static_assert(std::is_base_of_v<std::system_error, os::OSError>);
  static_assert(std::is_same_v<os::error, os::OSError>);
}

// onerror=errs.append, then `raise errs[0]`: storing an OSError by value
// slices it; raise() and to_ptr() still give the subclass errno maps to,
// with the filenames, as Python's OSError(2, ...) is a FileNotFoundError.
TEST(OSError, StoredByValueRethrowsItsSubclass) {
  std::vector<os::OSError> errs;
  try {
    os::raise_os_error(ENOENT, "a", "b");
  } catch (const os::OSError& e) {
    errs.push_back(e);
  }
  ASSERT_EQ(errs.size(), 1u);
  try {
    errs[0].raise();
  } catch (const os::FileNotFoundError& e) {
    EXPECT_EQ(typeid(e), typeid(os::FileNotFoundError));
    EXPECT_EQ(e.filename(), "a");
    EXPECT_EQ(e.filename2(), "b");
    EXPECT_STREQ(e.what(), errs[0].what());
  }
  EXPECT_THROW(os::OSError(EPIPE).raise(), os::BrokenPipeError);
  EXPECT_THROW(os::OSError(EACCES, "x").raise(), os::PermissionError);
  try {
    os::OSError(EIO).raise();
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(os::OSError));
  }

  std::vector<std::exception_ptr> ptrs;
  for (int errnum : {ENOENT, EEXIST, EIO})
    ptrs.push_back(os::OSError(errnum, "f").to_ptr());
  EXPECT_THROW(std::rethrow_exception(ptrs[0]), os::FileNotFoundError);
  EXPECT_THROW(std::rethrow_exception(ptrs[1]), os::FileExistsError);
  try {
    std::rethrow_exception(ptrs[2]);
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(os::OSError));
    EXPECT_EQ(e.code().value(), EIO);
    EXPECT_EQ(e.filename(), "f");
  }
}

// Python's os.strerror is the C library's text, so it differs between them
// where the libraries' texts do.
TEST(Strerror, IsTheCLibraryMessage) {
  EXPECT_EQ(os::strerror(ENOENT), "No such file or directory");
#if defined(__GLIBC__)
  EXPECT_EQ(os::strerror(0), "Success");
  EXPECT_EQ(os::strerror(123456), "Unknown error 123456");
#elif defined(__APPLE__)
  EXPECT_EQ(os::strerror(0), "Undefined error: 0");
  EXPECT_EQ(os::strerror(123456), "Unknown error: 123456");
#else  // musl: one text for 0 and for unknown codes
  EXPECT_EQ(os::strerror(0), "No error information");
  EXPECT_EQ(os::strerror(123456), "No error information");
#endif
}

TEST(Result, HoldsValueOrError) {
  os::result<int> ok = 42;
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 42);
  EXPECT_EQ(ok.value(), 42);
  EXPECT_EQ(ok.value_or(7), 42);

  os::result<int> bad = os::error_info(ENOENT, "missing");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), std::errc::no_such_file_or_directory);
  EXPECT_EQ(bad.error().filename(), "missing");
  EXPECT_FALSE(bad.error().filename2().has_value());
  EXPECT_EQ(bad.value_or(7), 7);
  EXPECT_THROW((void)bad.value(), os::FileNotFoundError);
  try {
    (void)bad.value();
  } catch (const os::OSError& e) {
    EXPECT_STREQ(e.what(), "[Errno 2] No such file or directory: 'missing'");
  }
}

TEST(Result, VoidAndMoveOnly) {
  os::result<void> ok;
  EXPECT_TRUE(ok);
  EXPECT_NO_THROW(ok.value());
  os::result<void> bad = os::error_info(EEXIST, "a", "b");
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error().filename2(), "b");
  EXPECT_THROW(bad.value(), os::FileExistsError);

  os::result<std::unique_ptr<int>> p = std::make_unique<int>(5);
  std::unique_ptr<int> got = std::move(p).value();
  EXPECT_EQ(*got, 5);
  EXPECT_EQ(p->get(), nullptr);
}

}  // namespace
