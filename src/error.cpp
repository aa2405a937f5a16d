#include "oscpp/error.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "detail/unicode_printable.hpp"
#include "oscpp/path_arg.hpp"
#include "oscpp/platform.hpp"

namespace os {

std::string strerror(int code) {
  char buf[256] = "";
#if OSCPP_HAVE_GNU_STRERROR_R
  // GNU strerror_r: returns a pointer to the message (maybe not buf).
  return ::strerror_r(code, buf, sizeof buf);
#else
  // POSIX strerror_r (musl, macOS): 0 and the message in buf; an unknown
  // code still gets the C library's "Unknown error" text, as Python shows.
  if (::strerror_r(code, buf, sizeof buf) != 0) buf[sizeof buf - 1] = '\0';
  return buf;
#endif
}

namespace {

// Python's str.isprintable() for one code point, from the Unicode tables
// of the newest Python (detail/unicode_printable.hpp).
bool printable(char32_t c) {
  const auto* end = std::end(detail::nonprintable_ranges);
  const auto* r = std::upper_bound(
      std::begin(detail::nonprintable_ranges), end, c,
      [](char32_t v, const char32_t(&range)[2]) { return v < range[0]; });
  // r is the first range starting after c; the one before may hold c.
  return r == std::begin(detail::nonprintable_ranges) || c > (r - 1)[0][1];
}

std::string message(int errnum, const std::string& text,
                    const std::optional<std::string>& f1,
                    const std::optional<std::string>& f2) {
  std::string m = "[Errno " + std::to_string(errnum) + "] " + text;
  if (f1) {
    m += ": " + python_repr(*f1);
    if (f2) m += " -> " + python_repr(*f2);
  }
  return m;
}

}  // namespace

std::string python_repr(std::string_view s) {
  std::u32string text = fsdecode(s);
  char quote = '\'';
  if (text.find(U'\'') != std::u32string::npos &&
      text.find(U'"') == std::u32string::npos)
    quote = '"';
  std::string out(1, quote);
  for (char32_t c : text) {
    if (c == static_cast<char32_t>(quote) || c == U'\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == U'\t') {
      out += "\\t";
    } else if (c == U'\n') {
      out += "\\n";
    } else if (c == U'\r') {
      out += "\\r";
    } else if (printable(c)) {
      out += fsencode(std::u32string_view(&c, 1));
    } else {
      char buf[16];
      if (c <= 0xff)
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      else if (c <= 0xffff)
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      else
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
      out += buf;
    }
  }
  out += quote;
  return out;
}

OSError::OSError(int errnum) : OSError(errnum, std::nullopt, std::nullopt) {}

OSError::OSError(int errnum, std::optional<std::string> filename,
                 std::optional<std::string> filename2)
    : std::system_error(errnum, std::generic_category()),
      strerror_(os::strerror(errnum)),
      filename_(std::move(filename)),
      filename2_(std::move(filename2)),
      message_(message(errnum, strerror_, filename_, filename2_)) {}

void raise_os_error(int errnum, std::optional<std::string> f1,
                    std::optional<std::string> f2) {
  switch (errnum) {
#define OSCPP_CASE(code, cls) \
  case code:                  \
    throw cls(errnum, std::move(f1), std::move(f2));
    OSCPP_CASE(EAGAIN, BlockingIOError)
#if EWOULDBLOCK != EAGAIN
    OSCPP_CASE(EWOULDBLOCK, BlockingIOError)
#endif
    OSCPP_CASE(EALREADY, BlockingIOError)
    OSCPP_CASE(EINPROGRESS, BlockingIOError)
    OSCPP_CASE(ECHILD, ChildProcessError)
    OSCPP_CASE(EPIPE, BrokenPipeError)
    OSCPP_CASE(ESHUTDOWN, BrokenPipeError)
    OSCPP_CASE(ECONNABORTED, ConnectionAbortedError)
    OSCPP_CASE(ECONNREFUSED, ConnectionRefusedError)
    OSCPP_CASE(ECONNRESET, ConnectionResetError)
    OSCPP_CASE(EEXIST, FileExistsError)
    OSCPP_CASE(ENOENT, FileNotFoundError)
    OSCPP_CASE(EINTR, InterruptedError)
    OSCPP_CASE(EISDIR, IsADirectoryError)
    OSCPP_CASE(ENOTDIR, NotADirectoryError)
    OSCPP_CASE(EACCES, PermissionError)
    OSCPP_CASE(EPERM, PermissionError)
    OSCPP_CASE(ESRCH, ProcessLookupError)
    OSCPP_CASE(ETIMEDOUT, TimeoutError)
#undef OSCPP_CASE
    default:
      throw OSError(errnum, std::move(f1), std::move(f2));
  }
}

void error_info::raise() const {
  raise_os_error(errno_, filename_, filename2_);
}

void OSError::raise() const {
  raise_os_error(code().value(), filename_, filename2_);
}

std::exception_ptr OSError::to_ptr() const noexcept {
  try {
    raise();
  } catch (...) {
    return std::current_exception();
  }
}

}  // namespace os
