import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCatalogEntry, loadCatalog, shippedCatalogPath, type Catalog, type CatalogEntry } from '../../src/model/catalog.ts';
import { checkDisk, formatMemory, recommendModel, type MachineFacts } from '../../src/model/recommend-model.ts';

const GiB = 1024 ** 3;
const GB = 1e9;

function entry(name: string, memoryGiB: number, sizeGB: number): CatalogEntry {
  return {
    name,
    description: name,
    file: `${name}.gguf`,
    urls: [`https://example.invalid/${name}.gguf`],
    sizeBytes: Math.round(sizeGB * GB),
    sizeIsExact: true,
    memoryBytes: Math.round(memoryGiB * GiB),
    contextSize: 32768,
    license: 'MIT',
    chatFormat: 'chatml',
    sha256: null,
  };
}

/** Listed smallest first, as the shipped catalog is; the default is the mid one. */
const catalog: Catalog = {
  default: 'mid',
  models: [entry('small', 1, 0.5), entry('mid', 2, 1.1), entry('big', 7, 4.7), entry('huge', 16, 12)],
};

function machine(freeGiB: number, extra: Partial<MachineFacts> = {}): MachineFacts {
  return { totalMemoryBytes: 8 * GiB, freeMemoryBytes: Math.round(freeGiB * GiB), freeDiskBytes: 100 * GB, cores: 2, ...extra };
}

const cases: Array<{
  what: string;
  machine: MachineFacts;
  catalog?: Catalog;
  kind: string;
  name?: string;
  reason?: RegExp;
  disk?: boolean;
  alternative?: string;
}> = [
  { what: 'plenty of memory: the default, never a larger one', machine: machine(30, { totalMemoryBytes: 64 * GiB }), kind: 'default', name: 'mid', disk: true },
  { what: "exactly the default's memory free: the default", machine: machine(2), kind: 'default', name: 'mid' },
  {
    what: 'less free than the default needs: the largest that fits, with the reason',
    machine: machine(1.6, { totalMemoryBytes: 4 * GiB }),
    kind: 'smaller',
    name: 'small',
    reason: /^this machine has 1\.6 GiB of memory free \(of 4\.0 GiB\); the default, mid, needs 2\.0 GiB$/,
  },
  {
    what: 'total equals free: no "(of …)"',
    machine: machine(1.5, { totalMemoryBytes: Math.round(1.5 * GiB) }),
    kind: 'smaller',
    name: 'small',
    reason: /^this machine has 1\.5 GiB of memory free; the default/,
  },
  {
    what: 'nothing fits: none, naming the smallest',
    machine: machine(0.5),
    kind: 'none',
    name: 'small',
    reason: /512 MiB of memory free \(of 8\.0 GiB\); the smallest model in the catalog, small, needs 1\.0 GiB/,
  },
  { what: 'no default named: the first entry is the default', machine: machine(30), catalog: { models: catalog.models }, kind: 'default', name: 'small' },
  {
    what: 'a default larger than what fits picks the largest below it',
    machine: machine(10),
    catalog: { default: 'huge', models: catalog.models },
    kind: 'smaller',
    name: 'big',
    reason: /the default, huge, needs 16\.0 GiB/,
  },
  { what: 'an empty catalog: none', machine: machine(30), catalog: { models: [] }, kind: 'none', reason: /lists no models/ },
  {
    what: 'disk too small for the default: it is still the pick, with a smaller one that fits the disk',
    machine: machine(30, { freeDiskBytes: 0.8 * GB }),
    kind: 'default',
    name: 'mid',
    disk: false,
    alternative: 'small',
  },
  { what: 'disk too small for every model: no alternative', machine: machine(30, { freeDiskBytes: 0.1 * GB }), kind: 'default', name: 'mid', disk: false },
  {
    what: 'a partial download counts: the rest fits',
    machine: machine(30, { freeDiskBytes: 0.2 * GB, partialBytes: { mid: 1 * GB } }),
    kind: 'default',
    name: 'mid',
    disk: true,
  },
  { what: 'free disk unknown: assumed enough', machine: machine(30, { freeDiskBytes: null }), kind: 'default', name: 'mid', disk: true },
];

for (const c of cases) {
  test(`recommendModel: ${c.what}`, () => {
    const pick = recommendModel(c.catalog ?? catalog, c.machine);
    assert.equal(pick.kind, c.kind);
    const name = pick.kind === 'none' ? pick.smallest?.name : pick.entry.name;
    assert.equal(name, c.name);
    if (c.reason) assert.match(pick.kind === 'default' ? '' : pick.reason, c.reason);
    if (pick.kind !== 'none') {
      if (c.disk !== undefined) assert.equal(pick.disk.enough, c.disk);
      assert.equal(pick.alternative?.name, c.alternative);
    }
  });
}

test('checkDisk: the bytes still to download against the free space', () => {
  const mid = catalog.models[1];
  assert.deepEqual(checkDisk(mid, machine(4, { freeDiskBytes: 2 * GB })), { neededBytes: 1.1 * GB, freeBytes: 2 * GB, enough: true });
  assert.deepEqual(checkDisk(mid, machine(4, { freeDiskBytes: 1 * GB })), { neededBytes: 1.1 * GB, freeBytes: 1 * GB, enough: false });
  assert.equal(checkDisk(mid, machine(4, { freeDiskBytes: 1 * GB, partialBytes: { mid: 0.5 * GB } })).neededBytes, 0.6 * GB);
});

test('formatMemory reads as people read memory', () => {
  assert.equal(formatMemory(3.2 * GiB), '3.2 GiB');
  assert.equal(formatMemory(512 * 1024 ** 2), '512 MiB');
  assert.equal(formatMemory(1_000_000), '977 KiB');
  assert.equal(formatMemory(2 ** 50), '1024.0 TiB');
  assert.equal(formatMemory(1000), '1 KiB');
});

test('the shipped catalog names its default, and a 24 GiB laptop with 16 GiB free is offered it', () => {
  const shipped = loadCatalog(shippedCatalogPath());
  assert.equal(defaultCatalogEntry(shipped)?.name, 'qwen2.5-coder-1.5b');
  const laptop = recommendModel(shipped, { totalMemoryBytes: 24 * GiB, freeMemoryBytes: 16 * GiB, freeDiskBytes: 50 * GB, cores: 2 });
  assert.equal(laptop.kind === 'default' && laptop.entry.name, 'qwen2.5-coder-1.5b');
  const small = recommendModel(shipped, { totalMemoryBytes: 4 * GiB, freeMemoryBytes: 1.5 * GiB, freeDiskBytes: 50 * GB, cores: 2 });
  assert.equal(small.kind === 'smaller' && small.entry.name, 'qwen2.5-coder-0.5b');
});

test('a catalog whose default names no model is refused with the key', () => {
  assert.throws(() => loadCatalog({ default: 'nope', models: catalog.models }), /invalid at \/default: "nope" names no model/);
});
