# Helpers shared by every CMakeLists.txt of the project.
#
#   maxio_library(NAME SOURCES ... [DEPS ...])  a static library of one module; include paths
#                                               are from the repository root ("shared/util/x.h").
#   maxio_test(NAME SOURCES ... [DEPS ...] [LABELS ...])  a GoogleTest executable registered
#                                               with ctest (label "unit" unless told otherwise).
#   maxio_fuzzer(NAME SOURCES ... [DEPS ...])  a libFuzzer target, only with MAXIO_BUILD_FUZZERS.

set(MAXIO_WARNINGS -Wall -Wextra -Wno-unused-parameter)
if(MAXIO_WERROR)
  list(APPEND MAXIO_WARNINGS -Werror)
endif()

function(maxio_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${MAXIO_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

function(maxio_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${MAXIO_WARNINGS})
  target_compile_definitions(${name} PRIVATE
    MAXIO_FIXTURES_DIR="${MAXIO_FIXTURES_DIR}"
    MAXIO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()

function(maxio_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT MAXIO_BUILD_FUZZERS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  # A short run per fuzzer in the test command; corpora are generated, never committed.
  set(corpus ${CMAKE_CURRENT_BINARY_DIR}/corpus/${name})
  file(MAKE_DIRECTORY ${corpus})
  add_test(NAME ${name}
           COMMAND ${name} -max_total_time=${MAXIO_FUZZ_SECONDS} -rss_limit_mb=2048 ${corpus})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()

set(MAXIO_FUZZ_SECONDS 30 CACHE STRING "Seconds each fuzzer runs under ctest")

# Real data written by MinIO lives beside the repository, never inside it.
get_filename_component(MAXIO_FIXTURES_DIR "${PROJECT_SOURCE_DIR}/../shared/fixtures" ABSOLUTE)

# check_headers: compiles every header of the project on its own, so each stays
# self-contained (STYLE.md). Built by the test command, not by "all".
function(maxio_add_header_check)
  file(GLOB_RECURSE headers RELATIVE ${PROJECT_SOURCE_DIR}
       ${PROJECT_SOURCE_DIR}/shared/*.h ${PROJECT_SOURCE_DIR}/daemon/*.h
       ${PROJECT_SOURCE_DIR}/cli/*.h
       ${PROJECT_SOURCE_DIR}/fuse/*.h)
  set(sources)
  foreach(header ${headers})
    string(MAKE_C_IDENTIFIER ${header} id)
    set(source ${PROJECT_BINARY_DIR}/header_check/${id}.cc)
    file(CONFIGURE OUTPUT ${source} CONTENT "#include \"${header}\"\n")
    list(APPEND sources ${source})
  endforeach()
  # maxio-console's headers when it is built (they need Qt).
  if(TARGET maxio-console)
    file(GLOB_RECURSE gui_headers RELATIVE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/gui/*.h)
    foreach(header ${gui_headers})
      string(MAKE_C_IDENTIFIER ${header} id)
      set(source ${PROJECT_BINARY_DIR}/header_check/${id}.cc)
      file(CONFIGURE OUTPUT ${source} CONTENT "#include \"${header}\"\n")
      list(APPEND sources ${source})
    endforeach()
  endif()
  add_library(check_headers OBJECT EXCLUDE_FROM_ALL ${sources})
  target_include_directories(check_headers PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(check_headers PRIVATE Boost::boost nlohmann_json::nlohmann_json
                        pugixml::pugixml)
  if(TARGET maxio-console)
    target_link_libraries(check_headers PRIVATE Qt6::Widgets)
  endif()
  target_compile_options(check_headers PRIVATE ${MAXIO_WARNINGS})
endfunction()
