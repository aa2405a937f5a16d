// Files and Directories, the links topic: the calls that make, read, move
// and remove a name: link, symlink, readlink, rename, replace, unlink,
// remove.
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>  // renameat
#include <unistd.h>

#include <string>

#include "detail/syscall.hpp"
#include "oscpp/files.hpp"

namespace os::nothrow {

result<void> link(const path_arg& src, const path_arg& dst,
                  link_options opts) noexcept {
  // Python calls link(2) unless a dir_fd or follow_symlinks=False is given,
  // and Linux's link(2) does not follow a symlink src: only the dir_fd forms
  // follow it.
  bool follow = opts.follow_symlinks && (opts.src_dir_fd.get() != AT_FDCWD ||
                                         opts.dst_dir_fd.get() != AT_FDCWD);
  return detail::call_void(
      [&] {
        return ::linkat(opts.src_dir_fd.get(), src.c_str(),
                        opts.dst_dir_fd.get(), dst.c_str(),
                        follow ? AT_SYMLINK_FOLLOW : 0);
      },
      src, dst);
}

result<std::string> readlink(const path_arg& path,
                             dir_fd_options opts) noexcept {
  // Targets fit PATH_MAX on Linux; a result that fills the buffer may have
  // been truncated, so the call is repeated with a larger one.
  char small[PATH_MAX];
  auto n = detail::call(
      [&] {
        return ::readlinkat(opts.dir_fd.get(), path.c_str(), small,
                            sizeof small);
      },
      path);
  if (!n) return std::move(n).error();
  if (static_cast<std::size_t>(*n) < sizeof small)
    return std::string(small, static_cast<std::size_t>(*n));
  std::string buf(sizeof small * 2, '\0');
  for (;;) {
    n = detail::call(
        [&] {
          return ::readlinkat(opts.dir_fd.get(), path.c_str(), buf.data(),
                              buf.size());
        },
        path);
    if (!n) return std::move(n).error();
    if (static_cast<std::size_t>(*n) < buf.size()) {
      buf.resize(static_cast<std::size_t>(*n));
      return buf;
    }
    buf.resize(buf.size() * 2);
  }
}

result<void> rename(const path_arg& src, const path_arg& dst,
                    rename_options opts) noexcept {
  return detail::call_void(
      [&] {
        return ::renameat(opts.src_dir_fd.get(), src.c_str(),
                          opts.dst_dir_fd.get(), dst.c_str());
      },
      src, dst);
}

result<void> replace(const path_arg& src, const path_arg& dst,
                     rename_options opts) noexcept {
  // rename(2) already replaces an existing dst on POSIX.
  return nothrow::rename(src, dst, opts);
}

result<void> symlink(const path_arg& src, const path_arg& dst,
                     symlink_options opts) noexcept {
  return detail::call_void(
      [&] { return ::symlinkat(src.c_str(), opts.dir_fd.get(), dst.c_str()); },
      src, dst);
}

result<void> unlink(const path_arg& path, dir_fd_options opts) noexcept {
  return detail::call_void(
      [&] { return ::unlinkat(opts.dir_fd.get(), path.c_str(), 0); }, path);
}

result<void> remove(const path_arg& path, dir_fd_options opts) noexcept {
  return nothrow::unlink(path, opts);
}

}  // namespace os::nothrow
