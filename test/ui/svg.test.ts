import type { Terminal as Xterm } from '@xterm/headless';
import xtermHeadless from '@xterm/headless';
import { afterEach, describe, expect, it } from 'vitest';
import { terminalToSvg, XTERM_256_PALETTE } from '../../src/ui/screenshot/svg.ts';

const open: Xterm[] = [];
afterEach(() => {
  for (const term of open.splice(0)) term.dispose();
});

/** A headless terminal that has parsed `data` (xterm parses asynchronously: await the callback). */
async function screenOf(data: string, cols = 40, rows = 6): Promise<Xterm> {
  const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
  open.push(term);
  await new Promise<void>((resolve) => term.write(data, resolve));
  return term;
}

/** The attributes of the <text> element whose content is exactly `content`. */
function textElement(svg: string, content: string): string {
  const found = svg
    .split('\n')
    .find((line) => line.startsWith('<text ') && line.endsWith(`>${content}</text>`));
  if (!found) throw new Error(`no <text> with ${JSON.stringify(content)} in:\n${svg}`);
  return found;
}

describe('terminalToSvg', () => {
  it('writes the screen text, XML-escaped', async () => {
    const svg = terminalToSvg(await screenOf('if a < b && c > "d" \'e\''));
    textElement(svg, 'if a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;');
    expect(svg).not.toContain('a < b');
  });

  it('is a self-contained SVG document with a window title bar', async () => {
    const svg = terminalToSvg(await screenOf('hi'), { title: 'cutover <demo>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg.endsWith('</svg>\n')).toBe(true);
    expect(svg).toContain('>cutover &lt;demo&gt;</text>');
    expect(svg).toContain('fill="#1e1e1e"');
  });

  it('colours a red foreground (palette 1) with the xterm red', async () => {
    const svg = terminalToSvg(await screenOf('\x1b[31mdanger\x1b[0m ok'));
    expect(textElement(svg, 'danger')).toContain('fill="#cd0000"');
    expect(textElement(svg, ' ok')).toContain('fill="#d4d4d4"');
  });

  it('colours 256-palette and RGB foregrounds', async () => {
    const svg = terminalToSvg(await screenOf('\x1b[38;5;208morange\x1b[38;5;244mgrey\x1b[38;2;18;52;86mrgb'));
    expect(textElement(svg, 'orange')).toContain('fill="#ff8700"');
    expect(textElement(svg, 'grey')).toContain('fill="#808080"');
    expect(textElement(svg, 'rgb')).toContain('fill="#123456"');
  });

  it('uses the standard xterm 256-colour palette', () => {
    expect(XTERM_256_PALETTE).toHaveLength(256);
    expect(XTERM_256_PALETTE[9]).toBe('#ff0000');
    expect(XTERM_256_PALETTE[16]).toBe('#000000');
    expect(XTERM_256_PALETTE[21]).toBe('#0000ff');
    expect(XTERM_256_PALETTE[231]).toBe('#ffffff');
    expect(XTERM_256_PALETTE[232]).toBe('#080808');
    expect(XTERM_256_PALETTE[255]).toBe('#eeeeee');
  });

  it('draws non-default backgrounds as rects, one per run of cells', async () => {
    const svg = terminalToSvg(await screenOf('\x1b[44m    \x1b[48;2;1;2;3mx\x1b[0m'));
    const rects = svg.split('\n').filter((line) => line.startsWith('<rect x='));
    expect(rects).toEqual([
      // 4 cells of 14 * 0.6 px, after 14 px of padding; row 0 below a 28 px title bar.
      '<rect x="14" y="42" width="33.6" height="17.5" fill="#0000ee"/>',
      '<rect x="47.6" y="42" width="8.4" height="17.5" fill="#010203"/>',
    ]);
  });

  it('marks bold, italic, underline and dim', async () => {
    const svg = terminalToSvg(
      await screenOf('\x1b[1mstrong\x1b[0m \x1b[3;4mslanted\x1b[0m \x1b[2mfaint\x1b[0m'),
    );
    expect(textElement(svg, 'strong')).toContain('font-weight="bold"');
    expect(textElement(svg, 'slanted')).toContain('font-style="italic"');
    expect(textElement(svg, 'slanted')).toContain('text-decoration="underline"');
    expect(textElement(svg, 'slanted')).not.toContain('font-weight');
    expect(textElement(svg, 'faint')).toContain('opacity="0.5"');
  });

  it('swaps foreground and background for inverse', async () => {
    const svg = terminalToSvg(await screenOf('\x1b[7;31mrev\x1b[0m'));
    expect(textElement(svg, 'rev')).toContain('fill="#1e1e1e"');
    expect(svg).toContain('width="25.2" height="17.5" fill="#cd0000"/>');
  });

  it('gives wide characters two cells', async () => {
    const svg = terminalToSvg(await screenOf('中文!'));
    expect(textElement(svg, '中文!')).toContain('textLength="42"');
  });

  it('draws the visible screen only, after scrolling', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${String(i).padStart(2, '0')}`);
    const svg = terminalToSvg(await screenOf(lines.join('\r\n')));
    expect(svg).toContain('>line 09</text>');
    expect(svg).toContain('>line 04</text>');
    expect(svg).not.toContain('>line 03</text>');
  });

  it('gives byte-identical output for the same screen', async () => {
    const data = '\x1b[1;31mred\x1b[0m \x1b[48;5;22m bg \x1b[0m <&>\r\n\x1b[38;2;1;2;3mrgb 中';
    const first = await screenOf(data);
    const svg = terminalToSvg(first, { title: 'same' });
    expect(terminalToSvg(first, { title: 'same' })).toBe(svg);
    expect(terminalToSvg(await screenOf(data), { title: 'same' })).toBe(svg);
  });

  it('scales with fontSize', async () => {
    const term = await screenOf('x', 10, 2);
    expect(terminalToSvg(term, { fontSize: 10 })).toContain('width="80" height="65" viewBox="0 0 80 65"');
  });
});
