import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { walkFiles } from '../../src/index/file-walk.ts';
import { IgnoreRules } from '../../src/index/ignore-rules.ts';
import { makeTrickyRepo } from './tricky-repo.ts';

const expected = [
  '.prettierrc',
  'Big.TXT',
  'README.md',
  'docs/keep.md',
  'empty.txt',
  'important.log',
  'noeol.txt',
  'regex/special.txt',
  'src/a b/space name.txt',
  'src/bom.txt',
  'src/crlf.txt',
  'src/early-nul.txt',
  'src/image.bin',
  'src/late-nul.txt',
  'src/latin1.txt',
  'src/main.ts',
  'src/sub/keep.log',
  'src/sub/notes.md',
  'src/sub/only-root.txt',
  'src/utf16.txt',
  'src/ünï/cödé.py',
  'vendor/lib/lib.c',
  'vendor/lib/x.log',
];

function rgFiles(root: string, extra: string[] = []): string[] {
  const out = execFileSync('rg', ['--files', '--no-require-git', '--no-ignore-dot', '--no-config', '--no-ignore-global', ...extra], {
    cwd: root,
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean).sort();
}

test('walkFiles honours nested .gitignore, .git/info/exclude, .assistignore, hidden, nested repos, symlinks', async () => {
  const repo = makeTrickyRepo();
  try {
    assert.deepEqual(await walkFiles(repo.root), expected);
  } finally {
    repo.cleanup();
  }
});

test('walkFiles lists what rg --files lists (minus .assistignore), with and without glob and dir', async () => {
  const repo = makeTrickyRepo();
  try {
    const rules = new IgnoreRules(repo.root);
    const cases: Array<{ glob?: string; dir?: string }> = [
      {},
      { glob: '*.md' },
      { glob: 'src/**/*.txt' },
      { glob: '!src/**' },
      { glob: '!sub' },
      { glob: '*.{log,c}' },
      { dir: 'src' },
      { dir: 'src/sub', glob: '*.log' },
      { dir: 'vendor' },
      { dir: 'build' },
      { dir: '.github' },
    ];
    for (const c of cases) {
      const args = [...(c.glob ? ['--glob', c.glob] : []), ...(c.dir ? [c.dir] : [])];
      const fromRg = rgFiles(repo.root, args).filter((p) => rules.includesFile(p, c.dir ?? '') && !p.split('/').includes('.git'));
      const mine = await walkFiles(repo.root, { glob: c.glob, dir: c.dir, rules });
      assert.deepEqual(mine, fromRg, JSON.stringify(c));
    }
    assert.deepEqual(await walkFiles(repo.root, { dir: 'build' }), ['build/out.js']);
    assert.deepEqual(await walkFiles(repo.root, { dir: '.github' }), ['.github/workflows/ci.yml']);
  } finally {
    repo.cleanup();
  }
});

test('walkFiles rejects a missing dir, a dir outside the root, and an aborted signal', async () => {
  const repo = makeTrickyRepo();
  try {
    await assert.rejects(walkFiles(repo.root, { dir: 'nope' }), /No directory "nope"/);
    await assert.rejects(walkFiles(repo.root, { dir: '../outside' }), /inside the project/);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(walkFiles(repo.root, { signal: controller.signal }), { name: 'AbortError' });
  } finally {
    repo.cleanup();
  }
});
