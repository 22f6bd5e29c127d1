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
});
