/**
 * A temporary repository full of ignore-rule corner cases, shared by the walk and search tests.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Files (path → content) of the tricky repository. */
export const trickyFiles: Record<string, string> = {
  '.gitignore': '*.log\nbuild/\n/only-root.txt\n!important.log\nnode_modules\n!.prettierrc\ndocs/**\n!docs/keep.md\r\n*.{tmp,bak}\n',
  '.git/config': '[core]\n',
  '.git/info/exclude': 'excluded-by-info.txt\n',
  '.assistignore': 'secrets/\n*.generated.ts\n',
  '.prettierrc': '{ "semi": true }\n',
  '.env': 'TOKEN=hello world\n',
  '.github/workflows/ci.yml': 'name: hello\n',
  'README.md': '# Hello\nhello world\nHELLO again\n',
  'app.log': 'hello log\n',
  'important.log': 'hello important\n',
  'only-root.txt': 'hello root\n',
  'excluded-by-info.txt': 'hello excluded\n',
  'x.tmp': 'hello tmp\n',
  'x.bak': 'hello bak\n',
  'build/out.js': 'hello build\n',
  'node_modules/pkg/index.js': 'hello dep\n',
  'docs/guide.md': 'hello guide\n',
  'docs/keep.md': 'hello keep\n',
  'secrets/key.txt': 'hello secret\n',
  'src/main.ts': 'export function hello(): string {\n  return "hello world";\n}\n// Hello again\nconst cafe = "café";\n',
  'src/util.generated.ts': 'export const hello = 1;\n',
  'src/build/x.js': 'hello nested build\n',
  'src/sub/.gitignore': '!keep.log\nlocal.txt\n',
  'src/sub/keep.log': 'hello kept log\n',
  'src/sub/other.log': 'hello other log\n',
  'src/sub/local.txt': 'hello local\n',
  'src/sub/only-root.txt': 'hello not root\n',
  'src/sub/.assistignore': 'draft.md\n',
  'src/sub/draft.md': 'hello draft\n',
  'src/sub/notes.md': 'hello notes\n',
  'src/crlf.txt': 'hello crlf\r\nsecond line\r\nhello$end\r\n',
  'src/bom.txt': '\uFEFFhello bom\n',
  'src/a b/space name.txt': 'hello space\n',
  'src/ünï/cödé.py': 'print("hello ünïcödé")\n',
  'vendor/lib/.git/HEAD': 'ref: refs/heads/main\n',
  'vendor/lib/x.log': 'hello nested repo log\n',
  'vendor/lib/.gitignore': 'ignored-in-lib.txt\n',
  'vendor/lib/ignored-in-lib.txt': 'hello lib ignored\n',
  'vendor/lib/lib.c': 'int hello(void) { return 0; }\n',
  'regex/special.txt': 'a.b\naxb\n(hello)\n[x]\nfoo\\bar\n$money\nfoo   bar\n\ttabbed hello\n',
  'empty.txt': '',
  'noeol.txt': 'hello no newline at end',
  'Big.TXT': 'Hello HELLO hello hElLo\n',
};

/** Creates the tricky repository (plus a binary file and symlinks) and returns its root and a cleanup. */
export function makeTrickyRepo(): { root: string; outside: string; cleanup(): void } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'assist-tricky-'));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'hello from outside\n');
  for (const [rel, content] of Object.entries(trickyFiles)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  writeFileSync(path.join(root, 'src', 'image.bin'), Buffer.from([0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x01, 0x02, 0x0a]));
  writeFileSync(path.join(root, 'src', 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello utf16\r\nsecond hello\r\n', 'utf16le')]));
  writeFileSync(path.join(root, 'src', 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a]));
  const big = 'hello big line\n'.repeat(6000);
  writeFileSync(path.join(root, 'src', 'late-nul.txt'), Buffer.concat([Buffer.from(big), Buffer.from([0]), Buffer.from('\nhello after nul\n')]));
  writeFileSync(path.join(root, 'src', 'early-nul.txt'), Buffer.concat([Buffer.from('hello\n'), Buffer.from([0]), Buffer.from(big)]));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'src', 'link-out.txt'));
  symlinkSync(outside, path.join(root, 'src', 'dir-out'));
  symlinkSync('main.ts', path.join(root, 'src', 'link-in.ts'));
  return { root, outside, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
