#!/usr/bin/python3
"""schema-check.py SCHEMA REPORT...: validates mkt-gate JSON reports.

The schema's relative $id ("mkt-gate/report/v1") makes the jsonschema of
Debian 12 try to fetch its own $refs as URLs; giving it an absolute base
keeps every $ref local. Exits 1 and prints each violation on failure.
"""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    schema["$id"] = "https://mkt-gate.invalid/" + schema.get("$id", "report")
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in sys.argv[2:]:
        for err in validator.iter_errors(json.load(open(path))):
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: {where}: {err.message}")
            bad += 1
    if bad:
        sys.exit(1)
    print(f"{len(sys.argv) - 2} report(s) valid")


main()
