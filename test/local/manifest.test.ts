import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FUNCTION_DEFAULTS } from '../../src/engine/function-defaults.ts';
import { parseDuration } from '../../src/local/duration.ts';
import { loadManifest, type Manifest, ManifestError, parseManifest } from '../../src/local/manifest.ts';

const FULL = `app = "shop"
strategy = "recreate"
auto_rollback = true
exclude = ["tmp/", "*.log"]
include_node_modules = true

[build]
command = "npm run build"

[[functions]]
name = "web"
command = "node server.js"
port = 8080
containers = 3
concurrency = 16
ready = "/healthz"
drain_timeout = "10s"
start_timeout = "2m"
max_surge = "50%"
retry = "unsent"
max_queue = 50
queue_timeout = "5s"
max_body = "1MiB"
request_timeout = "20s"
probe_period = "2s"
probe_timeout = "500ms"
probe_failures = 5
min_ready = "3s"

[[functions]]
name = "worker"
command = ["node", "worker.js"]
containers = 2
max_surge = 2
drain_timeout = "500ms"

[env]
GREETING = "hello"
"WITH SPACE" = "ok"

[secrets]
names = ["STRIPE_KEY", "_OTHER"]
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cutover-manifest-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The ManifestError that parsing `text` throws. */
function errorOf(text: string): ManifestError {
  try {
    parseManifest(text, 'cutover.toml', '/apps/shop');
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return err as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

const WEB = `[[functions]]
name = "web"
command = "node server.js"
`;

describe('parseManifest', () => {
  it('resolves a full manifest to the exact spec', () => {
    const manifest = parseManifest(FULL, '/apps/shop/cutover.toml', '/apps/shop');
    expect(manifest).toStrictEqual<Manifest>({
      app: 'shop',
      file: '/apps/shop/cutover.toml',
      dir: '/apps/shop',
      exclude: ['tmp/', '*.log'],
      includeNodeModules: true,
      spec: {
        strategy: 'recreate',
        autoRollback: true,
        build: 'npm run build',
        env: { GREETING: 'hello', 'WITH SPACE': 'ok' },
        secrets: ['STRIPE_KEY', '_OTHER'],
        functions: [
          {
            name: 'web',
            command: 'node server.js',
            port: 8080,
            containers: 3,
            concurrency: 16,
            ready: '/healthz',
            drainTimeoutMs: 10_000,
            startTimeoutMs: 120_000,
            maxSurge: 2, // 50% of 3, rounded up
            retry: 'unsent',
            maxQueue: 50,
            queueTimeoutMs: 5_000,
            maxBodyBytes: 1024 * 1024,
            requestTimeoutMs: 20_000,
            probePeriodMs: 2_000,
            probeTimeoutMs: 500,
            probeFailures: 5,
            minReadyMs: 3_000,
          },
          {
            name: 'worker',
            command: ['node', 'worker.js'],
            port: 0,
            containers: 2,
            concurrency: 8,
            ready: 'port',
            drainTimeoutMs: 500,
            startTimeoutMs: 60_000,
            maxSurge: 2,
            ...FUNCTION_DEFAULTS,
          },
        ],
      },
    });
  });

  it('applies the defaults', () => {
    const manifest = parseManifest(`app = "shop"\n${WEB}`, 'cutover.toml', '/apps/shop');
    expect(manifest).toStrictEqual<Manifest>({
      app: 'shop',
      file: 'cutover.toml',
      dir: '/apps/shop',
      exclude: [],
      includeNodeModules: false,
      spec: {
        strategy: 'rolling',
        autoRollback: false,
        build: null,
        env: {},
        secrets: [],
        functions: [
          {
            name: 'web',
            command: 'node server.js',
            port: 0,
            containers: 1,
            concurrency: 8,
            ready: 'port',
            drainTimeoutMs: 30_000,
            startTimeoutMs: 60_000,
            maxSurge: 1, // 25% of 1, rounded up
            // R1, Q1, H1: retry idempotent methods, 1000 queued for 30 s, 10 MiB bodies,
            // probes every 10 s (1 s timeout, 3 failures), a 5 s settle window.
            retry: 'idempotent',
            maxQueue: 1000,
            queueTimeoutMs: 30_000,
            maxBodyBytes: 10 * 1024 * 1024,
            requestTimeoutMs: 60_000,
            probePeriodMs: 10_000,
            probeTimeoutMs: 1_000,
            probeFailures: 3,
            minReadyMs: 5_000,
          },
        ],
      },
    });
  });

  it('rounds a percentage surge up, to at least one', () => {
    const surge = (containers: number, maxSurge: string) =>
      parseManifest(
        `app = "a"\n${WEB}containers = ${containers}\nmax_surge = ${maxSurge}\n`,
        'cutover.toml',
        '/a',
      ).spec.functions[0]!.maxSurge;
    expect(surge(10, '"25%"')).toBe(3);
    expect(surge(4, '"25%"')).toBe(1);
    expect(surge(4, '"0%"')).toBe(1);
    expect(surge(4, '"100%"')).toBe(4);
    expect(surge(4, '5')).toBe(5);
  });

  it('reports a TOML syntax error at its line and column', () => {
    const error = errorOf(`app = "shop"\n\n${WEB}containers = \n`);
    expect(error.message).toBe('cutover.toml:6:14: invalid TOML: invalid value; expected valid TOML syntax');
    expect([error.file, error.line, error.column]).toEqual(['cutover.toml', 6, 14]);
  });

  it('names an unknown key with a suggestion, in the right [[functions]] table', () => {
    const text = `app = "shop"\n${WEB}containers = 2\n\n[[functions]]\nname = "worker"\ncommand = "w"\ncontaners = 2\n`;
    expect(errorOf(text).message).toBe(
      'cutover.toml:10:1: unknown key "contaners" in function "worker" (did you mean "containers"?); ' +
        'expected one of name, command, port, containers, concurrency, ready, drain_timeout, start_timeout, max_surge, ' +
        'retry, max_queue, queue_timeout, max_body, request_timeout, probe_period, probe_timeout, probe_failures, min_ready',
    );
  });

  it('names an unknown root key without a suggestion when nothing is close', () => {
    expect(errorOf(`app = "shop"\nzebra = 1\n${WEB}`).message).toBe(
      'cutover.toml:2:1: unknown key "zebra"; expected one of app, strategy, auto_rollback, exclude, ' +
        'include_node_modules, build, functions, env, secrets',
    );
    expect(errorOf(`app = "shop"\n[build]\ncomand = "make"\n${WEB}`).message).toBe(
      'cutover.toml:3:1: unknown key "comand" in [build] (did you mean "command"?); expected one of command',
    );
  });

  it('reports a bad duration at the key in the Nth function', () => {
    const text = `app = "shop"\n${WEB}drain_timeout = "30s"\n\n[[functions]]\nname = "worker"\ncommand = "w"\n  drain_timeout = "30 seconds"\n`;
    expect(errorOf(text).message).toBe(
      'cutover.toml:10:3: drain_timeout in function "worker" is "30 seconds"; expected a positive duration like "500ms", "30s" or "2m"',
    );
    expect(errorOf(`app = "a"\n${WEB}start_timeout = "0s"\n`).message).toBe(
      'cutover.toml:5:1: start_timeout in function "web" is "0s"; expected a positive duration like "500ms", "30s" or "2m"',
    );
    expect(errorOf(`app = "a"\n${WEB}start_timeout = 30\n`).message).toBe(
      'cutover.toml:5:1: start_timeout in function "web" is 30; expected a positive duration like "500ms", "30s" or "2m"',
    );
  });

  it('reports duplicate function names at the second one', () => {
    expect(errorOf(`app = "shop"\n${WEB}\n${WEB}`).message).toBe(
      'cutover.toml:7:1: duplicate function name "web" (first at line 3); expected unique names',
    );
  });

  it('reports a port used twice, and allows many assigned ports', () => {
    const fn = (name: string, port: number) =>
      `[[functions]]\nname = "${name}"\ncommand = "x"\nport = ${port}\n`;
    expect(errorOf(`app = "shop"\n${fn('web', 8080)}${fn('api', 8080)}`).message).toBe(
      'cutover.toml:9:1: port in function "api" is 8080, already used by function "web"; expected a distinct port, or 0 to have one assigned',
    );
    const ok = parseManifest(`app = "shop"\n${fn('web', 0)}${fn('api', 0)}`, 'cutover.toml', '/a');
    expect(ok.spec.functions.map((f) => f.port)).toEqual([0, 0]);
  });

  it('requires DNS-label names for the app and its functions', () => {
    expect(errorOf(`app = "Shop"\n${WEB}`).message).toBe(
      'cutover.toml:1:1: app is "Shop"; expected a DNS label: lowercase letters, digits and \'-\', 1 to 63 characters, starting with a letter',
    );
    expect(errorOf(`app = "${'a'.repeat(64)}"\n${WEB}`).line).toBe(1);
    expect(parseManifest(`app = "${'a'.repeat(63)}"\n${WEB}`, 'f', '/a').app).toHaveLength(63);
    expect(errorOf(`app = "shop"\n[[functions]]\nname = "9web"\ncommand = "x"\n`).message).toBe(
      'cutover.toml:3:1: name in function #1 is "9web"; expected a DNS label: lowercase letters, digits and \'-\', 1 to 63 characters, starting with a letter',
    );
    expect(errorOf(`${WEB}`).message).toBe(
      "cutover.toml: app is missing; expected a DNS label: lowercase letters, digits and '-', 1 to 63 characters, starting with a letter",
    );
  });

  it('requires at least one function, and a command in each', () => {
    expect(errorOf('app = "shop"\n').message).toBe(
      'cutover.toml: no [[functions]]; expected at least one function',
    );
    expect(errorOf('app = "shop"\n\n[[functions]]\nname = "web"\n').message).toBe(
      'cutover.toml:3:1: command in function "web" is missing; expected a command, like command = "node server.js"',
    );
    expect(errorOf('app = "shop"\n[[functions]]\nname = "web"\ncommand = []\n').message).toBe(
      'cutover.toml:4:1: command in function "web" is []; expected a non-empty string or array of strings',
    );
    expect(errorOf('app = "shop"\n[[functions]]\nname = "web"\ncommand = "  "\n').line).toBe(4);
  });

  it('checks counts, readiness, surge and strategy', () => {
    expect(errorOf(`app = "a"\n${WEB}containers = 0\n`).message).toBe(
      'cutover.toml:5:1: containers in function "web" is 0; expected an integer from 1 to 100',
    );
    expect(errorOf(`app = "a"\n${WEB}containers = 101\n`).line).toBe(5);
    expect(errorOf(`app = "a"\n${WEB}containers = "3"\n`).message).toBe(
      'cutover.toml:5:1: containers in function "web" is "3"; expected an integer from 1 to 100',
    );
    expect(errorOf(`app = "a"\n${WEB}concurrency = 1.5\n`).message).toBe(
      'cutover.toml:5:1: concurrency in function "web" is 1.5; expected an integer from 1 to 10000',
    );
    expect(errorOf(`app = "a"\n${WEB}ready = "healthz"\n`).message).toBe(
      'cutover.toml:5:1: ready in function "web" is "healthz"; expected "port" or an HTTP path starting with "/"',
    );
    expect(errorOf(`app = "a"\n${WEB}max_surge = "a lot"\n`).message).toBe(
      'cutover.toml:5:1: max_surge in function "web" is "a lot"; expected an integer of at least 1, or a percentage like "25%"',
    );
    expect(errorOf(`app = "a"\n${WEB}max_surge = 0\n`).line).toBe(5);
    expect(errorOf(`app = "a"\n${WEB}port = 70000\n`).message).toBe(
      'cutover.toml:5:1: port in function "web" is 70000; expected a port from 1 to 65535, or 0 to have one assigned',
    );
    expect(errorOf(`app = "a"\nstrategy = "blue-green"\n${WEB}`).message).toBe(
      'cutover.toml:2:1: strategy is "blue-green"; expected "rolling" or "recreate"',
    );
    expect(errorOf(`app = "a"\nauto_rollback = "yes"\n${WEB}`).message).toBe(
      'cutover.toml:2:1: auto_rollback is "yes"; expected true or false',
    );
  });

  it('checks the limits: retry, sizes and counts', () => {
    expect(errorOf(`app = "shop"\n${WEB}retry = "always"\n`).message).toBe(
      'cutover.toml:5:1: retry in function "web" is "always"; expected "idempotent", "unsent" or "never"',
    );
    expect(errorOf(`app = "shop"\n${WEB}max_body = "10 parsecs"\n`).message).toBe(
      'cutover.toml:5:1: max_body in function "web" is "10 parsecs"; expected a size like "10MiB", "512KiB" or a number of bytes',
    );
    expect(errorOf(`app = "shop"\n${WEB}max_queue = -1\n`).message).toBe(
      'cutover.toml:5:1: max_queue in function "web" is -1; expected an integer from 0 to 1000000',
    );
    expect(errorOf(`app = "shop"\n${WEB}min_ready = 5\n`).message).toMatch(
      /min_ready in function "web" is 5; expected a positive duration/,
    );
    const sized = parseManifest(`app = "shop"\n${WEB}max_body = 2048\n`, 'cutover.toml', '/apps/shop');
    expect(sized.spec.functions[0]!.maxBodyBytes).toBe(2048);
  });

  it('checks env values and secret names', () => {
    expect(errorOf(`app = "a"\n${WEB}\n[env]\nGREETING = "hi"\nPORT_HINT = 8080\n`).message).toBe(
      'cutover.toml:8:1: env.PORT_HINT is 8080; expected a string (quote numbers and booleans)',
    );
    expect(errorOf(`app = "a"\n${WEB}\n[secrets]\nnames = ["OK", "BAD-NAME"]\n`).message).toBe(
      'cutover.toml:7:1: secrets.names has "BAD-NAME"; expected names matching [A-Za-z_][A-Za-z0-9_]*',
    );
    expect(errorOf(`app = "a"\n${WEB}\n[env]\nKEY = "x"\n[secrets]\nnames = ["KEY"]\n`).message).toBe(
      'cutover.toml:9:1: secret "KEY" also has a value in [env]; expected secret values only from the environment',
    );
  });

  it('finds keys written as dotted keys or after multi-line strings', () => {
    const text = `app = "a"\nenv.NOTE = """\n[[functions]]\nbuild = 1\n"""\n${WEB}containers = -1\n`;
    expect(errorOf(text).line).toBe(9);
    expect(errorOf(`app = "a"\nbuild.command = ""\n${WEB}`).message).toBe(
      'cutover.toml:2:1: build.command is ""; expected a non-empty shell command, or no command',
    );
  });

  it('falls back to the table when a function is written inline', () => {
    const text = `app = "a"\nfunctions = [\n  { name = "web", command = "x", containers = 0 },\n]\n`;
    expect(errorOf(text).message).toBe(
      'cutover.toml:2:1: containers in function "web" is 0; expected an integer from 1 to 100',
    );
  });
});

describe('loadManifest', () => {
  it('reads cutover.toml from the directory', () => {
    writeFileSync(path.join(dir, 'cutover.toml'), FULL);
    const manifest = loadManifest(dir);
    expect(manifest.file).toBe(path.join(dir, 'cutover.toml'));
    expect(manifest.dir).toBe(dir);
    expect(manifest.spec.functions.map((f) => f.name)).toEqual(['web', 'worker']);
  });

  it('names the path of a missing manifest', () => {
    const file = path.join(dir, 'cutover.toml');
    expect(() => loadManifest(dir)).toThrow(
      new ManifestError(file, null, null, `no such file; expected a cutover.toml in ${dir}`),
    );
    expect(() => loadManifest(dir)).toThrow(`${file}: no such file; expected a cutover.toml in ${dir}`);
  });

  it('names the real path in errors from the file', () => {
    writeFileSync(path.join(dir, 'cutover.toml'), `app = "shop"\n${WEB}contaners = 2\n`);
    expect(() => loadManifest(dir)).toThrow(`${path.join(dir, 'cutover.toml')}:5:1: unknown key "contaners"`);
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m and h, and refuses the rest', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1.5s')).toBe(1500);
    for (const bad of ['0s', '30', 's', '-1s', '30 s', '2d', '']) expect(parseDuration(bad)).toBeNull();
  });
});
