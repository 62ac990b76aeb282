#!/usr/bin/env node
// The installed entry point: runs the bundled CLI that `npm install` builds (scripts/build.mjs).
import '../dist/cutover.js';
