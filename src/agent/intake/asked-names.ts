/**
 * The names a request asks to be made: "Extract it into one function `long parse_cents(const
 * std::string& text)`, declared in inventory.hpp and defined in inventory.cpp" asks for
 * `parse_cents`; "add a `Stack` struct" for `Stack`. An answer while no file of the project defines
 * one of them is no report of the work: in cpp-extract-parse-cents the 1.5B model rewrote a usage
 * message, saw the tests pass (they passed before) and answered "updated to use a single function
 * `parse_cents`", which nothing defined.
 */

/** Words of a sentence that asks for something new to be made. */
const makingVerb = /\b(create|write|add|make|generate|implement|extract|introduce|define|declare|factor|pull|split)\w*\b/i;

/** What a name is made as. */
const kindNoun = String.raw`(?:function|method|class|struct|type|helper|interface|enum|trait|module|constant)`;

/** A code span and the words around it: `kind \`code\`` or `\`code\` kind`. */
const kindThenCode = new RegExp(String.raw`\b${kindNoun}s?\s+(?:called\s+|named\s+)?\`([^\`\n]+)\``, 'gi');
const codeThenKind = new RegExp(String.raw`\`([^\`\n]+)\`\s+${kindNoun}\b`, 'gi');

/** The name a code span gives: a bare identifier, or the one before a signature's parameters. */
function nameIn(code: string): string | undefined {
  const call = /([A-Za-z_]\w*)\s*\(/.exec(code);
  if (call) return call[1];
  const bare = /^\s*(?:[A-Za-z_][\w:.]*\s+)*?([A-Za-z_]\w*)\s*$/.exec(code);
  return bare?.[1];
}

/** The names `task` asks to be made as a function, class or the like, in the order it gives them. */
export function namesAskedFor(task: string): string[] {
  const plain = task.replace(/```[\s\S]*?(?:```|$)/g, '\n');
  const out: string[] = [];
  for (const sentence of plain.split(/(?<=[.!?])\s+|\n+/)) {
    if (!makingVerb.test(sentence)) continue;
    const matches = [...sentence.matchAll(kindThenCode), ...sentence.matchAll(codeThenKind)].sort((a, b) => a.index - b.index);
    for (const match of matches) {
      const name = nameIn(match[1]);
      if (name && name.length > 1 && !out.includes(name)) out.push(name);
    }
  }
  return out;
}
