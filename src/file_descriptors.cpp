// File Descriptor Operations: open, close, dup and the I/O calls.
#include "oscpp/file_descriptors.hpp"

#include <unistd.h>

#include <cerrno>

#include "detail/syscall.hpp"

namespace os::nothrow {

result<void> close(int fd) noexcept {
  // Never retried: on Linux the descriptor is released even when close()
  // reports EINTR, and a retry could close one another thread just opened.
  if (::close(fd) == -1 && errno != EINTR) return detail::fail(errno);
  return {};
}

result<void> close(unique_fd fd) noexcept { return close(fd.release()); }

}  // namespace os::nothrow
