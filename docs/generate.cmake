# generate.cmake: the man pages and shell completions, made at build time by
# the built binary (MKT_GATE) from the option tables its -h prints, so that
# help, man pages and completion cannot drift apart. Writes under OUT:
# man1/mkt-gate.1, man1/mkt-gate-<command>.1, bash/mkt-gate, zsh/_mkt-gate.
# Run by CMake: cmake -DMKT_GATE=... -DSRC=<docs dir> -DOUT=... -P generate.cmake

# Leaks are the tests' business; a sanitizer build must still make its docs.
set(ENV{ASAN_OPTIONS} "detect_leaks=0")

function(run out)
	execute_process(COMMAND ${MKT_GATE} ${ARGN}
		OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "'mkt-gate ${ARGN}' failed (${rc}): ${err}")
	endif()
	set(${out} "${text}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${OUT}/man1)
file(MAKE_DIRECTORY ${OUT}/man1 ${OUT}/bash ${OUT}/zsh)

run(MKT_GATE_WORDS help --words)
string(REGEX MATCH ":commands [^\n]*" commands "${MKT_GATE_WORDS}")
string(REPLACE ":commands " "" commands "${commands}")
separate_arguments(commands UNIX_COMMAND "${commands}")
if(NOT commands)
	message(FATAL_ERROR "'mkt-gate help --words' lists no commands")
endif()

run(page help --man)
file(WRITE ${OUT}/man1/mkt-gate.1 "${page}")
foreach(c ${commands})
	run(page help --man ${c})
	file(WRITE ${OUT}/man1/mkt-gate-${c}.1 "${page}")
endforeach()

string(STRIP "${MKT_GATE_WORDS}" MKT_GATE_WORDS)
configure_file(${SRC}/mkt-gate.bash.in ${OUT}/bash/mkt-gate @ONLY)
configure_file(${SRC}/mkt-gate.zsh.in ${OUT}/zsh/_mkt-gate @ONLY)
