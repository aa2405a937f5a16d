// os::path, the functions that read the file system, the environment or the
// password database: predicates, get*, same*, abspath, relpath, realpath,
// expanduser.
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
// openat2 (Linux 5.6): realpath's shortcut through the kernel. Elsewhere
// (macOS) only the component walk, which is all Python's realpath does.
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#include <sys/syscall.h>
#define OSCPP_HAVE_OPENAT2 1
#endif

#include <algorithm>
#include <atomic>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>

#include "detail/syscall.hpp"
#include "oscpp/environ.hpp"
#include "oscpp/files.hpp"
#include "oscpp/path.hpp"

namespace os::path {

namespace {

// Calls f(c_str) with p NUL-terminated (copied only if it is not already);
// false without calling f if p has a NUL byte, as Python's predicates.
template <class F>
bool with_c_path(path_ref p, F f) noexcept {
  if (std::memchr(p.data(), '\0', p.size()) != nullptr) return false;
  if (p.terminated()) return f(p.data());
  char buf[512];
  if (p.size() < sizeof buf) {
    std::memcpy(buf, p.data(), p.size());
    buf[p.size()] = '\0';
    return f(buf);
  }
  try {
    std::string s(p.view());
    return f(s.c_str());
  } catch (...) {  // bad_alloc: Python would raise MemoryError; say no
    return false;
  }
}

bool stat_ok(const char* p, struct ::stat& st, bool follow) noexcept {
  return os::detail::retry(
             [&] { return follow ? ::stat(p, &st) : ::lstat(p, &st); }) == 0;
}

bool fstat_ok(int fd, struct ::stat& st) noexcept {
  return os::detail::retry([&] { return ::fstat(fd, &st); }) == 0;
}

}  // namespace

// ---------------------------------------------------------------- predicates

bool exists(path_ref path) noexcept {
  return with_c_path(path, [](const char* p) {
    struct ::stat st;
    return stat_ok(p, st, true);
  });
}
bool exists(borrowed_fd fd) noexcept {
  struct ::stat st;
  return fstat_ok(fd.get(), st);
}
bool lexists(path_ref path) noexcept {
  return with_c_path(path, [](const char* p) {
    struct ::stat st;
    return stat_ok(p, st, false);
  });
}
bool isfile(path_ref path) noexcept {
  return with_c_path(path, [](const char* p) {
    struct ::stat st;
    return stat_ok(p, st, true) && S_ISREG(st.st_mode);
  });
}
bool isfile(borrowed_fd fd) noexcept {
  struct ::stat st;
  return fstat_ok(fd.get(), st) && S_ISREG(st.st_mode);
}
bool isdir(path_ref path) noexcept {
  return with_c_path(path, [](const char* p) {
    struct ::stat st;
    return stat_ok(p, st, true) && S_ISDIR(st.st_mode);
  });
}
bool isdir(borrowed_fd fd) noexcept {
  struct ::stat st;
  return fstat_ok(fd.get(), st) && S_ISDIR(st.st_mode);
}
bool islink(path_ref path) noexcept {
  return with_c_path(path, [](const char* p) {
    struct ::stat st;
    return stat_ok(p, st, false) && S_ISLNK(st.st_mode);
  });
}

bool ismount(path_ref path) noexcept {
  return with_c_path(path, [&](const char* p) {
    struct ::stat s1, s2;
    if (!stat_ok(p, s1, false) || S_ISLNK(s1.st_mode)) return false;
    try {
      std::string parent = join(path.view(), pardir);
      if (!stat_ok(parent.c_str(), s2, false)) {
        // Python 3.13: only when path/.. cannot be read directly.
        parent = realpath(parent);
        if (!stat_ok(parent.c_str(), s2, false)) return false;
      }
    } catch (...) {  // bad_alloc, or getcwd failing inside realpath
      return false;
    }
    return s1.st_dev != s2.st_dev || s1.st_ino == s2.st_ino;
  });
}

// ---------------------------------------------------------------- expanduser

namespace {

// The home directory of the pw entry that lookup(buf, size, &pwd, &res)
// finds, nullopt if none.
template <class F>
std::optional<std::string> pw_home(F lookup) {
  long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buf(hint > 0 ? static_cast<std::size_t>(hint) : 1024, '\0');
  for (;;) {
    struct ::passwd pwd;
    struct ::passwd* res = nullptr;
    int e = lookup(buf.data(), buf.size(), &pwd, &res);
    if (e == ERANGE && buf.size() < (1u << 20)) {
      buf.resize(buf.size() * 2);
      continue;
    }
    if (e == EINTR) continue;
    if (e != 0 || res == nullptr) return std::nullopt;  // Python's KeyError
    return std::string(pwd.pw_dir ? pwd.pw_dir : "");
  }
}

}  // namespace

std::string expanduser(path_ref path) {
  std::string_view p = path;
  if (p.empty() || p[0] != '~') return std::string(p);
  std::size_t i = p.find('/', 1);
  if (i == std::string_view::npos) i = p.size();
  std::optional<std::string> home;
  if (i == 1) {
    home = os::environ.get("HOME");
    if (!home) {
      uid_t uid = ::getuid();
      home = pw_home([uid](char* b, std::size_t n, passwd* pw, passwd** r) {
        return ::getpwuid_r(uid, pw, b, n, r);
      });
    }
  } else {
    std::string name(p.substr(1, i - 1));
    os::detail::check_no_nul(name);  // Python's pwd.getpwnam ValueError
    home = pw_home([&name](char* b, std::size_t n, passwd* pw, passwd** r) {
      return ::getpwnam_r(name.c_str(), pw, b, n, r);
    });
  }
  if (!home) return std::string(p);
  auto last = home->find_last_not_of('/');
  home->resize(last == std::string::npos ? 0 : last + 1);
  home->append(p.substr(i));
  if (home->empty()) home->push_back('/');
  return std::move(*home);
}

// ------------------------------------------------- current directory based

std::string abspath(path_ref path) {
  return nothrow::path::abspath(path).value();
}

namespace {

// abspath with the cwd fetched at most once into *cwd.
result<std::string> abspath_with(std::string_view p,
                                 std::optional<std::string>& cwd) noexcept {
  try {
    if (isabs(p)) return normpath(p);
    if (!cwd) {
      auto r = nothrow::getcwd();
      if (!r) return std::move(r).error();
      cwd = std::move(*r);
    }
    return normpath(detail::join_list({*cwd, p}));
  } catch (const std::bad_alloc&) {
    return os::detail::fail(ENOMEM);
  }
}

// The '/'-separated components of an abspath result, leading slashes gone.
std::vector<std::string_view> components(std::string_view abs) {
  std::vector<std::string_view> out;
  auto start = abs.find_first_not_of('/');
  if (start == std::string_view::npos) return out;
  abs.remove_prefix(start);
  for (std::size_t i = 0; i <= abs.size();) {
    auto j = std::min(abs.find('/', i), abs.size());
    out.push_back(abs.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string relpath(path_ref path, path_ref start) {
  if (path.empty()) throw std::invalid_argument("no path specified");
  std::optional<std::string> cwd;
  std::string s = abspath_with(start, cwd).value();
  std::string p = abspath_with(path, cwd).value();
  auto sl = components(s), pl = components(p);
  std::size_t i = 0;
  while (i < sl.size() && i < pl.size() && sl[i] == pl[i]) ++i;
  std::string out;
  out.reserve(3 * (sl.size() - i) + p.size());
  for (std::size_t k = i; k < sl.size(); ++k) {
    if (!out.empty()) out.push_back('/');
    out.append(pardir);
  }
  for (std::size_t k = i; k < pl.size(); ++k) {
    if (!out.empty()) out.push_back('/');
    out.append(pl[k]);
  }
  if (out.empty()) out.push_back('.');
  return out;
}

// ---------------------------------------------------------------- realpath

namespace {

// readlink(path) into *target; errno kept on failure.
bool read_link(const char* path, std::string& target) {
  if (target.size() < 256) target.resize(256);
  for (;;) {
    ssize_t n = os::detail::retry(
        [&] { return ::readlink(path, target.data(), target.size()); });
    if (n < 0) return false;
    if (static_cast<std::size_t>(n) < target.size()) {
      target.resize(static_cast<std::size_t>(n));
      return true;
    }
    target.resize(target.size() * 2);
  }
}

// One component of the walk applied to the absolute path: "" and "." do
// nothing, ".." removes the last name (never "/"). False for a name, which
// the caller appends.
bool dot_step(std::string& path, std::string_view name) {
  if (name.empty() || name == curdir) return true;
  if (name != pardir) return false;
  path.resize(std::max<std::size_t>(path.rfind('/'), 1));
  return true;
}

// realpath's first step on this thread (detail::set_realpath_first, for
// tests and the benchmark): the probe unless pinned to the kernel. Only
// openat2 builds have the choice; the others always walk.
thread_local detail::realpath_first g_realpath_first =
    detail::realpath_first::probe;

#if OSCPP_HAVE_OPENAT2
std::atomic<bool> openat2_missing{false};

// openat2(abs, O_PATH, resolve) as a descriptor, or -1 with errno.
long open_path(const char* abs, std::uint64_t resolve) {
  if (openat2_missing.load(std::memory_order_relaxed)) {
    errno = ENOSYS;
    return -1;
  }
  struct ::open_how how {};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = resolve;
  long fd = os::detail::retry(
      [&] { return ::syscall(SYS_openat2, AT_FDCWD, abs, &how, sizeof how); });
  if (fd < 0 && errno == ENOSYS)
    openat2_missing.store(true, std::memory_order_relaxed);
  return fd;
}

// What one openat2(abs, O_PATH, RESOLVE_NO_SYMLINKS) says about abs.
enum class lexical_probe {
  resolved,  // every component exists and none is a symlink
  missing,   // a component before any symlink is missing or unusable
  unknown,   // a symlink on the way, or no openat2: ask someone else
};

lexical_probe probe_without_links(const char* abs) {
  long fd = open_path(abs, RESOLVE_NO_SYMLINKS);
  if (fd >= 0) {
    ::close(static_cast<int>(fd));
    return lexical_probe::resolved;
  }
  switch (errno) {
    // The kernel stopped on a component it reached without following any
    // link; following links would have stopped there too.
    case ENOENT:
    case ENOTDIR:
    case EACCES:
    case ENAMETOOLONG:
      return lexical_probe::missing;
    default:  // ELOOP (a symlink), ENOSYS or EPERM (seccomp), ...
      return lexical_probe::unknown;
  }
}

// The walk's answer when no component is a symlink.
std::string lexical_walk(std::string path, std::string_view rest) {
  path.reserve(path.size() + 1 + rest.size());  // never longer
  while (!rest.empty()) {
    auto cut = rest.find('/');
    std::string_view name = rest.substr(0, cut);
    rest = cut == std::string_view::npos ? std::string_view()
                                         : rest.substr(cut + 1);
    if (dot_step(path, name)) continue;
    if (path != sep) path.push_back('/');
    path.append(name);
  }
  return path;
}

// The kernel's answer for an existing absolute path, if it is Python's:
// one openat2(O_PATH) and a readlink of /proc/self/fd/N. Magic links
// (/proc/<pid>/fd/*, /proc/self/cwd ...) are refused, since Python reads
// their text where the kernel jumps to the object; a path the kernel could
// not name from our root (deleted, another mount namespace, an anonymous
// inode) does not start with '/' or ends in " (deleted)" and is refused too.
bool kernel_realpath(const char* abs, std::string& out) {
  long fd = open_path(abs, RESOLVE_NO_MAGICLINKS);
  if (fd < 0) return false;
  unique_fd guard(static_cast<int>(fd));
  // The /proc name and the text on the stack, no printf: perf showed them.
  char proc[32] = "/proc/self/fd/";
  constexpr std::size_t prefix = sizeof "/proc/self/fd/" - 1;
  *std::to_chars(proc + prefix, proc + sizeof proc - 1, guard.get()).ptr = '\0';
  char text[PATH_MAX];
  ssize_t n =
      os::detail::retry([&] { return ::readlink(proc, text, sizeof text); });
  if (n <= 0 || text[0] != '/') return false;
  if (static_cast<std::size_t>(n) < sizeof text)
    out.assign(text, static_cast<std::size_t>(n));
  else if (!read_link(proc, out))  // d_path stops at PATH_MAX; to be safe
    return false;
  constexpr std::string_view deleted = " (deleted)";
  return !std::string_view(out).ends_with(deleted);
}
#endif

// Python 3.13's realpath walk: one readlink per component (EINVAL: not a
// link), symlink targets pushed back onto the stack of parts to resolve,
// `seen` both caches resolved links and detects loops.
result<std::string> walk_realpath(std::string_view filename, std::string path,
                                  bool strict) {
  struct part {
    std::string_view name;
    const std::string* link = nullptr;  // marker: link resolved to path
  };
  std::vector<part> rest;
  std::deque<std::string> texts;  // link targets and link paths
  auto push_parts = [&rest](std::string_view s) {
    std::size_t end = s.size();
    for (;;) {
      auto i = end == 0 ? std::string_view::npos : s.rfind('/', end - 1);
      std::size_t from = i == std::string_view::npos ? 0 : i + 1;
      rest.push_back({s.substr(from, end - from)});
      if (i == std::string_view::npos) break;
      end = i;
    }
  };
  push_parts(filename);
  std::unordered_map<std::string, std::optional<std::string>> seen;
  std::string target;
  while (!rest.empty()) {
    part it = rest.back();
    rest.pop_back();
    if (it.link) {
      seen[*it.link] = path;
      continue;
    }
    std::string_view name = it.name;
    if (dot_step(path, name)) continue;
    std::size_t old = path.size();
    if (path != sep) path.push_back('/');
    path.append(name);
    if (!seen.empty()) {
      if (auto s = seen.find(path); s != seen.end()) {
        if (s->second) {
          path = *s->second;
          continue;
        }
        // Unresolved and met again: a loop.
        if (strict) return os::detail::fail(ELOOP, path);
        continue;
      }
    }
    if (!read_link(path.c_str(), target)) {
      if (errno == EINVAL || !strict) continue;  // not a link, or missing
      return os::detail::fail(errno, path);
    }
    const std::string& link = texts.emplace_back(path);
    seen.emplace(link, std::nullopt);
    const std::string& t = texts.emplace_back(std::move(target));
    target = std::string();
    if (isabs(t))
      path.resize(1);  // "/": path is absolute
    else
      path.resize(old);
    rest.push_back({{}, &link});
    push_parts(t);
  }
  return path;
}

}  // namespace

namespace {

// Python 3.7-3.12's _joinrealpath, in C++: the walk starts from "" (or
// "/"), symlink targets are resolved by recursion, a loop in non-strict mode
// returns the unresolved rest joined to the link. {path, ok}.
class legacy_walk {
 public:
  legacy_walk(bool strict, bool nul_error)
      : strict_(strict), nul_error_(nul_error) {}

  result<std::pair<std::string, bool>> run(std::string path,
                                           std::string_view rest) {
    if (isabs(rest)) {
      rest.remove_prefix(1);
      path.assign(1, '/');  // not assign(sep): GCC 12 -Wrestrict misfires
    }
    while (!rest.empty()) {
      auto cut = rest.find('/');
      std::string_view name = rest.substr(0, cut);
      rest = cut == std::string_view::npos ? std::string_view()
                                           : rest.substr(cut + 1);
      if (name.empty() || name == curdir) continue;
      if (name == pardir) {
        if (path.empty()) {
          path.assign(2, '.');
        } else {
          auto [head, tail] = split(path);
          path = tail == pardir ? detail::join_list({head, pardir, pardir})
                                : std::move(head);
        }
        continue;
      }
      std::string newpath = detail::join_list({path, name});
      struct ::stat st;
      bool link = false;
      if (newpath.find('\0') != std::string::npos) {
        if (nul_error_) throw std::invalid_argument("embedded null byte");
      } else {
        if (os::detail::retry([&] { return ::lstat(newpath.c_str(), &st); }) ==
            0)
          link = S_ISLNK(st.st_mode);
        else if (strict_)
          return os::detail::fail(errno, newpath);
      }
      if (!link) {
        path = std::move(newpath);
        continue;
      }
      if (auto s = seen_.find(newpath); s != seen_.end()) {
        if (s->second) {
          path = *s->second;
          continue;
        }
        if (strict_) return os::detail::fail(ELOOP, newpath);
        return std::pair{detail::join_list({newpath, rest}), false};
      }
      seen_.emplace(newpath, std::nullopt);
      std::string target;
      if (!read_link(newpath.c_str(), target))
        return os::detail::fail(errno, newpath);
      auto inner = run(std::move(path), target);
      if (!inner) return std::move(inner).error();
      auto& [resolved, ok] = *inner;
      if (!ok) return std::pair{detail::join_list({resolved, rest}), false};
      seen_[newpath] = resolved;
      path = std::move(resolved);
    }
    return std::pair{std::move(path), true};
  }

 private:
  bool strict_;
  bool nul_error_;
  std::unordered_map<std::string, std::optional<std::string>> seen_;
};

}  // namespace

std::string detail::legacy_realpath_walk(std::string_view path, bool strict,
                                         bool nul_error) {
  return legacy_walk(strict, nul_error).run(std::string(), path).value().first;
}

std::string realpath(path_ref path, realpath_options opts) {
  std::string_view p = path;
  if (opts.legacy)
    return abspath(detail::legacy_realpath_walk(p, opts.strict, false));
  os::detail::check_no_nul(p);
  std::string start;
  std::string abs_buf;
  const char* abs = path.data();
  if (isabs(p)) {
    start.assign(1, '/');
    if (!path.terminated()) {
      abs_buf.assign(p);
      abs = abs_buf.c_str();
    }
  } else {
    start = nothrow::getcwd().value();
    abs_buf.reserve(start.size() + 1 + p.size());
    abs_buf.append(start).append(sep).append(p);
    abs = abs_buf.c_str();
  }
#if OSCPP_HAVE_OPENAT2
  if (g_realpath_first == detail::realpath_first::probe) {
    switch (probe_without_links(abs)) {
      case lexical_probe::resolved:
        return lexical_walk(std::move(start), p);
      case lexical_probe::missing:
        break;
      case lexical_probe::unknown:
        if (std::string out; kernel_realpath(abs, out)) return out;
        break;
    }
  } else if (std::string out; kernel_realpath(abs, out)) {
    return out;
  }
#else
  (void)abs;  // only the kernel's shortcuts take the absolute path
#endif
  return walk_realpath(p, std::move(start), opts.strict).value();
}

void detail::set_realpath_first(realpath_first how) noexcept {
  g_realpath_first = how;
}

// ---------------------------------------------------------------- stat based

}  // namespace os::path

namespace os::nothrow::path {

result<off_t> getsize(const os::path_arg& path) noexcept {
  auto r = nothrow::stat(path);
  if (!r) return std::move(r).error();
  return r->st_size;
}
result<double> getatime(const os::path_arg& path) noexcept {
  auto r = nothrow::stat(path);
  if (!r) return std::move(r).error();
  return r->atime();
}
result<double> getmtime(const os::path_arg& path) noexcept {
  auto r = nothrow::stat(path);
  if (!r) return std::move(r).error();
  return r->mtime();
}
result<double> getctime(const os::path_arg& path) noexcept {
  auto r = nothrow::stat(path);
  if (!r) return std::move(r).error();
  return r->ctime();
}

result<std::string> abspath(os::path::path_ref path) noexcept {
  std::optional<std::string> cwd;
  return os::path::abspath_with(path, cwd);
}

result<bool> samefile(const os::path_arg& f1, const os::path_arg& f2) noexcept {
  auto s1 = nothrow::stat(f1);
  if (!s1) return std::move(s1).error();
  auto s2 = nothrow::stat(f2);
  if (!s2) return std::move(s2).error();
  return os::path::samestat(*s1, *s2);
}

result<bool> sameopenfile(borrowed_fd fp1, borrowed_fd fp2) noexcept {
  struct ::stat s1, s2;
  if (auto r = os::detail::call_void([&] { return ::fstat(fp1.get(), &s1); });
      !r)
    return std::move(r).error();
  if (auto r = os::detail::call_void([&] { return ::fstat(fp2.get(), &s2); });
      !r)
    return std::move(r).error();
  return s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino;
}

}  // namespace os::nothrow::path
