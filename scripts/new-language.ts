/**
 * What adding a language takes, beside its row in src/languages/languages.ts:
 *
 *   node --import tsx scripts/new-language.ts ID
 *
 * lists each part of the row and the files it needs elsewhere (a query, fixtures, a package),
 * marked done or missing, then the modules that read the table. For an id the table does not
 * have yet it lists everything a full row needs. test/languages/new-language.test.ts checks that
 * every row of the table has what it needs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LanguageRow } from '../src/languages/language-row.ts';
import { languageNames, languageRow, type LanguageName } from '../src/languages/languages.ts';
import { syntaxCases } from '../test/support/syntax-cases.ts';

/** One thing a language needs. `done` is undefined where no file can tell (a package in the sandbox image). */
export interface LanguageNeed {
  part: keyof LanguageRow | 'row';
  what: string;
  /** Where it goes, relative to the repository. */
  file: string;
  done: boolean | undefined;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What language `id` needs, row part by row part, as the repository at `root` has it. */
export function languageNeeds(id: string, root = repoRoot): LanguageNeed[] {
  const known = (languageNames as string[]).includes(id);
  const row: Partial<LanguageRow> = known ? languageRow(id as LanguageName) : {};
  const has = (part: keyof LanguageRow) => !known || row[part] !== undefined;
  const read = (file: string) => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : '');
  const needs: LanguageNeed[] = [{ part: 'row', what: `the row "${id}"`, file: 'src/languages/languages.ts', done: known }];

  if (has('index')) {
    const index = row.index;
    const module = index?.grammar.module ?? `tree-sitter-${id}`;
    const dependencies = (JSON.parse(read('package.json') || '{}') as { dependencies?: Record<string, string> }).dependencies ?? {};
    const fixture = `test/fixtures/index/${id}`;
    needs.push(
      {
        part: 'index',
        what: `the grammar package ${module} (npm install it; an "overrides" entry when its tree-sitter peer range is not ^0.25)`,
        file: 'package.json',
        done: index ? Object.hasOwn(dependencies, module) : false,
      },
      {
        part: 'index',
        what: 'the definition query',
        file: `src/index/queries/${index?.query ?? `${id}.scm`}`,
        done: existsSync(path.join(root, 'src/index/queries', index?.query ?? `${id}.scm`)),
      },
      {
        part: 'index',
        what: 'a fixture project and the definitions it holds',
        file: `${fixture}/input/, ${fixture}/expected.json`,
        done:
          existsSync(path.join(root, fixture, 'expected.json')) &&
          existsSync(path.join(root, fixture, 'input')) &&
          readdirSync(path.join(root, fixture, 'input')).length > 0,
      },
      {
        part: 'index',
        what: 'a syntax case for the syntax gate (tsc asks for it)',
        file: 'test/support/syntax-cases.ts',
        done: Object.hasOwn(syntaxCases, id),
      },
    );
  }
  if (has('snippet')) {
    const tools = row.snippet?.tools.join(', ') ?? 'its programs';
    needs.push(
      { part: 'snippet', what: `${tools} in the sandbox image`, file: 'sandbox/packages.txt', done: undefined },
      {
        part: 'snippet',
        what: "run_in_sandbox's language enum in the grammar snapshot (UPDATE_SNAPSHOTS=1 npm test -- grammar-snapshot)",
        file: 'grammars/actions.schema.json, grammars/actions.gbnf',
        done: known ? read('grammars/actions.schema.json').includes(`"${id}"`) : false,
      },
    );
  }
  if (has('lint')) {
    needs.push(
      { part: 'lint', what: `${row.lint?.tool ?? 'the checker'} in the sandbox image`, file: 'sandbox/packages.txt', done: undefined },
      {
        part: 'lint',
        what: `the \`lint.${id}\` setting in the README's config table (ASSIST_UPDATE_SNAPSHOTS=1 npm test -- config/declaration)`,
        file: 'README.md',
        done: known ? read('README.md').includes(`| \`lint.${id}\` |`) : false,
      },
    );
  }
  return needs;
}

/** The modules of src/, tools/ and bin/ (outside src/languages/) that import the table's folder. */
export function tableReaders(root = repoRoot): string[] {
  const readers: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (rel !== 'src/languages') visit(rel);
      } else if (/\.(ts|mjs|js)$/.test(entry.name) && /from '(?:\.\.?\/)+(?:src\/)?languages\/[\w-]+\.ts'/.test(readFileSync(path.join(root, rel), 'utf8'))) {
        readers.push(rel);
      }
    }
  };
  for (const dir of ['src', 'tools', 'bin']) if (existsSync(path.join(root, dir))) visit(dir);
  return readers.sort();
}

function main(id: string | undefined): number {
  if (!id || !/^[a-z][a-z0-9_]*$/.test(id)) {
    console.error('Usage: node --import tsx scripts/new-language.ts ID   (a lower-case id such as lua or c_sharp)');
    return 2;
  }
  const mark = (done: boolean | undefined) => (done === undefined ? '[?]' : done ? '[x]' : '[ ]');
  console.log(`${id}: ${(languageNames as string[]).includes(id) ? 'in the table' : 'not in the table yet; a full row needs'}`);
  for (const need of languageNeeds(id)) console.log(`  ${mark(need.done)} ${need.part.padEnd(7)} ${need.what}\n              ${need.file}`);
  console.log('\nNothing else: these read their part from the table:');
  for (const file of tableReaders()) console.log(`  ${file}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = main(process.argv[2]);
