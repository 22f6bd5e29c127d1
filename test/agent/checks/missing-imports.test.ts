/** The includes and imports a compiler names as missing: read off its output, added where such lines go. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingImports, namesFile, withImports } from '../../../src/agent/checks/missing-imports.ts';

test('GCC (C and C++, either quotes), clang and rustc name the line to add', () => {
  const output = [
    'vm.cpp:2:1: note: ‘std::map’ is defined in header ‘<map>’; did you forget to ‘#include <map>’?',
    "vm.cpp:9:1: note: 'std::vector' is defined in header '<vector>'; did you forget to '#include <vector>'?",
    "vm.cpp:9:1: note: 'std::vector' is defined in header '<vector>'; did you forget to '#include <vector>'?",
    'size.c:1:1: note: include ‘<stdio.h>’ or provide a declaration of ‘snprintf’',
    "x.c:4:5: note: include the header <string.h> or explicitly provide a declaration for 'strlen'",
    'vm.cpp:10:43: error: variable ‘std::istringstream iss’ has initializer but incomplete type',
    'error[E0412]: cannot find type `HashMap` in this scope',
    ' --> src/lib.rs:2:30',
    '  |',
    'help: consider importing this struct',
    '  |',
    '2 + use std::collections::HashMap;',
    '  |',
    ' --> src/lib.rs:7:3',
    'help: consider importing one of these items',
    '  |',
    '1 + use std::fmt::Write;',
  ].join('\n');
  assert.deepEqual(missingImports(output), [
    { file: 'vm.cpp', line: '#include <map>' },
    { file: 'vm.cpp', line: '#include <vector>' },
    { file: 'size.c', line: '#include <stdio.h>' },
    { file: 'x.c', line: '#include <string.h>' },
    { file: 'vm.cpp', line: '#include <sstream>' },
    { file: 'src/lib.rs', line: 'use std::collections::HashMap;' },
  ]);
  assert.deepEqual(missingImports('FAIL add: expected 5, got 4\n'), []);
  // (a C library function GCC names no header for: c-human-size's strtoull, a warning, and a wrong result)
  const implicit = [
    'size.c:22:12: warning: implicit declaration of function ‘strtoull’; did you mean ‘strcoll’? [-Wimplicit-function-declaration]',
    "parse.c:3:10: error: call to undeclared library function 'isdigit' with type 'int (int)'; ISO C99 and later do not support implicit function declarations",
    "parse.c:9:3: warning: implicit declaration of function 'helper' [-Wimplicit-function-declaration]",
  ].join('\n');
  assert.deepEqual(missingImports(implicit), [
    { file: 'size.c', line: '#include <stdlib.h>' },
    { file: 'parse.c', line: '#include <ctype.h>' },
  ]);
});

test('an include goes after the last include; a use after the inner docs; a line already there is not added again', () => {
  assert.deepEqual(withImports('#include "vm.hpp"\n\n#include <stdexcept>\n\nint x;\n', ['#include <map>', '#include <stdexcept>']), {
    text: '#include "vm.hpp"\n\n#include <stdexcept>\n#include <map>\n\nint x;\n',
    at: 3,
    added: 1,
  });
  assert.deepEqual(
    withImports('//! Keypad.\n#![allow(dead_code)]\npub fn f() {}\n', ['use std::collections::HashMap;']).text,
    '//! Keypad.\n#![allow(dead_code)]\nuse std::collections::HashMap;\npub fn f() {}\n',
  );
  assert.equal(withImports('int f(void);\n', ['#include <stdio.h>']).text, '#include <stdio.h>\nint f(void);\n');
  assert.equal(withImports('#include <map>\n', ['#include <map>']).added, 0);
});

test("the compiler's file is the project's file when one path ends with the other", () => {
  assert.ok(namesFile('vm.cpp', 'vm.cpp'));
  assert.ok(namesFile('/work/src/lib.rs', 'src/lib.rs'));
  assert.ok(namesFile('./size.c', 'size.c'));
  assert.ok(!namesFile('othersize.c', 'size.c'));
});

test("javac names no import: the JDK's usual classes are looked up, and the import goes after the package line", () => {
  // (javac 17's own output for a file that imports only java.util.List)
  const output = [
    'com/x/Wrap.java:7: error: cannot find symbol',
    '        List<String> lines = new ArrayList<>();',
    '                                 ^',
    '  symbol:   class ArrayList',
    '  location: class Wrap',
    'com/x/Wrap.java:8: error: cannot find symbol',
    '        lines.addAll(Arrays.asList(text.split(" ")));',
    '                     ^',
    '  symbol:   variable Arrays',
    '  location: class Wrap',
    'com/x/Wrap.java:10: error: cannot find symbol',
    '        Foo f = null;',
    '        ^',
    '  symbol:   class Foo',
    '  location: class Wrap',
    '3 errors',
    '[ERROR] /work/src/main/java/com/x/Lines.java:[12,9] cannot find symbol',
    '  symbol:   class HashMap',
  ].join('\n');
  assert.deepEqual(missingImports(output), [
    { file: 'com/x/Wrap.java', line: 'import java.util.ArrayList;' },
    { file: 'com/x/Wrap.java', line: 'import java.util.Arrays;' },
    { file: '/work/src/main/java/com/x/Lines.java', line: 'import java.util.HashMap;' },
  ]);
  assert.equal(
    withImports('package com.x;\n\nimport java.util.List;\n\nclass Wrap {}\n', ['import java.util.ArrayList;']).text,
    'package com.x;\n\nimport java.util.List;\nimport java.util.ArrayList;\n\nclass Wrap {}\n',
  );
  assert.equal(
    withImports('package com.x;\n\nclass Wrap {}\n', ['import java.util.ArrayList;']).text,
    'package com.x;\nimport java.util.ArrayList;\n\nclass Wrap {}\n',
  );
  assert.equal(
    withImports('/** Wraps. */\nclass Wrap {}\n', ['import java.util.ArrayList;']).text,
    'import java.util.ArrayList;\n/** Wraps. */\nclass Wrap {}\n',
  );
});
