/**
 * An edit that changes nothing is refused with the project definitions its lines call: the fault
 * the model could not see in those lines may be there. Real files, the real index, the real tool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults } from '../../src/config/schema.ts';
import { openIndex } from '../../src/index/open-index.ts';
import { calledNames } from '../../tools/callees-note.ts';
import { editFileTool } from '../../tools/edit_file.ts';
import { makeProject } from './tool-context.ts';

test('the names some lines call, without keywords, builtins spelled as keywords, or what the lines define', () => {
  assert.deepEqual(calledNames('      by_tag(list.pending).each do |tag, titles|\n'), ['by_tag']);
  assert.deepEqual(calledNames('    def total(self, d=0):\n        return round(apply_discount(sub, d), 2)\n'), ['round', 'apply_discount']);
  assert.deepEqual(calledNames('  if (n > 0) { return helper(n) + helper(1); }\n'), ['helper']);
});

test('an edit that copies its lines unchanged shows the definitions they call', async (t) => {
  const report = [
    'module Report',
    '  def self.render(list)',
    '    by_tag(list).map do |tag, titles|',
    '      "#{tag}: #{titles.join(", ")}"',
    '    end',
    '  end',
    '',
    '  def self.by_tag(items)',
    '    items.group_by { |i| i.tags.first }',
    '  end',
    'end',
    '',
  ].join('\n');
  const p = makeProject({ files: { 'lib/report.rb': report, 'lib/other.rb': 'def helper\n  1\nend\n' } });
  t.after(() => p.cleanup());
  const index = openIndex(p.root, defaults, { threads: 1 });
  await index.update();
  const ctx = { ...p.ctx, index };
  const line = '    by_tag(list).map do |tag, titles|\n';
  const result = await editFileTool.execute({ path: 'lib/report.rb', edits: [{ find: line, replace: line }] }, ctx);
  assert.equal(result.error?.code, 'invalid_args');
  assert.match(
    result.forModel,
    /^Error \(invalid_args\): Nothing was changed[^\n]*\nThese lines call by_tag \(lib\/report\.rb\):\n 8\|   def self\.by_tag\(items\)\n 9\|     items\.group_by \{ \|i\| i\.tags\.first \}\n10\|   end$/,
  );
  const plain = await editFileTool.execute({ path: 'lib/report.rb', edits: [{ find: 'module Report\n', replace: 'module Report\n' }] }, ctx);
  assert.match(plain.forModel, /^Error \(invalid_args\): Nothing was changed[^\n]*$/, 'lines that call nothing the index knows: the refusal alone');
});
