/**
 * Files that look like secrets: read_file asks first (and says why), in every approval mode;
 * search_code leaves their lines out with a note; list_files marks them. Real temp projects, the
 * real tools, the real approval gate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { ApprovalGate } from '../../src/agent/approval-gate.ts';
import { nonInteractiveApprover } from '../../src/cli/non-interactive-approver.ts';
import type { ApprovalAnswer, ApprovalRequest } from '../../src/workspace/approval.ts';
import { listFilesTool } from '../../tools/list_files.ts';
import { readFileTool } from '../../tools/read_file.ts';
import { searchCodeTool } from '../../tools/search_code.ts';
import { secretReason } from '../../tools/secret-files.ts';
import { makeProject } from './tool-context.ts';

const read = (p: string) => ({ path: p, startLine: null, endLine: null });
const search = (query: string) => ({ query, regex: null, caseSensitive: null, glob: null, contextLines: null, maxResults: null });

test('which names look like secrets: precise, not every id_* or .env*', () => {
  const secret = [
    '.env',
    '.env.local',
    '.env.production',
    '.envrc',
    'docker/prod.env',
    'certs/server.pem',
    'tls/private.key',
    'keystore.p12',
    'a.pfx',
    'putty.ppk',
    'app.jks',
    'release.keystore',
    'id_rsa',
    'id_ed25519',
    'home/.ssh/id_ecdsa',
    'id_ed25519_sk',
    'deploy/id_rsa_work',
    'id_dsa',
    '.netrc',
    '.pgpass',
    '.git-credentials',
  ];
  const ordinary = [
    'id_utils.py',
    'id_rsa.pub',
    'id_ed25519.pub',
    'src/id_rsa_parser.py',
    'identity.ts',
    '.env.example',
    '.env.sample',
    'env.ts',
    'environment.py',
    'keys.py',
    'monkey.js',
    'pem.md',
    'src/keyboard.key.ts',
    'README.md',
  ];
  for (const name of secret) assert.ok(secretReason(name), name);
  for (const name of ordinary) assert.equal(secretReason(name), null, name);
  assert.match(secretReason('config/vault.yml', ['config/vault.yml'])!, /secrets\.patterns/);
  assert.match(secretReason('deep/a/b.vault', ['*.vault'])!, /`\*\.vault`/);
  assert.equal(secretReason('src/vault.ts', ['*.vault']), null);
});

test('read_file asks before reading a secret, even in full-auto, and says why; a no reaches the model with its reason', async () => {
  const answers: ApprovalAnswer[] = [{ answer: 'no', reason: 'those are production keys' }, { answer: 'yes' }];
  const p = makeProject({
    files: { '.env': 'API_KEY=sk-live-123\n', 'id_utils.py': 'def ident(x):\n    return x\n', 'certs/server.pem': '-----BEGIN PRIVATE KEY-----\n' },
  });
  try {
    const asked: ApprovalRequest[] = [];
    const gate = new ApprovalGate(
      'full-auto',
      async (request) => (asked.push(request), answers.shift()!),
      () => {},
    );
    p.ctx.approve = (request) => gate.approve(request, p.controller.signal);
    const refused = await readFileTool.execute(read('.env'), p.ctx);
    assert.equal(refused.error?.code, 'rejected');
    assert.doesNotMatch(refused.forModel, /sk-live/);
    assert.match(refused.forModel, /\.env looks like it holds secrets \(a `\.env\*` file of environment variables.*\).*not given: those are production keys/);
    assert.deepEqual(asked[0], {
      kind: 'read-secret',
      path: '.env',
      reason: 'a `.env*` file of environment variables, which often hold API keys and passwords',
    });
    const allowed = await readFileTool.execute(read('.env'), p.ctx);
    assert.match(allowed.forModel, /1\| API_KEY=sk-live-123/);
    assert.match((await readFileTool.execute(read('id_utils.py'), p.ctx)).forModel, /def ident/);
    assert.equal(asked.length, 2, 'id_utils.py is not a key: not asked');
    assert.equal((await readFileTool.execute(read('missing.pem'), p.ctx)).error?.code, 'not_found', 'a missing file is not asked about');
    assert.equal(asked.length, 2);
  } finally {
    p.cleanup();
  }
});

test('a symbolic link to a secret is judged by its target', async () => {
  const p = makeProject({ files: { '.env': 'TOKEN=abc\n' }, answer: () => ({ answer: 'no', reason: 'no' }) });
  try {
    symlinkSync(path.join(p.root, '.env'), path.join(p.root, 'notes.txt'));
    assert.equal((await readFileTool.execute(read('notes.txt'), p.ctx)).error?.code, 'rejected');
    assert.deepEqual(
      p.asked.map((r) => r.kind === 'read-secret' && r.path),
      ['notes.txt'],
    );
  } finally {
    p.cleanup();
  }
});

test('secrets.patterns of the config adds files to ask about', async () => {
  const p = makeProject({ files: { 'deploy/vault.yml': 'password: hunter2\n' }, answer: () => ({ answer: 'no', reason: 'no' }) });
  try {
    p.ctx.config.secrets.patterns = ['deploy/*.yml'];
    const result = await readFileTool.execute(read('deploy/vault.yml'), p.ctx);
    assert.equal(result.error?.code, 'rejected');
    assert.match(result.forModel, /matches `deploy\/\*\.yml` in secrets\.patterns/);
  } finally {
    p.cleanup();
  }
});

test('without a person (assist run), a secret is not read and the model is told why', async () => {
  const p = makeProject({ files: { '.env': 'TOKEN=abc\n' } });
  try {
    const gate = new ApprovalGate('full-auto', nonInteractiveApprover({ command: 'run', allowSandboxedRuns: true }), () => {});
    p.ctx.approve = (request) => gate.approve(request, p.controller.signal);
    const result = await readFileTool.execute(read('.env'), p.ctx);
    assert.equal(result.error?.code, 'rejected');
    assert.match(result.forModel, /`assist run` has no person to ask, so it is not read\. Work without it/);
  } finally {
    p.cleanup();
  }
});

test('search_code leaves out lines of secret-looking files, with a note; list_files marks them', async () => {
  const p = makeProject({
    files: { 'src/app.ts': 'const token = process.env.TOKEN;\n', 'certs/server.key': 'token: abc123\ntoken2\n', 'config/prod.env': 'TOKEN=abc\n' },
  });
  try {
    const r = await searchCodeTool.execute(search('token'), p.ctx);
    assert.equal(
      r.forModel,
      'src/app.ts:1: const token = process.env.TOKEN;\n[1 matching line in 1 file.]\n[3 matching lines in certs/server.key, config/prod.env left out: they look like files holding secrets. read_file asks the user before reading one.]',
    );
    assert.doesNotMatch(r.forModel, /abc123/);
    assert.equal(p.asked.length, 0);
    const listed = await listFilesTool.execute({ glob: null, dir: null }, p.ctx);
    assert.equal(
      listed.forModel,
      'certs/server.key  [looks like a secret: read_file asks the user first]\nconfig/prod.env  [looks like a secret: read_file asks the user first]\nsrc/app.ts\n[3 files.]',
    );
  } finally {
    p.cleanup();
  }
});
