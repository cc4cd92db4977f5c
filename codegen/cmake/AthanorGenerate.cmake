# athanor_generate(): runs athanor-gen on a target's model headers during the build.
#
#   athanor_generate(<target> HEADERS <header>... [OUTPUT_DIR <dir>] [BASE_DIR <dir>])
#
# For each model header x.hpp the build writes x.athanor.hpp and x.athanor.cpp below OUTPUT_DIR
# (default ${CMAKE_CURRENT_BINARY_DIR}/athanor_generated/<target>), at x.hpp's path relative to
# BASE_DIR (default ${CMAKE_CURRENT_SOURCE_DIR}): models/blog.hpp gives models/blog.athanor.hpp and
# models/blog.athanor.cpp. OUTPUT_DIR is added to the target's include directories, so sources
# write `#include "models/blog.athanor.hpp"`; the .cpp files (the mappers' bodies) are added to
# the target's sources, so they are compiled once, with the target's flags, and linked into it.
#
# All headers are parsed in one libclang run with the target's include directories and compile
# definitions (usage requirements of linked targets included). The step reruns when a header or
# anything it includes changes (a depfile lists them) and rewrites an output only when its text
# changes, so a rerun that produces the same code makes nothing recompile on its account.
# <athanor/model.hpp> and what it includes are kept precompiled in
# ${CMAKE_CURRENT_BINARY_DIR}/athanor_generated, which makes reruns fast. The target must link
# athanor::core (the generated code calls it).
#
# Available from the source tree (add_subdirectory) and from an installed package
# (find_package(Athanor)), where the generator is the imported athanor::athanor-gen.

include_guard(GLOBAL)

function(athanor_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIR;BASE_DIR" "HEADERS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "athanor_generate(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "athanor_generate(${target}): no such target")
  endif()
  if(NOT arg_HEADERS)
    message(FATAL_ERROR "athanor_generate(${target}): give the model headers: HEADERS a.hpp ...")
  endif()
  if(NOT TARGET athanor::athanor-gen)
    message(FATAL_ERROR "athanor_generate(${target}): athanor::athanor-gen is not available; "
                        "use find_package(Athanor) first")
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/athanor_generated/${target}")
  endif()
  if(NOT arg_BASE_DIR)
    set(arg_BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
  cmake_path(ABSOLUTE_PATH arg_BASE_DIR BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)

  # The outputs, computed exactly as athanor-gen does (see codegen/output.cpp).
  set(headers "")
  set(outputs "")
  foreach(header IN LISTS arg_HEADERS)
    cmake_path(ABSOLUTE_PATH header BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    cmake_path(IS_PREFIX arg_BASE_DIR "${header}" NORMALIZE inside)
    if(inside)
      cmake_path(RELATIVE_PATH header BASE_DIRECTORY "${arg_BASE_DIR}" OUTPUT_VARIABLE relative)
    else()
      cmake_path(GET header FILENAME relative)
    endif()
    cmake_path(REMOVE_EXTENSION relative LAST_ONLY)
    list(APPEND headers "${header}")
    list(APPEND outputs "${arg_OUTPUT_DIR}/${relative}.athanor.hpp"
                        "${arg_OUTPUT_DIR}/${relative}.athanor.cpp")
  endforeach()

  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/athanor_generated/${target}.stamp")
  set(depfile "${CMAKE_CURRENT_BINARY_DIR}/athanor_generated/${target}.d")
  set(cache "${CMAKE_CURRENT_BINARY_DIR}/athanor_generated/${target}.cache")
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(definitions "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")

  # In the source tree depend on the real target (rebuilt generator -> rerun); installed, on the
  # imported executable's file.
  get_target_property(generator athanor::athanor-gen ALIASED_TARGET)
  if(NOT generator)
    set(generator "$<TARGET_FILE:athanor::athanor-gen>")
  endif()

  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS ${outputs}
    COMMAND "$<TARGET_FILE:athanor::athanor-gen>"
            --output-dir "${arg_OUTPUT_DIR}"
            --base-dir "${arg_BASE_DIR}"
            "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
            "$<$<BOOL:${definitions}>:-D$<JOIN:${definitions},;-D>>"
            --cache-dir "${cache}"
            --depfile "${depfile}"
            --stamp "${stamp}"
            ${headers}
    DEPENDS ${headers} ${generator}
    DEPFILE "${depfile}"
    COMMENT "athanor-gen: generating the mappings of ${target}"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  target_sources(${target} PRIVATE "${stamp}" ${outputs})
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${arg_OUTPUT_DIR}>")
endfunction()
