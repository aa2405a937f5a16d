// The lock of the C library's environment array (see environ.cpp).
#pragma once

#include <shared_mutex>

namespace os::detail {

// Held while a child is started with ::environ as its environment, so that
// no ::setenv/::unsetenv through this library frees the array meanwhile.
std::shared_lock<std::shared_mutex> share_process_environ();

}  // namespace os::detail
