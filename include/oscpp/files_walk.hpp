// Files and Directories, iteration: scandir and DirEntry, walk and fwalk.
// Iteration is lazy and RAII: a ScandirIterator holds its directory open
// until it is exhausted, closed or destroyed; walk and fwalk are lazy ranges
// whose steps unpack as auto& [dirpath, dirnames, filenames] (and dirfd).
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/path_arg.hpp"

namespace os {

class ScandirIterator;
namespace detail {
class dir_reader;
struct scandir_access;
struct walk_entry_access;
class walker;
class fwalker;
}  // namespace detail

// Keyword-only follow_symlinks=True of DirEntry's methods.
struct follow_symlinks_options {
  bool follow_symlinks = true;
};

// Python's os.DirEntry: one entry of a scandir. name and path are Python's
// read-only attributes (path is the scandir path joined with name, or name
// alone when scandir was given a descriptor). Results are cached exactly as
// Python caches them: the directory entry's type first, then at most one
// stat per follow_symlinks value, the lstat reused for a non-link. As in
// Python, stat() works on path (or relative to the scandir descriptor), not
// on the directory scandir held. Entries are created only by scandir; one
// entry must not be used from several threads at once (its cache is not
// locked). The std::nothrow overloads return errors as values. The stat
// cache is allocated with the first stat taken, so that an entry whose type
// came with the directory entry stays small; a copy copies the cache.
class DirEntry {
 public:
  std::string name;
  std::string path;

  DirEntry(const DirEntry&) = default;
  DirEntry(DirEntry&&) noexcept = default;
  DirEntry& operator=(const DirEntry&) = default;
  DirEntry& operator=(DirEntry&&) noexcept = default;
  ~DirEntry() = default;

  // The entry's inode number, from the directory entry (never a syscall).
  ino_t inode() const noexcept { return d_ino_; }
  // False, not an error, when the entry no longer exists; other errors
  // throw OSError with path as filename.
  bool is_dir(follow_symlinks_options opts = {}) const;
  bool is_file(follow_symlinks_options opts = {}) const;
  bool is_symlink() const;
  // Python 3.12's is_junction(): Windows junctions do not exist here.
  bool is_junction() const noexcept { return false; }
  // Cached: the same object until the entry is destroyed.
  const stat_result& stat(follow_symlinks_options opts = {}) const;

  result<bool> is_dir(std::nothrow_t,
                      follow_symlinks_options opts = {}) const noexcept;
  result<bool> is_file(std::nothrow_t,
                       follow_symlinks_options opts = {}) const noexcept;
  result<bool> is_symlink(std::nothrow_t) const noexcept;
  result<stat_result> stat(std::nothrow_t,
                           follow_symlinks_options opts = {}) const noexcept;

  // Python's __fspath__: a DirEntry is PathLike (os::stat(entry) works).
  const std::string& fspath() const noexcept { return path; }

  // Not in Python: true if is_dir(), is_file() and is_symlink() with these
  // options answer without a syscall (the type came with the directory
  // entry, or the stat they need is cached), so a caller can skip
  // arrangements for a blocking call (the binding keeps the GIL).
  bool type_known(follow_symlinks_options opts = {}) const noexcept;

 private:
  friend class ScandirIterator;
  friend struct detail::scandir_access;
  friend struct detail::walk_entry_access;
  DirEntry() = default;

  result<const stat_result*> fetch(bool follow_symlinks) const noexcept;
  result<bool> test_mode(bool follow_symlinks, mode_t bits) const noexcept;

  // The stat cache, out of line: most entries never need one.
  struct stats {
    std::optional<stat_result> stat;
    std::optional<stat_result> lstat;
  };
  // The cache's owner: a unique_ptr whose copies copy the cache, so that
  // DirEntry's copies are the compiler's (and cannot miss a member). An
  // empty cache (kept by an entry refilled for reuse) copies as none.
  class stats_ptr {
   public:
    stats_ptr() = default;
    stats_ptr(const stats_ptr& o)
        : p_(o.holds() ? std::make_unique<stats>(*o.p_) : nullptr) {}
    stats_ptr(stats_ptr&&) noexcept = default;
    stats_ptr& operator=(const stats_ptr& o) {
      if (!o.holds())
        p_.reset();
      else if (p_)
        *p_ = *o.p_;
      else
        p_ = std::make_unique<stats>(*o.p_);
      return *this;
    }
    stats_ptr& operator=(stats_ptr&&) noexcept = default;
    ~stats_ptr() = default;
    explicit operator bool() const noexcept { return p_ != nullptr; }
    stats* get() const noexcept { return p_.get(); }
    stats* operator->() const noexcept { return p_.get(); }
    stats& operator*() const noexcept { return *p_; }
    void reset(stats* p = nullptr) noexcept { p_.reset(p); }

   private:
    bool holds() const noexcept { return p_ && (p_->stat || p_->lstat); }
    std::unique_ptr<stats> p_;
  };
  // The cache, allocated if need be (nullptr if that fails).
  stats* cache() const noexcept;
  // The cache if allocated and holding the stat for follow_symlinks.
  const stat_result* cached(bool follow_symlinks) const noexcept {
    if (!stats_) return nullptr;
    const auto& c = follow_symlinks ? stats_->stat : stats_->lstat;
    return c ? &*c : nullptr;
  }

  ino_t d_ino_ = 0;
  unsigned char d_type_ = 0;
  int dir_fd_ = AT_FDCWD;  // the scandir descriptor, for fd-based entries
  mutable stats_ptr stats_;
};

// Python's ScandirIterator: an input range of DirEntry, and a handle that
// closes the directory when exhausted, on an error, on close(), or when
// destroyed. A range-for over it yields DirEntry& valid until the next
// step (copy or move from it to keep one). Iterating again after the end
// yields nothing, as in Python.
class ScandirIterator {
 public:
  class iterator {
   public:
    using value_type = DirEntry;
    using difference_type = std::ptrdiff_t;
    using reference = DirEntry&;
    using pointer = DirEntry*;
    using iterator_category = std::input_iterator_tag;

    iterator() noexcept = default;
    DirEntry& operator*() const noexcept { return *entry_; }
    DirEntry* operator->() const noexcept { return entry_; }
    // Throws OSError (with the scandir path as filename) if reading fails.
    iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.entry_ == b.entry_;
    }

   private:
    friend class ScandirIterator;
    iterator(ScandirIterator* owner, DirEntry* entry) noexcept
        : owner_(owner), entry_(entry) {}
    ScandirIterator* owner_ = nullptr;
    DirEntry* entry_ = nullptr;
  };

  ScandirIterator(ScandirIterator&& other) noexcept;
  ScandirIterator& operator=(ScandirIterator&& other) noexcept;
  ScandirIterator(const ScandirIterator&) = delete;
  ScandirIterator& operator=(const ScandirIterator&) = delete;
  ~ScandirIterator();

  // Reads the first entry: may throw as next() does.
  iterator begin();
  iterator end() noexcept { return {}; }

  // Python's next(): the next entry (valid until the following call), or
  // nullptr at the end. On an error the directory is closed and OSError
  // thrown (filename: the scandir path, or the descriptor in decimal).
  DirEntry* next();
  result<DirEntry*> next(std::nothrow_t) noexcept;

  // Closes the directory now; further steps yield nothing. For a scandir
  // of a descriptor, the descriptor is rewound (as Python's closedir does).
  void close() noexcept;
  bool closed() const noexcept { return !fd_; }

 private:
  friend struct detail::scandir_access;
  ScandirIterator() noexcept;

  unique_fd fd_;
  std::unique_ptr<detail::dir_reader> reader_;
  std::string prefix_;  // the scandir path with its trailing '/', if any
  std::string error_name_;
  int user_fd_ = -1;  // the caller's descriptor, for fd-based scandirs
  DirEntry entry_;
};

// ---------------------------------------------------------------- walk

// walk(top, topdown=True, onerror=None, followlinks=False)
struct walk_options {
  bool topdown = true;
  // Called with each error that Python's walk passes to onerror; it may
  // throw to stop the walk (the exception propagates from the iteration).
  std::function<void(const OSError&)> onerror = nullptr;
  bool followlinks = false;
};

// One step of walk: auto& [dirpath, dirnames, filenames] = step.
struct walk_result {
  std::string dirpath;
  std::vector<std::string> dirnames;
  std::vector<std::string> filenames;
};

// The range os::walk returns. Lazy: nothing is read before begin(). Top
// down, the body may change dirnames (erase, reorder, add) and the walk
// descends into the names it then holds, as Python's. A step stays valid
// until the walk leaves that directory; the range must outlive its
// iterators and not be moved once iterated. Memory grows with the depth of
// the tree, not its size; no descriptor is held between steps.
class walk_range {
 public:
  class iterator {
   public:
    using value_type = walk_result;
    using difference_type = std::ptrdiff_t;
    using reference = walk_result&;
    using pointer = walk_result*;
    using iterator_category = std::input_iterator_tag;

    iterator() noexcept = default;
    walk_result& operator*() const noexcept { return *step_; }
    walk_result* operator->() const noexcept { return step_; }
    iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.step_ == b.step_;
    }

   private:
    friend class walk_range;
    iterator(detail::walker* w, walk_result* step) noexcept
        : walker_(w), step_(step) {}
    detail::walker* walker_ = nullptr;
    walk_result* step_ = nullptr;
  };

  walk_range(std::string top, walk_options opts);
  walk_range(walk_range&&) noexcept;
  walk_range& operator=(walk_range&&) noexcept;
  ~walk_range();

  iterator begin();
  iterator end() noexcept { return {}; }
  // The next step, or nullptr when the walk is over.
  walk_result* next();

 private:
  std::unique_ptr<detail::walker> walker_;
};

// Python's os.walk. Errors go to onerror (ignored without one) and never
// escape otherwise; a path longer than PATH_MAX fails with ENAMETOOLONG
// there, as in Python. Without followlinks, a subdirectory is opened with
// O_NOFOLLOW, so one replaced by a symlink after it was listed is not
// entered (Python checks islink just before opening it by path).
inline walk_range walk(const path_arg& top, walk_options opts = {}) {
  return walk_range(top.str(), std::move(opts));
}

// ---------------------------------------------------------------- fwalk

// fwalk(top='.', topdown=True, onerror=None, *, follow_symlinks=False,
// dir_fd=None)
struct fwalk_options {
  bool topdown = true;
  std::function<void(const OSError&)> onerror = nullptr;
  bool follow_symlinks = false;
  borrowed_fd dir_fd = AT_FDCWD;
};

// One step of fwalk: auto& [dirpath, dirnames, filenames, dirfd] = step.
// dirfd is open (and rewound) for the duration of the step only.
struct fwalk_result {
  std::string dirpath;
  std::vector<std::string> dirnames;
  std::vector<std::string> filenames;
  int dirfd = -1;
};

// The range os::fwalk returns: as walk_range, with a descriptor held for
// each directory between top and the current one (closed when the walk
// leaves it, or when the range is destroyed). A step's dirfd is valid until
// the next step: in a tree deeper than the descriptor limit, the oldest
// ancestors' descriptors are closed (EMFILE) and reopened through ".." when
// the walk returns to them, if they are still the same directory (st_dev,
// st_ino); one moved meanwhile ends the walk of the ancestors with an
// error for onerror (ENOENT, naming it). So fwalk finishes at any depth.
class fwalk_range {
 public:
  class iterator {
   public:
    using value_type = fwalk_result;
    using difference_type = std::ptrdiff_t;
    using reference = fwalk_result&;
    using pointer = fwalk_result*;
    using iterator_category = std::input_iterator_tag;

    iterator() noexcept = default;
    fwalk_result& operator*() const noexcept { return *step_; }
    fwalk_result* operator->() const noexcept { return step_; }
    iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.step_ == b.step_;
    }

   private:
    friend class fwalk_range;
    iterator(detail::fwalker* w, fwalk_result* step) noexcept
        : walker_(w), step_(step) {}
    detail::fwalker* walker_ = nullptr;
    fwalk_result* step_ = nullptr;
  };

  fwalk_range(std::string top, fwalk_options opts);
  fwalk_range(fwalk_range&&) noexcept;
  fwalk_range& operator=(fwalk_range&&) noexcept;
  ~fwalk_range();

  // The first step opens top: errors there throw OSError (Python raises
  // them from the first next()), as do errors listing top itself.
  iterator begin();
  iterator end() noexcept { return {}; }
  fwalk_result* next();

 private:
  std::unique_ptr<detail::fwalker> walker_;
};

// Python's os.fwalk, race-safe: every directory below top is opened
// relative to its parent's held descriptor with O_NOFOLLOW | O_DIRECTORY,
// and (without follow_symlinks) only if it is still the directory that
// fstatat saw just before (same st_dev and st_ino), so swapping one for a
// symlink never leads outside the tree. A name of dirnames that is not a
// directory when the walk gets to it (a file, a FIFO) raises
// NotADirectoryError and ends the walk, as in Python (3.11 blocks on the
// FIFO; here nothing is opened). Differences from Python 3.11: a
// non-directory top is not opened (it still yields nothing, and a dangling
// symlink still raises);
// a directory that is its own ancestor (a bind mount loop, or a symlink
// loop with follow_symlinks) is reported to onerror as ELOOP instead of
// being entered until descriptors run out; errors reading a directory
// raise as in Python but name its path (Python names the descriptor).
inline fwalk_range fwalk(const path_arg& top = ".", fwalk_options opts = {}) {
  return fwalk_range(top.str(), std::move(opts));
}

// ---------------------------------------------------------------- nothrow
namespace nothrow {

// Opens the directory; errors carry path (or the descriptor in decimal) as
// filename, and a failed dup of the descriptor none, as Python's.
result<ScandirIterator> scandir(const path_arg& path = ".") noexcept;
result<ScandirIterator> scandir(borrowed_fd fd) noexcept;

}  // namespace nothrow

inline ScandirIterator scandir(const path_arg& path = ".") {
  return nothrow::scandir(path).value();
}
// Lists the directory open as fd from its current offset; entries' path is
// their name and their stat() is relative to fd, which must stay open.
inline ScandirIterator scandir(borrowed_fd fd) {
  return nothrow::scandir(fd).value();
}

}  // namespace os
