import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedLinesView } from '../../tools/changed-lines-view.ts';
import { editFileTool } from '../../tools/edit_file.ts';
import { readFileTool } from '../../tools/read_file.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import { makeProject } from './tool-context.ts';

const stack = [
  'package stack',
  '',
  'type Stack struct{ items []int }',
  '',
  'func (s *Stack) Pop() (v int, ok bool) {',
  '\tif len(s.items) == 0 {',
  '\t\treturn 0, false',
  '\t}',
  '\tv = s.items[0]',
  '\ts.items = s.items[1:]',
  '\treturn v, true',
  '}',
  '',
].join('\n');

test('the lines around a change, numbered as read_file numbers them; several changes apart; nothing for a new or unchanged file', () => {
  const after = stack.replace('\tv = s.items[0]\n\ts.items = s.items[1:]\n', '\tv = s.items[len(s.items)-1]\n\ts.items = s.items[:len(s.items)-1]\n');
  assert.equal(
    changedLinesView('stack.go', stack, after),
    [
      'stack.go now, around the change:',
      ' 7| \t\treturn 0, false',
      ' 8| \t}',
      ' 9| \tv = s.items[len(s.items)-1]',
      '10| \ts.items = s.items[:len(s.items)-1]',
      '11| \treturn v, true',
      '12| }',
    ].join('\n'),
  );
  const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
  const twoPlaces = long.replace('line 3\n', 'line three\n').replace('line 30\n', 'line thirty\n');
  assert.match(changedLinesView('a.txt', long, twoPlaces), /\n 5\| line 5\n\.\.\.\n28\| line 28\n/, 'two changes far apart: two windows');
  const everywhere = long.replace(/line/g, 'row');
  assert.match(changedLinesView('a.txt', long, everywhere, 10), /\n10\| row 10\n\[30 more changed or nearby lines: read_file shows them\.\]$/);
  assert.equal(changedLinesView('new.txt', null, 'x\n'), '');
  assert.equal(changedLinesView('a.txt', 'x\n', 'x\n'), '');
});

test('an applied edit shows what the file now reads like there (an insertion that left the old body below shows it)', async () => {
  const p = makeProject({ files: { 'stack.go': stack } });
  try {
    await readFileTool.execute({ path: 'stack.go', startLine: null, endLine: null }, p.ctx);
    const header = 'func (s *Stack) Pop() (v int, ok bool) {\n';
    const r = await editFileTool.execute({ path: 'stack.go', edits: [{ find: header, replace: `${header}\treturn 1, true\n` }] }, p.ctx);
    assert.equal(r.error, undefined, r.forModel);
    assert.match(
      r.forModel,
      /^Applied: stack\.go \(edited, \+1 -0\)\.\nstack\.go now, around the change:\n 4\| \n 5\| func[^]*\n 6\| \treturn 1, true\n 7\| \tif len/,
    );
    const created = await writeFileTool.execute({ path: 'new.go', content: 'package stack\n' }, p.ctx);
    assert.equal(created.forModel, 'Applied: new.go (created, +1 -0).', 'a new file is the action itself');
  } finally {
    p.cleanup();
  }
});
