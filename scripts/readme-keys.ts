// npm run readme:keys — rewrites README.md's key table from the keymap (the single source of
// truth); test/ui/keymap.test.ts fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { keyTableMarkdown } from '../src/ui/keymap.ts';

const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(
  /<!-- keys:start -->[\s\S]*?<!-- keys:end -->/,
  `<!-- keys:start -->\n${keyTableMarkdown()}\n<!-- keys:end -->`,
);
writeFileSync('README.md', next);
