# Static x86_64 Linux binaries against musl, with Zig's bundled libc++.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(OSCPP_ZIG_TARGET x86_64-linux-musl)
include(${CMAKE_CURRENT_LIST_DIR}/zig.cmake)
# The binaries run on the build machine (any x86_64 Linux kernel).
set(CMAKE_EXE_LINKER_FLAGS_INIT -static)
