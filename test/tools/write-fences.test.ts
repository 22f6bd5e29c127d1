/** A Markdown fence the model wraps around a whole file or snippet, by chat habit, is not written into the file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTextAction } from '../../src/model/action-text.ts';
import { withoutWrappingFence } from '../../tools/file-edits.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import { makeProject } from './tool-context.ts';

const script = '#!/bin/bash\necho "$(wc -l < "$1")"\n';

test('a script the model fenced inside the block is written without the fence (bash-count-lines)', async (t) => {
  const p = makeProject({ files: {} });
  t.after(() => p.cleanup());
  // the step as the 1.5B model wrote it: the block's own fence, then a fence of its own inside
  const raw = `{"thought": "Write the script.", "tool": "write_file", "args": {"path": "count.sh"}}\n\`\`\`\n\`\`\`bash\n${script}\`\`\`\n\`\`\``;
  const action = parseTextAction(raw, [writeFileTool]);
  assert.equal(action.args.content, `\`\`\`bash\n${script}\`\`\`\n`);
  const written = await writeFileTool.execute(action.args as { path: string; content: string }, p.ctx);
  assert.equal(written.error, undefined, written.forModel);
  assert.equal(readFileSync(path.join(p.root, 'count.sh'), 'utf8'), script);
});

test('a fenced whole file in a JSON string is unwrapped too; a Markdown file keeps its fence', async (t) => {
  const p = makeProject({ files: {} });
  t.after(() => p.cleanup());
  await writeFileTool.execute({ path: 'calc.py', content: '```python\ndef add(a, b):\n    return a + b\n```' }, p.ctx);
  assert.equal(readFileSync(path.join(p.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');
  const doc = '```sh\nnpm install\n```\n';
  await writeFileTool.execute({ path: 'INSTALL.md', content: doc }, p.ctx);
  assert.equal(readFileSync(path.join(p.root, 'INSTALL.md'), 'utf8'), doc);
});

test('only a fence around all of the text is taken off', () => {
  const code = 'x = 1\n```\ny = 2\n';
  assert.equal(withoutWrappingFence(code), code);
  const inner = 'doc = """\n```py\nprint(1)\n```\n"""\n';
  assert.equal(withoutWrappingFence(inner), inner);
  assert.equal(withoutWrappingFence('```\n```'), '```\n```');
  assert.equal(withoutWrappingFence('```js\nlet a = 1;\n```\n\n'), 'let a = 1;\n');
  assert.equal(withoutWrappingFence('```python\nx = 1\n'), 'x = 1\n', 'an opening fence whose closing one ended the block');
  assert.equal(withoutWrappingFence('```python\nx = 1\n```\ny = 2\n'), '```python\nx = 1\n```\ny = 2\n');
});
