/**
 * The syntax gate, through the real edit tools, workspace and apply: in every indexed language a
 * change that breaks the file's syntax is refused with its line shown, nothing is staged, asked or
 * written; a valid change goes through; a file that already had a syntax error can still be edited
 * elsewhere; files without a grammar are not checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { languageIds, languageOf } from '../../src/index/languages.ts';
import { deleteFileTool } from '../../tools/delete_file.ts';
import { editFileTool } from '../../tools/edit_file.ts';
import { editFilesTool } from '../../tools/edit_files.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import type { ToolResult } from '../../tools/tool.ts';
import { applyFindReplace, syntaxCases } from '../support/syntax-cases.ts';
import { makeProject, readTree, type TestProject } from './tool-context.ts';

const nothingApplied = { applied: [], deleted: [], unchanged: false };

/** Asserts `result` is the gate's refusal, pointing at `line` of `file`, and that the project is as it was. */
function assertRefused(project: TestProject, result: ToolResult, file: string, line: number, treeBefore: Record<string, string>): void {
  assert.equal(result.error?.code, 'syntax', result.forModel);
  assert.match(result.forModel, new RegExp(`syntax error in ${file.replace(/[.]/g, '\\.')} \\(\\w+\\), line ${line}, column \\d+: `));
  assert.match(result.forModel, new RegExp(`^> +${line} \\| `, 'm'), 'the error line is shown, marked');
  assert.match(result.forModel, /^ +\| [ \t]*\^$/m, 'the error column is pointed at');
  assert.match(result.forModel, /Fix the edit so the file parses; nothing was written\.$/);
  assert.deepEqual(result.edit, nothingApplied);
  assert.equal(project.asked.length, 0, 'the user is not asked about a change that will be refused');
  assert.deepEqual(project.workspace.pending(), [], 'nothing is staged');
  assert.deepEqual(readTree(project.root), treeBefore, 'nothing is written');
}

test('every indexed language has a syntax gate case', () => {
  assert.deepEqual(Object.keys(syntaxCases).sort(), [...languageIds].sort());
  for (const [id, c] of Object.entries(syntaxCases)) assert.equal(languageOf(c.path), id);
});

for (const id of languageIds) {
  const c = syntaxCases[id];

  test(`${id}: an edit that breaks the syntax is refused with the line shown; nothing is asked or written`, async () => {
    const project = makeProject({ files: { [c.path]: c.text } });
    try {
      const before = readTree(project.root);
      const result = await editFileTool.execute({ path: c.path, edits: [c.breaks] }, project.ctx);
      assertRefused(project, result, c.path, c.breaks.line, before);
    } finally {
      project.cleanup();
    }
  });

  test(`${id}: a valid edit passes the gate`, async () => {
    const project = makeProject({ files: { [c.path]: c.text } });
    try {
      const result = await editFileTool.execute({ path: c.path, edits: [c.fine] }, project.ctx);
      assert.equal(result.error, undefined, result.forModel);
      assert.equal(project.asked.length, 1);
      assert.equal(readFileSync(path.join(project.root, c.path), 'utf8'), applyFindReplace(c.text, c.fine));
    } finally {
      project.cleanup();
    }
  });

  test(`${id}: a file that already has a syntax error can still be edited elsewhere`, async () => {
    const broken = applyFindReplace(c.text, c.breaks);
    const project = makeProject({ files: { [c.path]: broken } });
    try {
      const result = await editFileTool.execute({ path: c.path, edits: [c.elsewhere] }, project.ctx);
      assert.equal(result.error, undefined, result.forModel);
      assert.equal(readFileSync(path.join(project.root, c.path), 'utf8'), applyFindReplace(broken, c.elsewhere));
    } finally {
      project.cleanup();
    }
  });

  test(`${id}: a new file written whole that does not parse is refused`, async () => {
    const project = makeProject();
    try {
      const before = readTree(project.root);
      const result = await writeFileTool.execute({ path: c.path, content: applyFindReplace(c.text, c.breaks) }, project.ctx);
      assertRefused(project, result, c.path, c.breaks.line, before);
      assert.equal(existsSync(path.join(project.root, c.path)), false);
    } finally {
      project.cleanup();
    }
  });
}

test('Python indentation that tree-sitter accepts and Python refuses is refused', async () => {
  const text = 'class Shop:\n    def total(self, items):\n        s = 0\n        for item in items:\n            s += item\n        return s\n';
  const breaks: Array<{ find: string; replace: string; line: number; message: RegExp }> = [
    { find: '            s += item\n', replace: '        s += item\n', line: 4, message: /expected an indented block after this line/ },
    { find: '        return s\n', replace: '      return s\n', line: 6, message: /unindent does not match any outer indentation level/ },
    { find: '        s = 0\n', replace: '        s = 0\n          s = 1\n', line: 4, message: /unexpected indent/ },
    { find: '    def total', replace: 'def total', line: 1, message: /expected an indented block after this line/ },
  ];
  for (const edit of breaks) {
    const project = makeProject({ files: { 'shop.py': text } });
    try {
      const before = readTree(project.root);
      const result = await editFileTool.execute({ path: 'shop.py', edits: [edit] }, project.ctx);
      assertRefused(project, result, 'shop.py', edit.line, before);
      assert.match(result.forModel, edit.message);
    } finally {
      project.cleanup();
    }
  }
});

test('files without a grammar are not checked: Markdown, JSON, YAML, text, a Makefile', async () => {
  const files = {
    'README.md': '# Title\n\n```js\nfunction (\n```\n',
    'package.json': '{ "name": "x",\n',
    'ci.yaml': 'on: [push\n',
    'notes.txt': 'def (:\n',
    Makefile: 'all:\n\techo {\n',
  };
  const project = makeProject({ files: Object.fromEntries(Object.keys(files).map((p) => [p, 'start\n'])) });
  try {
    for (const [file, content] of Object.entries(files)) {
      const result = await writeFileTool.execute({ path: file, content }, project.ctx);
      assert.equal(result.error, undefined, `${file}: ${result.forModel}`);
      assert.equal(readFileSync(path.join(project.root, file), 'utf8'), content);
    }
    assert.equal(project.asked.length, Object.keys(files).length);
  } finally {
    project.cleanup();
  }
});

test('edit_files: one broken file refuses the whole change set; every broken file is named', async () => {
  const py = syntaxCases.python;
  const go = syntaxCases.go;
  const project = makeProject({ files: { [py.path]: py.text, [go.path]: go.text, 'README.md': 'old\n' } });
  try {
    const before = readTree(project.root);
    const result = await editFilesTool.execute(
      {
        changes: [
          { path: 'README.md', edits: null, content: 'new\n' },
          { path: py.path, edits: [py.breaks], content: null },
          { path: go.path, edits: [go.breaks], content: null },
        ],
      },
      project.ctx,
    );
    assertRefused(project, result, py.path, py.breaks.line, before);
    assert.match(result.forModel, new RegExp(`Also broken: ${go.path} \\(line ${go.breaks.line}: `));
  } finally {
    project.cleanup();
  }
});

test('an error that shows up far from the change also shows the changed lines', async () => {
  const body = Array.from({ length: 20 }, (_, i) => `function f${i}() {\n  return ${i};\n}\n`).join('');
  const project = makeProject({ files: { 'many.js': body } });
  try {
    const before = readTree(project.root);
    const result = await editFileTool.execute(
      { path: 'many.js', edits: [{ find: 'function f2() {\n', replace: 'function f2() {\n  if (x) {\n' }] },
      project.ctx,
    );
    assertRefused(project, result, 'many.js', 61, before);
    assert.match(result.forModel, /the changed line 8 may hold an unclosed bracket, block or quote:\n {2}8 \| {3}if \(x\) \{/);
  } finally {
    project.cleanup();
  }
});

test('appending to a file whose unclosed brace is reported at its end is not refused', async () => {
  const text = 'function open() {\n  return 1;\n\nfunction g() {}\n';
  const project = makeProject({ files: { 'open.js': text } });
  try {
    const result = await writeFileTool.execute({ path: 'open.js', content: `${text}function h() {}\n` }, project.ctx);
    assert.equal(result.error, undefined, result.forModel);
  } finally {
    project.cleanup();
  }
});

test('fixing an error is never refused, and deleting a broken file is not checked', async () => {
  const c = syntaxCases.c;
  const broken = applyFindReplace(c.text, c.breaks);
  const project = makeProject({ files: { [c.path]: broken, 'other.c': broken } });
  try {
    const fixed = await writeFileTool.execute({ path: c.path, content: c.text }, project.ctx);
    assert.equal(fixed.error, undefined, fixed.forModel);
    const deleted = await deleteFileTool.execute({ path: 'other.c' }, project.ctx);
    assert.equal(deleted.error, undefined, deleted.forModel);
    assert.equal(existsSync(path.join(project.root, 'other.c')), false);
  } finally {
    project.cleanup();
  }
});

test('a file over index.maxFileBytes is not checked', async () => {
  const project = makeProject({ files: { 'big.py': 'x = 1\n' } });
  try {
    project.ctx.config.index.maxFileBytes = 64;
    const content = `${'# padding\n'.repeat(10)}def broken(:\n`;
    const result = await writeFileTool.execute({ path: 'big.py', content }, project.ctx);
    assert.equal(result.error, undefined, result.forModel);
    project.ctx.config.index.maxFileBytes = 1024;
    const refused = await writeFileTool.execute({ path: 'small.py', content: 'x = 1\ndef broken(:\n' }, project.ctx);
    assert.equal(refused.error?.code, 'syntax', 'the same text under the bound is checked');
  } finally {
    project.cleanup();
  }
});

test('a shell script tree-sitter cannot parse but bash can goes through; one bash cannot parse is refused', async (t) => {
  // tree-sitter-bash refuses an escaped bracket in [[ ]]; bash -n (reads, runs nothing) accepts it
  const valid = 'while IFS= read -r line; do\n  if [[ $line == \\[$section\\] ]]; then\n    echo found\n  fi\ndone < "$1"\n';
  const project = makeProject({ files: { 'ini.sh': 'echo stub\n', 'other.sh': 'echo stub\n' } });
  t.after(() => project.cleanup());
  const written = await writeFileTool.execute({ path: 'ini.sh', content: valid }, project.ctx);
  assert.equal(written.error, undefined, written.forModel);
  assert.equal(readFileSync(path.join(project.root, 'ini.sh'), 'utf8'), valid);
  const broken = await writeFileTool.execute({ path: 'other.sh', content: 'if [ -f x ]; then\n  echo x\n' }, project.ctx);
  assert.equal(broken.error?.code, 'syntax', broken.forModel);
});
