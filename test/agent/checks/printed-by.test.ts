/**
 * Which line printed a run's output (src/agent/checks/printed-by.ts): a print statement's text as
 * an anchored pattern, its quoted text literal and what it interpolates or computes a wildcard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printedBy, printedByNote, printPattern, writes } from '../../../src/agent/checks/printed-by.ts';

const countSh = `#!/bin/bash
# This script prints the number of lines in the file given as its first argument.
if [ ! -f "$1" ]; then
    echo "Number of lines in $1: 15"
    exit 1
fi
line_count=$(wc -l "$1")
echo "Number of lines in $1: $line_count"
`;

test('the echo that printed a line is found, not the one that prints something like it (bash-count-lines)', () => {
  const found = printedBy('Number of lines in count.sh: 15 count.sh\n', [{ path: 'count.sh', text: countSh }]);
  assert.deepEqual(
    found.map((p) => [p.path, p.line]),
    [['count.sh', 8]],
  );
  assert.equal(printedByNote(found), 'That output came from count.sh:8 `echo "Number of lines in $1: $line_count"`.');
  // a command substitution with quotes of its own is one unknown part of the text
  const inline = 'echo "Lines in $1: $(wc -l "$1")"\necho `date` done\n';
  assert.deepEqual(
    printedBy('Lines in data.txt: 2 data.txt\nTue Dec 8 done\n', [{ path: 'count.sh', text: inline }]).map((p) => p.line),
    [1, 2],
  );
});

test('Python, JavaScript, Ruby and Go prints: quoted text literal, interpolations and arguments wild', () => {
  const py = 'def main():\n    print(f"Total: {total} items")\n    print("Count:", n)\n';
  assert.deepEqual(
    printedBy('Count: 3\nTotal: 7 items\n', [{ path: 'app.py', text: py }]).map((p) => [p.line, p.output]),
    [
      [3, 'Count: 3'],
      [2, 'Total: 7 items'],
    ],
  );
  const js = 'console.log(`Sum of ${a} and ${b} is ${a + b}`);\n';
  assert.equal(printedBy('Sum of 1 and 2 is 3', [{ path: 'sum.js', text: js }])[0]?.line, 1);
  const rb = 'puts "Hello, #{name}!"\n';
  assert.equal(printedBy('Hello, Ada!', [{ path: 'hello.rb', text: rb }])[0]?.line, 1);
  const go = 'func main() {\n\tfmt.Printf("reversed: %s\\n", Reverse(s))\n}\n';
  assert.equal(printedBy('reversed: olleh', [{ path: 'main.go', text: go }])[0]?.line, 2);
});

test('nothing is named for a print of no literal text, a comment, two lines that tie, or output no print matches', () => {
  assert.equal(printPattern('print(result)', false), undefined);
  assert.equal(printPattern('printf("%d\\n", n);', false), undefined);
  assert.equal(printPattern('# echo "Number of lines"', true), undefined);
  const twice = 'echo "Done: $a"\necho "Done: $b"\n';
  assert.deepEqual(printedBy('Done: 4', [{ path: 'x.sh', text: twice }]), []);
  assert.deepEqual(printedBy('something else entirely', [{ path: 'count.sh', text: countSh }]), []);
  assert.equal(printedByNote([]), '');
});

test('a pattern is matched whole: its first piece starts the line and its last ends it, unless something not known is before or after', () => {
  const shell = (line: string) => printPattern(line, true)!;
  assert.equal(writes(shell('echo "Done: all"'), '  Done: all '), true);
  assert.equal(writes(shell('echo "Done: all"'), 'Done: all of it'), false);
  assert.equal(writes(shell('echo "Lines: $n"'), 'Lines: 4'), true);
  assert.equal(writes(shell('echo "Lines: $n"'), 'Total Lines: 4'), false);
  assert.equal(writes(shell('echo "$n lines"'), '4 lines'), true);
  assert.equal(writes(shell('echo "$n lines"'), '4 lines counted'), false);
  // a shell's arguments with a space between them; a redirection is not printed
  assert.equal(writes(shell('echo "count:" "$n" >&2'), 'count: 4'), true);
  assert.equal(writes(shell("echo 'cost: $5' now"), 'cost: $5 now'), true, 'single quotes interpolate nothing, bare words print');
});
