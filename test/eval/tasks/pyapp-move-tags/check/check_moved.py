"""parse_tags and format_tags must live in tally/tags.py only, and nothing may reach them through tally.db.entries."""
import ast
import pathlib
import sys

NAMES = {"parse_tags", "format_tags"}
problems = []
home = pathlib.Path("tally/tags.py")
if not home.is_file():
    print("tally/tags.py does not exist")
    sys.exit(1)
defined = {n.name for n in ast.parse(home.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef)}
if not NAMES <= defined:
    problems.append(f"tally/tags.py does not define {', '.join(sorted(NAMES - defined))}")


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


for path in sorted([*pathlib.Path("tally").rglob("*.py"), *pathlib.Path("tests").rglob("*.py")]):
    if path == home:
        continue
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tag_modules = {"tally.tags"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tally" and any(a.name == "tags" for a in node.names):
            tag_modules |= {a.asname or a.name for a in node.names if a.name == "tags"}
        if isinstance(node, ast.Import):
            tag_modules |= {a.asname for a in node.names if a.name == "tally.tags" and a.asname}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in NAMES:
            problems.append(f"{path}:{node.lineno} still defines {node.name}")
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "tally.tags":
            for alias in node.names:
                if alias.name in NAMES:
                    problems.append(f"{path}:{node.lineno} imports {alias.name} from {node.module}")
        if isinstance(node, ast.Attribute) and node.attr in NAMES and dotted(node.value) not in tag_modules:
            problems.append(f"{path}:{node.lineno} reaches {node.attr} through {dotted(node.value)}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
