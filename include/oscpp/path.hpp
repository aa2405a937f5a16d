// os::path: Python's posixpath (3.13) in C++, byte for byte.
//
// Lexical functions work on bytes: any path_ref in (const char*,
// std::string, std::string_view, std::filesystem::path, and PathLike types
// through the template overloads), std::string out. No locale, no UTF-8
// assumption, and a NUL is an ordinary byte (normpath("a\0b") keeps it, as
// Python does). Tuple results are std::pair / std::tuple, so
//   auto [root, ext] = os::path::splitext(p);
// works. split, splitext, splitdrive, splitroot, basename and dirname return
// substrings of their input and could return views into it; they return
// std::string so that a call on a temporary cannot dangle. isabs is
// constexpr.
//
// Predicates (exists, isfile, ...) never throw: they return false where
// Python returns False (including for a path with a NUL byte). getsize and
// get*time throw os::OSError with the filename, as Python's do, and have
// os::nothrow::path:: forms returning os::result<T>. Python's ValueError is
// std::invalid_argument with Python's message.
//
// Differences from Python: commonprefix compares bytes, so on UTF-8 text it
// may stop inside a multi-byte character where Python's str version stops
// before it (the binding trims to a character boundary).
#pragma once

#include <sys/types.h>

#include <concepts>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/file_descriptors.hpp"  // stat_result
#include "oscpp/path_arg.hpp"
#include "oscpp/system_info.hpp"

namespace os::path {

// ---------------------------------------------------------------- constants
// The same objects as os::sep, os::curdir ...: '/', '.', '..', '.', ':',
// "/bin:/usr/bin", "/dev/null"; altsep is None (nullptr).
using os::altsep;
using os::curdir;
using os::defpath;
using os::devnull;
using os::extsep;
using os::pardir;
using os::pathsep;
using os::sep;
inline constexpr bool supports_unicode_filenames = false;

// ---------------------------------------------------------------- arguments

// What the lexical functions and the predicates accept: a view of the path's
// bytes, never a copy (NULs included). Built implicitly from const char*,
// std::string, std::string_view and std::filesystem::path; PathLike types
// go through the template overloads below. Like a string_view, it must not
// outlive the string it was made from.
class path_ref {
 public:
  // A template so that a literal 0 is not a path (it is an fd elsewhere).
  template <class C>
  requires std::same_as<C, char>
  constexpr path_ref(const C* s) noexcept : view_(s), terminated_(true) {}
  path_ref(const std::string& s) noexcept : view_(s), terminated_(true) {}
  constexpr path_ref(std::string_view s) noexcept : view_(s) {}
  path_ref(const std::filesystem::path& p) noexcept
      : view_(p.native()), terminated_(true) {}

  constexpr std::string_view view() const noexcept { return view_; }
  constexpr operator std::string_view() const noexcept { return view_; }
  constexpr const char* data() const noexcept { return view_.data(); }
  constexpr std::size_t size() const noexcept { return view_.size(); }
  constexpr bool empty() const noexcept { return view_.empty(); }
  // True if data()[size()] is a NUL (made from a C string, std::string or
  // std::filesystem::path), so that a syscall can use it without a copy.
  constexpr bool terminated() const noexcept { return terminated_; }

 private:
  std::string_view view_;
  bool terminated_ = false;
};

// A PathLike type that is not already a path_ref source: its fspath() is
// called once per argument and lives until the end of the full expression.
template <class P>
concept PathLikeOnly =
    PathLike<P> && !std::is_convertible_v<const P&, path_ref>;

// Anything a path_ref can be made from, or a PathLike.
template <class P>
concept PathInput = std::is_convertible_v<const P&, path_ref> || PathLike<P>;

namespace detail {
// The bytes of p for the duration of the full expression that calls it: a
// path_ref, or (for a PathLike) whatever fspath() returns.
template <PathInput P>
decltype(auto) text(const P& p) {
  if constexpr (std::is_convertible_v<const P&, path_ref>)
    return path_ref(p);
  else
    return p.fspath();
}

std::string join_views(const std::string_view* parts, std::size_t n);
inline std::string join_list(std::initializer_list<std::string_view> parts) {
  return join_views(parts.begin(), parts.size());
}
// normpath(p) written to out, which has room for max(p.size(), 1) bytes
// (normpath never lengthens a path but makes '' '.'); its length.
std::size_t normpath_into(std::string_view p, char* out) noexcept;
// Where splitext(p)'s extension starts: p.size() for none.
std::size_t ext_start(std::string_view p) noexcept;
}  // namespace detail

// ---------------------------------------------------------------- lexical

// isabs(s): s starts with '/' ('//a' is absolute, '' is not).
constexpr bool isabs(path_ref s) noexcept {
  return !s.empty() && s.data()[0] == '/';
}

// join(a, *p): a later absolute part discards everything before it; a '/'
// is inserted only where the path so far is non-empty and does not end in
// one: join("a", "") == "a/", join("a", "/b", "c") == "/b/c".
template <PathInput A, PathInput... P>
std::string join(const A& a, const P&... p) {
  if constexpr (sizeof...(P) == 0) {
    return std::string(std::string_view(detail::text(a)));
  } else {
    // One full expression, so that fspath() results outlive the views.
    return detail::join_list({std::string_view(detail::text(a)),
                              std::string_view(detail::text(p))...});
  }
}
// join over a range of path-like elements (std::vector<std::string> ...):
// join(*parts). An empty range throws std::invalid_argument("join() requires
// at least one path"), where Python's join() with no argument is a
// TypeError.
template <std::ranges::input_range R>
requires PathInput<std::ranges::range_value_t<R>> &&(!PathInput<R>)std::string
    join(const R& parts) {
  std::vector<std::string_view> views;
  std::vector<std::string> owned;  // fspath() results of PathLike elements
  if constexpr (std::ranges::sized_range<R>)
    views.reserve(std::ranges::size(parts));
  for (const auto& part : parts) {
    using E = std::remove_cvref_t<decltype(part)>;
    if constexpr (std::is_convertible_v<const E&, path_ref>) {
      views.push_back(path_ref(part).view());
    } else {
      owned.emplace_back(std::string_view(part.fspath()));
    }
  }
  if (!owned.empty()) {
    // Rebuild the views in order now that owned no longer reallocates.
    views.clear();
    std::size_t k = 0;
    for (const auto& part : parts) {
      using E = std::remove_cvref_t<decltype(part)>;
      if constexpr (std::is_convertible_v<const E&, path_ref>)
        views.push_back(path_ref(part).view());
      else
        views.push_back(owned[k++]);
    }
  }
  if (views.empty())
    throw std::invalid_argument("join() requires at least one path");
  return detail::join_views(views.data(), views.size());
}

// split(p) -> (head, tail): tail is everything after the last '/'; head
// loses its trailing slashes unless it is all slashes: split("///a") ==
// ("///", "a"), split("a/b/") == ("a/b", "").
std::pair<std::string, std::string> split(path_ref p);
// splitext(p) -> (root, ext): ext starts at the last '.' of the last
// component unless only dots precede it: ".bashrc", "...a", "...." have no
// ext; ".a.b" -> (".a", ".b"); "a." -> ("a", ".").
std::pair<std::string, std::string> splitext(path_ref p);
// splitdrive(p) -> ("", p): POSIX has no drives.
std::pair<std::string, std::string> splitdrive(path_ref p);
// splitroot(p) -> (drive, root, tail) (3.12+): root is "//" only for exactly
// two leading slashes, else "/" or "": "///a" -> ("", "/", "//a").
std::tuple<std::string, std::string, std::string> splitroot(path_ref p);
// The tail of split(p).
std::string basename(path_ref p);
// The head of split(p): dirname("//a") == "//", dirname("a") == "".
std::string dirname(path_ref p);
// Collapses "//", "." and "a/.." without touching the file system: "" ->
// ".", "/.." -> "/", exactly two leading slashes kept ("//a"), three or more
// become one, leading ".." of a relative path kept. One pass, one
// allocation; never longer than the input (except "" -> ".").
std::string normpath(path_ref path);
// normcase(s): s itself on POSIX.
std::string normcase(path_ref s);

// commonprefix(m): the longest common leading byte string of the elements
// of m ("" for an empty range). Character-wise, so it may not be a path.
template <std::ranges::input_range R>
requires PathInput<std::ranges::range_value_t<R>> std::string commonprefix(
    const R& m) {
  std::string prefix;
  bool first = true;
  for (const auto& e : m) {
    decltype(auto) t = detail::text(e);
    std::string_view s(t);
    if (first) {
      prefix.assign(s);
      first = false;
      continue;
    }
    std::size_t n = std::min(prefix.size(), s.size()), i = 0;
    while (i < n && prefix[i] == s[i]) ++i;
    prefix.resize(i);
  }
  return prefix;
}
inline std::string commonprefix(std::initializer_list<std::string_view> m) {
  return commonprefix<std::initializer_list<std::string_view>>(m);
}

namespace detail {
// Incremental commonpath over the elements given one at a time.
class commonpath_state {
 public:
  void add(std::string_view p);
  std::string result() const;  // throws std::invalid_argument as Python

 private:
  std::string first_;
  std::vector<std::string_view> common_;  // components of first_
  std::size_t count_ = 0;
  bool absolute_ = false;
  bool mixed_ = false;
};
}  // namespace detail

// commonpath(paths): the longest common sub-path, component-wise ('' and
// '.' components ignored, '..' kept; "//a" counts as "/a"). Throws
// std::invalid_argument("commonpath() arg is an empty sequence") for an
// empty range and ("Can't mix absolute and relative paths").
template <std::ranges::input_range R>
requires PathInput<std::ranges::range_value_t<R>> std::string commonpath(
    const R& paths) {
  detail::commonpath_state state;
  for (const auto& p : paths) {
    decltype(auto) t = detail::text(p);
    state.add(std::string_view(t));
  }
  return state.result();
}
inline std::string commonpath(std::initializer_list<std::string_view> paths) {
  return commonpath<std::initializer_list<std::string_view>>(paths);
}

// expandvars(path): "$name" and "${name}" replaced by os::environ's value
// (name: ASCII letters, digits, '_' for the first form; anything but '}'
// for the second); unknown variables, "$", "${" without "}" are kept.
// Not recursive.
std::string expandvars(path_ref path);
// expanduser(path): a leading "~" becomes $HOME, else the pwd database's
// home of the real uid; "~user" the home of user (getpwnam). Unknown user,
// no home: path unchanged. The home loses trailing '/'; an empty result is
// "/". A user name with a NUL throws std::invalid_argument("embedded null
// byte") (Python's ValueError); the user name is matched as bytes (Python
// 3.13; older versions decode it as ASCII, which the binding checks).
std::string expanduser(path_ref path);

// ------------------------------------------------- current directory based

// abspath(path): normpath(join(getcwd(), path)); getcwd only when path is
// relative. Throws OSError if getcwd fails (the cwd was removed ...).
std::string abspath(path_ref path);
// relpath(path, start=curdir): path relative to start, both made absolute
// first (no file system access beyond getcwd). An empty path throws
// std::invalid_argument("no path specified"); an empty start is the cwd.
std::string relpath(path_ref path, path_ref start = curdir);

// realpath(path, *, strict=False)
struct realpath_options {
  // Raise OSError (FileNotFoundError, ELOOP ...) where a component is
  // missing or a symlink loops; the filename is the absolute path of the
  // failing component (3.13).
  bool strict = false;
  // Python 3.7-3.12's algorithm instead of 3.13's, for the binding (it cannot
  // be rebuilt on top of the 3.13 one): the walk is relative to the cwd and
  // made absolute at the end, strict errors carry the relative name
  // ("missing", "loop1"), and a non-strict loop stops resolving: the rest of
  // the path is joined unresolved, then normalised ("loop/../f" is <cwd>/f
  // even when f is a symlink). A component with a NUL is not a link (3.8 and
  // 3.9, where islink() said False; 3.7 and 3.10-3.12 raise ValueError
  // first: the binding checks). Always the component walk.
  bool legacy = false;
};
// realpath(path, {.strict = false}): the canonical absolute path, symlinks
// resolved. Non-strict (the default) never requires existence: a missing or
// unreadable component is taken as it is, and (Python 3.13) a symlink loop
// leaves that link unresolved and goes on with the rest of the path:
// realpath("loop/../f") is <cwd>/f resolved. An embedded NUL throws
// std::invalid_argument("embedded null byte"); a failing getcwd (relative
// path) OSError. An existing path without symlinks is proved so by one
// openat2(O_PATH, RESOLVE_NO_SYMLINKS) and the answer is then lexical; an
// existing path with symlinks is resolved by the kernel in one
// openat2(O_PATH, RESOLVE_NO_MAGICLINKS) and a readlink of /proc/self/fd/N;
// anything else (missing parts, loops, magic links such as /proc/self/fd/*,
// no /proc, no openat2) by Python's component-by-component walk, one readlink
// per component (docs/performance.md).
std::string realpath(path_ref path, realpath_options opts = {});
namespace detail {
// realpath's first step on the calling thread: the RESOLVE_NO_SYMLINKS
// probe (the default), or the kernel's resolution of every existing path.
// For tests and the benchmark; the answers are the same.
enum class realpath_first { probe, kernel };
void set_realpath_first(realpath_first how) noexcept;
// realpath(path, {.strict, .legacy = true}) before its final abspath: the
// path as walked, relative when path is (the binding makes it absolute with
// whatever getcwd Python's os module has). nul_error: a component with a NUL
// throws std::invalid_argument("embedded null byte"), as os.lstat does in
// Python 3.7 and 3.10-3.12, where otherwise it is not a link (3.8, 3.9).
std::string legacy_realpath_walk(std::string_view path, bool strict,
                                 bool nul_error);
}  // namespace detail

// ---------------------------------------------------------------- predicates
// Never throw: false for a missing path, a permission error, an embedded NUL
// or a bad descriptor, as Python.

bool exists(path_ref path) noexcept;   // stat succeeds
bool exists(borrowed_fd fd) noexcept;  // fstat succeeds
bool lexists(path_ref path) noexcept;  // lstat succeeds (broken links too)
bool isfile(path_ref path) noexcept;
bool isfile(borrowed_fd fd) noexcept;
bool isdir(path_ref path) noexcept;
bool isdir(borrowed_fd fd) noexcept;
bool islink(path_ref path) noexcept;
// ismount(path): path is not a symlink and path/.. is on another device or
// is the same inode ('/'). A bind mount of the same file system is not
// detected (as in Python).
bool ismount(path_ref path) noexcept;
// Always false on Linux (3.12+).
constexpr bool isjunction(path_ref) noexcept { return false; }
// Always false on Linux (3.13; Windows Dev Drives).
constexpr bool isdevdrive(path_ref) noexcept { return false; }

// ---------------------------------------------------------------- stat based
// getsize / getatime / getmtime / getctime: os.stat(path) fields; times are
// seconds as double. They throw OSError with the filename, or
// std::invalid_argument("embedded null byte") for a NUL in the path.

}  // namespace os::path

namespace os::nothrow::path {
result<off_t> getsize(const os::path_arg& path) noexcept;
result<double> getatime(const os::path_arg& path) noexcept;
result<double> getmtime(const os::path_arg& path) noexcept;
result<double> getctime(const os::path_arg& path) noexcept;
// abspath without the exception for a failing getcwd.
result<std::string> abspath(os::path::path_ref path) noexcept;
// Errors of stat(f1) or stat(f2) as values.
result<bool> samefile(const os::path_arg& f1, const os::path_arg& f2) noexcept;
result<bool> sameopenfile(borrowed_fd fp1, borrowed_fd fp2) noexcept;
}  // namespace os::nothrow::path

namespace os::path {

inline off_t getsize(const os::path_arg& path) {
  return nothrow::path::getsize(path).value();
}
inline double getatime(const os::path_arg& path) {
  return nothrow::path::getatime(path).value();
}
inline double getmtime(const os::path_arg& path) {
  return nothrow::path::getmtime(path).value();
}
inline double getctime(const os::path_arg& path) {
  return nothrow::path::getctime(path).value();
}

// samefile(f1, f2): stat both (following links); same st_dev and st_ino.
// Throws OSError of the stat that failed.
inline bool samefile(const os::path_arg& f1, const os::path_arg& f2) {
  return nothrow::path::samefile(f1, f2).value();
}
// sameopenfile(fp1, fp2): fstat both; OSError with no filename on failure.
inline bool sameopenfile(borrowed_fd fp1, borrowed_fd fp2) {
  return nothrow::path::sameopenfile(fp1, fp2).value();
}
// samestat(s1, s2): same st_dev and st_ino.
constexpr bool samestat(const stat_result& s1, const stat_result& s2) noexcept {
  return s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev;
}

// ------------------------------------------------- PathLike overloads
// Each function above also takes any PathLike: fspath() is called once, and
// its exceptions propagate (so these are not noexcept).

template <PathLikeOnly P>
bool isabs(const P& p) {
  return isabs(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto split(const P& p) {
  return split(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto splitext(const P& p) {
  return splitext(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto splitdrive(const P& p) {
  return splitdrive(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto splitroot(const P& p) {
  return splitroot(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto basename(const P& p) {
  return basename(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto dirname(const P& p) {
  return dirname(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto normpath(const P& p) {
  return normpath(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto normcase(const P& p) {
  return normcase(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto expandvars(const P& p) {
  return expandvars(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto expanduser(const P& p) {
  return expanduser(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
auto abspath(const P& p) {
  return abspath(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool exists(const P& p) {
  return exists(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool lexists(const P& p) {
  return lexists(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool isfile(const P& p) {
  return isfile(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool isdir(const P& p) {
  return isdir(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool islink(const P& p) {
  return islink(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool ismount(const P& p) {
  return ismount(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool isjunction(const P& p) {
  return isjunction(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
bool isdevdrive(const P& p) {
  return isdevdrive(path_ref(std::string_view(detail::text(p))));
}
template <PathLikeOnly P>
std::string realpath(const P& p, realpath_options opts = {}) {
  return realpath(path_ref(std::string_view(detail::text(p))), opts);
}
template <PathInput P, PathInput S = std::string_view>
requires(PathLikeOnly<P> || PathLikeOnly<S>) std::string
    relpath(const P& path, const S& start = curdir) {
  return relpath(path_ref(std::string_view(detail::text(path))),
                 path_ref(std::string_view(detail::text(start))));
}

}  // namespace os::path
