// Files and Directories, the dirs topic: listdir, mkdir, rmdir, chdir,
// fchdir, getcwd(b), chroot, and os.py's makedirs, removedirs and renames.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "detail/dir_reader.hpp"
#include "detail/syscall.hpp"
#include "oscpp/files.hpp"

namespace os {

namespace {

// Python's posixpath.split on bytes: (everything up to the last '/', the
// rest); the head loses its trailing slashes unless it is all slashes.
std::pair<std::string_view, std::string_view> split(std::string_view p) {
  std::size_t i = p.rfind('/');
  i = i == std::string_view::npos ? 0 : i + 1;
  std::string_view head = p.substr(0, i);
  std::string_view tail = p.substr(i);
  if (head.find_first_not_of('/') != std::string_view::npos)
    head.remove_suffix(head.size() - (head.find_last_not_of('/') + 1));
  return {head, tail};
}

// Python's os.path.exists and os.path.isdir: any stat failure is false.
bool exists(const std::string& p) noexcept {
  struct ::stat st;
  return detail::retry([&] { return ::stat(p.c_str(), &st); }) == 0;
}

bool isdir(const path_arg& p) noexcept {
  struct ::stat st;
  return detail::retry([&] { return ::stat(p.c_str(), &st); }) == 0 &&
         S_ISDIR(st.st_mode);
}

result<void> make_tree(const path_arg& name, mode_t mode, bool exist_ok) {
  auto [head, tail] = split(name.view());
  if (tail.empty()) std::tie(head, tail) = split(head);
  if (!head.empty() && !tail.empty()) {
    std::string parent(head);
    if (!exists(parent)) {
      // Parents get the default mode, as in Python; one that another thread
      // created since the check above is no error.
      auto r = make_tree(parent, 0777, exist_ok);
      if (!r && r.error().value() != EEXIST) return r;
      // "a/new/." exists once "a/new" does.
      if (tail == ".") return {};
    }
  }
  auto r = nothrow::mkdir(name, mode);
  // Not only EEXIST: the system may report EACCES or EROFS first for a
  // directory that exists, so the question is asked directly.
  if (!r && (!exist_ok || !isdir(name))) return r;
  return {};
}

// Python names a descriptor in its errors by the descriptor itself; here it
// is its decimal form, which the binding turns back into the caller's int.
std::string fd_name(int fd) { return std::to_string(fd); }

// Appends the names in the directory open as fd, from its current offset,
// to names. Returns 0 or the errno of the failed read.
int read_names(int fd, std::vector<std::string>& names) noexcept {
  detail::dir_reader reader;
  detail::raw_dirent entry;
  int r;
  while ((r = reader.next(fd, entry)) == 1) names.emplace_back(entry.name);
  return r == 0 ? 0 : errno;
}

}  // namespace

namespace nothrow {

result<void> chdir(const path_arg& path) noexcept {
  return detail::call_void([&] { return ::chdir(path.c_str()); }, path);
}

result<void> chdir(borrowed_fd fd) noexcept {
  auto r = detail::call_void([&] { return ::fchdir(fd.get()); });
  if (!r) return detail::fail(r.error().value(), std::to_string(fd.get()));
  return r;
}

result<void> fchdir(borrowed_fd fd) noexcept {
  return detail::call_void([&] { return ::fchdir(fd.get()); });
}

result<std::string> getcwd() noexcept {
  // A page holds any path the kernel's getcwd returns in one call; beyond,
  // glibc walks up the tree and reports ERANGE until the buffer is large
  // enough.
  std::string buf(4096, '\0');
  for (;;) {
    int rc = detail::retry(
        [&] { return ::getcwd(buf.data(), buf.size()) ? 0 : -1; });
    if (rc == 0) {
      buf.resize(std::strlen(buf.c_str()));
      return buf;
    }
    if (errno != ERANGE) return detail::fail(errno);
    buf.resize(buf.size() * 2);
  }
}

result<std::string> getcwdb() noexcept { return nothrow::getcwd(); }

result<void> chroot(const path_arg& path) noexcept {
  return detail::call_void([&] { return ::chroot(path.c_str()); }, path);
}

result<void> rmdir(const path_arg& path, dir_fd_options opts) noexcept {
  return detail::call_void(
      [&] { return ::unlinkat(opts.dir_fd.get(), path.c_str(), AT_REMOVEDIR); },
      path);
}

result<void> makedirs(const path_arg& name, makedirs_options opts) noexcept {
  return make_tree(name, opts.mode, opts.exist_ok);
}

result<void> removedirs(const path_arg& name) noexcept {
  if (auto r = nothrow::rmdir(name); !r) return r;
  auto [head, tail] = split(name.view());
  if (tail.empty()) std::tie(head, tail) = split(head);
  // Each parent in turn, until one is not empty (or not removable).
  while (!head.empty() && !tail.empty()) {
    if (!nothrow::rmdir(std::string(head))) break;
    std::tie(head, tail) = split(head);
  }
  return {};
}

result<void> renames(const path_arg& old, const path_arg& new_) noexcept {
  auto [head, tail] = split(new_.view());
  if (!head.empty() && !tail.empty()) {
    std::string parent(head);
    if (!exists(parent)) {
      if (auto r = nothrow::makedirs(parent); !r) return r;
    }
  }
  if (auto r = nothrow::rename(old, new_); !r) return r;
  std::tie(head, tail) = split(old.view());
  // Pruning what the rename emptied is best effort, as in Python.
  if (!head.empty() && !tail.empty())
    (void)nothrow::removedirs(std::string(head));
  return {};
}

result<std::vector<std::string>> listdir(const path_arg& path) noexcept {
  auto fd = detail::call(
      [&] { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); },
      path);
  if (!fd) return std::move(fd).error();
  unique_fd dir(*fd);
  std::vector<std::string> names;
  if (int e = read_names(dir.get(), names)) return detail::fail(e, path.view());
  return names;
}

result<std::vector<std::string>> listdir(borrowed_fd fd) noexcept {
  // A duplicate so that the caller's descriptor stays open; it shares the
  // offset, so reading starts where the caller's offset is, as in Python.
  auto dup =
      detail::call([&] { return ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0); });
  if (!dup) return std::move(dup).error();
  unique_fd dir(*dup);
  std::vector<std::string> names;
  int e = read_names(dir.get(), names);
  // Rewound afterwards (Python's rewinddir), so a second listdir sees every
  // name; not for a non-directory, whose offset Python leaves alone.
  if (e != ENOTDIR) (void)::lseek(dir.get(), 0, SEEK_SET);
  if (e != 0) return detail::fail(e, fd_name(fd.get()));
  return names;
}

result<void> mkdir(const path_arg& path, mode_t mode,
                   dir_fd_options opts) noexcept {
  return detail::call_void(
      [&] { return ::mkdirat(opts.dir_fd.get(), path.c_str(), mode); }, path);
}

}  // namespace nothrow
}  // namespace os
