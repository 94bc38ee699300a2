# embed.cmake: turns a text file (IN) into a C string constant NAME in OUT.
# Used for the built-in default config; run by CMake at build time.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "/* generated from ${IN}; do not edit */\n"
	"const char ${NAME}[] = {${body} 0x00};\n")
