/**
 * move_symbol on real files with the real index and workspace: the definitions leave their file
 * with the comments above them, land in the new one with the imports their code needs, and every
 * import of them in the project follows (split statements, module attributes, mock targets, the
 * old file importing them back), in one approved change set; the moved Python code still runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { moveSymbolTool } from '../../tools/move_symbol.ts';
import { indexedProject } from './tool-context.ts';

const project = (t: { after(fn: () => unknown): void }, tree: Record<string, string>) => indexedProject(t, tree, 'assist-move-');

const pyapp: Record<string, string> = {
  'tally/__init__.py': '',
  'tally/errors.py': 'class TallyError(Exception):\n    pass\n',
  'tally/db/__init__.py': '',
  'tally/db/entries.py': [
    '"""Entries in the database."""',
    'import re',
    '',
    'from tally.errors import TallyError',
    '',
    'TAG_RE = re.compile(r"#(\\w+)")',
    '',
    '',
    'def list_entries(db):',
    '    return [format_tags(e) for e in db]',
    '',
    '',
    '# Tags are the words after a hash.',
    'def parse_tags(text):',
    '    """The tags of text, in order."""',
    '    return TAG_RE.findall(text)',
    '',
    '',
    'def format_tags(tags):',
    '    if not tags:',
    '        raise TallyError("no tags")',
    '    return " ".join(f"#{t}" for t in sorted(tags))',
    '',
  ].join('\n'),
  'tally/cli.py': 'from tally.db.entries import list_entries, parse_tags\n\n\ndef main(argv):\n    return parse_tags(argv[0]), list_entries([])\n',
  'tally/importer.py': 'from .db import entries\n\n\ndef load(text):\n    return entries.format_tags(entries.parse_tags(text))\n',
  'tests/test_tags.py': [
    'from unittest import mock',
    '',
    'import tally.db.entries',
    'from tally.db.entries import (',
    '    format_tags,',
    '    parse_tags,',
    ')',
    '',
    '',
    'def test_tags():',
    '    assert parse_tags("#b x #a") == ["b", "a"]',
    '    assert format_tags(["b", "a"]) == "#a #b"',
    '',
    '',
    'def test_mocked():',
    '    with mock.patch("tally.db.entries.parse_tags", return_value=["z"]):',
    '        assert tally.db.entries.parse_tags("#x") == ["z"]',
    '',
  ].join('\n'),
};

test('Python functions move to a new module with their comment, their imports and the constant only they used; every import follows', async (t) => {
  const p = await project(t, pyapp);
  const result = await moveSymbolTool.execute({ names: 'parse_tags, format_tags', to: 'tally/tags.py', from: null }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  assert.equal(p.asked.length, 1, 'one approval for the whole move');
  assert.match(
    result.forModel,
    /^Moved `parse_tags`, `format_tags` from tally\/db\/entries\.py to tally\/tags\.py \(new file\), with `TAG_RE`, which only that code used; imports updated in /,
  );
  assert.equal(
    p.read('tally/tags.py'),
    [
      'import re',
      'from tally.errors import TallyError',
      '',
      '',
      'TAG_RE = re.compile(r"#(\\w+)")',
      '',
      '',
      '# Tags are the words after a hash.',
      'def parse_tags(text):',
      '    """The tags of text, in order."""',
      '    return TAG_RE.findall(text)',
      '',
      '',
      'def format_tags(tags):',
      '    if not tags:',
      '        raise TallyError("no tags")',
      '    return " ".join(f"#{t}" for t in sorted(tags))',
      '',
    ].join('\n'),
  );
  assert.equal(
    p.read('tally/db/entries.py'),
    '"""Entries in the database."""\nfrom tally.tags import format_tags\n\n\ndef list_entries(db):\n    return [format_tags(e) for e in db]\n',
    'the old module keeps what it still uses (format_tags, imported back) and loses the imports only the moved code needed',
  );
  assert.equal(
    p.read('tally/cli.py'),
    'from tally.db.entries import list_entries\nfrom tally.tags import parse_tags\n\n\ndef main(argv):\n    return parse_tags(argv[0]), list_entries([])\n',
  );
  assert.equal(
    p.read('tally/importer.py'),
    'from .tags import format_tags, parse_tags\n\n\ndef load(text):\n    return format_tags(parse_tags(text))\n',
    'a relative import of the moved names, the module import nothing uses now gone',
  );
  const tests = p.read('tests/test_tags.py');
  assert.match(tests, /^from tally\.tags import format_tags, parse_tags$/m, 'the parenthesised import, all of whose names moved, now names the new module');
  assert.match(tests, /mock\.patch\("tally\.tags\.parse_tags"/, 'a mock target names the new module');
  assert.match(tests, /assert tally\.tags\.parse_tags\("#x"\)/);
  assert.match(tests, /^import tally\.tags$/m);
  assert.doesNotMatch(tests, /^import tally\.db\.entries$/m, 'nothing uses the old module there any more');
  // the moved code runs where it landed, and every importer with it
  const python = (code: string) => execFileSync('python3', ['-c', code], { cwd: p.root, encoding: 'utf8' }).trim();
  assert.equal(python('import tally.cli, tally.importer; print(tally.importer.load("#b #a"), tally.cli.main(["#q"]))'), "#a #b (['q'], [])");
});

test('a Python relative import of the moved name becomes a relative import of the new module', async (t) => {
  const p = await project(t, {
    'pkg/__init__.py': '',
    'pkg/util.py': 'def slug(text):\n    return text.lower()\n\n\ndef other():\n    return 1\n',
    'pkg/web/__init__.py': '',
    'pkg/web/views.py': 'from ..util import other, slug\n\n\ndef view(t):\n    return slug(t), other()\n',
  });
  const result = await moveSymbolTool.execute({ names: 'slug', to: 'pkg/text.py', from: 'pkg/util.py' }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  assert.equal(p.read('pkg/web/views.py'), 'from ..util import other\nfrom ..text import slug\n\n\ndef view(t):\n    return slug(t), other()\n');
  assert.equal(p.read('pkg/text.py'), 'def slug(text):\n    return text.lower()\n');
  assert.equal(p.read('pkg/util.py'), 'def other():\n    return 1\n');
});

const tsapp: Record<string, string> = {
  'src/cli/args.ts': '/** Argument handling. */\nexport function flag(args: string[], name: string): boolean {\n  return args.includes(`--${name}`);\n}\n',
  'src/cli/commands/rooms.ts': [
    "import { flag } from '../args.ts';",
    "import { UsageError } from '../errors.ts';",
    '',
    '/** The one value of `name`, or a usage error. */',
    'export function requireOne(args: Record<string, string[]>, name: string): string {',
    '  const values = args[name] ?? [];',
    '  if (values.length !== 1) throw new UsageError(`--${name} once`);',
    '  return values[0];',
    '}',
    '',
    'export function rooms(args: Record<string, string[]>): string {',
    "  return flag([], 'all') ? 'all' : requireOne(args, 'room');",
    '}',
    '',
  ].join('\n'),
  'src/cli/commands/bookings.ts':
    "import { rooms, requireOne } from './rooms.ts';\n\nexport const book = (a: Record<string, string[]>) => `${requireOne(a, 'who')} ${rooms(a)}`;\n",
  'src/cli/errors.ts': 'export class UsageError extends Error {}\n',
  'test/rooms.test.ts': "import * as rooms from '../src/cli/commands/rooms.ts';\n\nexport const one = rooms.requireOne({ a: ['x'] }, 'a');\n",
};

test('a TypeScript function moves next to the code it belongs with; importers, a namespace use and the old file follow', async (t) => {
  const p = await project(t, tsapp);
  const result = await moveSymbolTool.execute({ names: 'requireOne', to: 'src/cli/args.ts', from: null }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  assert.equal(
    p.read('src/cli/args.ts'),
    [
      "import { UsageError } from './errors.ts';",
      '',
      '/** Argument handling. */',
      'export function flag(args: string[], name: string): boolean {',
      '  return args.includes(`--${name}`);',
      '}',
      '',
      '/** The one value of `name`, or a usage error. */',
      'export function requireOne(args: Record<string, string[]>, name: string): string {',
      '  const values = args[name] ?? [];',
      '  if (values.length !== 1) throw new UsageError(`--${name} once`);',
      '  return values[0];',
      '}',
      '',
    ].join('\n'),
  );
  assert.equal(
    p.read('src/cli/commands/rooms.ts'),
    "import { flag, requireOne } from '../args.ts';\n\nexport function rooms(args: Record<string, string[]>): string {\n  return flag([], 'all') ? 'all' : requireOne(args, 'room');\n}\n",
  );
  assert.equal(
    p.read('src/cli/commands/bookings.ts'),
    "import { rooms } from './rooms.ts';\nimport { requireOne } from '../args.ts';\n\nexport const book = (a: Record<string, string[]>) => `${requireOne(a, 'who')} ${rooms(a)}`;\n",
  );
  assert.equal(p.read('test/rooms.test.ts'), "import { requireOne } from '../src/cli/args.ts';\n\nexport const one = requireOne({ a: ['x'] }, 'a');\n");
  // the moved code type-checks and runs where it landed
  const script = path.join(p.root, 'run.ts');
  await fs.writeFile(script, "import { book } from './src/cli/commands/bookings.ts';\nconsole.log(book({ who: ['ann'], room: ['r1'] }));\n");
  const out = execFileSync(process.execPath, ['--import', import.meta.resolve('tsx'), script], { encoding: 'utf8' });
  assert.equal(out.trim(), 'ann r1');
});

test('a name that is not defined, a target that defines it already, and a language without import rules are refused, nothing written', async (t) => {
  const p = await project(t, { ...tsapp, 'src/other.ts': 'export function requireOne() {}\n', 'lib/a.go': 'package lib\n\nfunc A() {}\n' });
  const before = p.read('src/cli/commands/rooms.ts');
  const unknown = await moveSymbolTool.execute({ names: 'requireOnce', to: 'src/cli/args.ts', from: 'src/cli/commands/rooms.ts' }, p.ctx);
  assert.equal(unknown.error?.code, 'not_found');
  assert.match(unknown.forModel, /no top-level function, class or constant `requireOnce` is defined in src\/cli\/commands\/rooms\.ts/);
  const clash = await moveSymbolTool.execute({ names: 'requireOne', to: 'src/other.ts', from: 'src/cli/commands/rooms.ts' }, p.ctx);
  assert.equal(clash.error?.code, 'invalid_args');
  assert.match(clash.forModel, /src\/other\.ts already defines `requireOne`/);
  const go = await moveSymbolTool.execute({ names: 'A', to: 'lib/b.go', from: null }, p.ctx);
  assert.match(go.forModel, /move_symbol updates imports in Python, JavaScript and TypeScript files; for lib\/b\.go, move the code with edit_files/);
  assert.equal(p.read('src/cli/commands/rooms.ts'), before);
  assert.equal(p.asked.length, 0);
});
