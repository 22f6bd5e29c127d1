/**
 * `roombook migrate` and `roombook config`: looking after the database and the settings.
 */
import { openDatabase } from '../../db/database.ts';
import { migrate, migrations, schemaVersion } from '../../db/migrations.ts';
import { envBindings } from '../../config/env.ts';
import { printJson, type Command } from '../command.ts';

/** `migrate [--status]`: brings the database schema up to date. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create the database or bring its schema up to date',
  usage: '[--status]',
  options: {
    status: { type: 'boolean', description: 'only show the schema version, change nothing' },
  },
  run({ io, args, config }) {
    const file = config().database.path;
    const db = openDatabase(file, { skipMigrations: true, busyTimeoutMs: config().database.busyTimeoutMs });
    try {
      const latest = migrations.at(-1)!.version;
      if (args.options.status) {
        const current = schemaVersion(db);
        io.stdout(`${file}: schema version ${current} of ${latest}${current < latest ? ' (run `roombook migrate`)' : ''}\n`);
        return 0;
      }
      const applied = migrate(db);
      io.stdout(applied.length ? `${file}: applied migration(s) ${applied.join(', ')}; now at version ${latest}\n` : `${file}: up to date (version ${latest})\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};

/** `config [--env]`: prints the effective configuration. */
export const configCommand: Command = {
  name: 'config',
  summary: 'print the effective configuration',
  usage: '[--env]',
  options: {
    env: { type: 'boolean', description: 'list the environment variables roombook reads instead' },
  },
  run({ io, args, config }) {
    if (args.options.env) {
      for (const b of envBindings) io.stdout(`${b.variable.padEnd(30)} ${b.section}.${b.key}${io.env[b.variable] ? `  (set: ${io.env[b.variable]})` : ''}\n`);
      return 0;
    }
    printJson(io, config());
    return 0;
  },
};
