// Imported first by tests that compare colour and NO_COLOR frames: Ink's chalk decides its
// colour level when it loads, and vitest's output is not a terminal.
process.env.FORCE_COLOR = '1';
process.env.TZ = 'UTC';
