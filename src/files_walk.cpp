// Files and Directories: walk and fwalk, as Python 3.11's os.py defines
// them, iteratively (no recursion, so any depth works) on getdents64.
#include "oscpp/files_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "detail/dir_reader.hpp"
#include "detail/syscall.hpp"
#include "detail/walk_core.hpp"
#include "detail/walk_hooks.hpp"

namespace os {
namespace detail {

std::atomic<walk_hook> g_walk_hook{nullptr};

// Python raises every error about top itself (no onerror).
unique_fd fwalk_open_top(const std::string& path, int dir_fd,
                         bool follow_symlinks, struct ::stat& now) {
  const char* top = path.c_str();
  struct ::stat st;
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  walk_hook_point(walk_point::listed, dir_fd, top);
  if (!follow_symlinks) {
    if (retry([&] {
          return ::fstatat(dir_fd, top, &st, AT_SYMLINK_NOFOLLOW);
        }) == -1)
      fail(errno, path).raise();
    if (!S_ISDIR(st.st_mode)) {
      // Python opens top anyway and yields nothing; a dangling or
      // inaccessible target makes that open fail, which stat reports
      // without opening whatever the link names.
      if (S_ISLNK(st.st_mode) &&
          retry([&] { return ::fstatat(dir_fd, top, &st, 0); }) == -1)
        fail(errno, path).raise();
      return {};
    }
    flags |= O_DIRECTORY | O_NOFOLLOW;
  }
  walk_hook_point(walk_point::checked, dir_fd, top);
  int fd = retry([&] { return ::openat(dir_fd, top, flags); });
  if (fd == -1) {
    int e = errno;
    // Replaced by a symlink or a file since the fstatat: Python's open
    // follows it and then, seeing another inode, yields nothing.
    if (!follow_symlinks && (e == ELOOP || e == ENOTDIR)) return {};
    fail(e, path).raise();
  }
  unique_fd dir(fd);
  walk_hook_point(walk_point::opened, dir_fd, top);
  if (::fstat(fd, &now) == -1) fail(errno, path).raise();
  if (!follow_symlinks && (now.st_dev != st.st_dev || now.st_ino != st.st_ino))
    return {};
  // Python's scandir(topfd) refuses a non-directory top.
  if (!S_ISDIR(now.st_mode)) fail(ENOTDIR, path).raise();
  return dir;
}

// ---------------------------------------------------------------- walk

class walker {
 public:
  walker(std::string top, walk_options opts)
      : opts_(std::move(opts)), path_(std::move(top)) {}

  walk_result* next() {
    if (!started_) {
      started_ = true;
      // The top is opened as Python's scandir(top) opens it: following a
      // symlink.
      if (enter(path_.size(), false)) {
        if (opts_.topdown) return &stack_.back().step;
      }
    } else if (!stack_.empty() && stack_.back().done) {
      stack_.pop_back();
    }
    while (!stack_.empty()) {
      frame& f = stack_.back();
      std::string_view name;
      if (opts_.topdown) {
        // By index over the live list, as Python's for loop: names the
        // body erased are skipped, names it added are visited.
        if (f.next < f.step.dirnames.size()) {
          name = f.step.dirnames[f.next++];
        }
      } else if (f.next < f.walk_into.size()) {
        name = f.step.dirnames[f.walk_into[f.next++]];
      }
      if (name.data() == nullptr) {
        if (opts_.topdown) {
          stack_.pop_back();
          continue;
        }
        f.done = true;
        path_.resize(f.path_len);
        return &f.step;
      }
      std::size_t parent_len = f.path_len;
      join_into(path_, parent_len, name);
      // f may be invalidated by the push in enter(); it is not used again.
      if (enter(parent_len, !opts_.followlinks) && opts_.topdown)
        return &stack_.back().step;
    }
    return nullptr;
  }

 private:
  struct frame {
    walk_result step;
    std::size_t path_len = 0;  // step.dirpath's length in path_
    std::size_t next = 0;      // the next dirname (or walk_into) to visit
    std::vector<std::size_t> walk_into;  // bottom-up: dirnames to enter
    bool done = false;                   // bottom-up: yielded, pop next
  };

  // Lists the directory at path_ into a new frame; false (after onerror)
  // if it cannot be listed. nofollow: a symlink is skipped silently, as
  // Python's islink check skips it.
  bool enter(std::size_t parent_len, bool nofollow) {
    int fd = walk_open(AT_FDCWD, path_.c_str(), path_, nofollow, opts_.onerror);
    if (fd == -1) {
      path_.resize(parent_len);
      return false;
    }
    unique_fd dir(fd);
    frame f;
    int e = list_dir(
        reader_, fd, nullptr, [&](const raw_dirent& d, const entry_kind& k) {
          if (k.is_dir) {
            if (!opts_.topdown && (opts_.followlinks || !k.is_symlink))
              f.walk_into.push_back(f.step.dirnames.size());
            f.step.dirnames.emplace_back(d.name);
          } else {
            f.step.filenames.emplace_back(d.name);
          }
        });
    dir.reset();
    if (e != 0) {
      // Python's walk gives up on a directory it cannot read to the end.
      error_info info = fail(e, path_);
      path_.resize(parent_len);
      report(opts_.onerror, info);
      return false;
    }
    f.step.dirpath = path_;
    f.path_len = path_.size();
    stack_.push_back(std::move(f));
    return true;
  }

  walk_options opts_;
  std::string path_;  // the current directory's path; ancestors' prefixes
  std::deque<frame> stack_;
  dir_reader reader_;
  bool started_ = false;
};

// ---------------------------------------------------------------- fwalk

class fwalker {
 public:
  fwalker(std::string top, fwalk_options opts)
      : opts_(std::move(opts)), path_(std::move(top)) {}

  fwalk_result* next() {
    if (!started_) {
      started_ = true;
      if (open_top() && opts_.topdown) return &stack_.back().step;
    } else if (!stack_.empty() && stack_.back().done) {
      pop();
    }
    while (!stack_.empty()) {
      frame& f = stack_.back();
      // Top down by index over the live list, as Python's for loop; bottom
      // up the list has not been handed out yet.
      if (f.next >= f.step.dirnames.size()) {
        if (opts_.topdown) {
          pop();
          continue;
        }
        f.done = true;
        return &f.step;
      }
      std::string_view name = f.step.dirnames[f.next++];
      // Appended to path_ only if entered; the parent is not modified.
      if (enter(f, name) && opts_.topdown) return &stack_.back().step;
    }
    return nullptr;
  }

 private:
  struct frame {
    fwalk_result step;
    unique_fd fd;
    dev_t dev = 0;
    ino_t ino = 0;
    std::size_t path_len = 0;
    std::size_t next = 0;
    bool done = false;
  };

  // Out of descriptors (a tree deeper than RLIMIT_NOFILE): the oldest
  // ancestor still open is closed, to be reopened through ".." from its
  // child when the walk comes back to it. Ancestors closed this way are
  // always the bottom of the stack, and the top frame always stays open.
  // keep: how many frames at the top must stay open. False if none can go.
  bool release_one(std::size_t keep) noexcept {
    if (released_ + keep >= stack_.size()) return false;
    stack_[released_++].fd.reset();
    return true;
  }

  // openat, closing ancestors while descriptors run out.
  int open_at(int dir, const char* name, int flags, std::size_t keep) {
    for (;;) {
      int fd = retry([&] { return ::openat(dir, name, flags); });
      if (fd != -1 || (errno != EMFILE && errno != ENFILE) ||
          !release_one(keep))
        return fd;
    }
  }

  // Pops the top frame. If its parent's descriptor was released, it is
  // reopened as the child's ".." and kept only if it is still the same
  // directory (st_dev, st_ino): a directory moved meanwhile can no longer
  // be reached safely, and the walk of every released ancestor ends, with
  // an error for onerror.
  void pop() {
    std::size_t n = stack_.size();
    if (n >= 2 && released_ == n - 1) {
      frame& parent = stack_[n - 2];
      int fd = open_at(stack_.back().fd.get(), "..",
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 2);
      int e = errno;
      if (fd != -1) walk_hook_point(walk_point::reopened, fd, "..");
      struct ::stat st;
      if (fd != -1 && ::fstat(fd, &st) == 0 && st.st_dev == parent.dev &&
          st.st_ino == parent.ino) {
        parent.fd.reset(fd);
        parent.step.dirfd = fd;
        --released_;
      } else {
        if (fd != -1) {
          ::close(fd);
          e = ENOENT;
        }
        error_info info = fail(e, parent.step.dirpath);
        stack_.clear();
        released_ = 0;
        report(opts_.onerror, info);
        return;
      }
    }
    stack_.pop_back();
    if (!stack_.empty()) path_.resize(stack_.back().path_len);
  }

  // Raises, ending the walk as an exception ends Python's generator: the
  // descriptors still held are closed and next() finds nothing more.
  [[noreturn]] void end_with(int e, std::string_view name) {
    error_info info = fail(e, name);
    stack_.clear();
    released_ = 0;
    info.raise();
  }

  bool open_top() {
    struct ::stat st;
    unique_fd dir =
        fwalk_open_top(path_, opts_.dir_fd.get(), opts_.follow_symlinks, st);
    if (!dir) return false;
    push(std::move(dir), st, path_.size());
    return true;
  }

  // Opens the subdirectory name of f (race-safely) and lists it into a new
  // frame; false if it is not entered (after onerror, where Python calls
  // it).
  bool enter(const frame& f, std::string_view sv) {
    const std::string name(sv);
    int parent = f.fd.get();
    struct ::stat now;
    fwalk_child c = fwalk_open_child(
        parent, name.c_str(), opts_.follow_symlinks, now,
        [&](int flags) { return open_at(parent, name.c_str(), flags, 1); });
    // Python opens a file listed among dirnames (non-blocking since 3.13:
    // a FIFO would hang 3.11) and raises from its scandir, ending the walk.
    if (c.not_dir) end_with(ENOTDIR, name);
    if (c.fd == -1) {
      if (c.error != 0) report(opts_.onerror, fail(c.error, name));
      return false;
    }
    unique_fd dir(c.fd);
    for (const frame& a : stack_) {
      if (a.dev == now.st_dev && a.ino == now.st_ino) {
        report(opts_.onerror, fail(ELOOP, name));
        return false;
      }
    }
    std::size_t parent_len = f.path_len;
    join_into(path_, parent_len, name);
    push(std::move(dir), now, path_.size());
    return true;
  }

  // Lists the directory open as dir into a new frame for path_.
  void push(unique_fd dir, const struct ::stat& st, std::size_t path_len) {
    frame f;
    int fd = dir.get();
    int e = list_dir(reader_, fd, nullptr,
                     [&](const raw_dirent& d, const entry_kind& k) {
                       if (k.is_dir)
                         f.step.dirnames.emplace_back(d.name);
                       else if (fwalk_lists(k))
                         f.step.filenames.emplace_back(d.name);
                     });
    // Python's fwalk does not catch errors of its scandir: they end the
    // walk.
    if (e != 0) end_with(e, path_);
    // Rewound, as Python's scandir(topfd) leaves it: listdir(dirfd) sees
    // every name.
    (void)::lseek(fd, 0, SEEK_SET);
    f.fd = std::move(dir);
    f.step.dirfd = fd;
    f.dev = st.st_dev;
    f.ino = st.st_ino;
    f.step.dirpath.assign(path_, 0, path_len);
    f.path_len = path_len;
    stack_.push_back(std::move(f));
  }

  fwalk_options opts_;
  std::string path_;
  std::deque<frame> stack_;
  std::size_t released_ = 0;  // stack_[0, released_) have no descriptor
  dir_reader reader_;
  bool started_ = false;
};

}  // namespace detail

walk_range::walk_range(std::string top, walk_options opts)
    : walker_(
          std::make_unique<detail::walker>(std::move(top), std::move(opts))) {}
walk_range::walk_range(walk_range&&) noexcept = default;
walk_range& walk_range::operator=(walk_range&&) noexcept = default;
walk_range::~walk_range() = default;

walk_result* walk_range::next() { return walker_->next(); }

walk_range::iterator walk_range::begin() {
  walk_result* step = walker_->next();
  return step ? iterator(walker_.get(), step) : iterator();
}

walk_range::iterator& walk_range::iterator::operator++() {
  step_ = walker_->next();
  if (step_ == nullptr) walker_ = nullptr;
  return *this;
}

fwalk_range::fwalk_range(std::string top, fwalk_options opts)
    : walker_(
          std::make_unique<detail::fwalker>(std::move(top), std::move(opts))) {}
fwalk_range::fwalk_range(fwalk_range&&) noexcept = default;
fwalk_range& fwalk_range::operator=(fwalk_range&&) noexcept = default;
fwalk_range::~fwalk_range() = default;

fwalk_result* fwalk_range::next() { return walker_->next(); }

fwalk_range::iterator fwalk_range::begin() {
  fwalk_result* step = walker_->next();
  return step ? iterator(walker_.get(), step) : iterator();
}

fwalk_range::iterator& fwalk_range::iterator::operator++() {
  step_ = walker_->next();
  if (step_ == nullptr) walker_ = nullptr;
  return *this;
}

}  // namespace os
