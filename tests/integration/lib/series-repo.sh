# series-repo.sh: a small CMake project whose series has a finding of each
# kind: new (kept to the end), fixed later in the series (transient), and
# one from before the series that a commit fixes. Source after common.sh.
#
#   series_repo DIR   creates DIR; tag `base` is the series' parent, HEAD its
#                     end (six commits, one a merge-free fix of another's).
series_repo()
{
	local d=$1
	git init -q "$d" && (
		cd "$d"
		printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c b.c c.c)\n' > CMakeLists.txt
		printf 'int b(void);\nint c(void);\nint main(void)\n{\n\treturn b() + c();\n}\n' > a.c
		printf 'int b(void)\n{\n\treturn 0;\n}\n' > b.c
		printf 'int c(void)\n{\n\tint old;\n\treturn 0;\n}\n' > c.c
		git add -A && git commit -qm base && git tag base
		sed -i 's/^\treturn b/\tint x1;\n\treturn b/' a.c && git commit -qam "a: add x1"
		sed -i 's/^\treturn 0/\tint y;\n\treturn 0/' b.c && git commit -qam "b: add y"
		printf '/* c */\n' >> c.c && git commit -qam "c: comment"
		sed -i '/int x1;/d' a.c && git commit -qam "a: drop x1 again"
		sed -i '/int old;/d' c.c && git commit -qam "c: drop old"
		sed -i 's/int y;/int y, z;/' b.c && git commit -qam "b: add z"
	)
}
