// A fake `modal` CLI for tests (no Modal account can be reached here). It replays what the real
// one prints, from modal-client's own source (py/modal/cli/app.py, container.py, run.py,
// utils.py `display_table`, runner.py, __main__.py): `--json` tables in the client's key format
// (column names before 1.5.0, snake_case since), Modal's time format, its messages and exit codes
// (click usage errors exit 2; other errors print a panel titled Error and exit 1). Commands change
// the shared state the way Modal would: a new history row, new containers that start Pending,
// old ones replaced (rolling) or terminated by the client before it returns (recreate).
import { basename } from 'node:path';
import {
  atLeast,
  findApp,
  load,
  modalTime,
  now,
  recordCall,
  sleep,
  started,
  update,
  visible,
} from './fake-world.mjs';

const argv = process.argv.slice(2);
recordCall(argv);

const out = (text = '') => process.stdout.write(`${text}\n`);
const err = (text) => process.stderr.write(`${text}\n`);

/** A non-usage error: py/modal/__main__.py prints it in a rich Panel titled Error, exit 1. */
function fail(message) {
  const width = Math.max(20, message.length + 4);
  err(`╭─ Error ${'─'.repeat(width - 9)}╮`);
  err(`│ ${message.padEnd(width - 4)} │`);
  err(`╰${'─'.repeat(width - 2)}╯`);
  process.exit(1);
}

/** click's usage error when stdout is not a terminal (py/modal/cli/_help.py falls back to click's). */
function usage(command, message) {
  err(`Usage: modal ${command} [OPTIONS] ...`);
  err(`Try 'modal ${command} -h' for help.`);
  err('');
  err(`Error: ${message}`);
  process.exit(2);
}

// Options every command takes: -e/--env, --json.
const rest = [];
let env = null;
let json = false;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '-e' || argv[i] === '--env') env = argv[++i];
  else if (argv[i] === '--json') json = true;
  else rest.push(argv[i]);
}

/** Splits `--name value` options from positionals; unknown options are click's "No such option". */
function options(command, words, known, flags = []) {
  const positionals = [];
  const values = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) {
      if (flags.includes(w)) values[w] = true;
      else if (known.includes(w)) values[w] = words[++i];
      else usage(command, `No such option: ${w}`);
    } else positionals.push(w);
  }
  return { positionals, values };
}

const world = load();
// An outage (a test sets `outage: true`): Modal's client cannot reach its server.
if (world.outage) fail('Could not connect to the Modal server.');
const client = world.client;
const snake = atLeast(client, '1.5.0');
const environment = env ?? world.environment;
const inEnvironment = environment === world.environment;
const key = (column) =>
  snake
    ? column
        .replace(/[^a-zA-Z0-9]+/g, '_')
        .toLowerCase()
        .replace(/^_|_$/g, '')
    : column;

/** utils.py `display_table(json=True)`: rich's print_json of the rows (indent 2). */
function table(columns, rows) {
  // Without --json the real CLI draws a rich table, which cutover never reads: not recorded here.
  if (!json) usage(rest.slice(0, 2).join(' '), 'fake modal: only --json output is recorded');
  out(
    JSON.stringify(
      rows.map((r) => Object.fromEntries(columns.map((c, i) => [key(c), r[i]]))),
      null,
      2,
    ),
  );
}

function appOrFail(identifier) {
  const app = inEnvironment ? findApp(world, identifier) : null;
  if (!app) fail(`No App with name '${identifier}' found in the '${environment}' environment.`);
  return app;
}

function deployedOrFail(identifier) {
  const app = appOrFail(identifier);
  if (app.state !== 'deployed')
    fail(`App '${identifier}' is not deployed in the '${environment}' environment.`);
  return app;
}

const url = (app) => `https://modal.com/apps/${world.workspace}/${environment}/deployed/${app.name}`;
let taskSeq = 0;
const taskId = () => `ta-01FAKE${Date.now().toString(36).toUpperCase()}${process.pid}${taskSeq++}`;

/**
 * Adds version `row` and replaces the containers the way `strategy` does (py/modal/runner.py):
 * rolling (server side): new containers start beside the old, each old one retiring once its
 * replacement runs; recreate (client side): old containers are stopped, then new ones start as
 * inputs queue. Returns when a recreate's old containers are gone, as the real client does.
 */
async function rollOut(name, row, strategy) {
  const t = now();
  const timing = world.timing;
  let waitUntil = t;
  await update((w) => {
    const app = findApp(w, name);
    app.history.push(row);
    const old = app.containers
      .filter((c) => visible(c, t))
      .sort((a, b) => (a.startAt ?? 1e12) - (b.startAt ?? 1e12));
    const count = Math.max(old.length, app.load > 0 ? 1 : 0);
    if (strategy === 'recreate') {
      old.forEach((c, i) => {
        c.stopAt = t + (timing.stopMs * (i + 1)) / 1000;
      });
      const gone = t + (timing.stopMs * old.length) / 1000;
      waitUntil = gone;
      for (let i = 0; i < count; i++) {
        app.containers.push({
          id: taskId(),
          enqueuedAt: gone,
          startAt: gone + (timing.startMs * (i + 1)) / 1000,
          stopAt: null,
        });
      }
    } else {
      for (let i = 0; i < count; i++) {
        const startAt = t + (timing.startMs * (i + 1)) / 1000;
        app.containers.push({ id: taskId(), enqueuedAt: t, startAt, stopAt: null });
        if (old[i]) old[i].stopAt = startAt + timing.drainMs / 1000;
      }
    }
  });
  if (strategy === 'recreate') {
    out('🧹 Terminating running containers');
    await sleep(Math.max(0, (waitUntil - now()) * 1000) + 50);
  }
}

function newRow(app, fields) {
  return {
    version: Math.max(0, ...app.history.map((h) => h.version)) + 1,
    deployedAt: now(),
    client,
    deployedBy: world.deployedBy,
    commit: null,
    tag: null,
    ...fields,
  };
}

async function main() {
  const [group, command, ...words] = rest;
  if (group === 'app' && command === 'list') {
    const apps = inEnvironment ? world.apps : [];
    const t = now();
    table(
      ['App ID', 'Description', 'State', 'Tasks', 'Created at', 'Stopped at'],
      apps.map((a) => [
        a.appId,
        a.name,
        a.state,
        String(a.containers.filter((c) => visible(c, t)).length),
        modalTime(a.createdAt),
        modalTime(a.stoppedAt),
      ]),
    );
    return;
  }
  if (group === 'app' && command === 'history') {
    const { positionals } = options('app history', words, []);
    const app = appOrFail(positionals[0]);
    if (app.state !== 'deployed') fail(`App '${positionals[0]}' is not deployed.`);
    const rows = [...app.history].sort((a, b) => b.version - a.version);
    const tagged = rows.some((r) => r.tag);
    const columns = [
      'Version',
      'Time deployed',
      'Client',
      'Deployed by',
      'Commit',
      ...(tagged ? ['Tag'] : []),
    ];
    table(
      columns,
      rows.map((r) => [
        `v${r.version}`,
        modalTime(r.deployedAt),
        r.client,
        r.deployedBy,
        r.commit,
        ...(tagged ? [r.tag] : []),
      ]),
    );
    return;
  }
  if (group === 'container' && command === 'list') {
    const known = atLeast(client, '1.4.0') ? ['--app-id'] : [];
    const { values } = options('container list', words, known);
    const t = now();
    const rows = [];
    for (const app of inEnvironment ? world.apps : []) {
      if (values['--app-id'] && app.appId !== values['--app-id']) continue;
      for (const c of app.containers.filter((c) => visible(c, t))) {
        rows.push([
          c.id,
          app.appId,
          app.name,
          started(c, t) ? modalTime(c.startAt) : 'Pending',
          started(c, t) ? c.startAt : 0,
        ]);
      }
    }
    rows.sort((a, b) => b[4] - a[4]);
    table(['Container ID', 'App ID', 'App Name', 'Start Time'], rows);
    return;
  }
  if (group === 'app' && command === 'rollback') {
    const known = atLeast(client, '1.5.1') ? ['--strategy'] : [];
    const { positionals, values } = options('app rollback', words, known);
    const strategy = values['--strategy'] ?? 'rolling';
    const app = deployedOrFail(positionals[0]);
    const live = Math.max(...app.history.map((h) => h.version));
    let target;
    if (positionals[1] === undefined) target = live - 1;
    else {
      const m = /^v(\d+)/.exec(positionals[1]);
      if (!m) usage('app rollback', `Invalid version specifier: ${positionals[1]}`);
      target = Number(m[1]);
    }
    // py/test/conftest.py AppRollback mirrors the server's answers.
    if (target <= 0) fail('Rollback request exceeds number of App deployments.');
    if (!app.history.some((h) => h.version === target)) fail('Rollback version not found in App history.');
    await rollOut(app.name, newRow(app, { rollbackVersion: target, type: 'rollback' }), strategy);
    out('✓ Deployment rollback successful!');
    out();
    out(`View Deployment: ${url(app)}`);
    return;
  }
  if (group === 'app' && command === 'rollover') {
    if (!atLeast(client, '1.4.2')) usage('app', "No such command 'rollover'.");
    const { positionals, values } = options('app rollover', words, ['--strategy']);
    const strategy = values['--strategy'] ?? 'rolling';
    const app = deployedOrFail(positionals[0]);
    out(`🔨 Starting app rollover with ${strategy} strategy`);
    const t0 = now();
    const live = Math.max(...app.history.map((h) => h.version));
    await rollOut(app.name, newRow(app, { rollbackVersion: live, type: 'rollover' }), strategy);
    out(`✓ Rollover completed in ${(now() - t0).toFixed(3)}s with ${strategy} strategy! 🎉`);
    out();
    out(`View Deployment: ${url(app)}`);
    return;
  }
  if (group === 'app' && command === 'stop') {
    const { positionals, values } = options('app stop', words, [], ['--yes', '-y']);
    const app = appOrFail(positionals[0]);
    if (app.state === 'stopped') {
      err(`App is already stopped. (Stopped at ${modalTime(app.stoppedAt)} by '${world.deployedBy}').`);
      process.exit(1);
    }
    if (!values['--yes'] && !values['-y']) fail('Aborted: pass --yes to stop without a prompt.');
    await update((w) => {
      const a = findApp(w, app.appId);
      const t = now();
      a.state = 'stopped';
      a.stoppedAt = t;
      for (const c of a.containers) if (c.stopAt == null || c.stopAt > t) c.stopAt = t;
    });
    return;
  }
  if (group === 'app' && command === 'logs') {
    const { positionals } = options(
      'app logs',
      words,
      ['--tail', '--container', '-n'],
      ['--show-container-id', '-f'],
    );
    const app = appOrFail(positionals[0]);
    const t = now();
    for (const c of app.containers.filter((c) => visible(c, t) && started(c, t)))
      out(`${c.id} serving ${app.name}`);
    return;
  }
  if (group === 'deploy') {
    const known = atLeast(client, '1.4.0') ? ['--strategy', '--tag', '--name'] : ['--tag', '--name'];
    const { positionals, values } = options(
      'deploy',
      [command, ...words].filter((w) => w !== undefined),
      known,
    );
    const file = positionals[0];
    const plan = world.files[basename(file ?? '')];
    if (!plan) fail(`Could not find file or module '${file}'`);
    const strategy = values['--strategy'] ?? 'rolling';
    const t0 = now();
    if (plan.outcome === 'build-failed') {
      out('Building image im-0FAKEBUILD');
      out('=> Step 0: FROM base');
      out('=> Step 1: RUN python -m pip install nosuchpackage');
      out(
        'ERROR: Could not find a version that satisfies the requirement nosuchpackage (from versions: none)',
      );
      out(
        'Terminating task due to error: failed to run builder command "python -m pip install nosuchpackage": container exit status: 1',
      );
      fail('Image build for im-0FAKEBUILD failed. See build logs for more details.');
    }
    await sleep(world.timing.buildMs);
    const existing = inEnvironment ? findApp(world, plan.app) : null;
    if (existing?.state !== 'deployed') {
      await update((w) => {
        w.apps.push({
          appId: `ap-NEW${Date.now()}`,
          name: plan.app,
          state: 'deployed',
          createdAt: now(),
          stoppedAt: null,
          functions: plan.functions,
          urls: plan.urls ?? {},
          load: plan.load ?? 0,
          concurrency: 4,
          history: [],
          containers: [],
        });
      });
    }
    const app = findApp(load(), plan.app);
    out('✓ Created objects.');
    plan.functions.forEach((fn, i) => {
      const branch = i === plan.functions.length - 1 ? '└──' : '├──';
      const where = plan.urls?.[fn];
      out(`${branch} 🔨 ${where ? `Created web function ${fn} => ${where}` : `Created function ${fn}.`}`);
    });
    if (plan.outcome === 'noop' && existing) {
      out('✓ Deployment skipped: no changes detected! ⏭️');
    } else {
      await rollOut(app.name, newRow(app, { tag: values['--tag'] ?? null, type: 'deploy' }), strategy);
      out(`✓ App deployed in ${(now() - t0).toFixed(3)}s! 🎉`);
    }
    out();
    out(`View Deployment: ${url(app)}`);
    return;
  }
  usage(rest.slice(0, 2).join(' '), `No such command '${rest.join(' ')}'.`);
}

await main();
process.exit(0);
