import { test } from 'node:test';
import assert from 'node:assert/strict';
import { droppedDefinitions } from '../../../src/agent/checks/dropped-definitions.ts';
import { defaults } from '../../../src/config/schema.ts';
import { openIndex } from '../../../src/index/open-index.ts';
import { makeRepo } from '../harness.ts';

const errors = 'class NotFoundError(Exception):\n    pass\n\n\nclass ConflictError(Exception):\n    pass\n';
const api =
  'from shop.errors import ConflictError, NotFoundError\n\n\ndef show(found):\n    if not found:\n        raise NotFoundError()\n    raise ConflictError()\n';

test('a change that takes out of a file what other files use is held back; one that keeps it, moves it, or was asked to remove it is not', async (t) => {
  const repo = await makeRepo({ 'shop/__init__.py': '', 'shop/errors.py': errors, 'shop/api.py': api });
  t.after(repo.cleanup);
  const index = openIndex(repo.root, defaults, { threads: 1 });
  await index.update();
  const change = (path: string, before: string | null, after: string | null) => ({ path, before, after, diff: '' });
  const cut = change('shop/errors.py', errors, 'class NotFoundError(Exception):\n    pass\n');
  const fix = 'Reject entries longer than a day with a clear error. Please fix this.';
  assert.equal(
    droppedDefinitions([cut], index, fix),
    'Not applied: this change takes `ConflictError` out of shop/errors.py, and shop/api.py uses it. Keep what the rest of the project uses: ' +
      'change only the lines that are wrong (edit_file), or write the whole file with every definition kept and the fix in it.',
  );
  assert.equal(droppedDefinitions([change('shop/errors.py', errors, `${errors}\n\nclass TooLong(Exception):\n    pass\n`)], index, fix), undefined, 'all kept');
  assert.equal(droppedDefinitions([cut], index, 'Remove ConflictError: nothing should raise it.'), undefined, 'the request asks for it to go');
  assert.match(
    droppedDefinitions([cut], index, 'The lookup is written out twice: extract it into one function `find_one` in shop/errors.py.') ?? '',
    /^Not applied: this change takes `ConflictError` out of shop\/errors\.py/,
    'an extraction takes lines out of functions, not the functions the project uses',
  );
  assert.match(
    droppedDefinitions([cut], index, '`show` looks the item up inline. I want that reusable: pull it out into a function `find_one` in shop/errors.py.') ?? '',
    /^Not applied/,
    '"inline" said of the code as it is asks for nothing to go',
  );
  for (const asked of ['Inline `ConflictError` into its one caller.', 'Inline the helper and drop the file.', 'The conflict class is inlined into api.py.'])
    assert.equal(droppedDefinitions([cut], index, asked), undefined, asked);
  const moved = change('shop/conflicts.py', null, 'class ConflictError(Exception):\n    pass\n');
  assert.equal(droppedDefinitions([cut, moved], index, fix), undefined, 'defined in another file of the same change');
  const unused = change('shop/api.py', api, api.replace('ConflictError, ', '').replace('    raise ConflictError()\n', '    return found\n'));
  assert.equal(droppedDefinitions([cut, unused], index, fix), undefined, 'its one user changed along with it');
  assert.equal(droppedDefinitions([cut], undefined, fix), undefined, 'no index, nothing to tell');
  const deleted = change('shop/errors.py', errors, null);
  assert.equal(
    droppedDefinitions([deleted], index, fix),
    'Not deleted: shop/errors.py defines `NotFoundError`, `ConflictError`, and shop/api.py uses them. Keep the file: change only the lines that are wrong (edit_file).',
  );
  assert.equal(droppedDefinitions([deleted], index, 'Delete shop/errors.py and raise plain exceptions.'), undefined, 'asked to go');
  assert.equal(droppedDefinitions([deleted, moved, change('shop/errors2.py', null, errors)], index, fix), undefined, 'what it defines moved with it');
  assert.equal(droppedDefinitions([change('shop/api.py', api, null)], index, fix), undefined, 'a file nothing uses may go');
});
