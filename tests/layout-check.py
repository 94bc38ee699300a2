#!/usr/bin/env python3
"""layout-check.py: checks the folder arrows of the README's layout table and
that no files include each other in a circle. Prints each violation; exit 1."""
import os
import re
import sys

# Which folders each folder may include from (besides itself).
ALLOWED = {
    'gate/lib': set(),
    'gate/core': {'gate/lib'},
    'analyzers': {'gate/lib', 'gate/core'},
    'reports': {'gate/lib', 'gate/core', 'reports/gerrit'},
    'reports/gerrit': {'gate/lib', 'gate/core', 'reports'},
    'hooks': {'gate/lib', 'gate/core'},
    'containers': {'gate/lib', 'gate/core', 'analyzers', 'containers/jobs', 'containers/vm'},
    'containers/jobs': {'gate/lib', 'gate/core', 'analyzers'},
    'containers/vm': {'gate/lib', 'gate/core', 'analyzers', 'containers/jobs'},
    'gate/backend': {'gate/lib', 'gate/core', 'analyzers', 'containers',
                     'containers/jobs', 'containers/vm'},
    'gate/engine': {'gate/lib', 'gate/core', 'analyzers', 'containers',
                    'containers/jobs', 'containers/vm', 'gate/backend'},
}
TOP = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources():
    for root in ('gate', 'analyzers', 'reports', 'hooks', 'containers'):
        for d, _, files in os.walk(os.path.join(TOP, root)):
            for f in files:
                if f.endswith(('.c', '.h')):
                    yield os.path.relpath(os.path.join(d, f), TOP)


def main():
    files = sorted(sources())
    by_name = {}
    for f in files:
        if f.endswith('.h'):
            by_name.setdefault(os.path.basename(f), []).append(f)
    bad = []
    for name, where in by_name.items():
        if len(where) > 1:
            bad.append(f'two headers named {name}: {", ".join(where)}')
    # The module graph: foo.c and foo.h are one node, named without suffix.
    graph = {}
    for f in files:
        folder = os.path.dirname(f)
        node = f[:-2]
        text = open(os.path.join(TOP, f), encoding='utf-8', errors='replace').read()
        for inc in INCLUDE.findall(text):
            hits = by_name.get(os.path.basename(inc))
            if not hits:
                continue        # generated or system header
            target = hits[0]
            tfolder = os.path.dirname(target)
            if tfolder == 'gate/builtin' and folder not in ('gate', 'gate/builtin'):
                bad.append(f'{f} includes {inc}: only main.c and front.c see gate/builtin')
            elif folder in ALLOWED and tfolder != folder and tfolder not in ALLOWED[folder]:
                bad.append(f'{f} includes {target}: {folder} may not use {tfolder}')
            if target[:-2] != node:
                graph.setdefault(node, set()).add(target[:-2])
    bad += cycles(graph)
    for b in bad:
        print(b)
    return 1 if bad else 0


def cycles(graph):
    """Each circle of modules once, found by depth-first search."""
    found, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                found.append('circle: ' + ' -> '.join(stack[stack.index(m):] + [m]))
            elif not state.get(m):
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if not state.get(n):
            visit(n)
    return found


if __name__ == '__main__':
    sys.exit(main())
