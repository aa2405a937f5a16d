// sysinfo: a summary of the machine, from os alone. The Python it ports:
//
//   u = os.uname()
//   print(f"{u.sysname} {u.release} {u.machine} on {u.nodename}")
//   print("cpus:", os.cpu_count())
//   print("load: %.2f %.2f %.2f" % os.getloadavg())
//   page = os.sysconf("SC_PAGE_SIZE")
//   print("memory: %d MiB" % (os.sysconf("SC_PHYS_PAGES") * page >> 20))
//   print("page size:", page)
//   print("open files:", os.sysconf("SC_OPEN_MAX"))
//   try:
//       print("terminal: %dx%d" % os.get_terminal_size())
//   except OSError:
//       print("terminal: none")
#include <cstdio>

#include "oscpp/os.hpp"

int main() {
  try {
    os::uname_result u = os::uname();
    std::printf("%s %s %s on %s\n", u.sysname.c_str(), u.release.c_str(),
                u.machine.c_str(), u.nodename.c_str());
    std::printf("cpus: %d\n", os::cpu_count().value_or(0));
    auto [one, five, fifteen] = os::getloadavg();
    std::printf("load: %.2f %.2f %.2f\n", one, five, fifteen);
    long page = os::sysconf("SC_PAGE_SIZE");
    long long bytes =
        static_cast<long long>(os::sysconf("SC_PHYS_PAGES")) * page;
    std::printf("memory: %lld MiB\n", bytes >> 20);
    std::printf("page size: %ld\n", page);
    std::printf("open files: %ld\n", os::sysconf("SC_OPEN_MAX"));
    // Not a terminal is an error (ENOTTY) in Python too.
    if (auto size = os::nothrow::get_terminal_size())
      std::printf("terminal: %dx%d\n", size->columns, size->lines);
    else
      std::printf("terminal: none (%s)\n",
                  os::strerror(size.error().value()).c_str());
  } catch (const os::OSError& e) {
    std::fprintf(stderr, "sysinfo: %s\n", e.what());
    return 1;
  }
  return 0;
}
