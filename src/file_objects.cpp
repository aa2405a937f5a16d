// File Object Creation: fdopen, on a C stdio stream.
#include "oscpp/file_objects.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "detail/syscall.hpp"
#include "oscpp/file_descriptors.hpp"

namespace os {

namespace {

// Buffers that fdopen gave a stream (buffering > 1), freed by file_closer
// after fclose: stdio never frees a buffer it did not allocate.
std::mutex g_buffers_mutex;
std::map<std::FILE*, std::unique_ptr<char[]>> g_buffers;

// The parts of a Python open() mode that matter here.
struct parsed_mode {
  bool reading = false;
  bool writing = false;
  bool appending = false;
  bool binary = false;
};

// Python's open() rules: only "rwxabt+", no character twice, not both b and
// t, exactly one of r/w/x/a. The checks and messages come in Python's order.
parsed_mode parse_mode(std::string_view mode) {
  bool creating = false, reading = false, writing = false, appending = false,
       updating = false, text = false, binary = false;
  for (std::size_t i = 0; i < mode.size(); ++i) {
    char c = mode[i];
    bool* flag = nullptr;
    switch (c) {
      case 'x':
        flag = &creating;
        break;
      case 'r':
        flag = &reading;
        break;
      case 'w':
        flag = &writing;
        break;
      case 'a':
        flag = &appending;
        break;
      case '+':
        flag = &updating;
        break;
      case 't':
        flag = &text;
        break;
      case 'b':
        flag = &binary;
        break;
      default:
        break;
    }
    if (flag == nullptr || mode.find(c, i + 1) != std::string_view::npos)
      throw std::invalid_argument("invalid mode: '" + std::string(mode) + "'");
    *flag = true;
  }
  if (text && binary)
    throw std::invalid_argument("can't have text and binary mode at once");
  int kinds = creating + reading + writing + appending;
  if (kinds > 1)
    throw std::invalid_argument(
        "must have exactly one of create/read/write/append mode");
  if (kinds == 0)
    throw std::invalid_argument(
        "Must have exactly one of create/read/write/append mode and at most "
        "one plus");
  return {reading || updating, writing || creating || appending || updating,
          appending, binary};
}

}  // namespace

void file_closer::operator()(std::FILE* f) const noexcept {
  if (f == nullptr) return;
  // The buffer leaves the table before fclose: once f is closed, another
  // thread's fdopen may get the same address.
  std::unique_ptr<char[]> buffer;
  {
    std::lock_guard lock(g_buffers_mutex);
    if (auto it = g_buffers.find(f); it != g_buffers.end()) {
      buffer = std::move(it->second);
      g_buffers.erase(it);
    }
  }
  // Errors are lost here, as in unique_fd's destructor.
  ::fclose(f);
}

namespace nothrow {

result<file_ptr> fdopen(unique_fd&& fd, std::string_view mode,
                        fdopen_options opts) {
  parsed_mode m = parse_mode(mode);
  if (opts.buffering == 0 && !m.binary)
    throw std::invalid_argument("can't have unbuffered text I/O");

  // Python's FileIO refuses a directory, naming the descriptor.
  struct ::stat st;
  if (auto r = detail::call_void([&] { return ::fstat(fd.get(), &st); }); !r)
    return std::move(r).error();
  if (S_ISDIR(st.st_mode))
    return detail::fail(EISDIR, std::to_string(fd.get()));
  // Python's 'a' seeks to the end once (a pipe cannot seek, and need not);
  // fdopen(3)'s "a" would set O_APPEND on the shared file description.
  if (m.appending) {
    if (auto r = detail::call([&] { return ::lseek(fd.get(), 0, SEEK_END); });
        !r && r.error().value() != ESPIPE)
      return std::move(r).error();
  }

  int vbuf_mode = _IOFBF;
  std::size_t size = 0;
  std::unique_ptr<char[]> buffer;
  std::map<std::FILE*, std::unique_ptr<char[]>> node_holder;
  if (opts.buffering == 0) {
    vbuf_mode = _IONBF;
  } else if (opts.buffering > 1) {
    size = static_cast<std::size_t>(opts.buffering);
    buffer.reset(new char[size]);
    // The table's node is made now, so nothing can fail once fd is taken.
    node_holder.emplace(nullptr, std::move(buffer));
  } else if (!m.binary && (opts.buffering == 1 || isatty(fd))) {
    // Python line-buffers text for buffering=1, and by default on a terminal;
    // binary streams are fully buffered even there.
    vbuf_mode = _IOLBF;
  }

  const char* cmode = m.reading && m.writing ? "r+" : m.writing ? "w" : "r";
  std::FILE* f = ::fdopen(fd.get(), cmode);
  if (f == nullptr) return detail::fail(errno);
  (void)fd.release();
  char* buf = node_holder.empty() ? nullptr : node_holder.begin()->second.get();
  // setvbuf on a stream nobody has used yet cannot fail.
  ::setvbuf(f, buf, vbuf_mode, size);
  if (!node_holder.empty()) {
    auto node = node_holder.extract(node_holder.begin());
    node.key() = f;
    std::lock_guard lock(g_buffers_mutex);
    g_buffers.insert(std::move(node));
  }
  return file_ptr(f);
}

}  // namespace nothrow
}  // namespace os
