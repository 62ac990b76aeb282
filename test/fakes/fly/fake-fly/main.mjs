// The fake `fly`: flyctl's commands that cutover runs (deploy, secrets list, logs) and the ones an
// operator runs by hand in Fly's rollback thread (releases [--image] [--json], status --json,
// machines list --json), printing what flyctl prints, talking to the test's HTTP fake through
// FLY_FLAPS_BASE_URL and FLY_UIEX_BASE_URL as flyctl would. Every invocation is appended to
// $FAKE_FLY_LOG (argv, cwd, the -c file's text) so the test can check that every expected call
// was made and no other. It refuses to run without FAKE_FLY_LOG: it is not a flyctl.
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { api, FlyError, machines } from './api.mjs';
import { deploy } from './deploy.mjs';
import { goJson, logEntryJson, releasesJson, releasesTable, secretsJson, statusJson } from './render.mjs';

const log = process.env.FAKE_FLY_LOG;
if (!log) {
  process.stderr.write('fake fly: FAKE_FLY_LOG is not set (this is a test double, not flyctl)\n');
  process.exit(99);
}

const argv = process.argv.slice(2);
const valueFlags = {
  '-a': 'app',
  '--app': 'app',
  '-c': 'config',
  '--config': 'config',
  '--strategy': 'strategy',
  '-m': 'machine',
  '--machine': 'machine',
  '--wait-timeout': 'wait-timeout',
  '--max-unavailable': 'max-unavailable',
  '-i': 'image',
};
const boolFlags = {
  '--json': 'json',
  '-j': 'json',
  '--no-tail': 'no-tail',
  '--detach': 'detach',
  '--yes': 'yes',
  '-y': 'yes',
};

function parse(args, command) {
  const flags = {};
  const positionals = [];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let inline;
    if (arg.startsWith('--') && arg.includes('='))
      [arg, inline] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    // `--image` takes a value for deploy, and is a switch for releases (the "Docker Image" column).
    if (arg === '--image' && command === 'deploy') flags.image = inline ?? args[++i];
    else if (arg === '--image') flags.image = true;
    else if (valueFlags[arg]) flags[valueFlags[arg]] = inline ?? args[++i];
    else if (boolFlags[arg]) flags[boolFlags[arg]] = true;
    else if (arg.startsWith('-')) throw new FlyError(`unknown flag: ${arg}`);
    else positionals.push(arg);
  }
  return { flags, positionals };
}

const command =
  argv[0] === 'machines' || argv[0] === 'machine' || argv[0] === 'secrets'
    ? `${argv[0].replace(/s$/, '')} ${argv[1]}`
    : argv[0];
const rest = command?.includes(' ') ? argv.slice(2) : argv.slice(1);

/** The text of the -c/--config file, read before anything else (the log keeps what was deployed). */
function configText() {
  const at = argv.findIndex((a) => a === '-c' || a === '--config');
  if (at < 0 || argv[at + 1] === undefined) return null;
  try {
    return readFileSync(resolve(argv[at + 1]), 'utf8');
  } catch {
    return null;
  }
}

const out = (text) => process.stdout.write(text);

async function main() {
  const config = configText();
  appendFileSync(
    log,
    `${JSON.stringify({ args: argv, cwd: process.cwd(), config, emit: process.env.FLY_EMIT_RELEASE_JSON ?? null })}\n`,
  );
  const { flags } = parse(rest, command);
  const app = flags.app;
  switch (command) {
    case 'deploy':
      return deploy(flags);
    case 'releases': {
      const { releases } = await api('GET', `/api/v1/apps/${app}/releases?limit=25`);
      return out(flags.json ? releasesJson(releases) : releasesTable(releases, flags.image === true));
    }
    case 'status': {
      if (!flags.json) throw new FlyError('the fake fly prints status only with --json');
      const [info, list, { releases }] = await Promise.all([
        machines('GET', `/apps/${app}`),
        machines('GET', `/apps/${app}/machines`),
        api('GET', `/api/v1/apps/${app}/releases?limit=25`),
      ]);
      return out(statusJson(info, list, releases.find((r) => r.status === 'complete')?.version ?? 0));
    }
    case 'machine list':
      if (!flags.json) throw new FlyError('the fake fly prints machines only with --json');
      return out(goJson(await machines('GET', `/apps/${app}/machines`)));
    case 'secret list': {
      const { secrets } = await machines('GET', `/apps/${app}/secrets`);
      if (!flags.json) throw new FlyError('the fake fly prints secrets only with --json');
      return out(secretsJson(secrets));
    }
    case 'logs': {
      const list = (await machines('GET', `/apps/${app}/machines`)).filter(
        (m) => !flags.machine || m.id === flags.machine,
      );
      for (const m of list) {
        for (const message of [
          `Listening on 0.0.0.0:8080 (${m.config?.metadata?.fly_release_version ? `v${m.config.metadata.fly_release_version}` : 'v?'})`,
          'GET /healthz 200',
        ]) {
          const entry = { level: 'info', instance: m.id, message, region: m.region, timestamp: m.updated_at };
          out(
            flags.json
              ? logEntryJson(entry)
              : `${entry.timestamp} app[${m.id}] ${m.region} [info] ${message}\n`,
          );
        }
      }
      if (!flags['no-tail']) await new Promise(() => setInterval(() => undefined, 1000));
      return;
    }
    default:
      throw new FlyError(`unknown command "${argv[0] ?? ''}" for "flyctl"`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`Error: ${error instanceof FlyError ? error.message : (error?.stack ?? error)}\n`);
    process.exit(1);
  },
);
