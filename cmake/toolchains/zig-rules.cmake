# Included after CMake's platform files (CMAKE_USER_MAKE_RULES_OVERRIDE_<LANG>,
# set by zig.cmake). CMake's Apple rules detect the compiler's ABI with
# `-v -Wl,-v`; zig rejects the linker's -v, so the detection failed and left
# CMAKE_SIZEOF_VOID_P unset (GNUInstallDirs then warned that no target
# architecture is known). The compiler's -v alone is enough.
if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
  set(CMAKE_CXX_VERBOSE_FLAG "-v")
  set(CMAKE_C_VERBOSE_FLAG "-v")
endif()
