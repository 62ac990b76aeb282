// The command line's help, from the real bin/cutover.js: `cutover help watch` is generated from
// the screen's keymap, and a mistyped command gets a "did you mean".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keymap } from '../../src/ui/keymap.ts';
import { cutover } from '../local/platform/cli.ts';

const home = mkdtempSync(join(tmpdir(), 'cutover-help-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('cutover help', () => {
  it('help watch lists every key of the screen, from the keymap', async () => {
    const help = await cutover(home, ['help', 'watch']);
    expect(help.code).toBe(0);
    for (const binding of keymap) {
      expect(help.stdout).toContain(binding.description);
      expect(help.stdout).toContain(binding.keys[0]!.display);
    }
    expect((await cutover(home, ['watch', '--help'])).stdout).toBe(help.stdout);
  });

  it('a mistyped command: did you mean, exit 2, nothing started', async () => {
    const typo = await cutover(home, ['rollbak', 'shop']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'cutover: unknown command "rollbak"; did you mean "rollback"? See cutover --help\n',
    );
    const far = await cutover(home, ['frobnicate']);
    expect(far.stderr).toBe('cutover: unknown command "frobnicate"; see cutover --help\n');
    const topic = await cutover(home, ['help', 'stauts']);
    expect(topic.code).toBe(2);
    expect(topic.stderr).toContain('did you mean "status"?');
  });
});
