// Uses an installed oscpp: reads itself through os::open/os::read and checks
// the size against os::fstat; exit status 0 means the install works.
#include <cstdio>
#include <string>

#include "oscpp/os.hpp"
#include "oscpp/version.hpp"

int main(int argc, char** argv) {
  if (argc < 1) return 2;
  os::unique_fd fd = os::open(argv[0], O_RDONLY);
  const os::stat_result st = os::fstat(fd);
  std::string data;
  for (std::string chunk; !(chunk = os::read(fd, 1 << 16)).empty();) {
    data += chunk;
  }
  if (static_cast<off_t>(data.size()) != st.st_size) {
    std::printf("read %zu bytes, fstat says %lld\n", data.size(),
                static_cast<long long>(st.st_size));
    return 1;
  }
  try {
    os::open("/nonexistent/oscpp", O_RDONLY);
    return 1;
  } catch (const os::FileNotFoundError& e) {
    const std::string expected =
        "[Errno 2] " + os::strerror(ENOENT) + ": '/nonexistent/oscpp'";
    if (e.what() != expected) {
      std::printf("what() is \"%s\", expected \"%s\"\n", e.what(),
                  expected.c_str());
      return 1;
    }
  }
#ifdef OSCPP_EXPECTED_VERSION
  if (std::string(OSCPP_VERSION_STRING) != OSCPP_EXPECTED_VERSION) {
    std::printf("version.hpp says %s, the package %s\n", OSCPP_VERSION_STRING,
                OSCPP_EXPECTED_VERSION);
    return 1;
  }
#endif
  static_assert(OSCPP_VERSION == OSCPP_VERSION_MAJOR * 10000 +
                                     OSCPP_VERSION_MINOR * 100 +
                                     OSCPP_VERSION_PATCH);
  std::printf("oscpp %s consumer: read %zu bytes of itself\n",
              OSCPP_VERSION_STRING, data.size());
  return 0;
}
