// File Descriptor Operations, reading and writing: read, pread, write,
// pwrite, readv, preadv, writev, pwritev, sendfile, copy_file_range, splice.
#include <sys/types.h>

#include <cerrno>
#include <climits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "convert.hpp"
#include "oscpp/file_descriptors.hpp"

namespace oscpp_py {
namespace {

// Python's buffers, held (PyObject_GetBuffer) while the GIL is released
// around the call and released afterwards with the GIL held again.
class held_buffers {
 public:
  held_buffers() = default;
  held_buffers(const held_buffers&) = delete;
  held_buffers& operator=(const held_buffers&) = delete;
  ~held_buffers() {
    for (Py_buffer& view : views_) PyBuffer_Release(&view);
  }

  // Holds o's buffer; throws the Python error (TypeError for an object
  // without one, BufferError for a read-only one when writable).
  const Py_buffer& hold(PyObject* o, int flags) {
    // Reserved first: once the buffer is held, nothing may throw before
    // it is recorded for release.
    views_.reserve(views_.size() + 1);
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, flags) < 0) throw py::error_already_set();
    views_.push_back(view);
    return views_.back();
  }

  std::vector<std::string_view> readable() const {
    std::vector<std::string_view> out;
    out.reserve(views_.size());
    for (const Py_buffer& v : views_)
      out.emplace_back(static_cast<const char*>(v.buf),
                       static_cast<std::size_t>(v.len));
    return out;
  }

  std::vector<std::span<char>> writable() const {
    std::vector<std::span<char>> out;
    out.reserve(views_.size());
    for (const Py_buffer& v : views_)
      out.emplace_back(static_cast<char*>(v.buf),
                       static_cast<std::size_t>(v.len));
    return out;
  }

 private:
  std::vector<Py_buffer> views_;
};

// The buffer of a bytes-like argument, as Python's Py_buffer parameters:
// "a bytes-like object is required, not 'str'".
std::string_view hold_bytes_like(held_buffers& held, PyObject* o,
                                 const char* function, const char* argument) {
  const Py_buffer& view = held.hold(o, PyBUF_SIMPLE);
  if (!PyBuffer_IsContiguous(&view, 'C')) {
    PyErr_Format(PyExc_TypeError,
                 "%s() %s must be contiguous buffer, not %.50s", function,
                 argument, Py_TYPE(o)->tp_name);
    throw py::error_already_set();
  }
  return {static_cast<const char*>(view.buf),
          static_cast<std::size_t>(view.len)};
}

// Holds every item of the sequence buffers, as Python's readv/writev do.
// message_name is the function named in Python's "must be a sequence".
void hold_sequence(held_buffers& held, PyObject* buffers, int flags,
                   const char* message_name) {
  if (!PySequence_Check(buffers)) {
    PyErr_Format(PyExc_TypeError, "%s() arg 2 must be a sequence",
                 message_name);
    throw py::error_already_set();
  }
  Py_ssize_t count = PySequence_Size(buffers);
  if (count < 0) throw py::error_already_set();
  for (Py_ssize_t i = 0; i < count; ++i) {
    PyObject* item = PySequence_GetItem(buffers, i);
    if (item == nullptr) throw py::error_already_set();
    py::object owned = py::reinterpret_steal<py::object>(item);
    held.hold(item, flags);
  }
}

// Python reads a negative length as a failed read(2): OSError EINVAL. It
// allocates the whole buffer before reading, so a length no allocation can
// serve (read(fd, 2**40)) is a MemoryError even when little would come;
// the library allocates only what it reads, so the binding tries the
// allocation Python would make (not touched: no page is committed).
void check_length(Py_ssize_t length) {
  if (length < 0) raise_error(os::error_info(EINVAL));
  constexpr Py_ssize_t always_served = 1 << 20;
  if (length <= always_served) return;
  PyObject* buffer = PyBytes_FromStringAndSize(nullptr, length);
  if (buffer == nullptr) throw py::error_already_set();
  Py_DECREF(buffer);
}

// Python's counts for copy_file_range and splice must not be negative.
void check_count(Py_ssize_t count) {
  if (count < 0) {
    PyErr_SetString(PyExc_ValueError, "negative value for 'count' not allowed");
    throw py::error_already_set();
  }
}

py::object py_read(const arguments& a) {
  int fd = -1;
  Py_ssize_t length = 0;
  a.parse(&int_converter, &fd, &ssize_converter, &length);
  check_length(length);
  std::string data = unwrap(without_gil(
      [&] { return os::nothrow::read(fd, static_cast<std::size_t>(length)); }));
  return to_bytes(data);
}

py::object py_pread(const arguments& a) {
  int fd = -1;
  Py_ssize_t length = 0;
  off_t offset = 0;
#if PY_VERSION_HEX < 0x03090000
  // Until 3.8 pread's length is a C int (read as "i" on 3.7).
  int int_length = 0;
  a.parse(&int_converter, &fd,
          PY_VERSION_HEX < 0x03080000 ? &c_int_converter : &int_converter,
          &int_length, &offset_converter, &offset);
  length = int_length;
#else
  a.parse(&int_converter, &fd, &ssize_converter, &length, &offset_converter,
          &offset);
#endif
  check_length(length);
  std::string data = unwrap(without_gil([&] {
    return os::nothrow::pread(fd, static_cast<std::size_t>(length), offset);
  }));
  return to_bytes(data);
}

py::object py_write(const arguments& a) {
  int fd = -1;
  PyObject* data_obj = nullptr;
  a.parse(&int_converter, &fd, &object_converter, &data_obj);
  held_buffers held;
  std::string_view data =
      hold_bytes_like(held, data_obj, "write", "argument 2");
  return released([&] { return os::nothrow::write(fd, data); });
}

py::object py_pwrite(const arguments& a) {
  int fd = -1;
  PyObject* buffer_obj = nullptr;
  PyObject* offset_obj = nullptr;
  a.parse(&int_converter, &fd, &object_converter, &buffer_obj,
          &object_converter, &offset_obj);
  // Converted in Python's order: the buffer, then the offset.
  held_buffers held;
  std::string_view data =
      hold_bytes_like(held, buffer_obj, "pwrite", "argument 2");
  off_t offset = 0;
  if (!offset_converter(offset_obj, &offset)) throw py::error_already_set();
  std::size_t n = unwrap(
      without_gil([&] { return os::nothrow::pwrite(fd, data, offset); }));
  return py::int_(n);
}

py::object py_readv(const arguments& a) {
  int fd = -1;
  PyObject* buffers = nullptr;
  a.parse(&int_converter, &fd, &object_converter, &buffers);
  held_buffers held;
  hold_sequence(held, buffers, PyBUF_WRITABLE, "readv");
  std::vector<std::span<char>> spans = held.writable();
  return released([&] { return os::nothrow::readv(fd, spans); });
}

py::object py_preadv(const arguments& a) {
  int fd = -1;
  PyObject* buffers = nullptr;
  off_t offset = 0;
  int flags = 0;
  a.parse(&int_converter, &fd, &object_converter, &buffers, &offset_converter,
          &offset, &int_converter, &flags);
  held_buffers held;
  // Python's message names preadv2 here.
  hold_sequence(held, buffers, PyBUF_WRITABLE, "preadv2");
  std::vector<std::span<char>> spans = held.writable();
  return released(
      [&] { return os::nothrow::preadv(fd, spans, offset, flags); });
}

py::object py_writev(const arguments& a) {
  int fd = -1;
  PyObject* buffers = nullptr;
  a.parse(&int_converter, &fd, &object_converter, &buffers);
  held_buffers held;
  hold_sequence(held, buffers, PyBUF_SIMPLE, "writev");
  std::vector<std::string_view> views = held.readable();
  return released([&] { return os::nothrow::writev(fd, views); });
}

py::object py_pwritev(const arguments& a) {
  int fd = -1;
  PyObject* buffers = nullptr;
  off_t offset = 0;
  int flags = 0;
  a.parse(&int_converter, &fd, &object_converter, &buffers, &offset_converter,
          &offset, &int_converter, &flags);
  held_buffers held;
  hold_sequence(held, buffers, PyBUF_SIMPLE, "pwritev");
  std::vector<std::string_view> views = held.readable();
  return released(
      [&] { return os::nothrow::pwritev(fd, views, offset, flags); });
}

py::object py_sendfile(const arguments& a) {
  int out_fd = -1;
  int in_fd = -1;
  PyObject* offset_obj = nullptr;
  Py_ssize_t count = 0;
  // Until 3.8 the descriptors are read as "i" (a C long's overflow first).
  converter fd_converter =
      PY_VERSION_HEX < 0x03090000 ? &c_int_converter : &int_converter;
  a.parse(fd_converter, &out_fd, fd_converter, &in_fd, &object_converter,
          &offset_obj, &ssize_converter, &count);
  std::optional<off_t> offset;
  if (!optional_offset_converter(offset_obj, &offset))
    throw py::error_already_set();
  // Python hands a negative count to the kernel as a huge size_t, which
  // the kernel's size check refuses with EINVAL; the library refuses a
  // negative size before any syscall (std::invalid_argument).
  if (count < 0) raise_error(os::error_info(EINVAL));
  return released([&] {
    return os::nothrow::sendfile(out_fd, in_fd, offset,
                                 static_cast<std::size_t>(count));
  });
}

py::object py_copy_file_range(const arguments& a) {
  int src = -1;
  int dst = -1;
  Py_ssize_t count = 0;
  PyObject* offset_src_obj = Py_None;
  PyObject* offset_dst_obj = Py_None;
  a.parse(&int_converter, &src, &int_converter, &dst, &ssize_converter, &count,
          &object_converter, &offset_src_obj, &object_converter,
          &offset_dst_obj);
  check_count(count);
  std::optional<off_t> offset_src;
  std::optional<off_t> offset_dst;
  if (!optional_offset_converter(offset_src_obj, &offset_src) ||
      !optional_offset_converter(offset_dst_obj, &offset_dst))
    throw py::error_already_set();
  return released([&] {
    return os::nothrow::copy_file_range(
        src, dst, static_cast<std::size_t>(count), offset_src, offset_dst);
  });
}

py::object py_splice(const arguments& a) {
  int src = -1;
  int dst = -1;
  Py_ssize_t count = 0;
  PyObject* offset_src_obj = Py_None;
  PyObject* offset_dst_obj = Py_None;
  unsigned int flags = 0;
  a.parse(&int_converter, &src, &int_converter, &dst, &ssize_converter, &count,
          &object_converter, &offset_src_obj, &object_converter,
          &offset_dst_obj, &unsigned_int_converter, &flags);
  check_count(count);
  std::optional<off_t> offset_src;
  std::optional<off_t> offset_dst;
  if (!optional_offset_converter(offset_src_obj, &offset_src) ||
      !optional_offset_converter(offset_dst_obj, &offset_dst))
    throw py::error_already_set();
  return released([&] {
    return os::nothrow::splice(src, dst, static_cast<std::size_t>(count),
                               offset_src, offset_dst, flags);
  });
}

}  // namespace

OSCPP_BINDINGS(file_descriptors_io) {
  def<&py_read>(m, "read(fd, length, /)",
                "Read at most length bytes from fd; b'' at end of file.");
  def<&py_pread>(m, "pread(fd, length, offset, /)",
                 "Read at most length bytes from fd at offset, leaving the "
                 "file position unchanged.");
  def<&py_write>(m, "write(fd, data, /)",
                 "Write a bytes-like object to fd; return the number of bytes "
                 "written.");
  def<&py_pwrite>(m, "pwrite(fd, buffer, offset, /)",
                  "Write buffer to fd at offset, leaving the file position "
                  "unchanged; return the number of bytes written.");
  def<&py_readv>(m, "readv(fd, buffers, /)",
                 "Read from fd into a sequence of writable buffers, filling "
                 "each in turn; return the number of bytes read.");
  def<&py_preadv>(m, "preadv(fd, buffers, offset, flags=0, /)",
                  "readv() at offset, with optional RWF_* flags; the file "
                  "position is unchanged.");
  def<&py_writev>(m, "writev(fd, buffers, /)",
                  "Write a sequence of bytes-like objects to fd in order; "
                  "return the number of bytes written.");
  def<&py_pwritev>(m, "pwritev(fd, buffers, offset, flags=0, /)",
                   "writev() at offset, with optional RWF_* flags; the file "
                   "position is unchanged.");
  def<&py_sendfile>(
      m,
#if PY_VERSION_HEX >= 0x03090000
      "sendfile(out_fd, in_fd, offset, count)",
#else  // until 3.8 the descriptors are called out and in
      "sendfile(out, in, offset, count)",
#endif
      "Copy count bytes from in_fd (at offset, or its position "
      "if offset is None) to out_fd.",
      // Until 3.8 a format string: converted in order.
      PY_VERSION_HEX < 0x03090000 ? wording::clinic_format : wording::clinic);
  def<&py_copy_file_range>(
      m, "copy_file_range(src, dst, count, offset_src=None, offset_dst=None)",
      "Copy count bytes from src to dst inside the kernel; an offset of None "
      "uses and advances that descriptor's position.");
  def<&py_splice>(
      m, "splice(src, dst, count, offset_src=None, offset_dst=None, flags=0)",
      "Move count bytes between a pipe and another descriptor; the pipe's "
      "offset must be None.");
}

}  // namespace oscpp_py
