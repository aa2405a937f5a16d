// os::bytes_view: the parameter type of bytes that a call only reads
// (write's data): Python's bytes-like objects.
#pragma once

#include <cstddef>
#include <ranges>
#include <string_view>
#include <type_traits>

namespace os {

// A view of caller-owned bytes: a std::string, std::string_view, string
// literal, or any contiguous range of a byte-sized type (std::vector<char>,
// std::vector<unsigned char>, std::span<std::byte>, std::array<std::byte,
// N>, std::u8string ...), as Python takes bytes, bytearray and memoryview.
// Like std::string_view it must not outlive the bytes.
class bytes_view {
 public:
  constexpr bytes_view(std::string_view s) noexcept
      : data_(s.data()), size_(s.size()) {}
  constexpr bytes_view(const char* s) noexcept
      : bytes_view(std::string_view(s)) {}
  // Arrays are left out: a literal's array would include its NUL.
  template <class R>
  requires std::ranges::contiguous_range<const R&> &&
      std::ranges::sized_range<const R&> &&(!std::is_array_v<R>)&&(
          sizeof(std::ranges::range_value_t<const R&>) == 1 &&
          std::is_trivially_copyable_v<std::ranges::range_value_t<const R&>>)
          bytes_view(const R& r) noexcept
      : data_(reinterpret_cast<const char*>(std::ranges::data(r))),
        size_(std::ranges::size(r)) {}

  constexpr const char* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr operator std::string_view() const noexcept {
    return {data_, size_};
  }

 private:
  const char* data_;
  std::size_t size_;
};

}  // namespace os
