/**
 * script-entry.ts on the real tree-sitter grammars: a script whose top level only defines runs
 * nothing, and one that reads its arguments was run without them.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { declaredOnly, declaredOnlyNote } from '../../../src/agent/checks/declared-only.ts';
import { missingExport } from '../../../src/agent/checks/module-exports.ts';
import { fileArgumentFor, missingArgumentsNote, toolInCodeNote, uncalledEntry, uncalledEntryNote } from '../../../src/agent/checks/script-entry.ts';

test('a Python script that only defines functions runs nothing; the call to add passes the required parameters', () => {
  const fib =
    'import sys\n"""Fibonacci."""\nLIMIT = 10\n\ndef fib(n, start=0):\n    a, b = 0, 1\n    for _ in range(n):\n        print(a)\n        a, b = b, a + b\n';
  const request = 'Write a Python script fib.py that prints the first 10 Fibonacci numbers (starting 0, 1), one per line.';
  assert.deepEqual(uncalledEntry('fib.py', fib, request), {
    name: 'fib',
    params: ['n'],
    defined: ['fib'],
    args: ['10'],
    call: 'if __name__ == "__main__":\n    fib(10)',
  });
  assert.equal(uncalledEntry('fib.py', fib, 'Write fib.py that prints Fibonacci numbers 1 to 20.')?.call, undefined, 'two numbers: the model chooses');
  const note = uncalledEntryNote('fib.py', fib, 'python3 fib.py', 'write_file', request);
  assert.match(note, /^fib\.py only defines fib: nothing at its top level calls it, so `python3 fib\.py` runs nothing and prints nothing\./);
  assert.match(
    note,
    /Call write_file with fib\.py as below \(its lines as they are, the call added at the end\):\n[\s\S]*\n\n\nif __name__ == "__main__":\n    fib\(10\)\n$/,
  );
  assert.match(
    uncalledEntryNote('fib.py', fib, 'python3 fib.py', 'write_file'),
    /Add a call of fib at the end of fib\.py, with the values the task asks for as its arguments \(n\)\.$/,
  );
  // main wins over the last function; a decorated function counts; a method's self is no argument
  const two = '@cache\ndef helper(x):\n    return x\n\ndef main():\n    print(helper(1))\n\nclass A:\n    def run(self):\n        pass\n';
  assert.deepEqual(uncalledEntry('app.py', two)?.call, 'if __name__ == "__main__":\n    main()');
});

test('a script whose top level runs something, or that does not parse, or that starts at main, is left alone', () => {
  for (const text of [
    'def hello():\n    print("hi")\n\nhello()\n',
    'def hello():\n    print("hi")\n\nif __name__ == "__main__":\n    hello()\n',
    'print("Hello, world!")\n',
    'x = compute()\ndef compute():\n    return 1\n',
    'N = 1\n',
    'def broken(:\n',
  ])
    assert.equal(uncalledEntry('a.py', text), undefined, text);
  assert.equal(uncalledEntry('main.go', 'package main\n\nfunc hello() {}\n'), undefined, 'Go starts at main');
  assert.equal(uncalledEntry('notes.txt', 'def f(): pass\n'), undefined);
});

test('JavaScript, Ruby and shell scripts: loads are not calls, a bare name in Ruby is one', () => {
  assert.equal(
    uncalledEntry(
      'fib.js',
      "const fs = require('fs');\nfunction fib(n, step = 1) {\n  console.log(n);\n}\nmodule.exports = { fib };\n",
      'a script printing 10 numbers',
    )?.call,
    'fib(10);',
  );
  assert.equal(uncalledEntry('fib.js', 'function fib(n) {\n  console.log(n);\n}\nfib(10);\n'), undefined);
  assert.deepEqual(uncalledEntry('fib.rb', "require 'set'\n\ndef fib(n, start = 0)\n  puts n\nend\n")?.params, ['n']);
  assert.equal(uncalledEntry('hello.rb', 'def hello\n  puts "hi"\nend\n\nhello\n'), undefined);
  assert.equal(uncalledEntry('count.sh', '#!/bin/bash\nLIMIT=3\ncount() {\n  wc -l < "$1"\n}\n')?.call, 'count "$@"');
  assert.equal(uncalledEntry('count.sh', '#!/bin/bash\ncount() {\n  wc -l < "$1"\n}\ncount "$1"\n'), undefined);
});

test('a run without arguments of a script that reads them is named; one with them, or of a script that does not, is not', () => {
  const count = '#!/bin/bash\nwc -l < "$1"\n';
  assert.match(
    missingArgumentsNote('count.sh', count, 'bash count.sh', 'bash count.sh'),
    /^count\.sh reads its command-line arguments \(\$1\), and `bash count\.sh` gave it none/,
  );
  assert.equal(missingArgumentsNote('count.sh', count, 'bash count.sh data.txt', 'bash count.sh'), '');
  assert.equal(missingArgumentsNote('hello.sh', 'echo hi\n', 'bash hello.sh', 'bash hello.sh'), '');
  assert.match(missingArgumentsNote('cat.py', 'import sys\nprint(open(sys.argv[1]).read())\n', 'python3 cat.py', 'python3 cat.py'), /\(sys\.argv\[1\]\)/);
});

test('a C++ function the request names that a file only declares and no file defines is named; a prototype defined elsewhere is not', () => {
  const header = '#ifndef L\n#define L\n#include <vector>\nint largest(const std::vector<int>& values);\nint helper(int x);\n#endif\n';
  const request = 'Write largest.hpp declaring and defining (inline) `int largest(const std::vector<int>& values)`.';
  assert.deepEqual(declaredOnly('largest.hpp', header, request, []), ['largest'], 'helper is not asked for');
  assert.match(declaredOnlyNote('largest.hpp', ['largest']), /^largest is only declared in largest\.hpp \(no body\) and defined nowhere in the project/);
  const source = { path: 'largest.cpp', text: '#include "largest.hpp"\nint largest(const std::vector<int>& values) { return values[0]; }\n' };
  assert.deepEqual(declaredOnly('largest.hpp', header, request, [source]), []);
  const inline = '#include <vector>\ninline int largest(const std::vector<int>& values) {\n  int best = values[0];\n  return best;\n}\n';
  assert.deepEqual(declaredOnly('largest.hpp', inline, request, []), []);
  assert.deepEqual(
    declaredOnly('size.hpp', 'namespace n {\nint *parse(const char *s);\n}\n', 'Implement parse in size.c', []),
    ['parse'],
    'in a namespace, through a pointer declarator',
  );
  assert.deepEqual(declaredOnly('a.py', 'def largest(v): ...\n', request, []), [], 'not a language with prototypes');
});

test("a line of a script that calls one of the agent's tools is named when the run fails on it", () => {
  const text = '#!/bin/bash\nwc -l < "$1"\n\n# Run the script to check it\nrun_in_sandbox "bash" "count.sh"\n';
  assert.equal(
    toolInCodeNote('count.sh', text, 'count.sh: line 5: run_in_sandbox: command not found\n', ['read_file', 'run_in_sandbox']),
    'count.sh line 5 calls run_in_sandbox, which is one of your tools, not something code can run. Remove that line from count.sh; to run the file, call run_in_sandbox yourself.',
  );
  assert.equal(toolInCodeNote('count.sh', text, 'wc: x: No such file\n', ['run_in_sandbox']), '', 'the failure is elsewhere');
  assert.equal(
    toolInCodeNote('a.py', 'print("read_file is a tool")\n', "NameError: name 'read_file' is not defined", ['read_file']),
    '',
    'a mention in a string is no call',
  );
});

test('a JavaScript module the request asks to export a function gets the export it lacks, in the module system it uses', () => {
  const fizz = 'function fizzbuzz(n) {\n  return [];\n}\n';
  const request = 'Write fizzbuzz.js, a CommonJS module exporting `fizzbuzz(n)` that returns an array of strings.';
  assert.deepEqual(missingExport('fizzbuzz.js', fizz, request), {
    names: ['fizzbuzz'],
    text: `${fizz}\nmodule.exports = { fizzbuzz };\n`,
    what: 'added `module.exports = { fizzbuzz };` at its end',
  });
  assert.equal(missingExport('fizzbuzz.js', `${fizz}module.exports = { fizzbuzz };\n`, request), undefined);
  assert.equal(missingExport('fizzbuzz.js', `${fizz}exports.fizzbuzz = fizzbuzz;\n`, request), undefined);
  assert.equal(missingExport('fizzbuzz.js', 'export function fizzbuzz(n) {\n  return [];\n}\n', request), undefined);
  assert.deepEqual(
    missingExport('range.ts', 'import x from "y";\nconst inRange = (a: number) => a > 0;\n', 'Export `inRange` from range.ts.')?.what,
    'added `export { inRange };` at its end',
  );
  assert.equal(missingExport('fizzbuzz.js', fizz, 'Write fizzbuzz.js with a function `fizzbuzz(n)`.'), undefined, 'no export asked for');
  assert.equal(missingExport('fizz.py', 'def fizzbuzz(n):\n    return []\n', request), undefined, 'not a JavaScript file');
});

test('a script that reads a file named on its command line is run with one: a file the request names, else itself', () => {
  const count = '#!/bin/bash\nwc -l < "$1"\n';
  const request = 'Write a bash script count.sh that prints the number of lines in the file given as its first argument.';
  assert.equal(fileArgumentFor('count.sh', count, request, []), 'count.sh');
  assert.equal(fileArgumentFor('count.sh', count, request, ['notes.txt']), 'notes.txt');
  assert.equal(
    fileArgumentFor('fact.sh', 'echo $(( $1 * 2 ))\n', 'Write fact.sh that prints twice the number given as its argument.', []),
    undefined,
    'not a file',
  );
  assert.equal(fileArgumentFor('hello.sh', 'echo hi\n', request, []), undefined, 'reads no argument');
});

test('an export the request says to drop, or one the file has as a default export, is not added', () => {
  const helper = 'function helper(x) {\n  return x;\n}\n';
  assert.equal(missingExport('lib.js', helper, 'Stop exporting `helper` from lib.js.'), undefined);
  assert.equal(missingExport('lib.js', helper, 'Make `helper` private: do not export it.'), undefined);
  assert.equal(missingExport('lib.mjs', `${helper}export default helper;\n`, 'Export `helper` from lib.mjs.'), undefined);
});

test('a script the request gives the exact output of, whose function needs arguments nobody names, is shown the one line that prints it', () => {
  const greet = 'def greet(name):\n    return f"Hello, {name}!"\n';
  assert.match(
    uncalledEntryNote(
      'hello.py',
      greet,
      'python3 hello.py',
      'write_file',
      'Create a Python script hello.py that prints exactly: Hello, world!',
      'Hello, world!',
    ),
    /The task asks it to print exactly `Hello, world!`: hello\.py can be just this line:\nprint\("Hello, world!"\)$/,
  );
  assert.match(
    uncalledEntryNote('hello.rb', 'def greet(name)\n  "hi #{name}"\nend\n', 'ruby hello.rb', 'write_file', '', 'say "hi"'),
    /\nputs "say \\"hi\\""$/,
  );
});

test('a Rust function the request calls public, written without pub, is made pub; one already pub, or not asked for, is not', () => {
  const lib = '// Write the add function here.\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n';
  const request = 'In this Rust crate, write a public function `add(a: i32, b: i32) -> i32` in src/lib.rs that returns the sum.';
  assert.deepEqual(missingExport('src/lib.rs', lib, request), { names: ['add'], text: lib.replace('fn add', 'pub fn add'), what: 'made `fn add` `pub`' });
  assert.equal(missingExport('src/lib.rs', lib.replace('fn add', 'pub fn add'), request), undefined);
  assert.equal(missingExport('src/lib.rs', lib, 'Write a function `add` in src/lib.rs.'), undefined, 'not asked to be public');
});
