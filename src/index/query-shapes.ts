/**
 * Reads the outline of each top-level pattern of a tree-sitter query (.scm): which node types it
 * can start at, and which node types the starting node's direct children must include. The
 * definition walk uses this to run the query only at nodes where some pattern can match.
 * Everything here errs on the side of "may match": a construct this reader does not understand
 * makes it give up (null), never drop a possible match.
 */

/** A set of node types a single child step accepts. */
export interface StepTypes {
  named: string[];
  anonymous: string[];
}

/** The outline of one top-level pattern. */
export interface PatternShape {
  /** Named node types the pattern's outermost node can have. */
  roots: string[];
  /** For each child step of the outermost node that must be present: the types it accepts. */
  children: StepTypes[];
}

type Item =
  | { kind: 'node'; type: string; items: Item[]; optional: boolean }
  | { kind: 'alternation'; items: Item[]; optional: boolean }
  | { kind: 'string'; value: string; optional: boolean }
  | { kind: 'other' };

// strings first, so that a `;` inside one does not start a comment
const tokenPattern = /"(?:[^"\\]|\\.)*"|;[^\n]*|[()[\]]|[^\s()[\]";]+/g;

/** The outlines of the patterns in `source`, in order; null when the source uses syntax this reader does not follow. */
export function patternShapes(source: string): PatternShape[] | null {
  const tokens = (source.match(tokenPattern) ?? []).filter((token) => !token.startsWith(';'));
  let at = 0;

  // One item and the decorations after it (captures, quantifiers). Returns null for unknown syntax.
  const parseItem = (): Item | null => {
    const token = tokens[at++];
    let item: Item | null;
    if (token === '(') {
      const type = tokens[at++];
      if (type === undefined || /^[#()[\]"]/.test(type)) {
        // a predicate such as (#eq? @a "b"): no structural requirement
        if (type?.startsWith('#')) {
          if (!skipToClose()) return null;
          return { kind: 'other' };
        }
        return null;
      }
      const items: Item[] = [];
      while (at < tokens.length && tokens[at] !== ')') {
        const child = parseChild();
        if (!child) return null;
        items.push(child);
      }
      if (tokens[at++] !== ')') return null;
      item = { kind: 'node', type, items, optional: false };
    } else if (token === '[') {
      const items: Item[] = [];
      while (at < tokens.length && tokens[at] !== ']') {
        const child = parseChild();
        if (!child) return null;
        items.push(child);
      }
      if (tokens[at++] !== ']') return null;
      item = { kind: 'alternation', items, optional: false };
    } else if (token?.startsWith('"')) {
      item = { kind: 'string', value: JSON.parse(token) as string, optional: false };
    } else if (token === '_') {
      item = { kind: 'other' };
    } else {
      return null;
    }
    // decorations: @capture, quantifiers (written right after the item)
    while (at < tokens.length) {
      const next = tokens[at];
      if (next.startsWith('@')) at++;
      else if (next === '?' || next === '*' || next === '+') {
        if (next !== '+' && item.kind !== 'other') item.optional = true;
        at++;
      } else break;
    }
    return item;
  };

  // A child position may also hold a field prefix, an anchor or a negated field.
  const parseChild = (): Item | null => {
    const token = tokens[at];
    if (token === '.') {
      at++;
      return { kind: 'other' };
    }
    if (token?.startsWith('!')) {
      at++;
      return { kind: 'other' };
    }
    if (token?.endsWith(':') && !token.startsWith('"')) at++;
    return parseItem();
  };

  const skipToClose = (): boolean => {
    let depth = 1;
    while (at < tokens.length && depth > 0) {
      const token = tokens[at++];
      if (token === '(') depth++;
      else if (token === ')') depth--;
    }
    return depth === 0;
  };

  const shapes: PatternShape[] = [];
  while (at < tokens.length) {
    const item = parseItem();
    if (!item) return null;
    const roots = rootTypes(item);
    if (!roots) return null;
    shapes.push({ roots, children: requiredChildren(item) });
  }
  return shapes;
}

/** Named types an item can start at; null for a wildcard, an anonymous node or a supertype path. */
function rootTypes(item: Item): string[] | null {
  if (item.kind === 'node') return item.type === '_' || item.type.includes('/') ? null : [item.type];
  if (item.kind === 'alternation') {
    const all: string[] = [];
    for (const alternative of item.items) {
      const types = rootTypes(alternative);
      if (!types) return null;
      all.push(...types);
    }
    return all;
  }
  return null;
}

/** The child steps of a pattern's outermost node that every match needs, as type sets. */
function requiredChildren(item: Item): StepTypes[] {
  if (item.kind !== 'node') return [];
  const steps: StepTypes[] = [];
  for (const child of item.items) {
    const types = stepTypes(child);
    if (types) steps.push(types);
  }
  return steps;
}

/** The types a required child step accepts, or null when it constrains nothing this reader can check. */
function stepTypes(item: Item): StepTypes | null {
  if (item.kind === 'other' || item.optional) return null;
  if (item.kind === 'string') return { named: [], anonymous: [item.value] };
  if (item.kind === 'node') return item.type === '_' || item.type.includes('/') ? null : { named: [item.type], anonymous: [] };
  const all: StepTypes = { named: [], anonymous: [] };
  for (const alternative of item.items) {
    const types = stepTypes(alternative);
    if (!types) return null;
    all.named.push(...types.named);
    all.anonymous.push(...types.anonymous);
  }
  return all;
}
