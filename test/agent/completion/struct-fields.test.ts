/**
 * The fields of an empty struct whose methods are stubs, written by code completion before the
 * bodies. The fill loop is under test, so the model's fill-in-the-middle answers are scripted; the
 * index, the sandbox's cargo and go runs and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyStructs, missingInitialize } from '../../../src/agent/completion/struct-fields.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairSession } from '../harness.ts';

test('an empty struct with methods in its file, in Rust (braces or a unit struct) and Go; not one without methods, nor one with fields', () => {
  const rust =
    'pub struct Keypad {}\n\nstruct Unit;\n\npub struct Full {\n    a: u32,\n}\n\nstruct Lonely {}\n\nimpl Keypad {}\nimpl Default for Unit {}\nimpl Full {}\n';
  assert.deepEqual(
    emptyStructs('src/lib.rs', rust).map((s) => [s.at, s.name, s.head]),
    [
      [0, 'Keypad', 'pub struct Keypad'],
      [2, 'Unit', 'struct Unit'],
    ],
  );
  const go = 'package clock\n\ntype Clock struct{}\n\ntype Other struct {}\n\nfunc (c *Clock) Add(m int) Clock {\n\tpanic("not implemented")\n}\n';
  assert.deepEqual(
    emptyStructs('clock.go', go).map((s) => [s.at, s.name]),
    [[2, 'Clock']],
  );
  assert.deepEqual(emptyStructs('keypad.py', 'class Keypad:\n    pass\n'), []);
  // (a unit struct the tests use as a value is meant to hold nothing)
  const parser = 'pub struct Parser;\n\nimpl Parser {\n    pub fn parse(&self, s: &str) -> u32 {\n        todo!()\n    }\n}\n';
  assert.deepEqual(emptyStructs('src/lib.rs', parser, ['let p = Parser;\nassert_eq!(p.parse("1"), 1);\n']), []);
  assert.deepEqual(
    emptyStructs('src/lib.rs', parser, ['let p = Parser::new();\n']).map((s) => s.name),
    ['Parser'],
  );
});

const cargo = '[package]\nname = "counter"\nversion = "0.1.0"\nedition = "2021"\n';
const lib =
  '/// Counts ticks from a start.\npub struct Counter {}\n\nimpl Counter {\n    pub fn new(start: u32) -> Counter {\n        unimplemented!("Counter::new({start})")\n    }\n\n' +
  '    /// Adds one and returns the count.\n    pub fn tick(&mut self) -> u32 {\n        unimplemented!("Counter::tick")\n    }\n}\n';
const tests =
  'use counter::Counter;\n\n#[test]\nfn ticks_from_the_start() {\n    let mut c = Counter::new(2);\n    assert_eq!(c.tick(), 3);\n    assert_eq!(c.tick(), 4);\n}\n';

test('stubbed methods of an empty struct: its fields are written first, then the bodies with them in view, and the tests judge the whole', async (t) => {
  // scripted fill-in-the-middle: the fields, then the bodies bottom up (tick, new)
  const infills = ['    count: u32\n', '        self.count += 1;\n        self.count\n', '        Counter { count: start }\n'];
  const filler = new ScriptedModel([], { infills });
  const e = await repairSession(t, { 'Cargo.toml': cargo, 'src/lib.rs': lib, 'tests/counter.rs': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement the methods in src/lib.rs so that the tests in tests/counter.rs pass. Run them with `cargo test --offline`.',
  );
  assert.equal(result.status, 'answered', result.text);
  const text = await readFile(path.join(e.root, 'src/lib.rs'), 'utf8');
  assert.match(text, /^\/\/\/ Counts ticks from a start\.\npub struct Counter \{\n {4}count: u32,\n\}\n/, text);
  assert.match(text, /pub fn tick\(&mut self\) -> u32 \{\n {8}self\.count \+= 1;\n {8}self\.count\n {4}\}/, text);
  assert.match(text, /pub fn new\(start: u32\) -> Counter \{\n {8}Counter \{ count: start \}\n {4}\}/, text);
  assert.ok(e.events.some((x) => x.type === 'notice' && /Code completion wrote the fields of Counter in src\/lib\.rs/.test(x.message)));
  assert.match(
    result.text,
    /^Fixed: the fields of Counter and the stubbed bodies \(new, tick\) in src\/lib\.rs were written afresh by code completion: cargo test/,
  );
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
});

test('what code completion writes into a struct that is not fields is not kept, and the bodies are written as before', async (t) => {
  const infills = ['    fn count() {}\n', '        0\n', '        Counter {}\n'];
  const filler = new ScriptedModel([], { infills: [...infills, ...Array.from({ length: 20 }, () => '        0\n')] });
  const e = await repairSession(t, { 'Cargo.toml': cargo, 'src/lib.rs': lib, 'tests/counter.rs': tests }, filler);
  if (!e) return;
  await e.session.agent.runTurn('Implement the methods in src/lib.rs so that the tests in tests/counter.rs pass. Run them with `cargo test --offline`.');
  assert.ok(e.events.some((x) => x.type === 'notice' && /Code completion wrote no fields for Counter in src\/lib\.rs\./.test(x.message)));
  const tried = e.events.find((x) => x.type === 'notice' && /Code completion tried the stubbed bodies in src\/lib\.rs \(greedy\)/.test(x.message));
  assert.ok(tried, 'the bodies were written and run');
});

test('in Go, the fields go into `type X struct{}` opened over lines, tab-indented', async (t) => {
  const code =
    'package counter\n\n// Counter counts ticks from a start.\ntype Counter struct{}\n\n// New starts a counter at start.\nfunc New(start int) *Counter {\n\tpanic("not implemented")\n}\n\n' +
    '// Tick adds one and returns the count.\nfunc (c *Counter) Tick() int {\n\tpanic("not implemented")\n}\n';
  const goTests =
    'package counter\n\nimport "testing"\n\nfunc TestTick(t *testing.T) {\n\tc := New(2)\n\tif got := c.Tick(); got != 3 {\n\t\tt.Fatalf("Tick() = %d, want 3", got)\n\t}\n}\n';
  const infills = ['\tcount int\n', '\tc.count++\n\treturn c.count\n', '\treturn &Counter{count: start}\n'];
  const filler = new ScriptedModel([], { infills });
  const e = await repairSession(t, { 'go.mod': 'module example.com/counter\n\ngo 1.19\n', 'counter.go': code, 'counter_test.go': goTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement the functions in counter.go so that the tests in counter_test.go pass. Run them with `go test ./...`.',
  );
  assert.equal(result.status, 'answered', result.text);
  const text = await readFile(path.join(e.root, 'counter.go'), 'utf8');
  assert.match(text, /\ntype Counter struct \{\n\tcount int\n\}\n/, text);
  assert.match(result.text, /^Fixed: the fields of Counter and the stubbed bodies/);
});

test('a Ruby class that reads its state with attr_reader and has no initialize; not one with an initialize, nor a Struct', () => {
  const version =
    '# A version.\nclass Version\n  include Comparable\n\n  attr_reader :major, :minor\n  attr_reader :patch\n\n  def self.parse(text)\n    raise NotImplementedError\n  end\nend\n';
  assert.deepEqual(missingInitialize('version.rb', version), { name: 'Version', after: 5, indent: '  ' });
  assert.equal(
    missingInitialize('version.rb', version.replace('  def self.parse', '  def initialize(major)\n    @major = major\n  end\n\n  def self.parse')),
    undefined,
  );
  assert.equal(missingInitialize('point.rb', 'class Point < Struct.new(:x, :y)\n  attr_reader :x\nend\n'), undefined);
  assert.equal(missingInitialize('point.rb', 'class Point < Shape\n  attr_reader :x\nend\n'), undefined, "a subclass may mean its parent's");
  assert.equal(missingInitialize('version.py', version), undefined);
  const nested = 'module Semver\n  class Version\n    attr_reader :major\n  end\nend\n';
  assert.deepEqual(missingInitialize('semver.rb', nested), { name: 'Version', after: 2, indent: '    ' });
});

const pointStub =
  '# A point on a grid.\nclass Point\n  attr_reader :x, :y\n\n  # "3,4" as a point.\n  def self.parse(text)\n    raise NotImplementedError, "Point.parse is not implemented yet"\n  end\nend\n';
const pointTests =
  "require 'minitest/autorun'\nrequire_relative 'point'\n\nclass PointTest < Minitest::Test\n  def test_parse\n    point = Point.parse('3,4')\n    assert_equal [3, 4], [point.x, point.y]\n  end\nend\n";

test('a Ruby class with no initialize: it is written first (parameters and body), then the stubbed methods that make one', async (t) => {
  const infills = ['x, y)\n    @x = x\n    @y = y\n', '    x, y = text.split(",").map(&:to_i)\n    new(x, y)\n'];
  const filler = new ScriptedModel([], { infills });
  const e = await repairSession(t, { 'point.rb': pointStub, 'point_test.rb': pointTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement the class in point.rb so that the tests in point_test.rb pass. Run them with `ruby point_test.rb`.');
  assert.equal(result.status, 'answered', result.text);
  const text = await readFile(path.join(e.root, 'point.rb'), 'utf8');
  assert.match(
    text,
    /^# A point on a grid\.\nclass Point\n {2}attr_reader :x, :y\n\n {2}def initialize\(x, y\)\n {4}@x = x\n {4}@y = y\n {2}end\n\n {2}# "3,4" as a point\.\n {2}def self\.parse\(text\)\n/,
    text,
  );
  assert.match(filler.infillRequests[1].prefix, /def initialize\(x, y\)/, 'the method is written with the constructor in view');
  assert.match(result.text, /^Fixed: Point#initialize and the stubbed bodies \(parse\)/);
});

test("an initialize that copies the stubs' words leaves those lines out (they would keep the fill from being run, as leaving the stubs stubs)", async (t) => {
  const infills = [
    'x, y)\n    raise ArgumentError, "Point.parse is not implemented yet" if x.nil?\n    @x = x\n    @y = y\n',
    '    x, y = text.split(",").map(&:to_i)\n    new(x, y)\n',
  ];
  const filler = new ScriptedModel([], { infills });
  const e = await repairSession(t, { 'point.rb': pointStub, 'point_test.rb': pointTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement the class in point.rb so that the tests in point_test.rb pass. Run them with `ruby point_test.rb`.');
  assert.match(result.text, /^Fixed: Point#initialize and the stubbed bodies \(parse\)/, result.text);
  const text = await readFile(path.join(e.root, 'point.rb'), 'utf8');
  assert.match(text, /\n {2}def initialize\(x, y\)\n {4}@x = x\n {4}@y = y\n {2}end\n/, text);
  assert.doesNotMatch(text, /not implemented/);
});
