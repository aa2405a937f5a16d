// Paths: os::path_arg (what every path parameter accepts), the PathLike
// concept, os::fspath, and os::fsencode / os::fsdecode.
#pragma once

#include <concepts>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>

namespace os {

// Python's os.PathLike: any type with an fspath() member returning something
// a std::string can be made from (std::string, std::string_view, const char*).
template <class T>
concept PathLike = requires(const T& p) {
  { p.fspath() } -> std::convertible_to<std::string_view>;
};

namespace detail {
// Throws std::invalid_argument("embedded null byte") if s contains a NUL.
void check_no_nul(std::string_view s);
}  // namespace detail

// The parameter type of every path argument. Accepts const char*,
// std::string, std::string_view, their char8_t (UTF-8) forms,
// std::filesystem::path and PathLike types.
// A path with an embedded NUL throws std::invalid_argument ("embedded null
// byte") on construction, so before any syscall. Functions take it as
// `const path_arg&`; it may point into the caller's string, so it is neither
// copied nor kept beyond the call.
class path_arg {
 public:
  // A template so that a literal 0 is not a path (it is an fd elsewhere).
  template <class C>
  requires std::same_as<C, char> path_arg(const C* s)
      : ptr_(s), size_(std::strlen(s)) {}
  // UTF-8 text (u8"caf\u00e9"): its bytes, as Python encodes a str path.
  template <class C>
  requires std::same_as<C, char8_t> path_arg(const C* s)
      : path_arg(reinterpret_cast<const char*>(s)) {}
  path_arg(const std::u8string& s)
      : ptr_(reinterpret_cast<const char*>(s.c_str())), size_(s.size()) {
    detail::check_no_nul(view());
  }
  path_arg(std::u8string_view s)
      : path_arg(std::string_view(reinterpret_cast<const char*>(s.data()),
                                  s.size())) {}
  path_arg(const std::string& s) : ptr_(s.c_str()), size_(s.size()) {
    detail::check_no_nul(s);
  }
  // A std::string_view is not NUL-terminated: it is copied.
  path_arg(std::string_view s) : owned_(s) {
    detail::check_no_nul(owned_);
    ptr_ = owned_.c_str();
    size_ = owned_.size();
  }
  path_arg(const std::filesystem::path& p)
      : ptr_(p.c_str()), size_(p.native().size()) {
    detail::check_no_nul(p.native());
  }
  template <PathLike P>
  requires(!std::is_convertible_v<const P&, std::string_view>)
      path_arg(const P& p)
      : owned_(std::string_view(p.fspath())) {
    detail::check_no_nul(owned_);
    ptr_ = owned_.c_str();
    size_ = owned_.size();
  }

  path_arg(const path_arg&) = delete;
  path_arg& operator=(const path_arg&) = delete;

  const char* c_str() const noexcept { return ptr_; }
  std::string_view view() const noexcept { return {ptr_, size_}; }
  std::string str() const { return std::string(ptr_, size_); }
  bool empty() const noexcept { return size_ == 0; }

 private:
  std::string owned_;
  const char* ptr_ = nullptr;
  std::size_t size_ = 0;
};

// Python's os.fspath(): the path as bytes.
inline std::string fspath(const path_arg& p) { return p.str(); }

// Python's os.fsdecode(): UTF-8 with surrogateescape; an undecodable byte b
// becomes U+DC00+b (U+DC80..U+DCFF). Never fails.
std::u32string fsdecode(std::string_view bytes);
// Python's os.fsencode(): the inverse of fsdecode, byte for byte. A lone
// surrogate outside U+DC80..U+DCFF, or a code point above U+10FFFF, throws
// std::invalid_argument (Python's UnicodeEncodeError).
std::string fsencode(std::u32string_view text);
// Bytes pass through fsencode unchanged, as in Python.
inline std::string fsencode(std::string_view bytes) {
  return std::string(bytes);
}

}  // namespace os
