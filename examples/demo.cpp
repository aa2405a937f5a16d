// Copies a file with oscpp, as a Python script using os would:
//
//   demo [SRC [DST]]
//
// SRC defaults to the demo's own executable and DST to SRC + ".copy"; a
// default copy is removed again at the end. Then shows an OSError, printed
// the way Python prints it.
#include <cstdio>
#include <string>
#include <string_view>

#include "oscpp/os.hpp"

namespace {

struct copy_stats {
  std::size_t copied = 0;
  os::stat_result src;
  os::stat_result dst;
};

// os.write may write less than it was given; loop as Python code must.
void write_all(os::borrowed_fd fd, std::string_view data) {
  while (!data.empty()) data.remove_prefix(os::write(fd, data));
}

// Copies src's bytes and permission bits to dst.
copy_stats copy_file(const std::string& src, const std::string& dst) {
  copy_stats stats;
  os::unique_fd in = os::open(src, O_RDONLY);
  stats.src = os::fstat(in);
  os::unique_fd out =
      os::open(dst, O_WRONLY | O_CREAT | O_TRUNC, stats.src.st_mode & 07777);
  for (std::string chunk; !(chunk = os::read(in, 64 * 1024)).empty();) {
    write_all(out, chunk);
    stats.copied += chunk.size();
  }
  stats.dst = os::fstat(out);
  // An explicit close reports errors that the destructor would swallow.
  out.close();
  return stats;
}

const char* python_bool(bool b) { return b ? "True" : "False"; }

}  // namespace

int main(int argc, char** argv) {
  const std::string src = argc > 1 ? argv[1] : argv[0];
  const std::string dst = argc > 2 ? argv[2] : src + ".copy";
  const std::string src_repr = os::python_repr(src);
  const std::string dst_repr = os::python_repr(dst);

  try {
    // An existence check expects failure: the nothrow form costs no throw.
    if (os::nothrow::stat(dst)) {
      std::printf("%s exists: overwriting it\n", dst_repr.c_str());
    }
    const copy_stats stats = copy_file(src, dst);
    std::printf("copied %zu bytes\n", stats.copied);
    std::printf("  %s: %lld bytes, mode 0o%o\n", src_repr.c_str(),
                static_cast<long long>(stats.src.st_size),
                static_cast<unsigned>(stats.src.st_mode & 07777));
    std::printf("  %s: %lld bytes, mode 0o%o\n", dst_repr.c_str(),
                static_cast<long long>(stats.dst.st_size),
                static_cast<unsigned>(stats.dst.st_mode & 07777));
    if (argc <= 2) {
      os::remove(dst);
      std::printf("removed %s; still there: %s\n", dst_repr.c_str(),
                  python_bool(static_cast<bool>(os::nothrow::stat(dst))));
    }
  } catch (const os::OSError& e) {
    // what() is Python's str(e): "[Errno 2] No such file or directory: 'x'".
    std::fprintf(stderr, "demo: %s\n", e.what());
    return 1;
  }

  // Python: os.open('/nonexistent/oscpp-demo', os.O_RDONLY) raises
  //   FileNotFoundError: [Errno 2] No such file or directory:
  //   '/nonexistent/oscpp-demo'
  try {
    os::unique_fd fd = os::open("/nonexistent/oscpp-demo", O_RDONLY);
  } catch (const os::FileNotFoundError& e) {
    std::printf("FileNotFoundError: %s\n", e.what());
    std::printf("  errno %d, strerror %s, filename %s\n", e.code().value(),
                os::python_repr(e.strerror()).c_str(),
                os::python_repr(e.filename().value_or("")).c_str());
  }
  return 0;
}
