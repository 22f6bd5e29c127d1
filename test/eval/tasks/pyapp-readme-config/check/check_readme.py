"""README.md must have a configuration section that names every setting's TOML key, variable and default."""
import dataclasses
import re
import sys

from tally.config import ENV_VARS, FILE_KEYS, Config

text = open("README.md", encoding="utf-8").read()
lines = text.splitlines()
start = next((i for i, line in enumerate(lines) if re.match(r"#{1,6}\s.*configur", line, re.IGNORECASE)), None)
if start is None:
    print("README.md has no heading about configuration")
    sys.exit(1)
level = len(lines[start]) - len(lines[start].lstrip("#"))
end = next((i for i in range(start + 1, len(lines)) if re.match(rf"#{{1,{level}}}\s", lines[i])), len(lines))
section = "\n".join(lines[start + 1 : end])


def has(word):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", section, re.IGNORECASE) is not None


problems = []
for var in [*ENV_VARS, "TALLY_CONFIG"]:
    if not has(var):
        problems.append(f"the environment variable {var} is not mentioned")
for (table, key), name in FILE_KEYS.items():
    if not (has(key) and has(table)):
        problems.append(f"the TOML key [{table}] {key} is not mentioned")
defaults = {f.name: f.default for f in dataclasses.fields(Config)}
for name, value in defaults.items():
    if value is None:
        continue
    if isinstance(value, bool):
        forms = ["true" if value else "false", "yes" if value else "no", "on" if value else "off"]
    elif isinstance(value, int):
        forms = [str(value), f"{value:,}"]
        if value % 1024 == 0 and value >= 1024:
            forms += [f"{value // 1024} KiB", f"{value // 1024} KB", f"{value // 1024}KiB", f"{value // 1024}KB", f"{value // 1024} * 1024", f"{value // 1024}*1024"]
    else:
        forms = [value]
    if not any(has(form) for form in forms):
        problems.append(f"the default of {name} ({value!r}) is not given")
for word in ("default", "environment"):
    if not has(word) and not has(word + "s"):
        problems.append(f"the section does not say how {word}s fit in")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("configuration section complete")
