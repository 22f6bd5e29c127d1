/**
 * Files that look like they hold secrets: environment files, private keys and certificates,
 * credential stores, plus the globs of `secrets.patterns` in the config. Judged by name alone (a
 * project-relative path), so listing and searching can tell without reading. read_file asks the
 * user before reading one, in every approval mode; search_code leaves their lines out; list_files
 * marks them.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { GlobFilter } from '../src/index/ignore-rules.ts';
import type { ToolContext, ToolResult } from './tool.ts';
import { toolError } from './tool.ts';

/** `.env`, `.env.local`, `.env-prod`, `.envrc`, `prod.env`; not the templates meant to be committed. */
const envFile = /^\.env(?:rc|[.\-_].+)?$|^.+\.env$/;
const envTemplate = /^\.env[.\-_](?:example|sample|template|dist|defaults)$/i;
/** SSH private keys as ssh-keygen names them (`id_ed25519`, `id_rsa_work`); never `id_rsa.pub`, nor `id_utils.py`. */
const sshPrivateKey = /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:[-_][A-Za-z0-9-]+)*$/;
const keyExtensions = new Set(['.pem', '.key', '.p12', '.pfx', '.ppk', '.jks', '.keystore']);
const credentialFiles = new Set(['.netrc', '.pgpass', '.git-credentials']);

/** The built-in kinds, in the words the user and the model are shown. */
export const builtinSecretKinds = [
  '`.env*` files (environment variables, often API keys)',
  'keys and certificates (`*.pem`, `*.key`, `*.p12`, `*.pfx`, `*.ppk`, `*.jks`, `*.keystore`)',
  'SSH private keys (`id_rsa`, `id_ed25519`, ...)',
  'credential files (`.netrc`, `.pgpass`, `.git-credentials`)',
] as const;

/**
 * Why `rel` (project-relative, '/'-separated) looks like a secret, or null. `patterns` are extra
 * globs in ripgrep's syntax (`*.vault` at any depth, `config/secrets.yml` from the root).
 */
export function secretReason(rel: string, patterns: readonly string[] = []): string | null {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (envFile.test(name) && !envTemplate.test(name)) return 'a `.env*` file of environment variables, which often hold API keys and passwords';
  if (sshPrivateKey.test(name)) return 'an SSH private key (`id_*`)';
  const extension = path.extname(name).toLowerCase();
  if (keyExtensions.has(extension)) return `a key or certificate file (\`*${extension}\`)`;
  if (credentialFiles.has(name)) return `a credentials file (\`${name}\`)`;
  for (const pattern of patterns) {
    const glob = globOf(pattern);
    if (glob ? glob.includesFile(rel) : rel === pattern || name === pattern) return `it matches \`${pattern}\` in secrets.patterns of your config`;
  }
  return null;
}

const globs = new Map<string, GlobFilter | null>();

/** The compiled glob, or null for one that does not compile (then matched as a literal name or path, never dropped). */
function globOf(pattern: string): GlobFilter | null {
  let glob = globs.get(pattern);
  if (glob === undefined) {
    try {
      glob = new GlobFilter(pattern);
    } catch {
      glob = null;
    }
    globs.set(pattern, glob);
  }
  return glob;
}

/**
 * For a tool about to read the file at `input`: null when it may go ahead (not a secret, not an
 * existing file, or the user said yes), else the result to return (the user's "no" and reason, for
 * the model). A symbolic link is judged by its own name and by its target's. Throws PathError for
 * a path the workspace refuses.
 */
export async function askToReadSecret(ctx: ToolContext, input: string): Promise<ToolResult | null> {
  const abs = ctx.workspace.resolve(input);
  if (!statSync(abs, { throwIfNoEntry: false })?.isFile()) return null;
  const rel = ctx.workspace.relative(input);
  const target = path.relative(realpathSync(ctx.root), realpathSync(abs)).split(path.sep).join('/');
  const reason = secretReason(rel, ctx.config.secrets.patterns) ?? secretReason(target, ctx.config.secrets.patterns);
  if (!reason) return null;
  const answer = await ctx.approve({ kind: 'read-secret', path: rel, reason });
  if (answer.answer === 'yes' || answer.answer === 'always') return null;
  const why = answer.answer === 'no' ? answer.reason : 'The answer did not allow it.';
  return toolError('rejected', `${rel} looks like it holds secrets (${reason}); reading it needs the user's permission, and it was not given: ${why}`);
}
