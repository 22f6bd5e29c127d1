import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { PathError, StaleFileError } from '../../src/workspace/workspace.ts';
import { writeFilesAtomically } from '../../src/workspace/atomic-write.ts';
import { readTree } from '../tools/tool-context.ts';

function tempProject(files: Record<string, string | Buffer>): { root: string; outside: string; cleanup(): void } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'assist-wst-'));
  const root = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return { root, outside, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

test('path escapes are refused and nothing is written: ../, absolute outside, symlink out, .git/', async () => {
  const p = tempProject({ 'a.txt': 'a\n', '.git/config': '[core]\n' });
  try {
    symlinkSync(p.outside, path.join(p.root, 'out-dir'));
    symlinkSync(path.join(p.outside, 'secret.txt'), path.join(p.root, 'out-file.txt'));
    const ws = openWorkspace(p.root);
    const before = readTree(path.dirname(p.root));
    const attempts = [
      '../outside/secret.txt',
      '../evil.txt',
      path.join(p.outside, 'secret.txt'),
      '/etc/passwd',
      'out-dir/secret.txt',
      'out-dir/new.txt',
      'out-file.txt',
      '.git/config',
      '.git/hooks/pre-commit',
      'sub/../../evil.txt',
      '.assist/checkpoints/x',
    ];
    for (const attempt of attempts) {
      await assert.rejects(
        ws.proposeChange(attempt, 'pwned\n'),
        (error: unknown) => error instanceof PathError && error.code === 'outside_root' && error.message.length > 20,
        attempt,
      );
    }
    for (const attempt of ['../outside/secret.txt', 'out-file.txt', '.git/config']) {
      await assert.rejects(ws.readText(attempt), PathError, attempt);
    }
    assert.throws(() => ws.resolve('/etc/passwd'), /outside the project root/);
    assert.deepEqual(readTree(path.dirname(p.root)), before);
  } finally {
    p.cleanup();
  }
});

test('a symlink in the project into .assist/, into .git/ or out of it cannot be written through; .git and outside cannot be read either', async () => {
  const p = tempProject({ 'a.txt': 'a\n', '.git/config': '[core]\n', '.assist/instructions.md': 'be brief\n', '.assist/sessions/s.jsonl': '{}\n' });
  try {
    const link = (target: string, name: string) => symlinkSync(target, path.join(p.root, name));
    link('.assist', 'state');
    link('.assist/instructions.md', 'notes.md');
    link('.git', 'g');
    link('.git/config', 'gitconf');
    link(p.outside, 'out');
    link('a.txt', 'swap.txt');
    const ws = openWorkspace(p.root);
    const swapChange = await ws.proposeChange('swap.txt', 'b\n');
    const before = readTree(path.dirname(p.root));
    const refusals: Array<[string, RegExp]> = [
      [
        'state/sessions/s.jsonl',
        /^Path "state\/sessions\/s\.jsonl" goes through a symbolic link into \.assist\/, where assist keeps its own state; it cannot be changed by a tool\.$/,
      ],
      ['state/new.txt', /symbolic link into \.assist\//],
      ['state/checkpoints/x/files/0', /symbolic link into \.assist\//],
      ['notes.md', /symbolic link into \.assist\//],
      ['g/config', /^Path "g\/config" goes through a symbolic link into \.git\/, which belongs to git/],
      ['g/hooks/pre-commit', /symbolic link into \.git\//],
      ['gitconf', /symbolic link into \.git\//],
      ['out/new.txt', /symbolic link that points outside the project/],
      ['.assist/instructions.md', /^Path "\.assist\/instructions\.md" is inside \.assist\//],
      ['sub/.Assist/x', /is inside \.assist\//],
    ];
    for (const [attempt, message] of refusals) {
      await assert.rejects(
        ws.proposeChange(attempt, 'pwned\n'),
        (error: unknown) => error instanceof PathError && error.code === 'outside_root' && message.test(error.message),
        attempt,
      );
    }
    for (const attempt of ['g/config', 'gitconf', 'out/secret.txt']) await assert.rejects(ws.readText(attempt), PathError, attempt);
    assert.equal(await ws.readText('notes.md'), 'be brief\n', "assist's own files may be read (instructions.md is meant for the model)");

    // A link that pointed at a project file when the change was proposed, and into .assist/ when it is applied.
    rmSync(path.join(p.root, 'swap.txt'));
    link('.assist/instructions.md', 'swap.txt');
    await assert.rejects(ws.apply([{ ...swapChange, before: 'be brief\n' }]), /symbolic link into \.assist\//);
    rmSync(path.join(p.root, 'swap.txt'));
    link('a.txt', 'swap.txt');
    assert.deepEqual(readTree(path.dirname(p.root)), before, 'nothing was written anywhere');
  } finally {
    p.cleanup();
  }
});

test('a missing path suggests the nearest existing paths', async () => {
  const p = tempProject({ 'src/utils.ts': 'x\n', 'src/index.ts': 'y\n', 'lib/other/utils.ts': 'z\n' });
  try {
    const ws = openWorkspace(p.root);
    await assert.rejects(
      ws.readText('src/utlis.ts'),
      (e: unknown) => e instanceof PathError && e.code === 'not_found' && /Did you mean "src\/utils.ts"/.test(e.message),
    );
    await assert.rejects(
      ws.readText('utils.ts'),
      (e: unknown) => e instanceof PathError && /"lib\/other\/utils.ts"/.test(e.message) && /"src\/utils.ts"/.test(e.message),
    );
    await assert.rejects(ws.readText('src'), /is a directory/);
  } finally {
    p.cleanup();
  }
});

test('apply keeps mode, CRLF, BOM and missing final newline; checkpoint written first; undo restores exactly', async () => {
  const p = tempProject({
    'run.sh': '#!/bin/sh\necho hi\n',
    'win.txt': '\uFEFFone\r\ntwo\r\n',
    'tail.txt': 'no newline',
    'doomed.txt': 'delete me\n',
  });
  try {
    chmodSync(path.join(p.root, 'run.sh'), 0o755);
    chmodSync(path.join(p.root, 'doomed.txt'), 0o600);
    const ws = openWorkspace(p.root);
    const original = readTree(p.root);
    const changes = [
      await ws.proposeChange('run.sh', '#!/bin/sh\necho bye\n'),
      await ws.proposeChange('win.txt', 'one\ntwo\nthree\n'),
      await ws.proposeChange('tail.txt', 'still no newline'),
      await ws.proposeChange('doomed.txt', null),
      await ws.proposeChange('new/dir/created.txt', 'hello\n'),
    ];
    assert.match(changes[1].diff, /^--- a\/win.txt\n\+\+\+ b\/win.txt\n@@/);
    assert.match(changes[1].diff, /\+three/);
    assert.match(changes[4].diff, /^--- \/dev\/null/);
    const { checkpointId } = await ws.apply(changes);
    assert.equal(statSync(path.join(p.root, 'run.sh')).mode & 0o777, 0o755);
    assert.equal(readFileSync(path.join(p.root, 'win.txt'), 'latin1'), Buffer.from('\uFEFFone\r\ntwo\r\nthree\r\n').toString('latin1'));
    assert.equal(readFileSync(path.join(p.root, 'tail.txt'), 'utf8'), 'still no newline');
    assert.ok(!existsSync(path.join(p.root, 'doomed.txt')));
    assert.equal(readFileSync(path.join(p.root, 'new/dir/created.txt'), 'utf8'), 'hello\n');
    assert.ok(existsSync(path.join(p.root, '.assist', 'checkpoints', checkpointId, 'manifest.json')));
    assert.deepEqual(
      ws.applied().map((a) => a.checkpointId),
      [checkpointId],
    );
    assert.ok(!readdirSync(p.root).some((f) => f.includes('.assist-')), 'no temp files left');

    const restored = await ws.undo();
    assert.deepEqual(restored?.sort(), ['doomed.txt', 'new/dir/created.txt', 'run.sh', 'tail.txt', 'win.txt']);
    assert.deepEqual(readTree(p.root), original);
    assert.equal(statSync(path.join(p.root, 'doomed.txt')).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(p.root, 'run.sh')).mode & 0o777, 0o755);
    assert.ok(!existsSync(path.join(p.root, 'new')), 'directories the set created are removed again');
    assert.deepEqual(ws.applied(), []);
    assert.equal(await ws.undo(), null, 'an undone set is not undone twice');
  } finally {
    p.cleanup();
  }
});

test('undo works from a new session (the checkpoint is on disk) and refuses to overwrite later edits', async () => {
  const p = tempProject({ 'a.txt': 'one\n' });
  try {
    const first = openWorkspace(p.root);
    await first.apply([await first.proposeChange('a.txt', 'two\n')]);
    writeFileSync(path.join(p.root, 'a.txt'), 'three, by the user\n');
    const second = openWorkspace(p.root);
    await assert.rejects(second.undo(), /changed after the change set was applied/);
    assert.equal(readFileSync(path.join(p.root, 'a.txt'), 'utf8'), 'three, by the user\n');
    writeFileSync(path.join(p.root, 'a.txt'), 'two\n');
    assert.deepEqual(await second.undo(), ['a.txt']);
    assert.equal(readFileSync(path.join(p.root, 'a.txt'), 'utf8'), 'one\n');
  } finally {
    p.cleanup();
  }
});

test('a file changed on disk after it was read is refused as stale; after proposing, apply refuses too', async () => {
  const p = tempProject({ 'a.txt': 'original\n', 'b.txt': 'b\n' });
  try {
    const ws = openWorkspace(p.root);
    assert.equal(await ws.readText('a.txt'), 'original\n');
    writeFileSync(path.join(p.root, 'a.txt'), 'changed by the user\n');
    await assert.rejects(
      ws.proposeChange('a.txt', 'model text\n'),
      (e: unknown) => e instanceof StaleFileError && e.code === 'stale' && /read it again/.test(e.message),
    );
    await assert.rejects(ws.readForEdit('a.txt'), StaleFileError);
    assert.equal(await ws.readText('a.txt'), 'changed by the user\n');
    const change = await ws.proposeChange('a.txt', 'model text\n');
    const other = await ws.proposeChange('b.txt', 'B\n');
    writeFileSync(path.join(p.root, 'a.txt'), 'changed again\n');
    await assert.rejects(ws.apply([other, change]), StaleFileError);
    assert.equal(readFileSync(path.join(p.root, 'a.txt'), 'utf8'), 'changed again\n');
    assert.equal(readFileSync(path.join(p.root, 'b.txt'), 'utf8'), 'b\n', 'nothing of the set is written');
    assert.equal(ws.applied().length, 0);
  } finally {
    p.cleanup();
  }
});

test('binary files are refused for reading and editing', async () => {
  const p = tempProject({ 'img.bin': Buffer.from([0x89, 0x50, 0x00, 0x01]), 'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) });
  try {
    const ws = openWorkspace(p.root);
    await assert.rejects(ws.readText('img.bin'), (e: unknown) => e instanceof PathError && e.code === 'binary');
    await assert.rejects(ws.proposeChange('img.bin', 'x'), (e: unknown) => e instanceof PathError && e.code === 'binary');
    await assert.rejects(ws.readText('latin1.txt'), /not valid UTF-8/);
  } finally {
    p.cleanup();
  }
});

test('stage, pending, snapshot and discard', async () => {
  const p = tempProject({ 'win.txt': 'a\r\nb\r\n', 'x.txt': 'x\n' });
  try {
    const ws = openWorkspace(p.root);
    ws.stage([await ws.proposeChange('win.txt', 'a\nc\n'), await ws.proposeChange('x.txt', null), await ws.proposeChange('n.txt', 'new\n')]);
    assert.deepEqual(
      ws.pending().map((c) => c.path),
      ['win.txt', 'x.txt', 'n.txt'],
    );
    const snap = ws.snapshot();
    assert.equal(snap.overlay.get('win.txt'), 'a\r\nc\r\n');
    assert.equal(snap.overlay.get('x.txt'), null);
    assert.equal(snap.overlay.get('n.txt'), 'new\n');
    ws.discard(['x.txt']);
    assert.deepEqual(
      ws.pending().map((c) => c.path),
      ['win.txt', 'n.txt'],
    );
    ws.discard();
    assert.deepEqual(ws.pending(), []);
    assert.equal(readFileSync(path.join(p.root, 'win.txt'), 'utf8'), 'a\r\nb\r\n');
  } finally {
    p.cleanup();
  }
});

test('a symlink inside the project is edited through: the target changes, the link stays a link', async () => {
  const p = tempProject({ 'real.txt': 'one\n' });
  try {
    symlinkSync('real.txt', path.join(p.root, 'link.txt'));
    const ws = openWorkspace(p.root);
    assert.equal(await ws.readText('link.txt'), 'one\n');
    await ws.apply([await ws.proposeChange('link.txt', 'two\n')]);
    assert.equal(readFileSync(path.join(p.root, 'real.txt'), 'utf8'), 'two\n');
    assert.ok(lstatSync(path.join(p.root, 'link.txt')).isSymbolicLink());
    await ws.undo();
    assert.equal(readFileSync(path.join(p.root, 'real.txt'), 'utf8'), 'one\n');
    assert.ok(lstatSync(path.join(p.root, 'link.txt')).isSymbolicLink());
  } finally {
    p.cleanup();
  }
});

test('a failure while writing temp files leaves every target old and no temp behind', () => {
  const p = tempProject({ 'a.txt': 'old a\n' });
  try {
    assert.throws(() =>
      writeFilesAtomically([
        { target: path.join(p.root, 'a.txt'), bytes: Buffer.from('new a\n'), mode: null },
        { target: path.join(p.root, 'missing-dir', 'b.txt'), bytes: Buffer.from('new b\n'), mode: null },
      ]),
    );
    assert.deepEqual(readTree(p.root), { 'a.txt': 'old a\n' });
  } finally {
    p.cleanup();
  }
});
