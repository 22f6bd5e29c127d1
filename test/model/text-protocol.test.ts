/**
 * The text protocol: actions written as a JSON line plus raw code blocks. The codec round-trips
 * every form; the grammar compiles in the real engine, accepts exactly the text the codec writes
 * (forced token by token through node-llama-cpp on the tiny GGUF), and, knowing the workspace,
 * turns a hallucinated path or edit anchor into a real one.
 */
import { grammarAccepts } from '../support/grammar-accepts.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseTextAction, renderTextAction } from '../../src/model/action-text.ts';
import { actionProtocol } from '../../src/model/action-protocol.ts';
import type { EmbeddedModel } from '../../src/model/embedded.ts';
import { ModelError, type Action } from '../../src/model/language-model.ts';
import { buildTextGrammar, gbnfLiteral } from '../../src/model/text-grammar.ts';
import { builtinTools } from '../../tools/index.ts';
import { orderTools } from '../../tools/tool.ts';
import { loadTinyModel } from './fixtures.ts';

const tools = orderTools(builtinTools);
const act = (tool: string, args: Record<string, unknown>, thought = 'Do it.'): Action => ({ thought, tool, args });

const appPy = 'def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n';
const workspace = {
  files: ['app.py', 'src/util/strings.py', 'src/util/numbers.py', 'README.md'],
  seen: new Map([
    ['app.py', appPy],
    ['src/util/numbers.py', 'from app import add\n\nTWO = add(1, 1)\n'],
  ]),
};

const samples: Action[] = [
  act('write_file', { path: 'hello.py', content: 'print("hi \\"there\\"")\n\tindented\n' }),
  act('write_file', { path: 'empty.txt', content: '' }),
  act('read_file', { path: 'src/util/strings.py', startLine: 3, endLine: null }),
  act('edit_file', { path: 'app.py', edits: [{ find: '    return a - b\n\n\ndef sub(a, b):\n', replace: '    return a + b\n\n\ndef sub(a, b):\n' }] }),
  act('edit_file', {
    path: 'app.py',
    edits: [
      { find: 'def add(a, b):\n', replace: 'def add(a: int, b: int) -> int:\n' },
      { find: 'def sub(a, b):\n', replace: '' },
    ],
  }),
  act('edit_files', {
    changes: [
      { path: 'app.py', edits: [{ find: 'def add(a, b):\n', replace: 'def plus(a, b):\n' }], content: null },
      { path: 'src/util/numbers.py', edits: [{ find: 'from app import add\n', replace: 'from app import plus\n' }], content: null },
    ],
  }),
  act('run_in_sandbox', { language: 'python', code: 'import app\nprint(app.add(2, 3))\n', command: null }),
  act('run_in_sandbox', { language: null, code: null, command: 'python3 -m pytest -q' }),
  act('run_tests', { command: null }),
  act('answer', { text: 'Fixed add in app.py:2.' }),
];

test('every form renders as a JSON line plus raw blocks, and reads back to the same action', () => {
  for (const action of samples) {
    const text = renderTextAction(action, tools);
    assert.ok(text.split('\n')[0].startsWith('{"thought": '), text);
    assert.ok(
      !text.split('\n')[0].includes('\\n') || !['write_file', 'edit_file', 'edit_files'].includes(action.tool),
      `code is not escaped in the header: ${text}`,
    );
    assert.deepEqual(parseTextAction(text, tools), action, text);
  }
  assert.equal(
    renderTextAction(samples[3], tools),
    '{"thought": "Do it.", "tool": "edit_file", "args": {"path": "app.py"}}\n<<<<<<< SEARCH\n    return a - b\n\n\ndef sub(a, b):\n=======\n    return a + b\n\n\ndef sub(a, b):\n>>>>>>> REPLACE',
  );
  assert.equal(
    renderTextAction(samples[0], tools),
    '{"thought": "Do it.", "tool": "write_file", "args": {"path": "hello.py"}}\n```\nprint("hi \\"there\\"")\n\tindented\n```',
  );
});

test('an empty SEARCH reads as a whole new content (the codec keeps it; the grammar offers only seen files)', () => {
  const create = act('edit_files', { changes: [{ path: 'src/new_mod.py', edits: null, content: 'from app import plus\n' }] });
  assert.deepEqual(parseTextAction(renderTextAction(create, tools), tools), create);
});

test('a fence keeps inner ``` lines (a README with code), and its info string is ignored', () => {
  const readme = '# Use\n\n```sh\nnpm test\n```\n\nDone.\n';
  const action = act('write_file', { path: 'README.md', content: readme });
  assert.deepEqual(parseTextAction(renderTextAction(action, tools), tools), action);
  assert.equal(parseTextAction('{"thought": "x", "tool": "write_file", "args": {"path": "a.py"}}\n```python\nx = 1\n```', tools).args.content, 'x = 1\n');
});

test('text that is not an action in the text form is a clear invalid_output error', () => {
  const bad = [
    'not json',
    '{"thought": "x", "tool": "write_file", "args": {"path": "a.py"}}',
    '{"thought": "x", "tool": "edit_file", "args": {"path": "a.py"}}\n<<<<<<< SEARCH\nx\n',
    '{"thought": "x", "tool": "read_file", "args": {"path": "a.py", "startLine": null, "endLine": null}}\nextra text',
  ];
  for (const raw of bad)
    assert.throws(
      () => parseTextAction(raw, tools),
      (e: unknown) => e instanceof ModelError && e.code === 'invalid_output',
      raw,
    );
});

test('GBNF literals escape quotes, backslashes, newlines and control characters', () => {
  assert.equal(gbnfLiteral('a"b\\c\nd\te\u0001'), '"a\\"b\\\\c\\nd\\te\\x01"');
});

test('the grammar leaves out edits while no file has been seen, and names only seen files after', () => {
  const none = buildTextGrammar(tools, { workspace: { files: workspace.files, seen: new Map() } });
  assert.doesNotMatch(none, /"edit_file"/);
  const some = buildTextGrammar(tools, { workspace });
  assert.match(some, /edit_file/);
  assert.match(some, /\\"app.py\\"/);
  assert.doesNotMatch(some, /SEARCH\\n" [^\n]*strings/);
});

let model: EmbeddedModel;
before(async () => {
  model = await loadTinyModel({ contextSize: 2048 });
});
after(async () => {
  await model?.dispose();
});

const accepts = (grammarText: string, text: string) => grammarAccepts(model, grammarText, text);

test('the real engine: the grammar accepts exactly the text the codec writes, for every form', async () => {
  const protocol = actionProtocol('text', tools);
  const { text } = protocol.constrain(tools, workspace);
  for (const action of samples) {
    const written = protocol.render(action);
    assert.ok(await accepts(text!.grammar, written), `${action.tool}: ${written}`);
    assert.deepEqual(text!.parse(written), action);
    assert.ok(
      !(await accepts(text!.grammar, `${written}\n`)) || action.tool === 'write_file' || action.tool === 'run_in_sandbox',
      `nothing may follow the action: ${written}`,
    );
  }
});

test('the real engine: a path that does not exist and an anchor that is not in the file cannot be written', async () => {
  const protocol = actionProtocol('text', tools);
  const { text } = protocol.constrain(tools, workspace);
  const grammar = text!.grammar;
  const read = (path: string) => protocol.render(act('read_file', { path, startLine: null, endLine: null }));
  assert.ok(await accepts(grammar, read('src/util/strings.py')));
  assert.ok(!(await accepts(grammar, read('src/util/string.py'))), 'a hallucinated path');
  assert.ok(!(await accepts(grammar, read('src/main/java/App.java'))), 'a hallucinated folder');
  assert.ok(
    await accepts(grammar, protocol.render(act('write_file', { path: 'src/main/java/App.java', content: 'class App {}\n' }))),
    'write_file may create a file',
  );
  const edit = (find: string) => protocol.render(act('edit_file', { path: 'app.py', edits: [{ find, replace: '    return a + b\n' }] }));
  assert.ok(await accepts(grammar, edit('    return a - b\n')));
  assert.ok(await accepts(grammar, edit('def add(a, b):\n    return a - b\n')), 'several consecutive lines');
  assert.ok(!(await accepts(grammar, edit('    return a-b\n'))), 'a line that is not in the file');
  assert.ok(!(await accepts(grammar, edit('def add(a, b):\ndef sub(a, b):\n'))), 'lines that are not consecutive');
  assert.ok(
    !(await accepts(grammar, protocol.render(act('edit_file', { path: 'README.md', edits: [{ find: '# x\n', replace: '' }] })))),
    'a file not seen yet',
  );
});
