// Files and Directories: Linux extended attributes. getxattr, setxattr,
// listxattr and removexattr, on a path or a descriptor. XATTR_CREATE and
// XATTR_REPLACE are the macros of <sys/xattr.h>, XATTR_SIZE_MAX that of
// <linux/limits.h>.
#pragma once

#include "oscpp/platform.hpp"

// Linux only here, as in CPython's os (macOS's xattr calls differ).
#if OSCPP_HAVE_XATTR
#include <linux/limits.h>  // XATTR_SIZE_MAX
#include <sys/xattr.h>     // XATTR_CREATE, XATTR_REPLACE

#include <string>
#include <string_view>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/files_walk.hpp"  // follow_symlinks_options
#include "oscpp/path_arg.hpp"

namespace os {

// Errors carry path as filename (a descriptor in decimal, where Python's
// carries the int), ENODATA for a missing attribute included. The attribute
// name is converted as a path (NUL rejected). With follow_symlinks=false the
// link itself is used (l*xattr); the descriptor forms have no such option,
// as Python's raise ValueError for it.
namespace nothrow {

result<std::string> getxattr(const path_arg& path, const path_arg& attribute,
                             follow_symlinks_options opts = {}) noexcept;
result<std::string> getxattr(borrowed_fd fd,
                             const path_arg& attribute) noexcept;
result<void> setxattr(const path_arg& path, const path_arg& attribute,
                      std::string_view value, int flags = 0,
                      follow_symlinks_options opts = {}) noexcept;
result<void> setxattr(borrowed_fd fd, const path_arg& attribute,
                      std::string_view value, int flags = 0) noexcept;
result<std::vector<std::string>> listxattr(
    const path_arg& path = ".", follow_symlinks_options opts = {}) noexcept;
result<std::vector<std::string>> listxattr(borrowed_fd fd) noexcept;
result<void> removexattr(const path_arg& path, const path_arg& attribute,
                         follow_symlinks_options opts = {}) noexcept;
result<void> removexattr(borrowed_fd fd, const path_arg& attribute) noexcept;

}  // namespace nothrow

// The attribute's value (bytes); ENODATA if it is not set.
inline std::string getxattr(const path_arg& path, const path_arg& attribute,
                            follow_symlinks_options opts = {}) {
  return nothrow::getxattr(path, attribute, opts).value();
}
inline std::string getxattr(borrowed_fd fd, const path_arg& attribute) {
  return nothrow::getxattr(fd, attribute).value();
}
// flags: 0, XATTR_CREATE (EEXIST if set) or XATTR_REPLACE (ENODATA if not).
inline void setxattr(const path_arg& path, const path_arg& attribute,
                     std::string_view value, int flags = 0,
                     follow_symlinks_options opts = {}) {
  nothrow::setxattr(path, attribute, value, flags, opts).value();
}
inline void setxattr(borrowed_fd fd, const path_arg& attribute,
                     std::string_view value, int flags = 0) {
  nothrow::setxattr(fd, attribute, value, flags).value();
}
// The names of the attributes, in the filesystem's order.
inline std::vector<std::string> listxattr(const path_arg& path = ".",
                                          follow_symlinks_options opts = {}) {
  return nothrow::listxattr(path, opts).value();
}
inline std::vector<std::string> listxattr(borrowed_fd fd) {
  return nothrow::listxattr(fd).value();
}
inline void removexattr(const path_arg& path, const path_arg& attribute,
                        follow_symlinks_options opts = {}) {
  nothrow::removexattr(path, attribute, opts).value();
}
inline void removexattr(borrowed_fd fd, const path_arg& attribute) {
  nothrow::removexattr(fd, attribute).value();
}

}  // namespace os
#endif  // OSCPP_HAVE_XATTR
