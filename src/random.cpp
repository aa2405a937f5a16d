// Random numbers: getrandom, and urandom built on it.
#include "oscpp/random.hpp"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <Availability.h>  // sys/random.h needs it first there
#endif
#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <new>
#include <string_view>

#include "detail/syscall.hpp"

namespace os::nothrow {

#if OSCPP_HAVE_GETRANDOM
namespace {

// The whole buffer from /dev/urandom, for kernels without getrandom()
// (before 3.17) or sandboxes that forbid it.
result<void> read_dev_urandom(std::span<char> buffer) noexcept {
  constexpr std::string_view path = "/dev/urandom";
  auto fd = detail::call(
      [&] { return ::open(path.data(), O_RDONLY | O_CLOEXEC); }, path);
  if (!fd) return std::move(fd).error();
  result<void> r;
  for (std::size_t done = 0; done < buffer.size();) {
    auto n = detail::call([&] {
      return ::read(*fd, buffer.data() + done, buffer.size() - done);
    });
    if (!n) {
      r = std::move(n).error();
      break;
    }
    // A character device that reports end of file is not /dev/urandom.
    if (*n == 0) {
      r = detail::fail(EIO);
      break;
    }
    done += static_cast<std::size_t>(*n);
  }
  ::close(*fd);
  return r;
}

}  // namespace

result<std::size_t> getrandom(std::span<char> buffer, int flags) noexcept {
  auto n = detail::call([&] {
    return ::getrandom(buffer.data(), buffer.size(),
                       static_cast<unsigned int>(flags));
  });
  if (!n) return std::move(n).error();
  return static_cast<std::size_t>(*n);
}

result<std::string> getrandom(size_arg size, int flags) noexcept try {
  std::string out(size.get(), '\0');
  auto n = getrandom(std::span<char>(out), flags);
  if (!n) return std::move(n).error();
  out.resize(*n);
  return out;
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

result<void> urandom(std::span<char> buffer) noexcept {
  for (std::size_t done = 0; done < buffer.size();) {
    // getrandom() may return less than asked (at most 32 MiB - 1 before
    // Linux 5.18, 2 GiB - 4 KiB since); never ask for more than an ssize_t
    // can report.
    std::size_t want =
        std::min(buffer.size() - done, static_cast<std::size_t>(SSIZE_MAX));
    auto n = detail::call(
        [&] { return ::getrandom(buffer.data() + done, want, 0); });
    if (!n) {
      int e = n.error().value();
      if ((e == ENOSYS || e == EPERM) && done == 0)
        return read_dev_urandom(buffer);
      return std::move(n).error();
    }
    done += static_cast<std::size_t>(*n);
  }
  return {};
}

#else
// No getrandom (macOS): getentropy, which gives at most 256 bytes a call,
// as CPython's os.urandom there.
result<void> urandom(std::span<char> buffer) noexcept {
  for (std::size_t done = 0; done < buffer.size();) {
    std::size_t want = std::min<std::size_t>(buffer.size() - done, 256);
    if (::getentropy(buffer.data() + done, want) != 0)
      return detail::fail(errno);
    done += want;
  }
  return {};
}
#endif

result<std::string> urandom(size_arg size) noexcept try {
  std::string out(size.get(), '\0');
  auto r = urandom(std::span<char>(out));
  if (!r) return std::move(r).error();
  return out;
} catch (const std::bad_alloc&) {
  return detail::fail(ENOMEM);
}

}  // namespace os::nothrow
