cmd_kernel/fork.o := gcc -Wp,-MMD,kernel/.fork.o.d -nostdinc -I../src/arch/x86/include -I./arch/x86/include/generated -I../src/include -I./include -include ../src/include/linux/kconfig.h -include ../src/include/linux/compiler_types.h -D__KERNEL__ -O2 -DKBUILD_MODFILE='"kernel/fork"' -DKBUILD_BASENAME='"fork"' -DKBUILD_MODNAME='"fork"' -D__KBUILD_MODNAME=kmod_fork -c -o kernel/fork.o ../src/kernel/fork.c

source_kernel/fork.o := ../src/kernel/fork.c

deps_kernel/fork.o := \
    $(wildcard include/config/SMP) \
    $(wildcard include/config/NUMA) \
  ../src/include/linux/kconfig.h \
    $(wildcard include/config/CPU_BIG_ENDIAN) \
  include/generated/autoconf.h \
  ../src/include/linux/sched.h \
  ../src/include/linux/./fork_only.h \
  ../src/include/linux/sched.h \
  /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h \

kernel/fork.o: $(deps_kernel/fork.o)

$(deps_kernel/fork.o):

kernel/fork.o: $(wildcard ./tools/objtool/objtool)
