cmd_drivers/foo/foo.o := ld -m elf_x86_64 -z noexecstack   -r -o drivers/foo/foo.o drivers/foo/foo_main.o
