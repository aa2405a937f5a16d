// Files and Directories: scandir and DirEntry.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "detail/dir_reader.hpp"
#include "detail/syscall.hpp"
#include "oscpp/files_walk.hpp"

namespace os {

namespace detail {

// Builds ScandirIterators for nothrow::scandir (their constructor is
// private: only scandir makes them).
struct scandir_access {
  static result<ScandirIterator> open_path(const path_arg& path) noexcept {
    auto fd = detail::call(
        [&] {
          return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        },
        path);
    if (!fd) return std::move(fd).error();
    ScandirIterator it;
    it.fd_.reset(*fd);
    it.prefix_.assign(path.view());
    // Python's join: no second '/' after a path that ends with one.
    if (!it.prefix_.empty() && it.prefix_.back() != '/') it.prefix_ += '/';
    it.error_name_.assign(path.view());
    return it;
  }

  static result<ScandirIterator> open_fd(int fd) noexcept {
    // A duplicate, so that closing the iterator leaves the caller's
    // descriptor open; it shares the offset, as Python's fdopendir does.
    auto dup = detail::call([&] { return ::fcntl(fd, F_DUPFD_CLOEXEC, 0); });
    if (!dup) return std::move(dup).error();
    unique_fd owned(*dup);
    std::string name = std::to_string(fd);
    struct ::stat st;
    if (::fstat(owned.get(), &st) == -1) return detail::fail(errno, name);
    // fdopendir refuses a non-directory up front; getdents64 would only
    // fail at the first read.
    if (!S_ISDIR(st.st_mode)) return detail::fail(ENOTDIR, name);
    ScandirIterator it;
    it.fd_ = std::move(owned);
    it.user_fd_ = fd;
    it.error_name_ = std::move(name);
    it.entry_.dir_fd_ = fd;
    return it;
  }
};

}  // namespace detail

// ---------------------------------------------------------------- DirEntry

DirEntry::stats* DirEntry::cache() const noexcept {
  if (!stats_) stats_.reset(new (std::nothrow) stats);
  return stats_.get();
}

result<const stat_result*> DirEntry::fetch(
    bool follow_symlinks) const noexcept {
  if (const stat_result* c = cached(follow_symlinks)) return c;
  struct ::stat st;
  // For a scandir of a descriptor, path is the name and dir_fd_ that
  // descriptor; otherwise the path is used as is, as Python does.
  auto r = detail::call_void(
      [&] {
        return ::fstatat(dir_fd_, path.c_str(), &st,
                         follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW);
      },
      std::string_view(path));
  if (!r) return std::move(r).error();
  stats* s = cache();
  if (!s) return detail::fail(ENOMEM, std::string_view(path));
  std::optional<stat_result>& c = follow_symlinks ? s->stat : s->lstat;
  c = stat_result::from(st);
  return &*c;
}

result<stat_result> DirEntry::stat(
    std::nothrow_t, follow_symlinks_options opts) const noexcept {
  if (!opts.follow_symlinks || cached(true)) {
    auto r = fetch(opts.follow_symlinks);
    if (!r) return std::move(r).error();
    return **r;
  }
  auto link = is_symlink(std::nothrow);
  if (!link) return std::move(link).error();
  if (*link) {
    auto r = fetch(true);
    if (!r) return std::move(r).error();
    return **r;
  }
  // Not a link: its lstat is its stat (one syscall for both); the cache
  // exists once fetch succeeded.
  auto r = fetch(false);
  if (!r) return std::move(r).error();
  stats_->stat = **r;
  return **r;
}

const stat_result& DirEntry::stat(follow_symlinks_options opts) const {
  // The nothrow form fills the cache that is returned here.
  stat(std::nothrow, opts).value();
  return *cached(opts.follow_symlinks);
}

result<bool> DirEntry::test_mode(bool follow_symlinks,
                                 mode_t bits) const noexcept {
  bool link = d_type_ == DT_LNK;
  if (d_type_ == DT_UNKNOWN || (follow_symlinks && link)) {
    auto st = stat(std::nothrow, {.follow_symlinks = follow_symlinks});
    if (!st) {
      // Gone since it was listed: "not a file/directory", not an error.
      if (st.error().value() == ENOENT) return false;
      return std::move(st).error();
    }
    return (st->st_mode & S_IFMT) == bits;
  }
  if (link) return false;
  return bits == S_IFDIR ? d_type_ == DT_DIR : d_type_ == DT_REG;
}

result<bool> DirEntry::is_dir(std::nothrow_t,
                              follow_symlinks_options opts) const noexcept {
  return test_mode(opts.follow_symlinks, S_IFDIR);
}

result<bool> DirEntry::is_file(std::nothrow_t,
                               follow_symlinks_options opts) const noexcept {
  return test_mode(opts.follow_symlinks, S_IFREG);
}

result<bool> DirEntry::is_symlink(std::nothrow_t) const noexcept {
  if (d_type_ != DT_UNKNOWN) return d_type_ == DT_LNK;
  return test_mode(false, S_IFLNK);
}

bool DirEntry::type_known(follow_symlinks_options opts) const noexcept {
  bool follow = opts.follow_symlinks;
  const stat_result* lst = cached(false);
  if (d_type_ == DT_UNKNOWN)
    return lst && (!follow || cached(true) || !S_ISLNK(lst->st_mode));
  return d_type_ != DT_LNK || !follow || cached(true);
}

bool DirEntry::is_dir(follow_symlinks_options opts) const {
  return is_dir(std::nothrow, opts).value();
}

bool DirEntry::is_file(follow_symlinks_options opts) const {
  return is_file(std::nothrow, opts).value();
}

bool DirEntry::is_symlink() const { return is_symlink(std::nothrow).value(); }

// ---------------------------------------------------------------- iterator

ScandirIterator::ScandirIterator() noexcept
    : reader_(new (std::nothrow) detail::dir_reader) {}

ScandirIterator::ScandirIterator(ScandirIterator&& other) noexcept = default;

ScandirIterator& ScandirIterator::operator=(ScandirIterator&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::move(other.fd_);
    reader_ = std::move(other.reader_);
    prefix_ = std::move(other.prefix_);
    error_name_ = std::move(other.error_name_);
    user_fd_ = std::exchange(other.user_fd_, -1);
    entry_ = std::move(other.entry_);
  }
  return *this;
}

ScandirIterator::~ScandirIterator() { close(); }

void ScandirIterator::close() noexcept {
  if (!fd_) return;
  // Python's closedir rewinds a scandir of a descriptor, so that listing it
  // again starts over; the duplicate shares the caller's offset.
  if (user_fd_ >= 0) (void)::lseek(fd_.get(), 0, SEEK_SET);
  fd_.reset();
}

result<DirEntry*> ScandirIterator::next(std::nothrow_t) noexcept {
  if (!fd_) return static_cast<DirEntry*>(nullptr);
  if (!reader_) {
    close();
    return detail::fail(ENOMEM, error_name_);
  }
  detail::raw_dirent d;
  int r = reader_->next(fd_.get(), d);
  if (r == 1) {
    // Assigned, not rebuilt: the strings keep their capacity from one
    // entry to the next.
    entry_.name.assign(d.name);
    if (user_fd_ >= 0) {
      entry_.path.assign(d.name);
    } else {
      entry_.path.assign(prefix_);
      entry_.path.append(d.name);
    }
    entry_.d_ino_ = d.ino;
    entry_.d_type_ = d.type;
    // The cache, if an earlier entry needed one, is kept for the next.
    if (entry_.stats_) *entry_.stats_ = {};
    return &entry_;
  }
  int e = errno;
  close();
  if (r == 0) return static_cast<DirEntry*>(nullptr);
  return detail::fail(e, error_name_);
}

DirEntry* ScandirIterator::next() { return next(std::nothrow).value(); }

ScandirIterator::iterator ScandirIterator::begin() {
  DirEntry* e = next();
  return e ? iterator(this, e) : iterator();
}

ScandirIterator::iterator& ScandirIterator::iterator::operator++() {
  entry_ = owner_->next();
  if (entry_ == nullptr) owner_ = nullptr;
  return *this;
}

// ---------------------------------------------------------------- scandir

namespace nothrow {

result<ScandirIterator> scandir(const path_arg& path) noexcept {
  return detail::scandir_access::open_path(path);
}

result<ScandirIterator> scandir(borrowed_fd fd) noexcept {
  return detail::scandir_access::open_fd(fd.get());
}

}  // namespace nothrow
}  // namespace os
