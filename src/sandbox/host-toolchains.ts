/**
 * The language toolchains of this machine, for the bubblewrap backend, which has no image and
 * binds the host's own programs read-only. Each program a language needs is looked up in the
 * system directories, then on PATH. One under /usr (or /bin, /lib…) needs nothing more than the
 * /usr bind (Go in /usr/local/go adds its bin directory to PATH). One that lives elsewhere — rustup
 * under ~/.cargo and ~/.rustup, a JDK or Node under /opt or in a home directory — has only its own
 * tree bound, at /toolchains/NAME, so neither a home directory nor /opt becomes visible.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { languageRecipe, supportedLanguages } from './languages.ts';

/** PATH of the sandbox before toolchain directories are added; these trees are bound read-only. */
export const systemPath = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Trees of the host bound read-only as a whole (when present). */
export const systemTrees = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** Programs that test commands use besides the languages' own (bound when found, not reported). */
const testRunners = ['npm', 'npx', 'cargo', 'make', 'mvn', 'gradle'];

/** Where the sandbox mounts a toolchain that lives outside the system trees. */
export const toolchainsMount = '/toolchains';

export interface HostToolchains {
  /** Read-only binds: a toolchain's tree on the host and where the sandbox sees it. */
  binds: Array<{ source: string; target: string }>;
  /** Directories to put before `systemPath` on the sandbox's PATH. */
  path: string[];
  /** Languages whose programs were all found. */
  found: string[];
  /** Languages that cannot run here, with the program that is missing. */
  missing: Array<{ language: string; tool: string }>;
}

let cached: HostToolchains | undefined;

/** The toolchains of this machine (looked up once per process). */
export function hostToolchains(): HostToolchains {
  cached ??= findToolchains(process.env.PATH ?? '', os.homedir());
  return cached;
}

/** Looks the toolchains up, searching `systemPath`, then `hostPath` (a PATH string). */
export function findToolchains(hostPath: string, home: string): HostToolchains {
  const result: HostToolchains = { binds: [], path: [], found: [], missing: [] };
  const resolved = new Map<string, boolean>();
  const locate = (tool: string): boolean => {
    let ok = resolved.get(tool);
    if (ok === undefined) {
      ok = locateTool(tool, hostPath, home, result);
      resolved.set(tool, ok);
    }
    return ok;
  };
  for (const language of supportedLanguages) {
    const missingTool = languageRecipe(language)!.tools.find((tool) => !locate(tool));
    if (missingTool) result.missing.push({ language, tool: missingTool });
    else result.found.push(language);
  }
  for (const tool of testRunners) locate(tool);
  return result;
}

/** Finds `tool`, adding what the sandbox needs to see it to `into`; false when it is not usable. */
function locateTool(tool: string, hostPath: string, home: string, into: HostToolchains): boolean {
  const dirs = [...systemPath, ...hostPath.split(':').filter((d) => path.isAbsolute(d))];
  for (const dir of new Set(dirs)) {
    const candidate = path.join(dir, tool);
    if (!isExecutableFile(candidate)) continue;
    const real = realpathSync(candidate);
    if (inSystemTree(dir) && inSystemTree(real)) {
      if (!systemPath.includes(dir)) addPath(into, dir);
      return true;
    }
    const tree = toolchainTree(candidate, real, tool, home);
    if (!tree) continue;
    const bind = into.binds.find((b) => b.source === tree.root) ?? addBind(into, tree.root, tree.name);
    addPath(into, path.join(bind.target, path.relative(tree.root, tree.binDir)));
    return true;
  }
  return false;
}

/**
 * The tree a program outside the system trees belongs to: for a rustup proxy, the toolchain's
 * sysroot; else the directory above its `bin` (the program's own directory otherwise). Undefined
 * when that tree would expose too much (a home directory, /opt itself) or lacks the program.
 */
function toolchainTree(candidate: string, real: string, tool: string, home: string): { root: string; binDir: string; name: string } | undefined {
  let root: string;
  let binDir: string;
  let name: string;
  if (/^rustup(-init)?$/.test(path.basename(real))) {
    const rustc = path.join(path.dirname(candidate), 'rustc');
    const out = spawnSync(rustc, ['--print', 'sysroot'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const sysroot = out.status === 0 ? out.stdout.trim() : '';
    if (!sysroot || !path.isAbsolute(sysroot)) return undefined;
    root = realpathSync(sysroot);
    binDir = path.join(root, 'bin');
    name = 'rust';
  } else {
    binDir = path.dirname(real);
    root = path.basename(binDir) === 'bin' ? path.dirname(binDir) : binDir;
    name = path.basename(root);
  }
  if (!isExecutableFile(path.join(binDir, tool))) return undefined;
  const tooBroad = ['/', '/opt', '/home', '/root', '/srv', '/var', '/etc', '/tmp', path.join(home, '.local')];
  if (root.split('/').filter(Boolean).length < 2 || tooBroad.includes(root)) return undefined;
  if (home !== '/' && (root === home || home.startsWith(root + '/'))) return undefined;
  return { root, binDir, name };
}

function inSystemTree(p: string): boolean {
  return systemTrees.some((t) => p === t || p.startsWith(t + '/'));
}

function addBind(into: HostToolchains, root: string, name: string): { source: string; target: string } {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_') || 'toolchain';
  let target = path.join(toolchainsMount, base);
  for (let n = 2; into.binds.some((b) => b.target === target); n++) target = path.join(toolchainsMount, `${base}-${n}`);
  const bind = { source: root, target };
  into.binds.push(bind);
  return bind;
}

function addPath(into: HostToolchains, dir: string): void {
  if (!into.path.includes(dir)) into.path.push(dir);
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
