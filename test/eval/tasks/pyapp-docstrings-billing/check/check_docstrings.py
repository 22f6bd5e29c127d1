"""billing.py must have a module docstring and one on every public function and class, and no other change."""
import ast
import sys

PATH = "tally/services/billing.py"
MIN_WORDS = 4


def without_docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


tree = ast.parse(open(PATH, encoding="utf-8").read())
problems = []
targets = [("the module", tree)] + [
    (node.name, node)
    for node in tree.body
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_")
]
for name, node in targets:
    doc = ast.get_docstring(node)
    if doc is None:
        problems.append(f"{name} has no docstring")
    elif len(doc.split()) < MIN_WORDS:
        problems.append(f"the docstring of {name} is too short to say anything: {doc!r}")
reference = ast.parse(open("reference/billing_without_docstrings.py.txt", encoding="utf-8").read())
if without_docstrings(ast.parse(open(PATH, encoding="utf-8").read())) != without_docstrings(reference):
    problems.append(f"{PATH}: the code changed, not only the docstrings")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{len(targets)} docstrings present; code unchanged")
