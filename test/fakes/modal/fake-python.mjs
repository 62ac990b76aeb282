// A fake `python3` for tests: it runs only cutover's Modal stats helper (recognised by its first
// line) and answers its protocol from the fake Modal's state, as the real helper would with the
// modal package installed (FunctionStats fields from py/modal/types.py; num_running_inputs since
// modal 1.3.5) or, with `python: "no-modal"` in the state, without it. The real helper's
// no-modal line is checked against a real python3 in test/providers/modal/stats-helper.test.ts.
import { createInterface } from 'node:readline';
import { atLeast, findApp, load, now, recordCall, statsAt } from './fake-world.mjs';

const argv = process.argv.slice(2);
recordCall(['python3', ...argv.map((a, i) => (argv[i - 1] === '-c' ? a.split('\n')[0] : a))]);
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const source = argv[argv.indexOf('-c') + 1] ?? '';
if (!argv.includes('-c') || !source.startsWith('# cutover modal-stats helper, protocol 1')) {
  process.stderr.write("fake python3: runs only cutover's modal stats helper\n");
  process.exit(2);
}

const world = load();
if (world.python === 'no-modal') {
  say({
    hello: 1,
    python: '/usr/bin/python3',
    error: { reason: 'modal-not-installed', message: "ModuleNotFoundError: No module named 'modal'" },
  });
  process.exit(0);
}
say({ hello: 1, python: '/usr/bin/python3', modal: world.client });

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  const state = load();
  const app =
    (request.environment ?? state.environment) === state.environment ? findApp(state, request.app) : null;
  if (app?.state !== 'deployed') {
    say({ error: { reason: 'NotFoundError', message: `Lookup failed for App '${request.app}'` } });
    continue;
  }
  // modal.experimental.get_app_objects exists since modal 1.1; before, the names given are used.
  const names = atLeast(state.client, '1.1.0') ? app.functions : request.functions;
  const stats = statsAt(app, now());
  if (!atLeast(state.client, '1.3.5')) {
    delete stats.num_running_inputs;
    delete stats.input_headroom;
  }
  // The fake's load goes to the app's first function; the others idle.
  const idle = Object.fromEntries(Object.keys(stats).map((k) => [k, 0]));
  say({
    functions: names.map((name, i) => ({ name, stats: i === 0 ? stats : idle })),
    source: atLeast(state.client, '1.1.0') ? 'get_app_objects' : 'deploy-output',
  });
}
