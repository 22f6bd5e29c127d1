import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyWorkspace, loadSuite, loadTask, readTree, selectTasks, startingTree, SuiteError, taskKinds } from '../../src/eval/suite.ts';

test('the shipped suite has the size and spread of issue 12: 60+ tasks, every kind and language well covered, 24+ on the bundled codebases', async () => {
  const tasks = await loadSuite();
  assert.ok(tasks.length >= 60, `only ${tasks.length} tasks`);
  const count = (key: (t: (typeof tasks)[number]) => string) => tasks.reduce<Record<string, number>>((n, t) => ({ ...n, [key(t)]: (n[key(t)] ?? 0) + 1 }), {});
  const kinds = count((t) => t.kind);
  const floors: Record<string, number> = { fix: 14, refactor: 10, 'add-test': 8, question: 12, exercise: 10, write: 1 };
  for (const kind of taskKinds) assert.ok((kinds[kind] ?? 0) >= floors[kind], `${kind}: ${kinds[kind] ?? 0} tasks, at least ${floors[kind]} wanted`);
  const languages = count((t) => t.language);
  assert.ok(Object.keys(languages).length >= 9, `only ${Object.keys(languages).join(', ')}`);
  for (const [language, n] of Object.entries(languages)) assert.ok(n >= 4, `${language} has only ${n} tasks`);
  for (const language of ['typescript', 'ruby']) assert.ok(languages[language] >= 4, `${language} is covered`);
  const onCodebases = tasks.filter((t) => t.base);
  assert.ok(onCodebases.length >= 24, `only ${onCodebases.length} tasks on the bundled codebases`);
  assert.ok(new Set(onCodebases.map((t) => t.base)).size >= 2, 'two codebases');
  assert.ok(tasks.some((t) => t.id === 'py-fibonacci') && tasks.some((t) => t.id === 'rust-add'), "the brief's two examples are in the suite");
});

test('every task has a reference solution, and no hidden check file is in its workspace', async () => {
  for (const task of await loadSuite()) {
    const solution = await readTree(path.join(task.dir, 'solution'));
    assert.ok(solution.size > 0, `${task.id}: no solution/`);
    if (task.kind === 'question') assert.ok(solution.has('ANSWER.txt') && task.answer, `${task.id}: a question needs answer + solution/ANSWER.txt`);
    else assert.ok(task.check, `${task.id}: needs a check command`);
    const workspace = await startingTree(task);
    for (const hidden of (await readTree(path.join(task.dir, 'check'))).keys()) {
      assert.ok(!workspace.has(hidden), `${task.id}: check file ${hidden} is visible in the workspace`);
      assert.ok(!task.prompt.includes(hidden), `${task.id}: the prompt names the hidden file ${hidden}`);
    }
  }
});

test('a bad task.json is an error that names the file and the problem', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-suite-'));
  try {
    const taskDir = path.join(dir, 'bad-task');
    await fs.mkdir(path.join(taskDir, 'workspace'), { recursive: true });
    await fs.writeFile(path.join(taskDir, 'task.json'), JSON.stringify({ id: 'bad-task', prompt: 'x', language: 'python', kind: 'essay', check: 'true' }));
    await assert.rejects(loadTask(taskDir), (e: Error) => e instanceof SuiteError && e.message.includes('task.json') && e.message.includes('/kind'));
    await fs.writeFile(path.join(taskDir, 'task.json'), JSON.stringify({ id: 'other', prompt: 'x', language: 'python', kind: 'write', check: 'true' }));
    await assert.rejects(loadTask(taskDir), /must equal the folder name/);
    await fs.writeFile(path.join(taskDir, 'task.json'), JSON.stringify({ id: 'bad-task', prompt: 'x', language: 'python', kind: 'write' }));
    await assert.rejects(loadTask(taskDir), /needs a "check" command, an "answer" pattern/);
    await fs.writeFile(path.join(taskDir, 'task.json'), '{ not json');
    await assert.rejects(loadTask(taskDir), /not valid JSON/);
    await assert.rejects(loadSuite(path.join(dir, 'missing')), /no such folder/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('selectTasks picks by id in the given order, or the first N, and rejects unknown ids', async () => {
  const tasks = await loadSuite();
  assert.deepEqual(
    selectTasks(tasks, { ids: ['rust-add', 'py-hello'] }).map((t) => t.id),
    ['rust-add', 'py-hello'],
  );
  assert.equal(selectTasks(tasks, { limit: 3 }).length, 3);
  const repeated = selectTasks(tasks, { ids: ['rust-add', 'py-hello'], repeat: 3 });
  assert.deepEqual(
    repeated.map((t) => t.id),
    ['rust-add', 'rust-add.r2', 'rust-add.r3', 'py-hello', 'py-hello.r2', 'py-hello.r3'],
    'each run its own id, so results and logs do not overwrite each other',
  );
  assert.ok(repeated.every((t) => t.dir === tasks.find((u) => t.id.startsWith(u.id))!.dir && t.prompt !== ''));
  assert.throws(
    () => selectTasks(tasks, { ids: ['nope'] }),
    (e: Error) => e instanceof SuiteError && e.message.includes('Known: '),
  );
});

test('selectTasks keeps the chosen kinds, then applies the limit', async () => {
  const tasks = await loadSuite();
  const fixes = selectTasks(tasks, { kinds: ['fix', 'question'] });
  assert.ok(fixes.length > 0 && fixes.every((t) => t.kind === 'fix' || t.kind === 'question'));
  assert.deepEqual(
    fixes.map((t) => t.id),
    tasks.filter((t) => t.kind === 'fix' || t.kind === 'question').map((t) => t.id),
    'in suite order, none left out',
  );
  assert.deepEqual(
    selectTasks(tasks, { kinds: ['fix'], limit: 1 }).map((t) => t.kind),
    ['fix'],
  );
  assert.deepEqual(
    selectTasks(tasks, { ids: ['rust-add', 'py-hello'], limit: 1 }).map((t) => t.id),
    ['rust-add'],
  );
  const write = tasks.find((t) => t.kind === 'write')!;
  assert.throws(() => selectTasks(tasks, { ids: [write.id], kinds: ['question'] }), /no chosen task is of kind question/);
});

test('a task with a base codebase starts from its files, with its own workspace/ laid over them', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-suite-'));
  try {
    await fs.mkdir(path.join(dir, 'codebases', 'app', 'src'), { recursive: true });
    await fs.writeFile(path.join(dir, 'codebases', 'app', 'src', 'a.py'), 'A = 1\n');
    await fs.writeFile(path.join(dir, 'codebases', 'app', 'README.md'), 'base\n');
    const taskDir = path.join(dir, 'tasks', 'on-base');
    await fs.mkdir(path.join(taskDir, 'workspace'), { recursive: true });
    await fs.writeFile(path.join(taskDir, 'workspace', 'README.md'), 'task\n');
    await fs.writeFile(
      path.join(taskDir, 'task.json'),
      JSON.stringify({ id: 'on-base', prompt: 'x', language: 'python', kind: 'fix', base: '../../codebases/app', check: 'true' }),
    );
    const task = await loadTask(taskDir);
    assert.deepEqual(Object.fromEntries(await startingTree(task)), { 'README.md': 'task\n', 'src/a.py': 'A = 1\n' });
    const work = await fs.mkdtemp(path.join(dir, 'work-'));
    await copyWorkspace(task, work);
    assert.deepEqual(Object.fromEntries(await readTree(work)), { 'README.md': 'task\n', 'src/a.py': 'A = 1\n' });
    await fs.rm(path.join(taskDir, 'workspace'), { recursive: true });
    assert.equal((await loadTask(taskDir)).base, '../../codebases/app', 'workspace/ is optional with a base');
    await fs.writeFile(
      path.join(taskDir, 'task.json'),
      JSON.stringify({ id: 'on-base', prompt: 'x', language: 'python', kind: 'fix', base: '../nope', check: 'true' }),
    );
    await assert.rejects(loadTask(taskDir), /base "..\/nope" is not a folder/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
