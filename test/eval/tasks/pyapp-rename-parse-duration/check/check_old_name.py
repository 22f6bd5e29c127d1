"""Fails if any Python file under tally/ or tests/ still uses the old name as an identifier."""
import pathlib
import sys
import tokenize

OLD = "parse_" + "duration"
found = []
for root in ("tally", "tests"):
    for path in sorted(pathlib.Path(root).rglob("*.py")):
        with tokenize.open(path) as handle:
            for token in tokenize.generate_tokens(handle.readline):
                if token.type == tokenize.NAME and token.string == OLD:
                    found.append(f"{path}:{token.start[0]}")
if found:
    print(f"{OLD} is still used: " + ", ".join(found))
    sys.exit(1)
