# Installs BUILD_DIR into WORK/prefix, then configures, builds and runs a copy of SOURCE_DIR
# against it; between builds it touches and edits model headers to check that athanor_generate()
# reruns on changes of included headers and rewrites its outputs only when their text changes.
include("${CMAKE_CURRENT_LIST_DIR}/package_steps.cmake")
require_variables(run_downstream.cmake BUILD_DIR SOURCE_DIR WORK CXX_COMPILER GENERATOR)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(COPY "${SOURCE_DIR}/" DESTINATION "${WORK}/src")

run("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${WORK}/prefix")

set(configure_args -S "${WORK}/src" -B "${WORK}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${WORK}/prefix" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
if(SANITIZE)
  # The installed library was built with the sanitizers; its users must link their runtime.
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
       "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
run("configure downstream" "${CMAKE_COMMAND}" ${configure_args})
run("build downstream" "${CMAKE_COMMAND}" --build "${WORK}/build" -j 2)

file(GLOB_RECURSE generated "${WORK}/build/*library.athanor.hpp")
list(LENGTH generated count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one generated library.athanor.hpp, found: ${generated}")
endif()
file(GLOB_RECURSE generated_source "${WORK}/build/*library.athanor.cpp")
list(LENGTH generated_source count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one generated library.athanor.cpp, found: ${generated_source}")
endif()
file(GLOB_RECURSE stamp "${WORK}/build/athanor_generated/*.stamp")
file(TIMESTAMP "${generated}" generated_time "%s")
file(TIMESTAMP "${generated_source}" generated_source_time "%s")
file(TIMESTAMP "${stamp}" stamp_time "%s")

run("run downstream" "${WORK}/build/downstream" "sqlite:///:memory:")
if(NOT output MATCHES "downstream ok")
  message(FATAL_ERROR "unexpected downstream output:\n${output}")
endif()
message(STATUS "downstream ran: ${output}")

# Touching the model header reruns the generator, but the unchanged output is not rewritten.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.2)
file(TOUCH "${WORK}/src/models/library.hpp")
run("rebuild after touch" "${CMAKE_COMMAND}" --build "${WORK}/build" -j 2)
file(TIMESTAMP "${stamp}" stamp_time_2 "%s")
file(TIMESTAMP "${generated}" generated_time_2 "%s")
file(TIMESTAMP "${generated_source}" generated_source_time_2 "%s")
if(stamp_time_2 STREQUAL stamp_time)
  message(FATAL_ERROR "the generator did not rerun after its model header was touched")
endif()
if(NOT generated_time_2 STREQUAL generated_time)
  message(FATAL_ERROR "an unchanged generated header was rewritten")
endif()
if(NOT generated_source_time_2 STREQUAL generated_source_time)
  message(FATAL_ERROR "an unchanged generated source was rewritten")
endif()

# Editing a header that is only included (not listed in HEADERS) reruns it through the depfile.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.2)
file(READ "${WORK}/src/models/common.hpp" common)
string(REPLACE "kLost ATHANOR_ENUM_VALUE(\"lost\")"
               "kLost ATHANOR_ENUM_VALUE(\"lost\"), kRepair ATHANOR_ENUM_VALUE(\"in repair\")"
               common "${common}")
file(WRITE "${WORK}/src/models/common.hpp" "${common}")
run("rebuild after editing an included header" "${CMAKE_COMMAND}" --build "${WORK}/build" -j 2)
file(READ "${generated}" text)
if(NOT text MATCHES "in repair")
  message(FATAL_ERROR "the generated header did not pick up the edited included header")
endif()
run("run downstream again" "${WORK}/build/downstream" "sqlite:///:memory:")
message(STATUS "downstream rebuilt and ran again")
