cmd_kernel/exit.o := gcc -Wp,-MMD,kernel/.exit.o.d -nostdinc -I../src/include -D__KERNEL__ -O2 -c -o kernel/exit.o ../src/kernel/exit.c

source_kernel/exit.o := ../src/kernel/exit.c

deps_kernel/exit.o := \
  ../src/include/linux/kconfig.h \
    $(wildcard include/config/CPU_BIG_ENDIAN) \
  ../src/include/linux/sched.h \

kernel/exit.o: $(deps_kernel/exit.o)

$(deps_kernel/exit.o):
