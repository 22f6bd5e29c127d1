/**
 * An answer that cites a place in the code is followed by the function that place is in: the real
 * tree-sitter index of a real temp repo, and a question turn whose scripted model answers with a
 * citation (only the loop is under test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCitedNames } from '../../../src/agent/answers/cited-code.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { indexedRepo, makeRepo, startSession, testConfig } from '../harness.ts';

const files = {
  'tally/pagination.py':
    '"""Paging."""\n\n\nclass Page:\n    def offset(self):\n        return (self.number - 1) * self.size\n\n\n' +
    'def page_params(request, config):\n    """Reads page and per_page."""\n    size = request.query_int("per_page", default=25)\n' +
    '    return min(size, config.max_page_size)\n',
  'README.md': 'Paging: see tally/pagination.py.\n',
};

test('a cited line is followed by the function it is in, once, unless the answer names it', async (t) => {
  const { index } = await indexedRepo(t, files);
  assert.equal(
    withCitedNames('At most 200. The line of code is tally/pagination.py:12.', index),
    'At most 200. The line of code is tally/pagination.py:12 (in page_params).',
  );
  // a method before the class that holds it; a range cited by its first line
  assert.equal(
    withCitedNames('See tally/pagination.py:5-6 and tally/pagination.py:6.', index),
    'See tally/pagination.py:5-6 (in offset) and tally/pagination.py:6.',
  );
  // named already, or explained in brackets, or a file without definitions there: as it was
  for (const answer of [
    'page_params caps it: tally/pagination.py:12.',
    'tally/pagination.py:12 (the cap) says 200.',
    'tally/pagination.py:2 is the docstring; README.md:1 says so too.',
    'Version 1.2:3 of nothing.',
  ])
    assert.equal(withCitedNames(answer, index), answer);
  assert.equal(withCitedNames('tally/pagination.py:12', undefined), 'tally/pagination.py:12');
});

test("a question's answer that cites a line comes back with the function named", async (t) => {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  const model = new ScriptedModel([{ thought: '', tool: 'answer', args: { text: 'At most 200, at tally/pagination.py:12.' } }]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Where is the largest page size applied?');
  assert.equal(result.status, 'answered');
  assert.equal(result.text, 'At most 200, at tally/pagination.py:12 (in page_params).');
});
