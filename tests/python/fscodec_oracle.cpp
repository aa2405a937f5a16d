// The C++ side of fscodec_fuzz.py: reads one request a line from stdin and
// answers one line on stdout, all in hex.
//   d <bytes>   -> <fsdecode(bytes) as 8 hex digits a code point> <what() of
//                  OSError(ENOENT, bytes)> <what() of OSError(ENOENT, bytes,
//                  reversed bytes)>
//   e <code points, 8 hex digits each> -> <fsencode(text)>, or "!" if it
//                  throws std::invalid_argument
// An empty field is "-".
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oscpp/error.hpp"
#include "oscpp/path_arg.hpp"

namespace {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out.empty() ? "-" : out;
}

std::string hex(std::u32string_view text) {
  std::string out;
  char buf[9];
  for (char32_t c : text) {
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(c));
    out += buf;
  }
  return out.empty() ? "-" : out;
}

std::string unhex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out +=
        static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
  return out;
}

std::u32string unhex32(std::string_view h) {
  std::u32string out;
  for (std::size_t i = 0; i + 7 < h.size(); i += 8)
    out += static_cast<char32_t>(
        std::stoul(std::string(h.substr(i, 8)), nullptr, 16));
  return out;
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string_view arg = std::string_view(line).substr(2);
    if (arg == "-") arg = {};
    if (line[0] == 'd') {
      std::string bytes = unhex(arg);
      std::string reversed(bytes.rbegin(), bytes.rend());
      std::cout << hex(os::fsdecode(bytes)) << ' '
                << hex(os::OSError(ENOENT, bytes).what()) << ' '
                << hex(os::OSError(ENOENT, bytes, reversed).what()) << '\n';
    } else {
      try {
        std::cout << hex(os::fsencode(unhex32(arg))) << '\n';
      } catch (const std::invalid_argument&) {
        std::cout << "!\n";
      }
    }
  }
  return 0;
}
