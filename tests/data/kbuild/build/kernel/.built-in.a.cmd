cmd_kernel/built-in.a := rm -f kernel/built-in.a;  printf "kernel/%s " fork.o exit.o | xargs ar cDPrST kernel/built-in.a
