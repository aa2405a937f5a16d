// File Object Creation: fdopen. Python's os.fdopen is io.open on a
// descriptor; here it is a C stdio stream, owned by a std::unique_ptr.
#pragma once

#include <cstdio>
#include <memory>
#include <string_view>
#include <utility>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"

namespace os {

// Python's os.fdopen(fd, mode='r', buffering=-1) on a C stdio stream.
// buffering: 0 unbuffered, 1 line buffered, >1 that buffer size, -1 default.
struct fdopen_options {
  int buffering = -1;
};

// Closes a FILE* with fclose.
struct file_closer {
  void operator()(std::FILE* f) const noexcept;
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

namespace nothrow {

// Not noexcept: a bad mode throws std::invalid_argument (Python's
// ValueError) before anything happens. fd is taken only on success; on
// failure the caller still owns it.
result<file_ptr> fdopen(unique_fd&& fd, std::string_view mode = "r",
                        fdopen_options opts = {});

}  // namespace nothrow

// ---------------------------------------------------------------- throwing

// A C stdio stream on fd, which it then owns (fclose closes fd). mode is
// Python's open() mode ('r', 'w', 'a', 'x', '+', 'b', 't'); a bad mode, or
// buffering=0 in text mode, is std::invalid_argument with Python's message,
// and the caller keeps fd. Buffering as Python's: 0 unbuffered, 1 line
// buffered (text; binary ignores it), n > 1 an n-byte buffer, default full
// buffering, or line buffering for text on a terminal. 'a' seeks to the end
// once, as Python (no O_APPEND). Unlike Python: text mode translates
// nothing; a directory is IsADirectoryError with the fd as a decimal string
// for filename; fdopen(3) refuses (EINVAL) a mode the descriptor's access
// mode cannot serve, where Python fails at the first read or write. Close the
// stream through file_closer, which also frees a buffer of n > 1 bytes.
inline file_ptr fdopen(unique_fd&& fd, std::string_view mode = "r",
                       fdopen_options opts = {}) {
  return nothrow::fdopen(std::move(fd), mode, opts).value();
}

}  // namespace os
