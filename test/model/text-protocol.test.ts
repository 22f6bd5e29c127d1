/**
 * The text protocol: actions written as a JSON line plus raw code blocks. The codec round-trips
 * every form; the grammar compiles in the real engine, accepts exactly the text the codec writes
 * (forced token by token through node-llama-cpp on the tiny GGUF), and, knowing the workspace,
 * turns a hallucinated path or edit anchor into a real one.
 */
import { grammarAccepts } from '../support/grammar-accepts.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerLoopStop,
  blankLoopLines,
  growingLines,
  lineLoop,
  loopLines,
  parseTextAction,
  renderTextAction,
  wastedBlockStop,
} from '../../src/model/action-text.ts';
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
    '{"thought": "Do it.", "tool": "write_file", "args": {"path": "hello.py"}}\n```python\nprint("hi \\"there\\"")\n\tindented\n```',
    "the block's info string names the file's language (shown a bare fence, the model opened one of its own inside)",
  );
  assert.match(renderTextAction(samples[6], tools), /\n```python\nimport app\n/);
  assert.match(renderTextAction(act('write_file', { path: 'Makefile', content: 'all:\n' }), tools), /\n```\nall:\n```$/);
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
    assert.ok(await accepts(text!.grammar, `${written}\n`), `one newline may end it (the "\`\`\`\\n" token): ${written}`);
    assert.ok(!(await accepts(text!.grammar, `${written}\n\n`)), `nothing more may follow the action: ${written}`);
  }
});

test("the real engine: a code block ends at its first line that starts with a fence; a prose file's block may hold code blocks", async () => {
  const protocol = actionProtocol('text', tools);
  const { text } = protocol.constrain(tools, workspace);
  const head = (path: string) => `{"thought": "Write it.", "tool": "write_file", "args": {"path": "${path}"}}\n`;
  assert.ok(await accepts(text!.grammar, `${head('count.sh')}\`\`\`bash\necho hi\n\`\`\``));
  // go-add-test: the code closed by chat habit, then a second action inside the block
  assert.ok(!(await accepts(text!.grammar, `${head('clamp_test.go')}\`\`\`go\npackage clamp\n\`\`\`\n{"thought": "Run.", "tool": "run_tests"}\n\`\`\``)));
  assert.ok(await accepts(text!.grammar, `${head('a.py')}\`\`\`\n\`\`\`python\nx = 1\n\`\`\``), 'an opening fence of its own (taken off by write_file)');
  assert.ok(await accepts(text!.grammar, `${head('a.py')}\`\`\`\ns = "\`\`"\n\`x\`\n\`\`\``), 'backticks that are not a bare fence');
  // bash-count-lines: refused the "\`\`\`\\n" token, the model closed with five backticks and wrote a second action into count.sh
  assert.ok(!(await accepts(text!.grammar, `${head('count.sh')}\`\`\`bash\necho hi\n\`\`\`\`\`\n{"thought": "Run."}\n\`\`\``)), 'a line of more backticks');
  assert.ok(
    !(await accepts(text!.grammar, `${head('count.sh')}\`\`\`bash\necho hi\n\`\`\`bash\n./count.sh\n\`\`\``)),
    'a fence of its own after the first line',
  );
  assert.ok(await accepts(text!.grammar, `${head('count.sh')}\`\`\`bash\necho hi\n\`\`\`\n`), 'the block closed by "\`\`\`\\n"');
  const readme = `${head('docs/USAGE.md')}\`\`\`\n# Use\n\n\`\`\`sh\nnpm test\n\`\`\`\n\nDone.\n\`\`\``;
  assert.ok(await accepts(text!.grammar, readme));
  assert.equal(text!.parse(readme).args.content, '# Use\n\n```sh\nnpm test\n```\n\nDone.\n');
  const run = '{"thought": "Try.", "tool": "run_in_sandbox", "args": {"language": "python", "command": null}}\n```\nprint(1)\n```\nprint(2)\n```';
  assert.ok(!(await accepts(text!.grammar, run)));
});

test('the real engine: a run with no language ends at its header; a snippet with one has its block', async () => {
  // js-fizzbuzz: given `node fizzbuzz.js`, the model wrote the run's output as a block, one long line, until the time ran out
  const { text } = actionProtocol('text', tools).constrain(tools, workspace);
  const command = '{"thought": "Run.", "tool": "run_in_sandbox", "args": {"language": null, "command": "node fizzbuzz.js"}}';
  assert.ok(await accepts(text!.grammar, command));
  assert.ok(!(await accepts(text!.grammar, `${command}\n\`\`\`json\n{"exitCode": 0}\n\`\`\``)), 'no block after a command alone');
  const snippet = '{"thought": "Try.", "tool": "run_in_sandbox", "args": {"language": "python", "command": null}}';
  assert.ok(await accepts(text!.grammar, `${snippet}\n\`\`\`\nprint(1)\n\`\`\``));
  assert.ok(!(await accepts(text!.grammar, snippet)), 'a language needs its code');
});

test('the real engine: read_file may name a file shown whole (no other path is forced on it); with every file shown it is not offered', async () => {
  const protocol = actionProtocol('text', tools);
  const read = (path: string) => protocol.render(act('read_file', { path, startLine: null, endLine: null }));
  const shown = protocol.constrain(tools, { ...workspace, shown: new Set(['app.py']) }).text!.grammar;
  assert.ok(await accepts(shown, read('app.py')), 'a path the model begins is one it can finish (the loop answers a re-read with a reminder)');
  assert.ok(await accepts(shown, read('src/util/strings.py')));
  assert.ok(await accepts(shown, protocol.render(act('outline', { path: 'app.py' }))), 'other tools may still name it');
  const all = protocol.constrain(tools, { ...workspace, shown: new Set(workspace.files) }).text!.grammar;
  assert.doesNotMatch(all, /"read_file"/);
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

const fixAdd = { find: '    return a - b\n', replace: '    return a + b\n' };
const fixSub = { find: 'def sub(a, b):\n', replace: 'def minus(a, b):\n' };

/** What a fresh watcher says when fed `text` in chunks as the engine streams it, and how much it had read. */
function watchStream(text: string): { said: string | undefined; fed: number } {
  const watch = wastedBlockStop(tools);
  let said: string | undefined;
  let fed = 0;
  while (said === undefined && fed < text.length) {
    fed = Math.min(text.length, fed + 7);
    said = watch(text.slice(0, fed));
  }
  return { said, fed };
}

test('an action ends before a block that repeats an earlier one or changes nothing; other blocks go on', () => {
  const edit = (...edits: Array<{ find: string; replace: string }>) => renderTextAction(act('edit_file', { path: 'app.py', edits }), tools);
  const looping = watchStream(edit(fixAdd, fixSub, fixAdd, fixAdd));
  assert.equal(looping.said, edit(fixAdd, fixSub), 'silent until the first repeat is complete');
  assert.ok(looping.fed < edit(fixAdd, fixSub, fixAdd, fixAdd).length, 'before the last block');
  assert.deepEqual(parseTextAction(looping.said!, tools).args.edits, [fixAdd, fixSub]);
  assert.equal(watchStream(edit(fixAdd, fixSub)).said, undefined, 'nothing wasted, no early end');
  const same = { find: 'def sub(a, b):\n', replace: 'def sub(a, b):\n' };
  assert.equal(watchStream(edit(fixAdd, same, fixSub)).said, edit(fixAdd), 'a block that changes nothing ends it');
  assert.equal(watchStream(edit(same, fixSub)).said, undefined, 'a first block goes on: the tool says what is wrong with it');
  const garbled = { find: fixAdd.find, replace: '<<<<<<  REPLACE\n    return a + b\n' };
  assert.equal(watchStream(edit(fixAdd, garbled, fixSub)).said, edit(fixAdd), 'the same lines again with another replacement end it: the first wins');
  const files = (edits: Array<{ path: string; find: string; replace: string }>) =>
    renderTextAction(act('edit_files', { changes: edits.map(({ path, ...e }) => ({ path, edits: [e], content: null })) }), tools);
  const other = { path: 'src/util/numbers.py', ...fixAdd };
  assert.equal(watchStream(files([{ path: 'app.py', ...fixAdd }, other])).said, undefined, 'the same block in another file is no repeat');
  assert.equal(
    watchStream(files([{ path: 'app.py', ...fixAdd }, other, { path: 'app.py', ...fixAdd }])).said,
    files([{ path: 'app.py', ...fixAdd }, other]),
    'a section holding only the repeat goes, path line and all',
  );
});

test('the real engine: a step whose model writes one block over and over ends at the first repeat', async () => {
  const protocol = actionProtocol('text', tools);
  const { schema, text } = protocol.constrain(tools, workspace);
  const looping = protocol.render(act('edit_file', { path: 'app.py', edits: [fixAdd, fixAdd, fixAdd, fixAdd, fixAdd, fixAdd] }));
  // the model's output forced token by token: a grammar that accepts only the looping text
  const forced = { ...text!, grammar: `root ::= ${gbnfLiteral(looping)}` };
  const whole = await model.next([{ role: 'user', content: 'Fix add.' }], schema, { text: { ...forced, stopEarly: undefined }, maxTokens: 1024 });
  const step = await model.next([{ role: 'user', content: 'Fix add.' }], schema, { text: forced, maxTokens: 1024 });
  assert.deepEqual(whole.action.args.edits, Array(6).fill(fixAdd));
  assert.deepEqual(step.action, act('edit_file', { path: 'app.py', edits: [fixAdd] }));
  assert.equal(step.raw, protocol.render(step.action));
  assert.ok(step.usage.completionTokens < whole.usage.completionTokens / 2, `${step.usage.completionTokens} of ${whole.usage.completionTokens} tokens`);
});

test('a step that writes one line over and over is a loop; a few equal lines or short ones are not', () => {
  const dep = 'serde_dynamo_client_http = "0.13"\n';
  assert.match(lineLoop(`x\n${dep.repeat(loopLines)}se`) ?? '', /^it wrote the line "serde_dynamo_client_http = \\"0.13\\"" 12 times in a row$/);
  assert.equal(lineLoop(`x\n${dep.repeat(loopLines - 1)}se`), undefined);
  assert.equal(lineLoop('    }\n'.repeat(30)), undefined, 'closing braces are short');
  // one line that never ends, a phrase over and over (py-add-test, 109 s)
  const again = `assert slugify("Hello, World, ${'again, '.repeat(40)}ag`;
  assert.match(lineLoop(`def test_a():\n    ${again}`) ?? '', /^it wrote "[a-z, ]+" over and over in one line$/);
  assert.equal(lineLoop(`x = "${'-'.repeat(300)}`), undefined, 'a separator holds no letter or digit');
  // pyapp-question-rounding: three sentences, then the same three again, in one line, for 2,048 tokens
  const said = 'The rounding is done in the `build_invoice` function, which rounds the billable time. The rounding is done in the `amount_cents` function. ';
  const answer = `{"thought": "…", "tool": "answer", "args": {"text": "It rounds up. ${said}${said}`;
  assert.match(lineLoop(answer) ?? '', /^it wrote "The rounding is done in the `build_invoice` function, whi\.\.\." over and over in one line$/);
  assert.equal(lineLoop(answer.slice(0, -20)), undefined, 'said once and a part: not yet');
  const short = 'see `round_minutes` for it. ';
  assert.equal(lineLoop(`x = "${`${short}and `.repeat(2)}`), undefined, 'a short phrase said twice is not a loop');
  assert.match(lineLoop(`x = "${`${short}and `.repeat(3)}`) ?? '', /over and over in one line/);
  const long = Array.from({ length: 12 }, (_, i) => `the fox number ${i} jumps; `).join('');
  assert.equal(lineLoop(`text = "${long}`), undefined, 'a long line that does not repeat itself');
  assert.equal(lineLoop(`x = 1\n\`\`\`\n${'\n'.repeat(blankLoopLines)}`), `it wrote ${blankLoopLines} empty lines in a row`);
  assert.equal(lineLoop(`x = 1\n${'\n'.repeat(blankLoopLines - 1)}`), undefined);
  // c-fix-strlen: a divider, an empty line and a Makefile rule, until 2,048 tokens
  const group = '=======\n\ntest: mystr.c test_mystr.c\n';
  assert.match(lineLoop(`x\n${group.repeat(4)}te`) ?? '', /^it wrote the same 3 lines \("=======", "", "test: mystr.c test_mystr.c"\) 4 times in a row$/);
  assert.equal(lineLoop(`x\n${group.repeat(3)}te`), undefined, 'three times is not yet a loop');
  assert.match(lineLoop(`x\n${'a = 1\nb = 2\n'.repeat(6)}`) ?? '', /the same 2 lines \("a = 1", "b = 2"\) 6 times/);
  assert.equal(lineLoop(`x\n${'a = 1\nb = 2\n'.repeat(5)}`), undefined);
  assert.equal(lineLoop('  end\n}\n'.repeat(20)), undefined, 'closing lines are short');
  const code = 'def f(x):\n    if x:\n        return 1\n    return 2\n\n\ndef g(y):\n    return y\n';
  assert.equal(lineLoop(code.repeat(3)), undefined, 'code does not repeat itself group by group');
});

test('a series of lines that only grows is a loop; table-like lines that differ are code', () => {
  // py-add-test: each assert the one before with another number added, until the time ran out
  const series = Array.from({ length: growingLines }, (_, n) => {
    const nums = Array.from({ length: n + 1 }, (_, k) => String(123 + k * 111)).join(',');
    return `    assert slugify("Hello, World! ${nums}") == "hello-world-${nums.replaceAll(',', '-')}"`;
  });
  assert.match(lineLoop(`def test():\n${series.join('\n')}\n    a`) ?? '', /^it wrote 8 lines in a row, each the one before with more added/);
  assert.equal(lineLoop(`def test():\n${series.slice(1).join('\n')}\n    a`), undefined, 'seven is not yet a loop');
  const table = ['"a"', '"ab"', '"x y"', '"Hello"', '"Hello, World"', '"  spaced  "', '"UPPER case"', '"dots.and.more"'].map(
    (input, n) => `    assert slugify(${input}) == ${JSON.stringify(`case-${n}`)}`,
  );
  assert.equal(lineLoop(`def test():\n${table.join('\n')}\n    a`), undefined, 'different inputs, not one grown');
});

test('the real engine: a step that loops on one line stops there, as a cut-off step', async () => {
  const protocol = actionProtocol('text', tools);
  const { schema, text } = protocol.constrain(tools, workspace);
  const line = '    return a + b + 0\n';
  const looping = protocol.render(act('edit_file', { path: 'app.py', edits: [{ find: fixAdd.find, replace: line.repeat(40) }] }));
  const forced = { ...text!, grammar: `root ::= ${gbnfLiteral(looping)}` };
  await assert.rejects(model.next([{ role: 'user', content: 'Fix add.' }], schema, { text: forced, maxTokens: 2048 }), (e: unknown) => {
    assert.ok(e instanceof ModelError && e.code === 'invalid_output' && e.cutOff && e.looped, String(e));
    assert.match(e.message, /stopped before it was complete: it wrote the line "return a \+ b \+ 0" 12 times in a row/);
    assert.ok(e.partial!.length < looping.length / 2, 'well before the end');
    return true;
  });
  const after = await model.next([{ role: 'user', content: 'Fix add.' }], schema, {
    text: { ...forced, grammar: `root ::= ${gbnfLiteral(protocol.render(act('answer', { text: 'ok' })))}` },
  });
  assert.equal(after.action.tool, 'answer', 'the engine is ready for the next step');
});

const calls = 'The stop function in tally/api/timers.py calls stop_running_timer, which calls insert_entry in tally/db/entries.py. ';

test('an answer that says the same sentences over and over is complete once said; a thought that does is left to its bound', () => {
  const start = '{"thought": "I follow the calls.", "tool": "answer", "args": {"text": "';
  assert.equal(answerLoopStop(`${start}insert_entry. ${calls}${calls.slice(0, 100)}`), undefined, 'not yet said twice');
  const midway = answerLoopStop(`${start}insert_entry. ${calls}${calls}${calls.slice(0, 10)}`);
  assert.equal(midway, `${start}insert_entry. ${calls.trimEnd()}"}}`, 'found mid-sentence: up to the sentence end');
  const twice = answerLoopStop(`${start}insert_entry. ${calls}${calls}`);
  assert.equal(twice, `${start}insert_entry. ${calls.trimEnd()}"}}`);
  assert.deepEqual(parseTextAction(twice!, tools), act('answer', { text: `insert_entry. ${calls.trimEnd()}` }, 'I follow the calls.'));
  assert.equal(answerLoopStop(`{"thought": "${calls}${calls}`), undefined, 'a thought is no answer');
  assert.equal(lineLoop(`{"thought": "${calls}${calls}`), undefined, 'the thought has a length bound: the action after it is still written');
  assert.match(lineLoop(`{"thought": "x", "tool": "search_code", "args": {"query": "${calls}${calls}`) ?? '', /over and over in one line/);
  const escaped = 'It says \\"stop\\" and calls stop_running_timer in tally/services/timers.py. ';
  assert.equal(answerLoopStop(`${start}${escaped.repeat(3)}`), `${start}${escaped.trimEnd()}"}}`, 'escaped quotes stay whole');
});

test('the real engine: an answer said over and over ends after the first time, as the answer', async () => {
  const protocol = actionProtocol('text', tools);
  const { schema, text } = protocol.constrain(tools, workspace);
  const looping = protocol.render(act('answer', { text: `insert_entry. ${calls.repeat(12)}` }, 'I follow the calls.'));
  const forced = { ...text!, grammar: `root ::= ${gbnfLiteral(looping)}` };
  const step = await model.next([{ role: 'user', content: 'Which function writes the entry?' }], schema, { text: forced, maxTokens: 2048 });
  assert.deepEqual(step.action, act('answer', { text: `insert_entry. ${calls.trimEnd()}` }, 'I follow the calls.'));
  const whole = model.countTokens(looping);
  assert.ok(step.usage.completionTokens < whole / 3, `${step.usage.completionTokens} of ${whole} tokens`);
});

test('a step that may not answer: no answer in the grammar or the schema, unless nothing else is offered', () => {
  const two = builtinTools.filter((t) => ['read_file', 'write_file'].includes(t.name));
  const protocol = actionProtocol('text', two);
  const open = protocol.constrain(two, undefined);
  const closed = protocol.constrain(two, undefined, { noAnswer: true });
  assert.match(open.text!.grammar, /tool-answer/);
  assert.doesNotMatch(closed.text!.grammar, /tool-answer/);
  assert.doesNotMatch(JSON.stringify(closed.schema), /"const":"answer"/);
  assert.match(protocol.constrain([], undefined, { noAnswer: true }).text!.grammar, /tool-answer/, 'the last step still answers');
});
