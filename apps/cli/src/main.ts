// The CLI's entry point. It loads only what the command needs: token:issue starts without NestJS's application,
// TypeORM or the bounded contexts (the database commands import them, in database-commands.ts).
import { TOKEN_USAGE, tokenIssue } from './token-command.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate                        apply pending database migrations
  projections:list               list projections and their checkpoints
  projections:rebuild <name...>  rebuild read models from the start of the log (one read of it for all named),
                                 swapping them in together when done
  projections:rebuild --all      rebuild every read model
  token:issue --role R [--area C] [--name N] [--expires 30d]
                                 issue a bearer token (see token:issue --help)
  seed:demo                      load the demo programme (the five pilots, two years of illustrative data)
                                 into a database that has no area yet
  comparators:import <file.csv>  import public indicator values for councils (ONS code, indicator code, period,
                                 value, source; area_name, indicator_name optional)
  events:export [--from <position>] [--out <file>]
                                 write the event log as checksummed NDJSON (a logical backup; see --help)
  events:import <file>           load an export into an empty event store, then rebuild every read model
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'token:issue') {
    if (args.includes('--help')) {
      process.stdout.write(TOKEN_USAGE);
      return 0;
    }
    return tokenIssue(args, process.env);
  }
  if (command === 'events:export' || command === 'events:import') {
    const log = await import('./event-log-commands.js');
    if (args.includes('--help')) {
      process.stdout.write(command === 'events:export' ? log.EXPORT_USAGE : log.IMPORT_USAGE);
      return 0;
    }
    if (command === 'events:export') return log.eventsExport(args);
    const { rebuildAllAt } = await import('./database-commands.js');
    return log.eventsImport(args, rebuildAllAt);
  }
  const known = ['migrate', 'projections:list', 'projections:rebuild', 'seed:demo', 'comparators:import'];
  if (!known.includes(command)) {
    process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }

  const { databaseCommand } = await import('./database-commands.js');
  return databaseCommand(command, args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
