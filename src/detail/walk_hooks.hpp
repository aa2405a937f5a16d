// A test hook at each check-then-use point of fwalk, so that a race test can
// swap a directory for a symlink at exactly that moment, and where a parallel
// walk stops, so that a test can hold visitors until then. Unset (the normal
// case) it costs one relaxed load per point.
#pragma once

#include <atomic>

namespace os::detail {

enum class walk_point {
  listed,    // name was listed as a directory; nothing checked yet
  checked,   // top: fstatat(name) said directory, not opened yet; below
             // top (opened with O_NOFOLLOW, checked only if that fails):
             // right before the open
  opened,    // name is open; its (st_dev, st_ino) not compared yet
  reopened,  // a released ancestor reopened through ".."; not compared yet
  stopped,   // parallel walks: the walk has stopped (an exception, or the
             // stop token); nothing new is started after this point
};

// dirfd: the directory name is relative to; name: the entry (".." for
// reopened, top itself for the top, with dirfd the dir_fd option); for
// stopped, -1 and "".
using walk_hook = void (*)(walk_point point, int dirfd, const char* name);

extern std::atomic<walk_hook> g_walk_hook;

// Installs hook (nullptr: none); returns the previous one.
inline walk_hook set_walk_hook(walk_hook hook) noexcept {
  return g_walk_hook.exchange(hook);
}

inline void walk_hook_point(walk_point point, int dirfd, const char* name) {
  if (walk_hook h = g_walk_hook.load(std::memory_order_relaxed))
    h(point, dirfd, name);
}

}  // namespace os::detail
