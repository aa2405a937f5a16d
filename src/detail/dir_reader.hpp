// Reads a directory descriptor entry by entry with getdents64 into one
// reusable buffer: what scandir, walk and fwalk share (readdir would add a
// DIR allocation and a lock per directory).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "detail/getdents.hpp"
#include "detail/syscall.hpp"

namespace os::detail {

struct raw_dirent {
  std::string_view name;
  ino_t ino = 0;
  unsigned char type = DT_UNKNOWN;
};

#if OSCPP_HAVE_GETDENTS64
class dir_reader {
 public:
  // 32 KiB, as glibc's readdir: large directories in few syscalls.
  static constexpr std::size_t kBufferSize = 32768;

  // Forgets any buffered entries (for the next directory).
  void reset() noexcept { pos_ = end_ = 0; }

  // The next entry of fd other than "." and "..": 1 and out filled, 0 at
  // the end, -1 with errno set if getdents64 failed. out.name points into
  // the buffer and is valid until the next call.
  int next(int fd, raw_dirent& out) noexcept {
    for (;;) {
      while (pos_ < end_) {
        const char* rec = buf_.get() + pos_;
        unsigned short reclen;
        std::memcpy(&reclen, rec + offsetof(kernel_dirent, d_reclen),
                    sizeof reclen);
        pos_ += reclen;
        const char* name = rec + offsetof(kernel_dirent, d_name);
        if (name[0] == '.' &&
            (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
          continue;
        std::memcpy(&out.ino, rec + offsetof(kernel_dirent, d_ino),
                    sizeof out.ino);
        out.type =
            static_cast<unsigned char>(rec[offsetof(kernel_dirent, d_type)]);
        out.name = std::string_view(name);
        return 1;
      }
      if (!buf_) {
        buf_.reset(new (std::nothrow) char[kBufferSize]);
        if (!buf_) {
          errno = ENOMEM;
          return -1;
        }
      }
      ssize_t n = retry(
          [&] { return detail::getdents64(fd, buf_.get(), kBufferSize); });
      // A removed directory fails with ENOENT: glibc's readdir, and so
      // Python, take that for the end.
      if (n == -1) return errno == ENOENT ? 0 : -1;
      if (n == 0) return 0;
      pos_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
  }

 private:
  std::unique_ptr<char[]> buf_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};
#else
// No getdents (macOS): readdir over fdopendir of a duplicate of fd, as
// CPython's scandir(fd) and listdir(fd) do there.
class dir_reader {
 public:
  dir_reader() noexcept = default;
  dir_reader(dir_reader&& other) noexcept
      : dir_(std::exchange(other.dir_, nullptr)),
        fd_(std::exchange(other.fd_, -1)) {}
  dir_reader& operator=(dir_reader&& other) noexcept {
    if (this != &other) {
      reset();
      dir_ = std::exchange(other.dir_, nullptr);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~dir_reader() { reset(); }

  void reset() noexcept {
    if (dir_) ::closedir(dir_);
    dir_ = nullptr;
    fd_ = -1;
  }

  int next(int fd, raw_dirent& out) noexcept {
    if (!dir_ || fd != fd_) {
      reset();
      int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
      if (copy == -1) return -1;
      dir_ = ::fdopendir(copy);
      if (!dir_) {
        int e = errno;
        ::close(copy);
        errno = e;
        return -1;
      }
      fd_ = fd;
    }
    for (;;) {
      errno = 0;
      const struct ::dirent* e = ::readdir(dir_);
      if (!e) return errno == 0 || errno == ENOENT ? 0 : -1;
      const char* name = e->d_name;
      if (name[0] == '.' &&
          (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
        continue;
      out.ino = e->d_ino;
      out.type = e->d_type;
      out.name = std::string_view(name);
      return 1;
    }
  }

 private:
  DIR* dir_ = nullptr;
  int fd_ = -1;
};
#endif

}  // namespace os::detail
