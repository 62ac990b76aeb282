// Modal's human output, read back: error messages (the Error panel of py/modal/__main__.py and
// click's usage errors), the exit codes they become, and what `modal deploy` says it did
// (py/modal/runner.py, py/modal/_output/status.py).
import { describe, expect, test } from 'vitest';
import { appNameInSource, readDeployOutput } from '../../../src/providers/modal/deploy-output.ts';
import { logLineOf, modalLogArgs } from '../../../src/providers/modal/logs.ts';
import {
  codeFor,
  modalError,
  modalMessage,
  outputBesides,
} from '../../../src/providers/modal/modal-errors.ts';

const panel = [
  '╭─ Error ─────────────────────────────────────────────────╮',
  '│ Rollback version not found in App history.              │',
  '╰─────────────────────────────────────────────────────────╯',
].join('\n');

describe("Modal's error messages", () => {
  test('the Error panel, a wrapped panel, click usage errors and bare SystemExit messages', () => {
    expect(modalMessage(panel)).toBe('Rollback version not found in App history.');
    const wrapped = [
      '╭─ Error ──────────────────────────────╮',
      '│ Image build for im-123 failed. See   │',
      '│ build logs for more details.         │',
      '╰──────────────────────────────────────╯',
    ].join('\n');
    expect(modalMessage(wrapped)).toBe('Image build for im-123 failed. See build logs for more details.');
    const usage =
      "Usage: modal app rollback [OPTIONS] APP_IDENTIFIER [VERSION]\nTry 'modal app rollback -h' for help.\n\nError: Invalid version specifier: 2";
    expect(modalMessage(usage)).toBe('Invalid version specifier: 2');
    expect(
      modalMessage("App is already stopped. (Stopped at 2026-11-30 14:03:12+00:00 by 'alice')."),
    ).toMatch(/^App is already stopped/);
  });

  test('exit codes: usage is 2 (nothing ran); otherwise by what Modal said', () => {
    expect(codeFor({ exitCode: 2 }, 'No such option: --strategy').code).toBe('usage');
    expect(codeFor({ exitCode: 1 }, "No App with name 'shop' found in the 'main' environment.").code).toBe(
      'not-found',
    );
    expect(codeFor({ exitCode: 1 }, 'Rollback version not found in App history.').code).toBe('not-found');
    expect(codeFor({ exitCode: 1 }, 'Token missing. Could not authenticate client.').code).toBe('forbidden');
    expect(codeFor({ exitCode: 1 }, 'Could not connect to the Modal server.').code).toBe('unavailable');
    expect(codeFor({ exitCode: 1 }, 'Image build for im-1 failed.').code).toBe('failed');
  });

  test('the error carries the command, Modal message, and only the output around it', () => {
    const output = `Building image im-1\n=> Step 0: FROM base\n${panel}`;
    const error = modalError({
      command: 'modal deploy app.py',
      exitCode: 1,
      stdout: '',
      stderr: output,
      output,
    });
    expect(error.message).toBe('modal deploy app.py: Rollback version not found in App history.');
    expect(error.options.detail).toBe('Building image im-1\n=> Step 0: FROM base');
    expect(outputBesides(panel)).toBe('');
  });
});

describe('modal deploy output', () => {
  const deployed = [
    '✓ Created objects.',
    '├── 🔨 Created mount /home/me/shop/shop.py',
    '├── 🔨 Created function worker.',
    '└── 🔨 Created web function web => https://acme--shop-web.modal.run',
    '✓ App deployed in 3.214s! 🎉',
    '',
    'View Deployment: https://modal.com/apps/acme/main/deployed/shop',
  ].join('\n');

  test('a deploy: its app, functions, web URLs and summary', () => {
    expect(readDeployOutput(deployed)).toEqual({
      noop: false,
      deployed: true,
      app: 'shop',
      functions: ['worker', 'web'],
      urls: { web: 'https://acme--shop-web.modal.run' },
      summary: 'App deployed in 3.214s! 🎉',
    });
  });

  test('D2: "no changes detected" is a no-op; older clients word things differently', () => {
    const noop = readDeployOutput(
      '✓ Deployment skipped: no changes detected! ⏭️\n\nView Deployment: https://modal.com/apps/acme/main/deployed/shop',
    );
    expect(noop).toMatchObject({ noop: true, deployed: false, app: 'shop' });
    // The guide's own example (an older client).
    const old = readDeployOutput(
      '├── 🔨 Created fastapi_app => https://x.modal.run\n└── 🔨 Created fetch_episodes.\n✓ App deployed! 🎉\n\nView Deployment: https://modal.com/apps/modal-labs/whisper-pod-transcriber',
    );
    expect(old).toMatchObject({
      deployed: true,
      app: 'whisper-pod-transcriber',
      functions: ['fastapi_app', 'fetch_episodes'],
    });
  });

  test("the app's name from its source, before Modal says it", () => {
    expect(appNameInSource('import modal\napp = modal.App("shop")\n')).toBe('shop');
    expect(appNameInSource("app = App(name='shop-2', image=image)")).toBe('shop-2');
    expect(appNameInSource('app = modal.App()')).toBeNull();
  });
});

describe('modal app logs', () => {
  test('lines prefixed with their container; the flags cutover passes', () => {
    expect(logLineOf('ta-01ABC hello')).toEqual({ container: 'ta-01ABC', text: 'hello' });
    expect(logLineOf('Stopping app')).toEqual({ container: '', text: 'Stopping app' });
    expect(modalLogArgs('shop', { follow: true })).toEqual([
      'app',
      'logs',
      'shop',
      '--show-container-id',
      '-f',
    ]);
    expect(modalLogArgs('shop', { follow: false, tail: 20, container: 'ta-01ABC' })).toEqual([
      'app',
      'logs',
      'shop',
      '--show-container-id',
      '--tail',
      '20',
      '--container',
      'ta-01ABC',
    ]);
    expect(() => modalLogArgs('--yes', { follow: false })).toThrow(/not a Modal app name/);
  });
});
