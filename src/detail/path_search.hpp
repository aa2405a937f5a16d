// Python's search of PATH for execvp/execvpe (os._execvpe), shared by the
// exec and spawn families.
#pragma once

#include <cerrno>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/syscall.hpp"

namespace os::detail {

// dir/file as Python's path.join: "" gives file, a trailing '/' is kept.
inline std::string join_exec_path(std::string_view dir, std::string_view file) {
  std::string full;
  full.reserve(dir.size() + 1 + file.size());
  full.append(dir);
  if (!full.empty() && full.back() != '/') full.push_back('/');
  full.append(file);
  return full;
}

// Calls attempt(fullname) for file in each directory of dirs (file itself if
// it has a '/') until one succeeds. The error is Python's: the first one
// that is not ENOENT/ENOTDIR, else the last one.
template <class T, class Attempt>
result<T> search_exec_path(std::string_view file,
                           const std::vector<std::string>& dirs,
                           Attempt&& attempt) {
  if (file.find('/') != std::string_view::npos)
    return attempt(std::string(file));
  std::optional<error_info> saved;
  std::optional<error_info> last;
  for (const std::string& dir : dirs) {
    result<T> r = attempt(join_exec_path(dir, file));
    if (r) return r;
    int e = r.error().value();
    if (e != ENOENT && e != ENOTDIR && !saved) saved = r.error();
    last = std::move(r).error();
  }
  if (saved) return std::move(*saved);
  if (last) return std::move(*last);
  return fail(ENOENT, file);  // no directory at all
}

}  // namespace os::detail
