// The stats helper is a Python program run with the user's python3. Here it runs on the real
// python3: without the modal package (its error path, as on any machine without the SDK), and
// with a stand-in for the SDK's public API on PYTHONPATH (its protocol and the FunctionStats
// fields). The fake python3 the CLI scenarios use replays exactly these lines.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { pythonCandidates, pythonOfShebang } from '../../../src/providers/modal/python-finder.ts';
import { StatsHelper } from '../../../src/providers/modal/stats-helper.ts';
import { statsHelperSource } from '../../../src/providers/modal/stats-helper-source.ts';

const sdk = resolve(import.meta.dirname, '../../fakes/modal/sdk');
const helpers: StatsHelper[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const h of helpers.splice(0)) h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function helper(env: NodeJS.ProcessEnv, environment?: string): StatsHelper {
  const h = new StatsHelper(env, environment);
  helpers.push(h);
  return h;
}

/** The machine's python3 must not have the modal package for the error path to be the real one. */
let probed = false;
function requireNoModal(): void {
  if (probed) return;
  probed = true;
  const probe = spawnSync('python3', ['-c', 'import modal'], { encoding: 'utf8' });
  if (probe.error)
    throw new Error(
      `these tests need python3 on PATH (.ci/install-test-deps installs it): ${probe.error.message}`,
    );
  if (probe.status === 0)
    throw new Error('these tests need a python3 without the modal package; uninstall it or use a clean PATH');
}

describe('the stats helper on the real python3', () => {
  test('without the modal package: "not reported", saying which Python and why', async () => {
    requireNoModal();
    const answer = await helper(process.env).stats('shop', ['web']);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.reason).toMatch(
      /^no Python here can import modal \(python3: ModuleNotFoundError: No module named 'modal'\)/,
    );
    expect(answer.reason).toMatch(/pip install modal/);
  });

  test('its first line without the SDK is the one the fake python3 replays', () => {
    requireNoModal();
    const run = spawnSync('python3', ['-u', '-c', statsHelperSource], { encoding: 'utf8', input: '' });
    expect(run.status).toBe(0);
    const hello = JSON.parse(run.stdout.trim());
    expect(hello).toEqual({
      hello: 1,
      python: expect.any(String),
      error: { reason: 'modal-not-installed', message: "ModuleNotFoundError: No module named 'modal'" },
    });
  });

  test('a folder named modal in the working directory is not taken for the SDK', () => {
    requireNoModal();
    const dir = mkdtempSync(join(tmpdir(), 'cutover-modal-cwd-'));
    dirs.push(dir);
    // cutover's own state directory ($CUTOVER_HOME/modal) is such a folder.
    mkdirSync(join(dir, 'modal'));
    const run = spawnSync('python3', ['-u', '-c', statsHelperSource], {
      cwd: dir,
      encoding: 'utf8',
      input: '',
    });
    expect(JSON.parse(run.stdout.trim()).error).toEqual({
      reason: 'modal-not-installed',
      message: "ModuleNotFoundError: No module named 'modal'",
    });
  });

  test("with the SDK's API: each function's backlog, running inputs and runners, one interpreter for many asks", async () => {
    const stats = {
      shop: { web: { backlog: 3, num_total_runners: 2, num_running_inputs: 8, input_headroom: 0 } },
    };
    const env = { ...process.env, PYTHONPATH: sdk, FAKE_MODAL_SDK_STATS: JSON.stringify(stats) };
    const h = helper(env, 'prod');
    for (let i = 0; i < 2; i++) {
      expect(await h.stats('shop', [])).toEqual({
        ok: true,
        client: '1.5.4',
        source: 'get_app_objects',
        functions: [{ name: 'web', queued: 3, inFlight: 8, runners: 2, error: null }],
      });
    }
    const missing = await h.stats('nope', []);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toMatch(/LookupError: App 'nope' not found/);
  });
});

describe('which Python runs the helper', () => {
  test("the `modal` command's own interpreter first (its shebang), then python3", () => {
    expect(pythonOfShebang('#!/home/me/.venv/bin/python3.11')).toBe('/home/me/.venv/bin/python3.11');
    expect(pythonOfShebang('#!/usr/bin/env python3')).toBe('python3');
    expect(pythonOfShebang('#!/bin/sh')).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'cutover-modal-bin-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'modal'), '#!/opt/modal-venv/bin/python3\nimport sys\n');
    chmodSync(join(dir, 'modal'), 0o755);
    expect(pythonCandidates({ PATH: `${dir}${delimiter}/usr/bin` })).toEqual([
      '/opt/modal-venv/bin/python3',
      'python3',
    ]);
    expect(pythonCandidates({ PATH: '/nonexistent' })).toEqual(['python3']);
  });
});
