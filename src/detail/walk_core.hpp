// What walk, fwalk and the parallel walks share on top of dir_reader: how an
// entry is classified (as Python's DirEntry.is_dir() and is_symlink() would
// answer), the listing loop, and how errors reach onerror.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <functional>
#include <string>
#include <string_view>

#include "detail/dir_reader.hpp"
#include "detail/syscall.hpp"
#include "detail/walk_hooks.hpp"
#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"

namespace os::detail {

using onerror_fn = std::function<void(const OSError&)>;

// Passes the error to onerror as the OSError subclass Python would create;
// without onerror the error is ignored, as in Python. Only error paths come
// here, so the throw that builds the right subclass costs nothing on the
// hot path. onerror may throw to end the walk.
inline void report(const onerror_fn& onerror, const error_info& info) {
  if (!onerror) return;
  try {
    info.raise();
  } catch (const OSError& e) {
    onerror(e);
  }
}

// Makes buf, which holds dir, what os.path.join(dir, name) puts before a
// name without '/': dir, and a '/' unless dir is empty or ends with one.
inline void end_with_separator(std::string& buf) {
  if (!buf.empty() && buf.back() != '/') buf += '/';
}

// Python's os.path.join(dir, name) for a name without '/', dir being the
// first dir_len bytes of buf.
inline void join_into(std::string& buf, std::size_t dir_len,
                      std::string_view name) {
  buf.resize(dir_len);
  end_with_separator(buf);
  buf.append(name);
}

// What DirEntry.is_dir() and is_symlink() say about an entry of the
// directory open as fd, from d_type where it can. Errors are folded in as
// Python's walks fold them: is_dir is false when its stat fails (gone,
// dangling, no permission); is_dir_error tells fwalk that it failed with
// something other than ENOENT.
struct entry_kind {
  bool is_dir = false;
  bool is_symlink = false;
  bool is_dir_error = false;
  bool is_symlink_error = false;
};

// The stats classify took, for a DirEntry to cache (as its own is_dir()
// would have cached them).
struct stat_cache {
  struct ::stat lst;
  struct ::stat st;
  bool have_lst = false;
  bool have_st = false;
};

// cache, if not null, receives the successful stats.
inline entry_kind classify(int fd, const raw_dirent& d,
                           stat_cache* cache = nullptr) noexcept {
  entry_kind k;
  if (d.type == DT_DIR) {
    k.is_dir = true;
    return k;
  }
  if (d.type != DT_LNK && d.type != DT_UNKNOWN) return k;
  // The name is NUL-terminated inside the getdents64 buffer.
  const char* name = d.name.data();
  struct ::stat local;
  struct ::stat& lst = cache ? cache->lst : local;
  struct ::stat& st = cache ? cache->st : local;
  if (d.type == DT_UNKNOWN) {
    // Python's is_dir() on an unknown type: lstat, then stat if a link.
    if (retry([&] { return ::fstatat(fd, name, &lst, AT_SYMLINK_NOFOLLOW); }) ==
        -1) {
      int e = errno;
      k.is_dir_error = e != ENOENT;
      k.is_symlink_error = e != ENOENT;
      return k;
    }
    if (cache) cache->have_lst = true;
    if (!S_ISLNK(lst.st_mode)) {
      k.is_dir = S_ISDIR(lst.st_mode);
      return k;
    }
  }
  k.is_symlink = true;
  if (retry([&] { return ::fstatat(fd, name, &st, 0); }) == -1) {
    k.is_dir_error = errno != ENOENT;
    return k;
  }
  if (cache) cache->have_st = true;
  k.is_dir = S_ISDIR(st.st_mode);
  return k;
}

// As Python's fwalk: an entry whose is_dir() failed is listed (among the
// files) only if it is a symlink.
inline bool fwalk_lists(const entry_kind& k) noexcept {
  return k.is_dir || !k.is_dir_error || (k.is_symlink && !k.is_symlink_error);
}

// Lists the directory open as fd from its start of buffer, calling
// sink(const raw_dirent&, const entry_kind&) for each entry; cache as for
// classify (refilled per entry). 0 at the end, else the errno of the
// failed read.
template <class Sink>
int list_dir(dir_reader& reader, int fd, stat_cache* cache, Sink&& sink) {
  reader.reset();
  raw_dirent d;
  int r;
  while ((r = reader.next(fd, d)) == 1) {
    if (cache) cache->have_lst = cache->have_st = false;
    sink(d, classify(fd, d, cache));
  }
  return r == -1 ? errno : 0;
}

// Opens the directory name (relative to dir; path is what errors name) as
// walk opens a directory: with nofollow, a symlink is not followed and is
// skipped silently, as Python's islink check skips it. Returns the
// descriptor, or -1 after passing the error to onerror (or after a
// skipped symlink).
inline int walk_open(int dir, const char* name, const std::string& path,
                     bool nofollow, const onerror_fn& onerror) {
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
  int fd = retry([&] { return ::openat(dir, name, flags); });
  if (fd != -1) return fd;
  int e = errno;
  struct ::stat st;
  // O_NOFOLLOW fails on a symlink (ENOTDIR with O_DIRECTORY, else ELOOP);
  // the same errors from elsewhere in the path are errors, as in Python.
  if ((e == ELOOP || e == ENOTDIR) && nofollow &&
      ::fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISLNK(st.st_mode))
    return -1;
  report(onerror, fail(e, path));
  return -1;
}

// How fwalk enters the subdirectory name of the directory open as parent,
// race-safely. Python checks lstat, open, fstat and compares the inodes;
// without follow_symlinks, O_NOFOLLOW | O_DIRECTORY make the open alone
// refuse whatever is not a directory at that moment, so the lstat is taken
// only when the open fails, to tell a symlink (skipped, as Python's inode
// check skips it) or a file (Python's scandir raises ENOTDIR) from an
// error. open(flags) opens name relative to parent (retried as the caller
// needs). fd >= 0: opened, and st is its fstat; otherwise error is the
// errno to pass to onerror, or not_dir is set, or neither (skipped).
struct fwalk_child {
  int fd = -1;
  int error = 0;
  bool not_dir = false;
};

template <class Open>
fwalk_child fwalk_open_child(int parent, const char* name, bool follow_symlinks,
                             struct ::stat& st, Open&& open) {
  fwalk_child c;
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK |
              (follow_symlinks ? 0 : O_NOFOLLOW);
  walk_hook_point(walk_point::listed, parent, name);
  walk_hook_point(walk_point::checked, parent, name);
  int fd = open(flags);
  if (fd == -1) {
    c.error = errno;
    // ELOOP (or ENOTDIR, with O_DIRECTORY) for a symlink, ENOTDIR for a
    // file.
    if (!follow_symlinks && (c.error == ELOOP || c.error == ENOTDIR)) {
      struct ::stat lst;
      if (retry([&] {
            return ::fstatat(parent, name, &lst, AT_SYMLINK_NOFOLLOW);
          }) == -1) {
        c.error = errno;
      } else {
        // A directory again: swapped twice meanwhile; skipped as a symlink.
        c.not_dir = !S_ISLNK(lst.st_mode) && !S_ISDIR(lst.st_mode);
        c.error = 0;
      }
    }
    return c;
  }
  walk_hook_point(walk_point::opened, parent, name);
  if (::fstat(fd, &st) == -1) {
    c.error = errno;
    ::close(fd);
    return c;
  }
  c.fd = fd;
  return c;
}

// fwalk's top: opened (race-safely without follow_symlinks) and fstat'ed
// into st. An empty descriptor if the walk yields nothing (top is not a
// directory, or was swapped meanwhile); errors about top itself throw
// OSError, as Python raises them (no onerror).
unique_fd fwalk_open_top(const std::string& top, int dir_fd,
                         bool follow_symlinks, struct ::stat& st);

}  // namespace os::detail
