import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copiesTests, testLinesOf } from '../../../src/agent/completion/copied-tests.ts';

const stub = '#!/usr/bin/env bash\n# Usage: ini_get.sh FILE SECTION KEY\n\necho "ini_get.sh: not implemented yet" >&2\nexit 2\n';
const tests = [
  'dir=$(mktemp -d)',
  'failures=0',
  'expect() {',
  '  local name=$1 status=$2 output=$3',
  '  actual=$(bash ini_get.sh "$@" 2>/dev/null)',
  '  actual_status=$?',
  '}',
  'expect "reads a key" 0 "example.org" -- "$dir/app.ini" server host',
  'expect "a missing file" 2 "" -- "$dir/nope.ini" server host',
  '[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }',
].join('\n');

test("code whose new lines are mostly the tests' lines copies them", () => {
  const copy = `#!/usr/bin/env bash\n# Usage: ini_get.sh FILE SECTION KEY\n\n${tests}\n`;
  assert.equal(copiesTests(stub, copy, testLinesOf([tests])), true);
});

test('code that shares a line or two with the tests, or lines the file had already, is no copy', () => {
  const code = [
    '#!/usr/bin/env bash',
    '# Usage: ini_get.sh FILE SECTION KEY',
    'if [ "$#" -ne 3 ]; then',
    '  echo "usage: ini_get.sh FILE SECTION KEY" >&2',
    '  exit 2',
    'fi',
    'failures=0',
    '[ -r "$1" ] || exit 2',
    'awk -v s="$2" -v k="$3" -f /dev/stdin "$1" <<\'AWK\'',
    'AWK',
  ].join('\n');
  assert.equal(copiesTests(stub, code, testLinesOf([tests])), false);
  assert.equal(copiesTests(`${stub}\n${tests}`, `${stub}\n${tests}\n# more\n`, testLinesOf([tests])), false, 'the lines were there before');
  assert.equal(copiesTests(stub, `${stub}\n${tests}`, testLinesOf([])), false, 'no tests read');
});

test("code that begins with the tests' data, four lines of it in a row, copies them, however much code follows", () => {
  const data = ['; settings for the app', '[server]', 'host = example.org', 'port=8080', '', '[db]', 'user = admin', 'url = postgres://db:5432/app?ssl=true'];
  const testsWithData = `${tests}\ncat > "$dir/app.ini" <<'INI'\n${data.join('\n')}\nINI\n`;
  const logic = [
    'if [ "$#" -ne 3 ]; then',
    '  echo "Usage: ini_get.sh FILE SECTION KEY"',
    '  exit 2',
    'fi',
    'section=$2',
    'key=$3',
    'while IFS= read -r line; do',
    '  if [[ $line =~ ^\\[\\w+\\]$ ]]; then',
    '    section=${line#\\[}',
    '  elif [[ $line =~ ^$key = ]]; then',
    '    echo "${line#*=}"',
    '    exit 0',
    '  fi',
    'done < "$1"',
    'echo "Key not found: $key"',
  ];
  const copy = `#!/usr/bin/env bash\ncat > "$1" <<'INI'\n${data.join('\n')}\nINI\n\n${logic.join('\n')}\n`;
  assert.equal(copiesTests(stub, copy, testLinesOf([testsWithData])), true);
  // (the same lines apart, between lines of its own, are no copy)
  const spread = data.filter((l) => l.length >= 10);
  const apart = `#!/usr/bin/env bash\n${logic.map((l, i) => (spread[i] ? `${l}\n${spread[i]}` : l)).join('\n')}\n`;
  assert.equal(copiesTests(stub, apart, testLinesOf([testsWithData])), false);
});
