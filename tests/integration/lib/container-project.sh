# container-project.sh: the small project the container tests gate (sourced, not run):
# one C file and its compile_commands.json, as a checkout mounted in a container sees it.

# container_project DIR MOUNT: a repository in DIR whose compile database
# names MOUNT (where the container sees it); HEAD adds an unused variable
# (gcc, clang, cppcheck) and a null pointer (sparse, cppcheck) to main().
container_project()
{
	mkdir "$1" && cd "$1" && git init -q
	printf 'int main(void)\n{\n\treturn 0;\n}\n' >main.c
	printf '[{"directory": "%s", "file": "main.c", "command": "cc -c main.c -o main.o"}]\n' \
		"$2" >compile_commands.json
	git add -A && git commit -q -m "p: start"
	printf 'int main(void)\n{\n\tint unused;\n\tint *p = 0;\n\n\treturn *p;\n}\n' >main.c
	git commit -q -am "p: an unused variable and a null pointer"
}
