cmd_drivers/foo/foo.mod.o := gcc -Wp,-MMD,drivers/foo/.foo.mod.o.d -c -o drivers/foo/foo.mod.o drivers/foo/foo.mod.c

source_drivers/foo/foo.mod.o := drivers/foo/foo.mod.c

deps_drivers/foo/foo.mod.o := \
  ../src/include/linux/sched.h \
