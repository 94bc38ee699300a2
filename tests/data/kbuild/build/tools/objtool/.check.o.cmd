cmd_tools/objtool/check.o := gcc -Wp,-MD,tools/objtool/.check.o.d -c -o tools/objtool/check.o ../src/tools/objtool/check.c

source_tools/objtool/check.o := ../src/tools/objtool/check.c

deps_tools/objtool/check.o := \
  ../src/include/linux/sched.h \
