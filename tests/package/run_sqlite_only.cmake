# Configures, builds and installs Athanor from SOURCE_DIR with the SQLite backend only (PostgreSQL
# made unfindable, so the configuration proves it does not need it), then builds and runs the
# project in sqlite_only/ against that installation and checks with ldd that its binary links
# neither libpq nor libmariadb.
include("${CMAKE_CURRENT_LIST_DIR}/package_steps.cmake")
require_variables(run_sqlite_only.cmake PROJECT_DIR SOURCE_DIR WORK CXX_COMPILER GENERATOR)

file(REMOVE_RECURSE "${WORK}")
set(common -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Debug
    -DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=TRUE)
run("configure Athanor (SQLite only)" "${CMAKE_COMMAND}" -S "${PROJECT_DIR}" -B "${WORK}/athanor"
    ${common} -DATHANOR_WITH_POSTGRESQL=OFF -DATHANOR_WITH_MYSQL=OFF -DATHANOR_BUILD_TESTS=OFF
    -DATHANOR_BUILD_SAMPLES=OFF -DATHANOR_BUILD_CODEGEN=OFF)
if(NOT output MATCHES "Athanor backends: sqlite\n")
  message(FATAL_ERROR "the SQLite-only configuration reported other backends:\n${output}")
endif()
run("build Athanor (SQLite only)" "${CMAKE_COMMAND}" --build "${WORK}/athanor" -j 2)
run("install Athanor (SQLite only)" "${CMAKE_COMMAND}" --install "${WORK}/athanor"
    --prefix "${WORK}/prefix")

run("configure the SQLite-only project" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK}/build"
    ${common} "-DCMAKE_PREFIX_PATH=${WORK}/prefix")
run("build the SQLite-only project" "${CMAKE_COMMAND}" --build "${WORK}/build" -j 2)
run("run the SQLite-only project" "${WORK}/build/sqlite_only")
if(NOT output MATCHES "sqlite-only ok")
  message(FATAL_ERROR "unexpected output:\n${output}")
endif()

run("ldd" ldd "${WORK}/build/sqlite_only")
if(output MATCHES "libpq|libmariadb|libmysqlclient")
  message(FATAL_ERROR "the SQLite-only binary links a server client library:\n${output}")
endif()
if(NOT output MATCHES "libsqlite3")
  message(FATAL_ERROR "the SQLite-only binary does not link libsqlite3:\n${output}")
endif()
message(STATUS "SQLite-only build installed, used, and linked without libpq and libmariadb")
