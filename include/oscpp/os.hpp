// #include <oscpp/os.hpp> is `import os`: every section of Python's os module.
// Constants that are C macros (O_RDONLY, SEEK_SET, F_OK ...) come from the C
// headers these include; use them without the os:: prefix.
#pragma once

#include "oscpp/environ.hpp"
#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/file_objects.hpp"
#include "oscpp/files.hpp"
#include "oscpp/files_walk.hpp"
#include "oscpp/files_xattr.hpp"
#include "oscpp/parallel_walk.hpp"
#include "oscpp/path.hpp"
#include "oscpp/path_arg.hpp"
#include "oscpp/process_parameters.hpp"
#include "oscpp/processes.hpp"
#include "oscpp/random.hpp"
#include "oscpp/scheduler.hpp"
#include "oscpp/system_info.hpp"
