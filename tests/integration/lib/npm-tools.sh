# npm-tools.sh: installs the real consumers of our reports (xunit-viewer,
# junit-report-merger, sarif-multitool) once into ${MKT_GATE_BUILD}/npm-tools.
# Sourced by tests/integration/t6*.sh; defines npm_tools_ensure and npm_tool.

NPM_TOOLS="${MKT_GATE_BUILD:?MKT_GATE_BUILD is not set}/npm-tools"
# Source this before common.sh, which moves HOME: npm's registry and
# certificate settings live in the real ~/.npmrc.
NPM_TOOLS_HOME=$HOME

# Installs the packages unless a previous run did; prints "SKIP: reason"
# and returns 1 when npm is missing or the install fails.
npm_tools_ensure() {
	local lock="$NPM_TOOLS.lock"

	if ! command -v npm >/dev/null 2>&1; then
		echo "SKIP: npm is not installed (apt-get install -y npm)"
		return 1
	fi
	mkdir -p "$NPM_TOOLS"
	(
		# ctest may run the t6 scripts in parallel: one installs.
		flock 9
		if [ -f "$NPM_TOOLS/.installed" ]; then
			exit 0
		fi
		cd "$NPM_TOOLS"
		[ -f package.json ] || echo '{"private": true}' > package.json
		HOME=$NPM_TOOLS_HOME npm install --no-audit --no-fund --loglevel=error \
			xunit-viewer@10 junit-report-merger \
			@microsoft/sarif-multitool >npm-install.log 2>&1 &&
			touch .installed
	) 9>"$lock"
	if [ ! -f "$NPM_TOOLS/.installed" ]; then
		echo "SKIP: npm install failed, see $NPM_TOOLS/npm-install.log"
		return 1
	fi
	return 0
}

# Runs an installed tool: npm_tool xunit-viewer --results=...
npm_tool() {
	local bin="$NPM_TOOLS/node_modules/.bin/$1"

	shift
	"$bin" "$@"
}
