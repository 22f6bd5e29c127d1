/**
 * A section of a Markdown document written by code completion (section-fill.ts): which section a
 * request asks for and where it goes, what is kept of what the model wrote, and a turn that asks
 * for one. The loop is under test, so the model is scripted (its fill-in-the-middle answers); the
 * files, the index and the tools are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { asksForTable, fillSection, sectionAsked } from '../../../src/agent/docs/section-fill.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import type { ToolContext } from '../../../tools/tool.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const readme =
  '# Shop\n\nA small shop.\n\n## Quick start\n\n```sh\n# install\npip install shop\n```\n\n## Configuration\n\nSettings come from `shop/settings.py` and the environment.\n\n' +
  '## Command line\n\n`shop serve`.\n';

test('the section asked for: a quoted heading placed before another section, or one the document has, by its name', () => {
  const fresh = sectionAsked('Write a `## Install` section in README.md (before the command line section), from the code.', 'README.md', readme);
  assert.deepEqual(fresh, { path: 'README.md', heading: '## Install', level: 2, exists: false, at: 15, named: [] });
  const there = sectionAsked(
    'The Configuration section of README.md never says what the settings are. Add a table there with every setting and its default.',
    'README.md',
    readme,
  );
  assert.deepEqual(there, { path: 'README.md', heading: '## Configuration', level: 2, exists: true, at: 14, named: ['shop/settings.py'] });
  const last = sectionAsked('Add a Troubleshooting section to README.md.', 'README.md', readme);
  assert.equal(last?.at, 18, 'at the end, blank lines left out');
  assert.equal(last?.heading, '## Troubleshooting');
  // (the section a new one goes after is not the one asked for; a heading in fenced code is none)
  assert.equal(sectionAsked('Add a Usage section to README.md after the Quick start section.', 'README.md', readme)?.at, 10);
  assert.equal(sectionAsked('Fix the typo in the Configuration section of README.md.', 'README.md', readme), undefined, 'not asked to write');
  assert.equal(sectionAsked('Add a Configuration section.', 'README.md', readme), undefined, 'the document is not named');
  assert.equal(sectionAsked('Add a section to notes.txt.', 'notes.txt', 'x'), undefined, 'not Markdown');
  // (a table asked for is begun by assist; a table of contents is not one)
  assert.equal(asksForTable('Add a table there with every setting and its default.'), true);
  assert.equal(asksForTable('Add a table of contents to README.md.'), false);
});

test('the request is a comment above the gap; what the model wrote is kept up to the next heading of the level, with a blank line before what follows', async () => {
  let asked: { prefix: string; suffix: string; stops?: string[]; contextTokens?: number } | undefined;
  const ctx = {
    signal: new AbortController().signal,
    infill: async (request: { prefix: string; suffix: string; stops?: string[]; contextTokens?: number }) => {
      asked = request;
      return 'Install it with pip:\n\n```sh\n# from the index\npip install shop\n```\n\nIt needs Python 3.11.\n## Command line\n\nmore';
    },
  } as unknown as ToolContext;
  const task = 'Write a `## Install` section in README.md before the command line section.';
  const ask = sectionAsked(task, 'README.md', readme)!;
  const { text } = await fillSection(ctx, ask, task, readme, 60_000);
  assert.equal(
    text,
    readme.replace(
      '## Command line',
      '## Install\n\nInstall it with pip:\n\n```sh\n# from the index\npip install shop\n```\n\nIt needs Python 3.11.\n\n## Command line',
    ),
  );
  assert.match(
    asked?.prefix ?? '',
    /Settings come from `shop\/settings\.py` and the environment\.\n\n<!--\nRequest: Write a `## Install` section in README\.md before the command line section\.\n-->\n## Install\n\n$/,
  );
  assert.equal(asked?.contextTokens, 6144, 'more of the code read than for a body');
  assert.equal(asked?.suffix, '\n## Command line\n\n`shop serve`.\n');
  assert.deepEqual(asked?.stops, ['\n# ', '\n## ']);
  let tries = 0;
  const terse = {
    ...ctx,
    infill: async () => {
      tries++;
      return '<!--\nRequest: the request again\n-->\nTBD.';
    },
  } as unknown as ToolContext;
  assert.deepEqual(await fillSection(terse, ask, task, readme, 60_000), { written: ['TBD.'] }, 'a line says nothing (the comment echoed is left out)');
  assert.equal(tries, 2, 'the most usual, then a sample');
});

test('a turn that asks for a table in a section of the README: the files the section names and what they import are read, the table is begun, its names looked up, and the turn ends', async (t) => {
  const repo = await makeRepo({
    'README.md': readme,
    'shop/settings.py': 'from shop.defaults import DEFAULTS\nENV_VARS = {"SHOP_CURRENCY": "currency", "SHOP_TAX_RATE": "tax_rate"}\n',
    'shop/defaults.py': 'DEFAULTS = {"currency": "EUR", "tax_rate": 21, "locale": "en"}\n',
    'shop/cart.py': 'def total(prices):\n    return sum(prices)\n',
  });
  t.after(repo.cleanup);
  // (what the model writes after the `|` assist begins the table with; two variables it made up)
  const written =
    ' setting | environment variable | default |\n|---|---|---|\n| currency | `SHOP_CURRENCY` | EUR |\n| tax_rate | `SHOP_TAX` | 21 |\n| locale | `SHOP_LOCALE` | en |\n';
  const model = new ScriptedModel([], { infills: [written] });
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(
    'The Configuration section of README.md never says what the settings are. Add a table there with every setting, its environment variable and its default.',
  );
  assert.equal(result.status, 'answered');
  assert.match(result.text, /^Written by code completion in README\.md: the end of its ## Configuration section, from the code read \([^)]*shop\/settings\.py/);
  assert.equal(model.prompts.length, 0, 'no chat step');
  const table =
    '| setting | environment variable | default |\n|---|---|---|\n| currency | `SHOP_CURRENCY` | EUR |\n| tax_rate | `SHOP_TAX_RATE` | 21 |\n| locale | — | en |\n';
  assert.equal(
    await readFile(path.join(repo.root, 'README.md'), 'utf8'),
    readme.replace('and the environment.\n\n## Command line', `and the environment.\n\n${table}\n## Command line`),
  );
  const notices = s.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
  assert.ok(
    notices.includes('Names the written ## Configuration gave that the project does not have: SHOP_TAX → SHOP_TAX_RATE, SHOP_LOCALE → —.'),
    notices.join('\n'),
  );
  // the completion read the settings and the defaults they import before the README, and began the table
  const files = model.infillRequests[0].files?.map((f) => f.path) ?? [];
  assert.ok(
    files.indexOf('shop/defaults.py') >= 0 && files.indexOf('shop/defaults.py') < files.indexOf('shop/settings.py'),
    `what the section names nearest the gap: ${files.join(', ')}`,
  );
  assert.match(model.infillRequests[0].prefix, /-->\n\|$/);
});
