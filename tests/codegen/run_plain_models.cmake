# The annotations expand to nothing in an ordinary build: every model header (annotated structs,
# no generated code) compiles without a single warning under -Wall -Wextra -Wpedantic -Werror with
# each compiler given.
#
#   cmake "-DCOMPILERS=<c++;c++>" "-DHEADERS=<file;file>" "-DINCLUDES=<dir;dir>" -DWORK=<dir>
#         -P run_plain_models.cmake
foreach(var COMPILERS HEADERS INCLUDES WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_plain_models.cmake: ${var} is not set")
  endif()
endforeach()

set(flags -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror)
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags "-I${dir}")
endforeach()

file(MAKE_DIRECTORY "${WORK}")
set(failures "")
foreach(compiler IN LISTS COMPILERS)
  if(NOT EXISTS "${compiler}")
    list(APPEND failures "compiler not found: ${compiler} (make deps installs it)")
    continue()
  endif()
  foreach(header IN LISTS HEADERS)
    # Included from a source file: a header compiled as the main file draws other warnings.
    get_filename_component(name "${header}" NAME_WE)
    set(source "${WORK}/${name}.cpp")
    file(WRITE "${source}" "#include \"${header}\"\n")
    execute_process(COMMAND "${compiler}" ${flags} "${source}"
                    RESULT_VARIABLE status ERROR_VARIABLE errors OUTPUT_QUIET)
    if(NOT status EQUAL 0)
      list(APPEND failures "${compiler} ${header}:\n${errors}")
    else()
      message(STATUS "${compiler}: ${name}.hpp compiles cleanly")
    endif()
  endforeach()
endforeach()
if(failures)
  list(JOIN failures "\n" text)
  message(FATAL_ERROR "${text}")
endif()
