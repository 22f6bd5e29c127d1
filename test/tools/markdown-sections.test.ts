/** A whole write of an existing Markdown document keeps the sections it leaves out (tools/markdown-sections.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keepLeftOutSections } from '../../tools/markdown-sections.ts';
import { editFilesTool } from '../../tools/edit_files.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import { makeProject } from './tool-context.ts';

const readme =
  '# roombook\n\nBooks rooms.\n\n## Quick start\n\n```sh\n# not a heading\nnode src/main.ts\n```\n\n' +
  '## Configuration\n\nSettings come from files.\n\n## HTTP API\n\nJSON over HTTP.\n\n### Errors\n\n400 for bad input.\n\n## Command line\n\n`roombook`.\n';

test('the sections the text leaves out are put back after the section they followed, the written ones as written', () => {
  const written =
    '# roombook\n\nBooks meeting rooms.\n\n## Quick start\n\n```sh\nnode src/main.ts\n```\n\n## Configuration\n\nSettings come from files.\n\n| setting | default |\n|---|---|\n| port | 8080 |\n';
  const { text, kept } = keepLeftOutSections(readme, written);
  assert.deepEqual(kept, ['## HTTP API', '### Errors', '## Command line']);
  assert.equal(
    text,
    '# roombook\n\nBooks meeting rooms.\n\n## Quick start\n\n```sh\nnode src/main.ts\n```\n\n## Configuration\n\nSettings come from files.\n\n| setting | default |\n|---|---|\n| port | 8080 |\n\n' +
      '## HTTP API\n\nJSON over HTTP.\n\n### Errors\n\n400 for bad input.\n\n## Command line\n\n`roombook`.\n',
  );
});

test('a new section stays where it was written; one left out before every kept one goes after the lead', () => {
  const before = '# Tally\n\nTime tracking.\n\n## Install\n\npip install.\n\n## Command line\n\ntally log.\n';
  const { text, kept } = keepLeftOutSections(before, '# Tally\n\nTime tracking.\n\n## Configuration\n\nA file.\n\n## Command line\n\ntally log.\n');
  assert.deepEqual(kept, ['## Install']);
  assert.equal(text, '# Tally\n\nTime tracking.\n\n## Install\n\npip install.\n\n## Configuration\n\nA file.\n\n## Command line\n\ntally log.\n');
  const lead = keepLeftOutSections('Intro.\n\n## A\n\na\n\n## B\n\nb\n', 'Intro.\n\n## B\n\nb, changed\n');
  assert.equal(lead.text, 'Intro.\n\n## A\n\na\n\n## B\n\nb, changed\n');
});

test('nothing is put back when no section is left out, or when the text has no heading at all', () => {
  const same = keepLeftOutSections(readme, `${readme}\n## More\n\nMore.\n`);
  assert.deepEqual(same.kept, []);
  const fragment = keepLeftOutSections(readme, 'Just one paragraph.\n');
  assert.deepEqual(fragment, { text: 'Just one paragraph.\n', kept: [] });
  // (a heading inside fenced code is not one: the code's comment line does not count as a section)
  assert.deepEqual(keepLeftOutSections('# A\n\n```sh\n# B\n```\n', '# A\n\nshorter\n').kept, []);
});

test('write_file and edit_files keep the left-out sections of a README and say which; other files are written as given', async (t) => {
  const p = makeProject({ files: { 'README.md': readme, 'notes.txt': '# one\n\n# two\n' } });
  t.after(() => p.cleanup());
  p.ctx.seen?.('README.md');
  const written = '# roombook\n\nBooks rooms.\n\n## Configuration\n\nSettings come from files, then the environment.\n';
  const result = await writeFileTool.execute({ path: 'README.md', content: written }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  const now = readFileSync(path.join(p.root, 'README.md'), 'utf8');
  assert.match(now, /## Configuration\n\nSettings come from files, then the environment\.\n\n## HTTP API\n/);
  assert.match(now, /^# roombook\n\nBooks rooms\.\n\n## Quick start\n/);
  assert.match(
    result.forModel,
    /Kept in README\.md: 4 sections your text left out, where they stood \(## Quick start, ## HTTP API, ### Errors, ## Command line\)\. To remove a section, use edit_file/,
  );
  const other = await editFilesTool.execute({ changes: [{ path: 'notes.txt', edits: null, content: '# one\n' }] }, p.ctx);
  assert.equal(other.error, undefined, other.forModel);
  assert.equal(readFileSync(path.join(p.root, 'notes.txt'), 'utf8'), '# one\n', 'not Markdown: written as given');
  // (the README written again with its title alone: every section kept, so nothing changes, and the model is told why)
  const again = await editFilesTool.execute({ changes: [{ path: 'README.md', edits: null, content: '# roombook\n\nBooks rooms.\n' }] }, p.ctx);
  assert.equal(again.error, undefined, again.forModel);
  assert.match(again.forModel, /^No change[\s\S]*Kept in README\.md: 5 sections/);
  assert.match(readFileSync(path.join(p.root, 'README.md'), 'utf8'), /## Configuration\n\nSettings come from files, then the environment\.\n/);
});
