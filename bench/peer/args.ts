/**
 * The peer bench's command line:
 * `npm run bench -- peer [--tasks ID,ID] [--kinds KIND,KIND] [--limit N] [--time-limit SECONDS]
 * [--edit-format whole|diff] [--threads N] [--only aider|assist]`.
 */
import { peerKinds, type PeerKind } from './tasks.ts';

export const editFormats = ['whole', 'diff'] as const;
/** aider's edit format: whole files (suits small models) or search/replace blocks. */
export type EditFormat = (typeof editFormats)[number];

export const peerTools = ['aider', 'assist'] as const;
export type PeerTool = (typeof peerTools)[number];

/** What the bench was asked to do. */
export interface PeerArgs {
  ids?: string[];
  kinds?: PeerKind[];
  limit?: number;
  /** Per task, for both tools (default 600 s). */
  timeLimitSeconds: number;
  editFormat: EditFormat;
  /** Threads for the model server; absent: what `defaultThreads()` picks at the start. */
  threads?: number;
  /** Run only one tool (for shaking out or comparing edit formats); absent: both. */
  only?: PeerTool;
}

/** A command line the bench cannot use; the message says what is accepted. */
export class PeerArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerArgsError';
  }
}

export const peerUsage =
  'usage: npm run bench -- peer [--tasks ID,ID] [--kinds KIND,KIND] [--limit N] [--time-limit SECONDS] ' +
  `[--edit-format ${editFormats.join('|')}] [--threads N] [--only ${peerTools.join('|')}]\nKIND: ${peerKinds.join(', ')}`;

/** Parses the bench's arguments. Throws PeerArgsError naming the bad flag. */
export function parsePeerArgs(argv: string[]): PeerArgs {
  const out: PeerArgs = { timeLimitSeconds: 600, editFormat: 'whole' };
  const list = (value: string) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const positive = (name: string, value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new PeerArgsError(`${name} needs a whole number of at least 1, not "${value}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    const known = ['--tasks', '--kinds', '--limit', '--time-limit', '--edit-format', '--threads', '--only'];
    if (!known.includes(name)) throw new PeerArgsError(`unknown argument "${name}"\n${peerUsage}`);
    if (value === undefined || value.startsWith('--')) throw new PeerArgsError(`${name} needs a value\n${peerUsage}`);
    i++;
    switch (name) {
      case '--tasks':
        out.ids = list(value);
        break;
      case '--kinds': {
        const kinds = list(value);
        const bad = kinds.filter((k) => !(peerKinds as readonly string[]).includes(k));
        if (bad.length) throw new PeerArgsError(`--kinds: aider cannot do "${bad.join(', ')}"; choose from ${peerKinds.join(', ')}`);
        out.kinds = kinds as PeerKind[];
        break;
      }
      case '--limit':
        out.limit = positive(name, value);
        break;
      case '--time-limit':
        out.timeLimitSeconds = positive(name, value);
        break;
      case '--threads':
        out.threads = positive(name, value);
        break;
      case '--edit-format':
        if (!(editFormats as readonly string[]).includes(value)) throw new PeerArgsError(`--edit-format is ${editFormats.join(' or ')}, not "${value}"`);
        out.editFormat = value as EditFormat;
        break;
      case '--only':
        if (!(peerTools as readonly string[]).includes(value)) throw new PeerArgsError(`--only is ${peerTools.join(' or ')}, not "${value}"`);
        out.only = value as PeerTool;
        break;
    }
  }
  return out;
}
