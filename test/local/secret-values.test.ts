// B2: what a CLI command sends for an app's secrets: its environment first, then the owner-only
// secrets file; a file others can read is refused, not used.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secretValues } from '../../src/local/secret-values.ts';

let config: string | null = null;
afterEach(() => {
  if (config) rmSync(config, { recursive: true, force: true });
  config = null;
});

function withFile(text: string, mode: number): NodeJS.ProcessEnv {
  config = mkdtempSync(join(tmpdir(), 'cutover-secrets-'));
  mkdirSync(join(config, 'cutover'));
  const file = join(config, 'cutover', 'secrets.env');
  writeFileSync(file, text);
  chmodSync(file, mode);
  return { XDG_CONFIG_HOME: config };
}

describe('secretValues', () => {
  it('B2 takes the named values from the environment, then from the secrets file', () => {
    const env = withFile(
      '# rotated monthly\nSTRIPE_KEY=sk_from_file\nDB_PASSWORD="p a s s"\nOTHER=x\n',
      0o600,
    );
    expect(secretValues(['STRIPE_KEY', 'DB_PASSWORD', 'MISSING'], env)).toEqual({
      STRIPE_KEY: 'sk_from_file',
      DB_PASSWORD: 'p a s s',
    });
    expect(secretValues(['STRIPE_KEY'], { ...env, STRIPE_KEY: 'sk_from_shell' })).toEqual({
      STRIPE_KEY: 'sk_from_shell',
    });
    expect(secretValues([], env)).toEqual({});
  });

  it('refuses a secrets file that others can read', () => {
    const env = withFile('STRIPE_KEY=sk_from_file\n', 0o644);
    expect(() => secretValues(['STRIPE_KEY'], env)).toThrow(
      /secrets\.env holds secrets but is not yours alone \(mode 644\)/,
    );
  });
});
