/** write_file takes content copied from a read_file observation as the file's text, without the observation's marks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readFileTool } from '../../tools/read_file.ts';
import { withoutViewNumbers } from '../../tools/file-edits.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import { makeProject } from './tool-context.ts';

const source = 'class Version\n  def to_s\n    @text\n  end\n\n  def major\n    @major\n  end\nend\n';

test("a read_file observation copied whole into write_file is written as the file's text", async (t) => {
  const p = makeProject({ files: { 'version.rb': source } });
  t.after(() => p.cleanup());
  const read = await readFileTool.execute({ path: 'version.rb', startLine: null, endLine: null }, p.ctx);
  assert.match(read.forModel, /^version\.rb \(\d+ lines\)\n\s*1\| class Version/);
  assert.equal(withoutViewNumbers(read.forModel), source.replace(/\n$/, ''));
  const changed = read.forModel.replace('@major', '@major.to_i');
  const written = await writeFileTool.execute({ path: 'version.rb', content: `${changed}\n` }, { ...p.ctx, seen: () => true });
  assert.equal(written.error, undefined, written.forModel);
  assert.equal(readFileSync(path.join(p.root, 'version.rb'), 'utf8'), source.replace('@major', '@major.to_i'));
});

test('content where not every line has a gutter is left as it is', () => {
  const table = '| a | b |\n|---|---|\n1| one\n';
  assert.equal(withoutViewNumbers(table), table);
  assert.equal(withoutViewNumbers('x = 1\n2| y\n'), 'x = 1\n2| y\n');
  // a REPLACE that begins as its SEARCH does and goes on in the view's numbered lines (ts-fix-back-to-back)
  const replace = '  const rows = db\n  14|     .prepare(\n  15|       `SELECT 1`,\n  16|     )\n';
  assert.equal(withoutViewNumbers(replace), replace, 'a file written whole is all numbered or left as it is');
  assert.equal(withoutViewNumbers(replace, { firstFree: true }), '  const rows = db\n    .prepare(\n      `SELECT 1`,\n    )\n');
  assert.equal(withoutViewNumbers('x = 1\n2| y\n', { firstFree: true }), 'x = 1\n2| y\n', 'one numbered line is not a copied view');
});

test("the header made a comment and the gutter of a refused change's lines are marks too", () => {
  // what the 1.5B model wrote back in pyapp-fix-page-count: read_file's view with its header commented out
  const view = '# tally/api/pagination.py (3 lines)\n 1| def page_count(total, size):\n 2|     """Pages."""\n 3|     return max(1, total // size)\n';
  assert.equal(withoutViewNumbers(view), 'def page_count(total, size):\n    """Pages."""\n    return max(1, total // size)\n');
  // and the lines of a syntax refusal (`> 47 | `, the error's line marked) copied into a REPLACE
  const refusal = '  46 |     pages = page_count(total, page.size)\n> 47 |     if page.number > pages:\n  48 |         raise HttpError(404)\n';
  assert.equal(withoutViewNumbers(refusal), '    pages = page_count(total, page.size)\n    if page.number > pages:\n        raise HttpError(404)\n');
  assert.equal(withoutViewNumbers('# a heading (3 lines)\nnot numbered\n'), '# a heading (3 lines)\nnot numbered\n');
});
