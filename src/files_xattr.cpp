// Files and Directories: Linux extended attributes.
#include "oscpp/files_xattr.hpp"

#if OSCPP_HAVE_XATTR
#include <sys/types.h>
#include <sys/xattr.h>

#include <cerrno>
#include <string>

#include "detail/syscall.hpp"

namespace os {
namespace {

// Reads a value or a name list whose size is unknown: first into a small
// buffer on the stack (one syscall for the common small value), then, on
// ERANGE, at the size the kernel reports, again if it grew meanwhile.
// get(buf, size) is the *getxattr / *listxattr call.
template <class Get>
result<std::string> read_sized(Get&& get, std::string_view name) noexcept {
  char small[256];
  ssize_t n = detail::retry([&] { return get(small, sizeof small); });
  if (n >= 0) return std::string(small, static_cast<std::size_t>(n));
  std::string out;
  while (errno == ERANGE) {
    ssize_t size = detail::retry([&] { return get(nullptr, 0); });
    if (size < 0) break;
    out.resize(static_cast<std::size_t>(size));
    n = detail::retry([&] { return get(out.data(), out.size()); });
    if (n >= 0) {
      out.resize(static_cast<std::size_t>(n));
      return out;
    }
  }
  return detail::fail(errno, name);
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < list.size();) {
    std::size_t end = list.find('\0', i);
    if (end == std::string::npos) end = list.size();
    names.emplace_back(list, i, end - i);
    i = end + 1;
  }
  return names;
}

std::string fd_name(int fd) { return std::to_string(fd); }

}  // namespace

namespace nothrow {

result<std::string> getxattr(const path_arg& path, const path_arg& attribute,
                             follow_symlinks_options opts) noexcept {
  return read_sized(
      [&](char* buf, std::size_t size) {
        return opts.follow_symlinks
                   ? ::getxattr(path.c_str(), attribute.c_str(), buf, size)
                   : ::lgetxattr(path.c_str(), attribute.c_str(), buf, size);
      },
      path.view());
}

result<std::string> getxattr(borrowed_fd fd,
                             const path_arg& attribute) noexcept {
  return read_sized(
      [&](char* buf, std::size_t size) {
        return ::fgetxattr(fd.get(), attribute.c_str(), buf, size);
      },
      fd_name(fd.get()));
}

result<void> setxattr(const path_arg& path, const path_arg& attribute,
                      std::string_view value, int flags,
                      follow_symlinks_options opts) noexcept {
  return detail::call_void(
      [&] {
        return opts.follow_symlinks
                   ? ::setxattr(path.c_str(), attribute.c_str(), value.data(),
                                value.size(), flags)
                   : ::lsetxattr(path.c_str(), attribute.c_str(), value.data(),
                                 value.size(), flags);
      },
      path);
}

result<void> setxattr(borrowed_fd fd, const path_arg& attribute,
                      std::string_view value, int flags) noexcept {
  auto r = detail::call_void([&] {
    return ::fsetxattr(fd.get(), attribute.c_str(), value.data(), value.size(),
                       flags);
  });
  if (!r) return detail::fail(r.error().value(), fd_name(fd.get()));
  return r;
}

result<std::vector<std::string>> listxattr(
    const path_arg& path, follow_symlinks_options opts) noexcept {
  auto list = read_sized(
      [&](char* buf, std::size_t size) {
        return opts.follow_symlinks ? ::listxattr(path.c_str(), buf, size)
                                    : ::llistxattr(path.c_str(), buf, size);
      },
      path.view());
  if (!list) return std::move(list).error();
  return split_names(*list);
}

result<std::vector<std::string>> listxattr(borrowed_fd fd) noexcept {
  auto list = read_sized(
      [&](char* buf, std::size_t size) {
        return ::flistxattr(fd.get(), buf, size);
      },
      fd_name(fd.get()));
  if (!list) return std::move(list).error();
  return split_names(*list);
}

result<void> removexattr(const path_arg& path, const path_arg& attribute,
                         follow_symlinks_options opts) noexcept {
  return detail::call_void(
      [&] {
        return opts.follow_symlinks
                   ? ::removexattr(path.c_str(), attribute.c_str())
                   : ::lremovexattr(path.c_str(), attribute.c_str());
      },
      path);
}

result<void> removexattr(borrowed_fd fd, const path_arg& attribute) noexcept {
  auto r = detail::call_void(
      [&] { return ::fremovexattr(fd.get(), attribute.c_str()); });
  if (!r) return detail::fail(r.error().value(), fd_name(fd.get()));
  return r;
}

}  // namespace nothrow
}  // namespace os
#endif  // OSCPP_HAVE_XATTR
