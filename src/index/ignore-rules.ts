/**
 * Which files a project walk sees, decided the way ripgrep decides it by default (rg 13 with
 * `--no-require-git --no-ignore-dot`), so that `walkFiles`, `list_files` and both `search_code`
 * paths agree file for file:
 *
 * - `.gitignore` files apply to their own directory and below, the deepest matching rule wins;
 *   `.git/info/exclude` applies after all `.gitignore` files. A directory holding a `.git` entry
 *   is a repository root: ignore files above it do not apply inside it (git's rule). Ignore files
 *   in directories above the project root apply too, up to the enclosing repository root.
 * - `.assistignore` files (same syntax) apply to their directory and below and can only hide more:
 *   a `!pattern` there cannot bring back what `.gitignore` hides.
 * - Hidden entries (name starting with `.`) are skipped unless a `.gitignore` rule whitelists them;
 *   `.git` is always skipped. A skipped directory is not entered, so nothing below it is seen.
 * - Patterns use gitignore syntax with ripgrep's globs (`{a,b}` alternatives work).
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

/** The name of the project's own ignore file. */
export const assistIgnoreName = '.assistignore';

type Verdict = 'ignore' | 'whitelist' | null;

/** One compiled line of a gitignore-style file. */
interface Rule {
  re: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

const globOptions: picomatch.PicomatchOptions = { dot: true, noextglob: true };

/** Compiles one gitignore-syntax line; `null` for blanks and comments. */
export function compileIgnoreLine(raw: string): Rule | null {
  let line = raw.replace(/\r$/, '');
  if (line === '' || line.startsWith('#')) return null;
  line = line.replace(/(?<!\\) +$/, '');
  if (line === '') return null;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/')) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  let anchored = false;
  if (line.startsWith('/')) {
    anchored = true;
    line = line.slice(1);
  }
  if (line === '') return null;
  if (!anchored && !line.includes('/') && !line.startsWith('**/')) line = `**/${line}`;
  if (line.endsWith('/**')) line = `${line}/*`;
  line = line.replace(/\[!/g, '[^');
  try {
    return { re: picomatch.makeRe(line, globOptions), negated, dirOnly };
  } catch {
    return null;
  }
}

function compileIgnoreText(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of text.split('\n')) {
    const rule = compileIgnoreLine(line);
    if (rule) rules.push(rule);
  }
  return rules;
}

/** The last matching rule decides; `null` when none matches. */
function matchRules(rules: Rule[], rel: string, isDir: boolean): Verdict {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule.dirOnly && !isDir) continue;
    if (rule.re.test(rel)) return rule.negated ? 'whitelist' : 'ignore';
  }
  return null;
}

function readRules(file: string): Rule[] | null {
  try {
    const rules = compileIgnoreText(readFileSync(file, 'utf8'));
    return rules.length > 0 ? rules : null;
  } catch {
    return null;
  }
}

/** The ignore files of one directory. `prefix` is what to put before root-relative paths. */
interface Level {
  git: Rule[] | null;
  exclude: Rule[] | null;
  assist: Rule[] | null;
  hasGit: boolean;
}

function loadLevel(absDir: string, withAssist: boolean): Level {
  let hasGit = false;
  let exclude: Rule[] | null = null;
  try {
    const st = lstatSync(path.join(absDir, '.git'));
    hasGit = true;
    if (st.isDirectory()) exclude = readRules(path.join(absDir, '.git', 'info', 'exclude'));
  } catch {
    // not a repository root
  }
  return {
    git: readRules(path.join(absDir, '.gitignore')),
    exclude,
    assist: withAssist ? readRules(path.join(absDir, assistIgnoreName)) : null,
    hasGit,
  };
}

/** Ignore rules of one project, loaded lazily per directory and cached. */
export class IgnoreRules {
  readonly root: string;
  private readonly levels = new Map<string, Level>();
  /** Directories above the root whose `.gitignore` applies, deepest first, with the root's path inside each. */
  private readonly above: Array<{ level: Level; prefix: string }> = [];

  constructor(root: string) {
    this.root = path.resolve(root);
    if (this.level('').hasGit) return;
    let dir = this.root;
    for (;;) {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
      const level = loadLevel(dir, false);
      this.above.push({ level, prefix: path.relative(dir, this.root).split(path.sep).join('/') });
      if (level.hasGit) break;
    }
  }

  private level(relDir: string): Level {
    let level = this.levels.get(relDir);
    if (!level) {
      level = loadLevel(relDir === '' ? this.root : path.join(this.root, relDir), true);
      this.levels.set(relDir, level);
    }
    return level;
  }

  /**
   * Whether an entry is hidden from walks, judged by itself only (the caller has already
   * checked its parent directories). `rel` is root-relative and '/'-separated.
   */
  excludes(rel: string, isDir: boolean): boolean {
    const slash = rel.lastIndexOf('/');
    const name = slash < 0 ? rel : rel.slice(slash + 1);
    if (name === '.git') return true;
    let gitignore: Verdict = null;
    let exclude: Verdict = null;
    let assist: Verdict = null;
    let sawGit = false;
    let dir = slash < 0 ? '' : rel.slice(0, slash);
    for (;;) {
      const level = this.level(dir);
      const sub = dir === '' ? rel : rel.slice(dir.length + 1);
      if (!sawGit) {
        if (gitignore === null && level.git) gitignore = matchRules(level.git, sub, isDir);
        if (exclude === null && level.exclude) exclude = matchRules(level.exclude, sub, isDir);
        sawGit = level.hasGit;
      }
      if (assist === null && level.assist) assist = matchRules(level.assist, sub, isDir);
      if (dir === '') break;
      const up = dir.lastIndexOf('/');
      dir = up < 0 ? '' : dir.slice(0, up);
    }
    if (!sawGit) {
      for (const { level, prefix } of this.above) {
        const sub = `${prefix}/${rel}`;
        if (gitignore === null && level.git) gitignore = matchRules(level.git, sub, isDir);
        if (exclude === null && level.exclude) exclude = matchRules(level.exclude, sub, isDir);
        if (level.hasGit) break;
      }
    }
    const git = gitignore ?? exclude;
    if (git === 'ignore' || assist === 'ignore') return true;
    return git !== 'whitelist' && name.startsWith('.');
  }

  /**
   * Whether a walk started at `startDir` (root-relative, '' for the root) would list this file:
   * checks every path component below `startDir`, as the walk's pruning would.
   */
  includesFile(rel: string, startDir = ''): boolean {
    const parts = rel.split('/');
    const skip = startDir === '' ? 0 : startDir.split('/').length;
    for (let i = skip; i < parts.length; i++) {
      if (this.excludes(parts.slice(0, i + 1).join('/'), i < parts.length - 1)) return false;
    }
    return true;
  }
}

/**
 * A file filter in ripgrep's `--glob` syntax (gitignore-style: no `/` matches the name at any
 * depth, a `/` anchors at the project root; a leading `!` excludes matching files and directories).
 */
export class GlobFilter {
  private readonly rule: Rule;

  constructor(readonly glob: string) {
    const rule = compileIgnoreLine(glob);
    if (!rule) throw new Error(`Invalid glob ${JSON.stringify(glob)}: use patterns like "*.ts", "src/**/*.py" or "!test/**".`);
    this.rule = rule;
  }

  /** Whether a directory is pruned (only a `!` glob prunes). */
  prunesDir(rel: string): boolean {
    return this.rule.negated && matchRules([this.rule], rel, true) !== null;
  }

  /** Whether a file passes; for a `!` glob its directories are checked too. */
  includesFile(rel: string): boolean {
    if (!this.rule.negated) return matchRules([this.rule], rel, false) !== null;
    if (matchRules([this.rule], rel, false) !== null) return false;
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
      if (this.prunesDir(rel.slice(0, i))) return false;
    }
    return true;
  }
}
