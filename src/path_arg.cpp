#include "oscpp/path_arg.hpp"

#include <stdexcept>

namespace os {

namespace detail {
void check_no_nul(std::string_view s) {
  if (s.find('\0') != std::string_view::npos)
    throw std::invalid_argument("embedded null byte");
}
}  // namespace detail

std::u32string fsdecode(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char b = p[i];
    if (b < 0x80) {
      out += static_cast<char32_t>(b);
      ++i;
      continue;
    }
    // Length and minimum value of the sequence b starts, per RFC 3629.
    std::size_t len = 0;
    char32_t c = 0;
    char32_t min = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      len = 2, c = b & 0x1f, min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3, c = b & 0x0f, min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4, c = b & 0x07, min = 0x10000;
    }
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80)
        ok = false;
      else
        c = (c << 6) | (p[i + k] & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if (ok && (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff))
      ok = false;
    if (ok) {
      out += c;
      i += len;
    } else {
      out += static_cast<char32_t>(0xdc00 + b);  // surrogateescape
      ++i;
    }
  }
  return out;
}

std::string fsencode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c >= 0xdc80 && c <= 0xdcff) {
      out += static_cast<char>(c - 0xdc00);  // surrogateescape
    } else if (c >= 0xd800 && c <= 0xdfff) {
      throw std::invalid_argument(
          "'utf-8' codec can't encode character: surrogates not allowed");
    } else if (c < 0x10000) {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c <= 0x10ffff) {
      out += static_cast<char>(0xf0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      throw std::invalid_argument(
          "'utf-8' codec can't encode character: code point out of range");
    }
  }
  return out;
}

}  // namespace os
