"""Both former copies of the week computation must call week_bounds instead of computing it inline."""
import ast
import sys

problems = []
for path in ("tally/services/reports.py", "tally/cli/commands.py"):
    tree = ast.parse(open(path, encoding="utf-8").read())
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    if "week_bounds" not in names:
        problems.append(f"{path} does not use week_bounds")
    if any(isinstance(n, ast.Attribute) and n.attr == "weekday" for n in ast.walk(tree)):
        problems.append(f"{path} still computes the week itself (weekday())")
if problems:
    print("\n".join(problems))
    sys.exit(1)
