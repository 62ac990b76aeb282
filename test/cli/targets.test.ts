// Targets: where an app lives, chosen by flags or the config file, refused clearly when wrong —
// with nothing started or contacted to find out.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { cutover } from '../local/platform/cli.ts';

let dir: string;
let home: string;
let env: Record<string, string>;

/** A kubeconfig whose server nothing listens on: a command that contacted it would exit 1. */
function kubeconfig(): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}
users:
- name: u1
  user: {token: t0ken}
contexts:
- name: prod-eu
  context: {cluster: c1, user: u1, namespace: shop}
current-context: prod-eu
`,
  );
  return file;
}

function config(text: string): void {
  mkdirSync(join(dir, 'xdg', 'cutover'), { recursive: true });
  writeFileSync(join(dir, 'xdg', 'cutover', 'config.toml'), text);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-targets-'));
  home = join(dir, 'state');
  mkdirSync(home);
  env = { XDG_CONFIG_HOME: join(dir, 'xdg'), KUBECONFIG: kubeconfig() };
});
afterEach(() => {
  // Nothing here may have started the local daemon.
  expect(existsSync(join(home, 'daemon.sock'))).toBe(false);
});

describe('cutover targets', () => {
  test('lists the named targets, marking the one $CUTOVER_TARGET picks', async () => {
    config(
      '[targets.prod]\nplatform = "kubernetes"\ncontext = "prod-eu"\nnamespace = "shop"\nreadonly = true\n\n[targets.edge]\nplatform = "fly"\norg = "acme"\n',
    );
    const run = await cutover(home, ['targets', '--json'], { env: { ...env, CUTOVER_TARGET: 'edge' } });
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      current: 'edge',
      targets: [
        {
          name: 'prod',
          platform: 'kubernetes',
          context: 'prod-eu',
          namespace: 'shop',
          readonly: true,
          current: false,
        },
        { name: 'edge', platform: 'fly', org: 'acme', readonly: false, current: true },
      ],
    });
    const text = await cutover(home, ['targets'], { env });
    expect(text.stdout).toMatch(/NAME\s+PLATFORM\s+WHERE\s+READONLY/);
    expect(text.stdout).toMatch(/prod\s+kubernetes\s+prod-eu shop\s+yes/);
  });

  test('with no config file it says so, and that the local platform is used', async () => {
    const run = await cutover(home, ['targets'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the local platform is used');
  });

  test('a config key the platform does not have is named with the file and the target', async () => {
    config('[targets.prod]\nplatform = "kubernetes"\norg = "acme"\n');
    const run = await cutover(home, ['targets'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('config.toml: [targets.prod]: unknown key "org" for platform kubernetes');
  });

  test('a TOML error is reported with the file, line and column', async () => {
    config('[targets.prod\nplatform = "kubernetes"\n');
    const run = await cutover(home, ['targets'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.toml:1:\d+: /);
  });
});

describe('choosing a target', () => {
  test('an unknown target name: exit 2, the known ones listed, nothing started', async () => {
    config('[targets.prod]\nplatform = "kubernetes"\n');
    const run = await cutover(home, ['status', 'shop', '--target', 'staging', '--json'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown target "staging"; known: prod');
    expect(run.json()).toMatchObject({ error: { code: 'usage' } });
  });

  test('$CUTOVER_TARGET that names nothing says where it came from', async () => {
    const run = await cutover(home, ['apps'], { env: { ...env, CUTOVER_TARGET: 'nope' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown target "nope" (from $CUTOVER_TARGET)');
  });

  test('a context the kubeconfig lacks: exit 2 naming it and the known ones, no server contacted', async () => {
    const run = await cutover(
      home,
      ['status', 'shop', '--platform', 'kubernetes', '--context', 'prod-us', '--json'],
      { env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('context "prod-us" is not in');
    expect(run.stderr).toContain('(known: prod-eu)');
    expect(run.json()).toMatchObject({ error: { code: 'unknown-context' } });
  });

  test('a missing kubeconfig: exit 2 saying how to point at one', async () => {
    const run = await cutover(home, ['apps', '--platform', 'kubernetes', '--kubeconfig', join(dir, 'nope')], {
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no kubeconfig at');
    expect(run.stderr).toContain('--kubeconfig FILE or set KUBECONFIG');
  });

  test.each([
    [['status', 'shop', '-n', 'shop'], '--namespace is for --platform kubernetes, not local'],
    [
      ['status', 'shop', '--platform', 'openshift'],
      '--platform must be one of local, kubernetes, fly, modal, got "openshift"',
    ],
    [
      ['status', 'shop', '--platform', 'fly', '--context', 'x'],
      '--context is for --platform kubernetes, not fly',
    ],
  ])('flags that do not fit: %j', async (args, message) => {
    const run = await cutover(home, args, { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  test('a read-only target refuses every changing command before contacting anything', async () => {
    config('[targets.prod]\nplatform = "kubernetes"\nreadonly = true\n');
    for (const args of [
      ['rollback', 'shop'],
      ['rollover', 'shop'],
      ['stop', 'shop', '--yes'],
      ['pause', 'shop'],
      ['deploy', 'shop', '--image', 'shop:2'],
      ['wait', 'shop', '--auto-rollback'],
    ]) {
      const run = await cutover(home, [...args, '--target', 'prod'], { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('target prod is read-only; nothing was changed');
    }
    const flag = await cutover(home, ['rollback', 'shop', '--readonly'], { env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--readonly was given');
  });
});
