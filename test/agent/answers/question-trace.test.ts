/**
 * A question about how the code flows ("which function in src/db ends up changing the booking?")
 * gets the chain in front of the model before its first step: the real intake on a real temp
 * repo and the real tree-sitter index, with a scripted model (only the loop is under test).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { answerMissingParts, withEarlierParts } from '../../../src/agent/answers/answer-scope.ts';
import { definitionAt, foldersNamedIn, traceCalls, wordsOf } from '../../../src/agent/answers/call-trace.ts';
import { routeLinePattern, searchTermsIn } from '../../../src/agent/intake/intake-search.ts';
import { openIndex } from '../../../src/index/open-index.ts';
import { defaults } from '../../../src/config/schema.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

/** A temp repo of `files`, removed after the test. */
async function repoOf(t: TestContext, files: Record<string, string>) {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  return repo;
}

/** The real index of `root`, up to date. */
async function indexOf(root: string) {
  const index = openIndex(root, defaults, { threads: 1 });
  await index.update();
  return index;
}

/** A session on `root` whose scripted model gives `answers` in turn; undefined where the harness skips. */
async function answering(t: TestContext, root: string, ...answers: string[]) {
  const model = new ScriptedModel(answers.map((text) => act('answer', { text })));
  const s = await startSession(t, { root, config: testConfig(), model, tools: builtinTools });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  return { ...s, model };
}

const bookings = {
  'src/routes.js':
    "import { cancel, show } from './handlers.js';\n\nexport function register(router) {\n  router.add('GET', '/bookings/:id', show);\n  router.add('DELETE', '/bookings/:id', cancel);\n}\n",
  'src/handlers.js':
    "import { cancelBooking, findBooking } from './service.js';\n\nexport function show(req) {\n  return findBooking(req.id);\n}\n\nexport function cancel(req) {\n  return cancelBooking(req.id, req.bookingMode);\n}\n",
  'src/service.js':
    "import { markCancelled, readBooking } from './db/bookings.js';\nimport { log } from './log.js';\n\nexport function findBooking(id) {\n  return readBooking(id);\n}\n\nexport function cancelBooking(id) {\n  log('cancel', id);\n  return markCancelled(id);\n}\n",
  'src/db/bookings.js':
    "export function readBooking(id) {\n  return { id };\n}\n\nexport function markCancelled(id) {\n  return { id, status: 'cancelled' };\n}\n",
  'src/log.js': 'export function log(...args) {\n  console.log(...args);\n}\n',
};

test('words of names and questions, folders a question names, and a route searched with its method', () => {
  assert.deepEqual(wordsOf('markBookingCancelled stop_running_timer HTTPServer'), [
    'mark',
    'booking',
    'cancelled',
    'stop',
    'running',
    'timer',
    'http',
    'server',
  ]);
  assert.deepEqual(wordsOf('Which entries? 42 of them'), ['which', 'entrie', 'them'], "a plural's s goes, numbers and short words too");
  const files = ['src/db/bookings.js', 'tally/db/entries.py', 'src/http/app.ts'];
  assert.deepEqual(foldersNamedIn('which function in the data layer (src/db) changes it', files), ['src/db']);
  assert.deepEqual(foldersNamedIn('a function of the tally/db package; not /timers/stop', files), ['tally/db']);
  assert.deepEqual(
    searchTermsIn('When a client sends DELETE /bookings/42, what happens? And `GET /entries?page=2`, or /health?').map((t) => [t.text, t.method]),
    [
      ['/entries', 'GET'],
      ['/bookings', 'DELETE'],
      ['/health', undefined],
    ],
  );
  const pattern = new RegExp(routeLinePattern('/bookings', 'DELETE'), 'i');
  assert.ok(pattern.test("  .add('DELETE', '/bookings/:id', cancel)"));
  assert.ok(pattern.test('r.HandleFunc("/bookings/{id}", cancel).Methods("DELETE")'));
  assert.ok(pattern.test("router.delete('/bookings/:id', cancel)"));
  assert.ok(!pattern.test("  .add('GET', '/bookings/:id', show)"));
});

const timers =
  'from app.store import insert_entry, lookup\n\n\ndef stop(project):\n    """POST /timers/stop: logs the time."""\n    lookup(project)\n    return insert_entry(project)\n';

test('the trace starts at the function a hit line names, or the one it sits in, and follows the calls that share the question words', async (t) => {
  const repo = await repoOf(t, {
    ...bookings,
    'app/timers.py': timers,
    'app/store.py': 'def insert_entry(project):\n    return project\n\n\ndef lookup(project):\n    return project\n',
  });
  const index = await indexOf(repo.root);
  const texts: Record<string, string> = { ...bookings, 'app/timers.py': timers };
  const textOf = (p: string) => texts[p];
  const start = definitionAt(index, 'src/routes.js', 5, texts['src/routes.js']);
  assert.equal(start?.name, 'cancel', "a routing table's line leads to the handler it names");
  const doc = definitionAt(index, 'app/timers.py', 5, texts['app/timers.py']);
  assert.deepEqual([doc?.name, doc?.path], ['stop', 'app/timers.py'], 'a docstring line leads to the function it is in');
  if (!start) return;
  const traced = traceCalls(index, [start], 'When DELETE /bookings/42 comes in, which function in src/db ends up changing the booking?', textOf);
  assert.deepEqual(
    traced.map((c) => `${c.caller ?? '-'} > ${c.name} ${c.path}:${c.from}-${c.to}`),
    ['- > cancel src/handlers.js:7-9', 'cancel > cancelBooking src/service.js:8-11', 'cancelBooking > markCancelled src/db/bookings.js:5-7'],
    'log shares no word with the question and is not followed',
  );
});

test('a question that quotes a route: the intake searches it with its method and reads the calls from its handler down to the data layer', async (t) => {
  const repo = await repoOf(t, bookings);
  const s = await answering(t, repo.root, 'markCancelled');
  if (!s) return;
  const result = await s.session.agent.runTurn(
    'When a client sends DELETE /bookings/42, which function in the data layer (src/db) ends up changing that booking?',
  );
  assert.equal(result.status, 'answered');
  const looks = s.events.flatMap((e) => (e.type === 'intake' ? [[e.action.tool, e.action.thought]] : []));
  assert.deepEqual(looks, [
    ['search_code', 'I search the code for "/bookings", from the task.'],
    ['read_file', 'I read cancel in src/handlers.js, where the search points.'],
    ['read_file', 'I read cancelBooking in src/service.js, which cancel calls.'],
    ['read_file', 'I read markCancelled in src/db/bookings.js, which cancelBooking calls.'],
  ]);
  const prompt = lastPromptText(s.model.prompts, 0);
  assert.match(prompt, /src\/routes\.js:5:.*'DELETE', '\/bookings\/:id', cancel/, 'the route line, not the GET one');
  assert.doesNotMatch(prompt, /src\/routes\.js:4:/);
  assert.match(prompt, /return \{ id, status: 'cancelled' \}/, 'the data layer function is in front of the model');
  assert.match(
    prompt,
    /The calls followed: cancel \(src\/handlers\.js:7\) → cancelBooking \(src\/service\.js:8\) → markCancelled \(src\/db\/bookings\.js:5\)\.\nNext: if the files above answer the question, call answer now/,
  );
  assert.equal(
    s.events.filter((e) => e.type === 'intake' && e.action.tool === 'search_code').length,
    1,
    'a question not about settings searches none (cancel reads req.bookingMode)',
  );
});

test('an answer naming only code outside the folder the question asks about goes back once, with what it calls there', async (t) => {
  const repo = await repoOf(t, bookings);
  const s = await answering(t, repo.root, 'cancelBooking', 'markCancelled');
  if (!s) return;
  const result = await s.session.agent.runTurn(
    'When a client sends DELETE /bookings/42, which function in the data layer (src/db) ends up changing that booking?',
  );
  assert.equal(result.text, 'markCancelled');
  assert.equal(
    s.model.prompts[1].at(-1)!.content,
    '[Not yet: `cancelBooking` is defined in src/service.js, outside src/db, which the question asks about. ' +
      'In src/db, cancelBooking calls markCancelled (src/db/bookings.js:5): answer with the one that does what the question asks.]',
  );
  assert.ok(JSON.stringify(s.model.schemas[1]).includes('"answer"'), 'the step after the note may answer at once');
  const s2 = await answering(t, repo.root, 'cancelBooking');
  if (!s2) return;
  const inScope = await s2.session.agent.runTurn('Which function changes the booking when DELETE /bookings/42 comes in?');
  assert.equal(inScope.text, 'cancelBooking', 'a question that names no folder takes the answer as it is');
});

test('a setting the traced code reads, which the question is about, is searched for where its value comes from', async (t) => {
  const repo = await repoOf(t, {
    'src/routes.js': "import { list } from './handlers.js';\n\nexport function register(router) {\n  router.add('GET', '/rooms', list);\n}\n",
    'src/handlers.js':
      "import { pageOf } from './paging.js';\n\nexport function list(req, config) {\n  return pageOf(req.rooms, Math.min(req.size ?? config.defaultPageSize, config.maxPageSize), config.logLevel);\n}\n",
    'src/paging.js': 'export function pageOf(items, size) {\n  return items.slice(0, size);\n}\n',
    'src/config.js':
      "export const defaults = {\n  defaultPageSize: 25,\n  maxPageSize: 100,\n  logLevel: 'info',\n};\n\nexport const fromEnv = { ROOMS_PAGE_SIZE: 'defaultPageSize' };\n",
  });
  const s = await answering(t, repo.root, '25, ROOMS_PAGE_SIZE');
  if (!s) return;
  await s.session.agent.runTurn('How many rooms does one page of GET /rooms hold by default, and which environment variable changes the page size?');
  const searches = s.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'search_code' ? [(e.action.args as { query: string }).query] : []));
  assert.deepEqual(searches.slice(1), ['defaultPageSize', 'maxPageSize'], 'the settings that share the question words (default, page, size), not logLevel');
  const prompt = lastPromptText(s.model.prompts, 0);
  assert.match(prompt, /src\/config\.js:2:\s+defaultPageSize: 25,/);
  assert.match(prompt, /src\/config\.js:7:.*ROOMS_PAGE_SIZE/);
});

test('an answer that names no function of the project, or no environment variable, where the question asks for one goes back; one that names them stands', async (t) => {
  const index = await indexOf((await repoOf(t, bookings)).root);
  const question = 'How long may a booking be, and which function enforces that limit? Answer with the number and the function name.';
  assert.equal(
    answerMissingParts(question, 'At most 240 minutes, set by `maxDurationMinutes`.', index),
    '[Not yet: the question asks for the function, and your answer "At most 240 minutes, set by `maxDurationMinutes`." names none as the code writes it. ' +
      'Answer again with what your answer gives and the function too.]',
  );
  assert.equal(answerMissingParts(question, 'At most 240 minutes: cancelBooking checks it.', index), undefined);
  assert.equal(answerMissingParts("Give the function's name: the service's markCancelled", 'markCancelled', index), undefined);
  assert.equal(answerMissingParts('How long may a booking be?', '240 minutes', index), undefined, 'no name asked for');
  assert.match(answerMissingParts("Give the function's name.", 'It is the DELETE route.', index) ?? '', /asks for the function/);
  // (`show` and `cancel` are functions of the project, and words of English too)
  const plain = 'The booking is cancelled, as the logs show.';
  assert.match(answerMissingParts("Give the function's name.", plain, index) ?? '', /asks for the function/, 'a plain word is no name of code');
  assert.equal(answerMissingParts("Give the function's name.", 'The cancel function does it.', index), undefined, 'a word said to be a function');
  assert.equal(answerMissingParts("Give the function's name.", '`cancel`, in src/handlers.js', index), undefined, 'a word written as code');
  const both = 'How many rooms fit on a page, which function pages them, and which environment variable would change that number?';
  assert.match(
    answerMissingParts(both, '25 rooms', index) ?? '',
    /asks for the function and the environment variable, and your answer "25 rooms" gives neither/,
  );
  assert.equal(answerMissingParts(both, '25, set by ROOMS_PAGE_SIZE; markCancelled pages them', index), undefined);
});

test('an answer to a question that asks for a number goes back when it gives none, or arithmetic left undone; a number, a path beside it, stands', async (t) => {
  const index = await indexOf((await repoOf(t, bookings)).root);
  const question = 'What is the numeric value of the macro BUF_SIZE used by reader.c? Answer with just the number.';
  assert.equal(
    answerMissingParts(question, '4 * KB', index),
    '[Not yet: the question asks for a number, and your answer "4 * KB" is arithmetic left undone. Work it out from the values shown above and answer with the number.]',
  );
  assert.match(answerMissingParts(question, '60*60', index) ?? '', /arithmetic left undone/);
  assert.match(answerMissingParts(question, 'BUF_SIZE', index) ?? '', /asks for the number, and your answer "BUF_SIZE" gives none/);
  assert.equal(answerMissingParts(question, '4096', index), undefined);
  assert.equal(answerMissingParts('How many variants does the enum have?', 'five (src/command.rs:2-8)', index), undefined);
  assert.equal(answerMissingParts('How many rooms are there?', '25, from src/db/rooms.js:10', index), undefined, 'a path is no arithmetic');
  assert.equal(answerMissingParts('What does BUF_SIZE hold?', '4 * KB', index), undefined, 'no number asked for');
});

test('a part an answer sent back gave, which the next answer drops, is kept in the answer', async (t) => {
  const repo = await repoOf(t, bookings);
  const s = await answering(t, repo.root, 'A booking may last 240 minutes.', 'The cancelBooking function checks the length.');
  if (!s) return;
  const result = await s.session.agent.runTurn(
    'How long may a booking be, and which function enforces that limit? Answer with the number and the function name.',
  );
  assert.equal(result.status, 'answered');
  assert.equal(result.text, 'A booking may last 240 minutes.\nThe cancelBooking function checks the length.');
  // an answer that gives all it is asked for stands alone
  const index = await indexOf(repo.root);
  assert.equal(withEarlierParts('Which function? Answer with the number too.', '240: cancelBooking', ['It is 240.'], index), '240: cancelBooking');
});
