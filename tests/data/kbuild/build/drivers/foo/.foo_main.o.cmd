cmd_drivers/foo/foo_main.o := gcc -Wp,-MMD,drivers/foo/.foo_main.o.d -nostdinc -I../src/include -D__KERNEL__ -DMODULE -O2 -c -o drivers/foo/foo_main.o ../src/drivers/foo/foo_main.c

source_drivers/foo/foo_main.o := ../src/drivers/foo/foo_main.c

deps_drivers/foo/foo_main.o := \
  ../src/include/linux/sched.h \
    $(wildcard include/config/FOO_DEBUG) \

drivers/foo/foo_main.o: $(deps_drivers/foo/foo_main.o)

$(deps_drivers/foo/foo_main.o):
