#include "oscpp/fd.hpp"

#include <unistd.h>

#include "oscpp/file_descriptors.hpp"

namespace os {

void unique_fd::reset(int fd) noexcept {
  int old = std::exchange(fd_, fd);
  // reset(get()) keeps the descriptor, as the caller evidently expects.
  // Errors from close() in a destructor have nowhere to go; EINTR still
  // means closed on Linux, so never retry.
  if (old >= 0 && old != fd) ::close(old);
}

void unique_fd::close() {
  if (fd_ < 0) return;
  os::close(std::exchange(fd_, -1));
}

}  // namespace os
