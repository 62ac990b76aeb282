// Which Ink colour each tone gets; with colour off nothing is styled at all (NO_COLOR).
import { createContext } from 'react';
import type { Tone } from '../present/line.ts';

export const toneColor: Record<Tone, string> = {
  old: 'blueBright',
  new: 'green',
  queue: 'yellow',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  dim: 'gray',
  accent: 'cyan',
  focus: 'magenta',
  series0: 'greenBright',
  series1: 'blueBright',
  series2: 'magentaBright',
  series3: 'yellowBright',
};

/** True while the screen's data is stale (a lost feed): every value is drawn grey. */
export const MutedContext = createContext(false);
