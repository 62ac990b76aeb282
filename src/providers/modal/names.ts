// Names cutover passes to `modal` as arguments, checked against Modal's own rules
// (py/modal/_utils/name_utils.py) before anything runs, so an argument can never be read as an
// option (`--yes`) and a typo is a usage error that names what was wrong.
import { ProviderError } from '../../engine/provider-error.ts';

// Modal allows [a-zA-Z0-9-_.]{1,64}; a leading dash would read as an option, so it is refused.
const appName = /^[a-zA-Z0-9_.][a-zA-Z0-9_.-]{0,63}$/;
const environmentName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;
const tagName = /^[a-zA-Z0-9._-]{1,50}$/;

export function checkAppName(name: string): string {
  if (!appName.test(name)) {
    throw new ProviderError(
      'usage',
      `${JSON.stringify(name)} is not a Modal app name (letters, digits, - _ . up to 64, not starting with -)`,
    );
  }
  return name;
}

export function checkEnvironment(name: string): string {
  if (!environmentName.test(name)) {
    throw new ProviderError(
      'usage',
      `${JSON.stringify(name)} is not a Modal environment name (letters, digits, - _ . up to 64)`,
    );
  }
  return name;
}

export function checkTag(tag: string): string {
  if (!tagName.test(tag)) {
    throw new ProviderError(
      'usage',
      `--tag ${JSON.stringify(tag)}: Modal tags are letters, digits, - _ . and at most 50 characters`,
    );
  }
  return tag;
}
