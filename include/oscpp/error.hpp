// Errors, the Python way: the OSError hierarchy of PEP 3151, os::result<T>
// for the nothrow cores, and os::strerror.
#pragma once

#include <cerrno>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace os {

// What a failed call reports: errno plus the filename(s) Python would attach.
// filename() is empty (nullopt) where Python's would be None.
class error_info {
 public:
  error_info() noexcept = default;
  explicit error_info(int errnum) noexcept : errno_(errnum) {}
  error_info(int errnum, std::string_view filename)
      : errno_(errnum), filename_(std::string(filename)) {}
  error_info(int errnum, std::string_view filename, std::string_view filename2)
      : errno_(errnum),
        filename_(std::string(filename)),
        filename2_(std::string(filename2)) {}

  int value() const noexcept { return errno_; }
  std::error_code code() const noexcept {
    return {errno_, std::generic_category()};
  }
  const std::optional<std::string>& filename() const noexcept {
    return filename_;
  }
  const std::optional<std::string>& filename2() const noexcept {
    return filename2_;
  }

  // Throws the OSError subclass Python would raise for this errno.
  [[noreturn]] void raise() const;

 private:
  int errno_ = 0;
  std::optional<std::string> filename_;
  std::optional<std::string> filename2_;
};

// Python's OSError. code().value() is errno; what() is exactly Python's
// str(e): "[Errno 2] No such file or directory: 'x'" (filenames are shown as
// Python's repr of the fsdecoded name).
class OSError : public std::system_error {
 public:
  explicit OSError(int errnum);
  OSError(int errnum, std::optional<std::string> filename,
          std::optional<std::string> filename2 = std::nullopt);
  explicit OSError(const error_info& info)
      : OSError(info.value(), info.filename(), info.filename2()) {}

  int errno_value() const noexcept { return code().value(); }
  const std::string& strerror() const noexcept { return strerror_; }
  const std::optional<std::string>& filename() const noexcept {
    return filename_;
  }
  const std::optional<std::string>& filename2() const noexcept {
    return filename2_;
  }
  const char* what() const noexcept override { return message_.c_str(); }

  // Throws the subclass Python maps errno to (PEP 3151), with the same
  // filenames: an OSError stored by value (sliced) rethrows as the
  // FileNotFoundError it was, as Python's OSError(2, ...) is one.
  [[noreturn]] void raise() const;
  // That exception as a std::exception_ptr, to keep and rethrow later:
  //   onerror = [&](const os::OSError& e) { errs.push_back(e.to_ptr()); }
  std::exception_ptr to_ptr() const noexcept;

 private:
  std::string strerror_;
  std::optional<std::string> filename_;
  std::optional<std::string> filename2_;
  std::string message_;
};
using error = OSError;

#define OSCPP_DECLARE_OSERROR_SUBCLASS(name, base) \
  class name : public base {                       \
   public:                                         \
    using base::base;                              \
  };
OSCPP_DECLARE_OSERROR_SUBCLASS(BlockingIOError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(ChildProcessError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(ConnectionError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(BrokenPipeError, ConnectionError)
OSCPP_DECLARE_OSERROR_SUBCLASS(ConnectionAbortedError, ConnectionError)
OSCPP_DECLARE_OSERROR_SUBCLASS(ConnectionRefusedError, ConnectionError)
OSCPP_DECLARE_OSERROR_SUBCLASS(ConnectionResetError, ConnectionError)
OSCPP_DECLARE_OSERROR_SUBCLASS(FileExistsError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(FileNotFoundError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(InterruptedError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(IsADirectoryError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(NotADirectoryError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(PermissionError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(ProcessLookupError, OSError)
OSCPP_DECLARE_OSERROR_SUBCLASS(TimeoutError, OSError)
#undef OSCPP_DECLARE_OSERROR_SUBCLASS

// Python's os.strerror(code): the C library's message ("Unknown error N").
std::string strerror(int code);

// Throws the OSError subclass that Python maps errnum to (PEP 3151).
[[noreturn]] void raise_os_error(int errnum,
                                 std::optional<std::string> filename = {},
                                 std::optional<std::string> filename2 = {});

// Python's repr() of the fsdecoded bytes s: 'x', "it's", 'a\n', '\udcff'.
std::string python_repr(std::string_view s);

// A value, or the error_info of the failed call; reads like std::expected.
template <class T>
class [[nodiscard]] result {
 public:
  using value_type = T;

  template <class U = T>
  requires std::is_constructible_v<T, U&&> &&
      (!std::is_same_v<std::remove_cvref_t<U>, result>)&&(
          !std::is_same_v<std::remove_cvref_t<U>, error_info>)
          result(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>)
      : v_(std::in_place_index<0>, std::forward<U>(v)) {}
  result(error_info e) noexcept : v_(std::in_place_index<1>, std::move(e)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& operator*() & noexcept { return *std::get_if<0>(&v_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  T* operator->() noexcept { return std::get_if<0>(&v_); }
  const T* operator->() const noexcept { return std::get_if<0>(&v_); }

  // The value, or throws what the throwing form of the call would throw.
  T& value() & {
    check();
    return **this;
  }
  const T& value() const& {
    check();
    return **this;
  }
  T&& value() && {
    check();
    return std::move(**this);
  }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  T value_or(U&& fallback) && {
    return has_value() ? std::move(**this)
                       : static_cast<T>(std::forward<U>(fallback));
  }

  const error_info& error() const& noexcept { return *std::get_if<1>(&v_); }
  error_info&& error() && noexcept { return std::move(*std::get_if<1>(&v_)); }

 private:
  void check() const {
    if (!has_value()) std::get_if<1>(&v_)->raise();
  }
  std::variant<T, error_info> v_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;
  result() noexcept = default;
  result(error_info e) noexcept : err_(std::move(e)), failed_(true) {}

  bool has_value() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return has_value(); }
  void operator*() const noexcept {}
  void value() const {
    if (failed_) err_.raise();
  }
  const error_info& error() const& noexcept { return err_; }
  error_info&& error() && noexcept { return std::move(err_); }

 private:
  error_info err_;
  bool failed_ = false;
};

// Called before each EINTR retry (PEP 475). Returns true to retry, false to
// give up: the call then fails with EINTR. The Python binding installs one
// that runs Python's signal handlers and stops when a handler raised.
using interruption_hook = bool (*)() noexcept;
// Installs hook (nullptr: always retry); returns the previous one.
interruption_hook set_interruption_hook(interruption_hook hook) noexcept;

}  // namespace os
