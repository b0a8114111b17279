# Writes a gzipped man page whose body is a program's own --help text, verbatim, so the
# page never drifts from the binary. Run at build time (cmake -P) by packaging/CMakeLists.txt:
#
#   cmake -DPROGRAM=<binary> -DNAME=maxiod -DSECTION=8 -DSUMMARY="one line"
#         -DVERSION=0.1.0 [-DSUBCOMMANDS=ON] [-DSEE_ALSO="maxioctl(1), ..."]
#         -DOUTPUT=<page.8.gz> -P man_page.cmake
#
# SUBCOMMANDS=ON (maxioctl) adds each command's own --help, taken from the COMMANDS list
# of the main --help, as a subsection.
cmake_minimum_required(VERSION 3.25)

foreach(var PROGRAM NAME SECTION SUMMARY VERSION OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "man_page.cmake: -D${var}= is required")
  endif()
endforeach()

function(run_help out)
  execute_process(COMMAND ${PROGRAM} ${ARGN} --help
                  OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR text STREQUAL "")
    message(FATAL_ERROR "man_page.cmake: '${PROGRAM} ${ARGN} --help' failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Plain text -> a roff no-fill block: backslashes and dashes escaped, lines that would
# start a roff request guarded.
function(roff_block out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(REGEX REPLACE "\n+$" "" text "${text}")
  set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" title)
string(REPLACE "-" "\\-" name_roff "${NAME}")
set(page ".\\\" Generated from '${NAME} --help' by packaging/man_page.cmake; do not edit.\n")
string(APPEND page ".TH \"${title}\" \"${SECTION}\" \"\" \"Maxio ${VERSION}\" \"Maxio\"\n")
string(APPEND page ".SH NAME\n${name_roff} \\- ${SUMMARY}\n")
string(APPEND page ".SH DESCRIPTION\n")
run_help(main_help)
roff_block(block "${main_help}")
string(APPEND page "${block}")

if(SUBCOMMANDS)
  string(APPEND page ".SH COMMANDS\n")
  # The lines between "COMMANDS:" and the next blank line: "  name words   summary".
  string(REGEX MATCH "COMMANDS:\n(([^\n]+\n)+)" section "${main_help}")
  string(REPLACE "\n" ";" lines "${CMAKE_MATCH_1}")
  # Names are padded to the column where the summaries start; a name may be followed by a
  # single space, so the column is taken from the first line.
  list(GET lines 0 first)
  if(NOT first MATCHES "^(  [a-z-]+( [a-z-]+)*  +)[^ ]")
    message(FATAL_ERROR "man_page.cmake: cannot read the COMMANDS list of ${PROGRAM}")
  endif()
  string(LENGTH "${CMAKE_MATCH_1}" column)
  list(REMOVE_ITEM lines "")
  foreach(line IN LISTS lines)
    string(SUBSTRING "${line}" 0 ${column} head)
    string(STRIP "${head}" command)
    if(NOT command MATCHES "^[a-z][a-z-]*( [a-z][a-z-]*)*$")
      message(FATAL_ERROR "man_page.cmake: cannot read the command of '${line}'")
    endif()
    string(REPLACE " " ";" words "${command}")
    run_help(sub_help ${words})
    roff_block(block "${sub_help}")
    string(APPEND page ".SS \"${NAME} ${command}\"\n${block}")
  endforeach()
endif()

if(DEFINED SEE_ALSO AND NOT SEE_ALSO STREQUAL "")
  string(REPLACE "-" "\\-" see_also "${SEE_ALSO}")
  string(APPEND page ".SH SEE ALSO\n${see_also}\n")
endif()

get_filename_component(dir "${OUTPUT}" DIRECTORY)
string(REGEX REPLACE "\\.gz$" "" plain "${OUTPUT}")
file(WRITE "${plain}" "${page}")
find_program(GZIP gzip REQUIRED)
execute_process(COMMAND ${GZIP} -9 -n -c "${plain}" OUTPUT_FILE "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "man_page.cmake: gzip failed")
endif()
