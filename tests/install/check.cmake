# cmake -DSTEP=install|find_package|pkg_config|add_subdirectory|fetchcontent
#       -D... -P check.cmake
#   install:      cmake --install BUILD_DIR --prefix PREFIX (from scratch)
#   find_package: configures, builds and runs the consumer project in
#                 WORK_DIR/find_package against PREFIX
#   add_subdirectory: the consumer with oscpp's sources (OSCPP_SOURCE) as a
#                 subdirectory, no build type, GoogleTest and pybind11
#                 hidden: oscpp must leave the build type alone, build
#                 without them, and install
#   fetchcontent: the consumer with oscpp through FetchContent
#   pkg_config:   compiles main.cpp with the flags of PREFIX's oscpp.pc and
#                 runs it
# Every step fails loudly; pkg_config prints SKIPPED without pkg-config.
cmake_minimum_required(VERSION 3.20)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
separate_arguments(link_flags UNIX_COMMAND "${LINK_FLAGS}")

if(STEP STREQUAL "install")
  file(REMOVE_RECURSE ${PREFIX})
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

elseif(STEP STREQUAL "find_package")
  set(dir ${WORK_DIR}/find_package)
  file(REMOVE_RECURSE ${dir})
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${dir} -G ${GENERATOR}
      -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
      -DCMAKE_CXX_COMPILER=${CXX}
      -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
      "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
      "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}"
      -DCMAKE_PREFIX_PATH=${PREFIX}
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
  # Make sure it was this install, not one elsewhere on the system, that
  # find_package found.
  file(STRINGS ${dir}/CMakeCache.txt found REGEX "^oscpp_DIR:")
  string(FIND "${found}" "${PREFIX}/" at)
  if(NOT at GREATER 0)
    message(FATAL_ERROR "find_package(oscpp) did not find ${PREFIX}: ${found}")
  endif()
  run(${CMAKE_COMMAND} --build ${dir})
  run(${dir}/consumer)

elseif(STEP STREQUAL "add_subdirectory" OR STEP STREQUAL "fetchcontent")
  set(dir ${WORK_DIR}/${STEP})
  file(REMOVE_RECURSE ${dir})
  set(extra)
  if(STEP STREQUAL "add_subdirectory")
    set(extra -DOSCPP_BUILD_TESTS=ON -DOSCPP_BUILD_PYTHON=ON -DOSCPP_INSTALL=ON
        -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON
        -DCMAKE_DISABLE_FIND_PACKAGE_pybind11=ON)
  else()
    set(extra -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
  endif()
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${dir} -G ${GENERATOR}
      -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
      -DCMAKE_CXX_COMPILER=${CXX}
      "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
      "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}"
      -DOSCPP_CONSUMER_MODE=${STEP} -DOSCPP_SOURCE_DIR=${OSCPP_SOURCE}
      -DBUILD_SHARED_LIBS=${SHARED} ${extra})
  if(STEP STREQUAL "add_subdirectory")
    file(STRINGS ${dir}/CMakeCache.txt build_type
         REGEX "^CMAKE_BUILD_TYPE:STRING=.+")
    if(build_type)
      message(FATAL_ERROR "oscpp set the parent's build type: ${build_type}")
    endif()
  endif()
  run(${CMAKE_COMMAND} --build ${dir})
  run(${dir}/consumer)
  if(STEP STREQUAL "add_subdirectory")
    run(${CMAKE_COMMAND} --install ${dir} --prefix ${dir}/prefix)
    if(NOT EXISTS ${dir}/prefix/include/oscpp/version.hpp)
      message(FATAL_ERROR "the install has no oscpp/version.hpp")
    endif()
  endif()

elseif(STEP STREQUAL "pkg_config")
  if(NOT PKG_CONFIG)
    message("oscpp install test SKIPPED: no pkg-config")
    return()
  endif()
  set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${PC_DIR})
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs oscpp
                  OUTPUT_VARIABLE pc_flags OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs oscpp failed (${rc})")
  endif()
  message("pkg-config --cflags --libs oscpp: ${pc_flags}")
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  set(dir ${WORK_DIR}/pkg_config)
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir})
  run(${CXX} -std=c++20 ${cxx_flags} ${SOURCE_DIR}/main.cpp -o ${dir}/consumer
      ${pc_flags} ${link_flags})
  # A shared liboscpp is found where the .pc file says it is.
  execute_process(COMMAND ${PKG_CONFIG} --variable=libdir oscpp
                  OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(ENV{LD_LIBRARY_PATH} "${libdir}")
  run(${dir}/consumer)

else()
  message(FATAL_ERROR "STEP must be install, find_package, pkg_config, "
                      "add_subdirectory or fetchcontent")
endif()
