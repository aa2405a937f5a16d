// Process Management, running a shell: system, popen (and the stream it
// returns).
#include <pybind11/eval.h>
#include <sys/wait.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "bind_processes.hpp"
#include "oscpp/processes.hpp"

namespace oscpp_py {
namespace {

using namespace processes;

// ---------------------------------------------------------------- system

py::object py_system(const arguments& a) {
  PyObject* raw = nullptr;
  a.parse(&PyUnicode_FSConverter, &raw);
  py::object command = py::reinterpret_steal<py::object>(raw);
  audit("os.system", "(O)", raw);
  std::string text(bytes_view(command));
  return released([&] { return os::nothrow::system(text); });
}

// ---------------------------------------------------------------- popen

// Shells whose popen object was dropped unclosed while they still ran;
// reaped without blocking by later popen calls (as subprocess does).
std::vector<pid_t>& abandoned() {
  static auto* pids = new std::vector<pid_t>;
  return *pids;
}

void reap_abandoned() {
  auto& pids = abandoned();
  std::erase_if(pids, [](pid_t pid) {
    auto r = os::nothrow::waitpid(pid, WNOHANG);
    return !r || r->pid != 0;
  });
}

// _popen_wait(pid): waits for the shell; what close() returns (None for
// exit code 0, else code << 8; a shell reaped elsewhere counts as 0, as
// subprocess counts it).
py::object py__popen_wait(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  auto r = without_gil([&] { return os::nothrow::waitpid(pid, 0); });
  if (!r && r.error().value() == ECHILD) return py::none();
  int code = os::waitstatus_to_exitcode(unwrap(std::move(r)).status);
  if (code == 0) return py::none();
  return py::int_(code * 256);
}

// _popen_abandon(pid): reaps the shell now if it is done, else later.
py::object py__popen_abandon(const arguments& a) {
  pid_t pid = 0;
  a.parse(&c_int_converter, &pid);
  auto r = os::nothrow::waitpid(pid, WNOHANG);
  if (r && r->pid == 0) abandoned().push_back(pid);
  return py::none();
}

PyObject* g_popen_wrap = nullptr;  // the glue's _popen_wrap (owned)

py::object py_popen(const arguments& a) {
  PyObject* cmd = nullptr;
  PyObject* mode = nullptr;
  PyObject* buffering = nullptr;
  a.parse(&object_converter, &cmd, &object_converter, &mode, &object_converter,
          &buffering);
  py::object mode_obj =
      mode ? py::reinterpret_borrow<py::object>(mode) : py::str("r");
  py::object buffering_obj =
      buffering ? py::reinterpret_borrow<py::object>(buffering) : py::int_(-1);
  if (!PyUnicode_Check(cmd)) {
    py::str type_repr =
        py::repr(py::handle(reinterpret_cast<PyObject*>(Py_TYPE(cmd))));
    std::string message =
        "invalid cmd type (" + std::string(type_repr) + ", expected string)";
    type_error(message.c_str());
  }
  // (Compared as str: a mode with a lone surrogate has no UTF-8.)
  bool reading = PyUnicode_Check(mode_obj.ptr()) &&
                 PyUnicode_CompareWithASCIIString(mode_obj.ptr(), "r") == 0;
  bool writing = PyUnicode_Check(mode_obj.ptr()) &&
                 PyUnicode_CompareWithASCIIString(mode_obj.ptr(), "w") == 0;
  if (!reading && !writing) {
    std::string message = "invalid mode " + std::string(py::repr(mode_obj));
    value_error(message.c_str());
  }
  int zero =
      PyObject_RichCompareBool(buffering_obj.ptr(), py::int_(0).ptr(), Py_EQ);
  if (zero < 0) throw py::error_already_set();
  if (zero || buffering_obj.is_none())
    value_error("popen() does not support unbuffered streams");
  if (!PyLong_Check(buffering_obj.ptr()))
    type_error("bufsize must be an integer");
  std::string command(bytes_view(fs_bytes(cmd)));
  audit("subprocess.Popen", "OO", cmd, Py_None);
  reap_abandoned();
  auto r = without_gil(
      [&] { return os::nothrow::popen(command, reading ? "r" : "w"); });
  auto [fd, pid] = unwrap(std::move(r)).release();
  int raw_fd = fd.release();
  return py::handle(g_popen_wrap)(raw_fd, pid, mode_obj, buffering_obj);
}

// popen's stream object (os._wrap_close), defined in Python: a text stream
// over the pipe whose close() waits for the shell through _popen_wait.
constexpr const char* glue_source = R"(
class _wrap_close:
    """The stream popen() returns: closing it waits for the shell."""

    def __init__(self, stream, pid):
        self._stream = stream
        self._pid = pid
        self._result = None

    def close(self):
        self._stream.close()
        if self._pid is not None:
            pid, self._pid = self._pid, None
            self._result = _popen_wait(pid)
        return self._result

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __iter__(self):
        return iter(self._stream)

    def __del__(self):
        pid = self.__dict__.get("_pid")
        if pid is not None:
            self._stream.close()
            _popen_abandon(pid)

def _popen_wrap(fd, pid, mode, buffering):
    import io, locale, sys
    try:
        # As subprocess.Popen(text=True): line buffering is the text
        # layer's, the binary layer keeps the default size.
        line_buffering = buffering == 1
        if line_buffering:
            buffering = -1
        if sys.flags.utf8_mode:
            encoding = "utf-8"
        elif hasattr(locale, "getencoding"):
            encoding = locale.getencoding()
        else:
            encoding = locale.getpreferredencoding(False)
        if mode == "r":
            raw = io.open(fd, "rb", buffering)
            stream = io.TextIOWrapper(raw, encoding=encoding)
        else:
            raw = io.open(fd, "wb", buffering)
            stream = io.TextIOWrapper(raw, encoding=encoding,
                                      write_through=True,
                                      line_buffering=line_buffering)
    except BaseException:
        close(fd)
        _popen_wait(pid)
        raise
    return _wrap_close(stream, pid)
)";

}  // namespace

OSCPP_BINDINGS(processes_popen) {
  def<&py_system>(m, "system(command)", "Execute the command in a subshell.");
  def_python<&py_popen>(m, "popen(cmd, mode='r', buffering=-1)",
                        "Open a pipe to or from command cmd; the "
                        "stream's close() returns the exit status.");
  def<&py__popen_wait>(m, "_popen_wait(pid, /)", "Wait for popen's shell.");
  def<&py__popen_abandon>(m, "_popen_abandon(pid, /)",
                          "Reap popen's shell now if it is done, else later.");

  py::exec(glue_source, m.attr("__dict__"));
  g_popen_wrap = py::object(m.attr("_popen_wrap")).release().ptr();
}

}  // namespace oscpp_py
