// File Descriptor Operations, the I/O calls: read, write and their
// positioned, vectored and in-kernel (sendfile, copy_file_range, splice)
// forms.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <memory>
#include <new>

#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"
#if OSCPP_HAVE_LINUX_SENDFILE
#include <sys/sendfile.h>
#endif

namespace os::nothrow {
namespace {

// Up to this size read() allocates what was asked for and reads once, as
// Python does; above it the buffer is sized from what the descriptor can
// actually deliver, so that read(fd, 1 << 40) on a short file stays cheap.
constexpr std::size_t kDirectRead = 64 * 1024;
// Linux never transfers more than this in one read (MAX_RW_COUNT).
constexpr std::size_t kMaxTransfer = 0x7ffff000;

// Calls f (a read/write-like call returning ssize_t) through the retry
// helper and converts the count.
template <class F>
result<std::size_t> transfer(F&& f) noexcept {
  ssize_t n = detail::retry(f);
  if (n == -1) return detail::fail(errno);
  return static_cast<std::size_t>(n);
}

// One read (or pread at *offset) of up to want bytes appended to out.
result<std::size_t> read_some(int fd, std::string& out, std::size_t want,
                              const off_t* offset) {
  std::size_t old = out.size();
  out.resize(old + want);
  char* p = out.data() + old;
  auto r = offset == nullptr
               ? transfer([&] { return ::read(fd, p, want); })
               : transfer([&] { return ::pread(fd, p, want, *offset); });
  out.resize(old + (r ? *r : 0));
  return r;
}

// Drops the unused part of a buffer sized for more than arrived.
void trim(std::string& s) {
  if (s.capacity() - s.size() > 4096 && s.size() < s.capacity() / 2)
    s.shrink_to_fit();
}

// One read (or pread) of n bytes from a stream, as Python's, into address
// space that is only committed as the kernel fills it: an anonymous
// MAP_NORESERVE mapping of n, of which only what arrived is copied out. If
// the mapping cannot be had (RLIMIT_AS, no address space), a stream read may
// return less than asked anyway: read what is ready now (FIONREAD), or
// kDirectRead.
result<std::string> read_stream(int fd, std::size_t n, const off_t* offset) {
  std::string out;
  n = std::min(n, kMaxTransfer);
  void* map = ::mmap(nullptr, n, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED) {
    std::size_t want = kDirectRead;
    int ready = 0;
    if (::ioctl(fd, FIONREAD, &ready) == 0 && ready > 0)
      want = std::max(want, static_cast<std::size_t>(ready));
    auto r = read_some(fd, out, std::min(n, want), offset);
    if (!r) return std::move(r).error();
    trim(out);
    return out;
  }
  char* p = static_cast<char*>(map);
  auto r = offset == nullptr
               ? transfer([&] { return ::read(fd, p, n); })
               : transfer([&] { return ::pread(fd, p, n, *offset); });
  struct unmap {
    void* p;
    std::size_t n;
    ~unmap() { ::munmap(p, n); }
  } unmap_at_exit{map, n};
  if (!r) return std::move(r).error();
  out.assign(p, *r);
  return out;
}

// Python's read/pread: a single read of at most n bytes. Reads of a regular
// file never block, so there a large n is served by a buffer of the size
// left in the file, grown (by further reads) only if the file turns out to
// be longer than fstat said (procfs reports 0). Anything else is one read of
// n (read_stream).
result<std::string> read_impl(int fd, std::size_t n,
                              const off_t* offset) noexcept try {
  std::string out;
  if (n <= kDirectRead) {
    auto r = read_some(fd, out, n, offset);
    if (!r) return std::move(r).error();
    trim(out);
    return out;
  }
  struct ::stat st;
  // If fstat fails, the read below reports the descriptor's error itself.
  bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (!regular) return read_stream(fd, n, offset);
  off_t pos = offset != nullptr ? *offset : ::lseek(fd, 0, SEEK_CUR);
  std::size_t left = pos >= 0 && st.st_size > pos
                         ? static_cast<std::size_t>(st.st_size - pos)
                         : 0;
  // One byte more than expected, so that the usual case ends with a short
  // read in a single call.
  std::size_t want =
      std::min({n, std::max(left + 1, kDirectRead), kMaxTransfer});
  off_t at = offset != nullptr ? *offset : 0;
  for (;;) {
    off_t here = at + static_cast<off_t>(out.size());
    auto r = read_some(fd, out, want, offset != nullptr ? &here : nullptr);
    if (!r) {
      // What earlier reads consumed must not be lost.
      if (out.empty()) return std::move(r).error();
      break;
    }
    if (*r < want || out.size() == n) break;
    want = std::min({n - out.size(), out.size(), kMaxTransfer});
    // Out of memory for more: return what was read (it is consumed).
    try {
      out.reserve(out.size() + want);
    } catch (const std::bad_alloc&) {
      break;
    }
  }
  trim(out);
  return out;
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

// The iovec array for a buffer list: on the stack for the usual few.
class iovec_array {
 public:
  // False if the array cannot be allocated.
  bool allocate(std::size_t n) noexcept {
    if (n <= std::size(small_)) {
      data_ = small_;
    } else {
      big_.reset(new (std::nothrow)::iovec[n]);
      data_ = big_.get();
    }
    return data_ != nullptr;
  }
  ::iovec& operator[](std::size_t i) noexcept { return data_[i]; }
  const ::iovec* data() const noexcept { return data_; }

 private:
  ::iovec small_[16];
  std::unique_ptr<::iovec[]> big_;
  ::iovec* data_ = nullptr;
};

// Fills iov from buffers. The count is passed on unchecked so that the
// kernel reports a bad descriptor before too many buffers (EINVAL past
// IOV_MAX), as it does for Python.
template <class Buffers>
result<int> setup(iovec_array& iov, const Buffers& buffers) noexcept {
  if (buffers.size() > static_cast<std::size_t>(INT_MAX))
    return detail::fail(EINVAL);
  if (!iov.allocate(buffers.size())) return detail::fail(ENOMEM);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    iov[i].iov_base = const_cast<char*>(buffers[i].data());
    iov[i].iov_len = buffers[i].size();
  }
  return static_cast<int>(buffers.size());
}

}  // namespace

result<std::string> read(borrowed_fd fd, size_arg n) noexcept {
  return read_impl(fd.get(), n, nullptr);
}

result<std::string> pread(borrowed_fd fd, size_arg n, off_t offset) noexcept {
  return read_impl(fd.get(), n, &offset);
}

result<std::size_t> readv(borrowed_fd fd,
                          std::span<const std::span<char>> buffers) noexcept {
  iovec_array iov;
  auto cnt = setup(iov, buffers);
  if (!cnt) return std::move(cnt).error();
  return transfer([&] { return ::readv(fd.get(), iov.data(), *cnt); });
}

result<std::size_t> preadv(borrowed_fd fd,
                           std::span<const std::span<char>> buffers,
                           off_t offset, int flags) noexcept {
  iovec_array iov;
  auto cnt = setup(iov, buffers);
  if (!cnt) return std::move(cnt).error();
    // preadv2 even without flags, as Python: offset -1 is then the current
    // position.
#if OSCPP_HAVE_PREADV2
  return transfer(
      [&] { return ::preadv2(fd.get(), iov.data(), *cnt, offset, flags); });
#else
  // No preadv2 (musl, macOS): as CPython there, preadv with flags 0 only.
  if (flags != 0) return detail::fail(ENOTSUP);
  return transfer([&] { return ::preadv(fd.get(), iov.data(), *cnt, offset); });
#endif
}

result<std::size_t> write(borrowed_fd fd, bytes_view data) noexcept {
  return transfer([&] { return ::write(fd.get(), data.data(), data.size()); });
}

result<std::size_t> pwrite(borrowed_fd fd, bytes_view data,
                           off_t offset) noexcept {
  return transfer(
      [&] { return ::pwrite(fd.get(), data.data(), data.size(), offset); });
}

result<std::size_t> writev(borrowed_fd fd,
                           std::span<const std::string_view> buffers) noexcept {
  iovec_array iov;
  auto cnt = setup(iov, buffers);
  if (!cnt) return std::move(cnt).error();
  return transfer([&] { return ::writev(fd.get(), iov.data(), *cnt); });
}

result<std::size_t> pwritev(borrowed_fd fd,
                            std::span<const std::string_view> buffers,
                            off_t offset, int flags) noexcept {
  iovec_array iov;
  auto cnt = setup(iov, buffers);
  if (!cnt) return std::move(cnt).error();
#if OSCPP_HAVE_PREADV2
  return transfer(
      [&] { return ::pwritev2(fd.get(), iov.data(), *cnt, offset, flags); });
#else
  // No pwritev2 (musl, macOS): as CPython there, pwritev with flags 0 only.
  if (flags != 0) return detail::fail(ENOTSUP);
  return transfer(
      [&] { return ::pwritev(fd.get(), iov.data(), *cnt, offset); });
#endif
}

#if OSCPP_HAVE_LINUX_SENDFILE
result<std::size_t> sendfile(borrowed_fd out_fd, borrowed_fd in_fd,
                             std::optional<off_t> offset,
                             size_arg count) noexcept {
  off_t off = offset.value_or(0);
  off_t* poff = offset ? &off : nullptr;
  return transfer(
      [&] { return ::sendfile(out_fd.get(), in_fd.get(), poff, count.get()); });
}
#endif

#if OSCPP_HAVE_COPY_FILE_RANGE
result<std::size_t> copy_file_range(borrowed_fd src, borrowed_fd dst,
                                    size_arg count,
                                    std::optional<off_t> offset_src,
                                    std::optional<off_t> offset_dst) noexcept {
  loff_t in = offset_src.value_or(0);
  loff_t out = offset_dst.value_or(0);
  loff_t* pin = offset_src ? &in : nullptr;
  loff_t* pout = offset_dst ? &out : nullptr;
  return transfer([&] {
    return ::copy_file_range(src.get(), pin, dst.get(), pout, count.get(), 0);
  });
}
#endif

#if OSCPP_HAVE_SPLICE
result<std::size_t> splice(borrowed_fd src, borrowed_fd dst, size_arg count,
                           std::optional<off_t> offset_src,
                           std::optional<off_t> offset_dst,
                           unsigned int flags) noexcept {
  loff_t in = offset_src.value_or(0);
  loff_t out = offset_dst.value_or(0);
  loff_t* pin = offset_src ? &in : nullptr;
  loff_t* pout = offset_dst ? &out : nullptr;
  return transfer([&] {
    return ::splice(src.get(), pin, dst.get(), pout, count.get(), flags);
  });
}
#endif

}  // namespace os::nothrow
