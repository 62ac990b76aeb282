// `cutover daemon install`: for an ops box where the daemon must start at boot. On Linux it
// writes a systemd user unit; on macOS it prints the launchd agent to install.
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { StatePaths } from '../../local/paths.ts';
import type { CliContext } from '../context.ts';
import { printJson, println } from '../output.ts';
import { EXIT } from '../usage-error.ts';

/** A value in a unit file's command line or assignment: quoted, `%` doubled (a specifier otherwise). */
function systemdQuote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%')}"`;
}

/** The unit: the supervisor in the foreground; stopping it drains, and the apps keep running. */
export function systemdUnit(o: { node: string; entry: string; home: string; path: string }): string {
  return [
    '[Unit]',
    `Description=cutover daemon (local platform, ${o.home.replaceAll('%', '%%')})`,
    'After=network.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${systemdQuote(o.node)} ${systemdQuote(o.entry)} daemon run`,
    `Environment=${systemdQuote(`CUTOVER_HOME=${o.home}`)}`,
    `Environment=${systemdQuote(`PATH=${o.path}`)}`,
    '# Secret values the containers expect (B2), owner-only: KEY=value lines.',
    'EnvironmentFile=-%h/.config/cutover/secrets.env',
    '# Only the supervisor is signalled: the apps keep running through a restart of the daemon,',
    '# and the next daemon adopts them (A1). `cutover daemon stop --apps` stops them too.',
    'KillMode=process',
    'TimeoutStopSec=30',
    'Restart=on-failure',
    'RestartSec=1',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** The launchd agent, for macOS. */
export function launchdAgent(o: { node: string; entry: string; home: string; path: string }): string {
  const xml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>dev.cutover.daemon</string>
  <key>ProgramArguments</key>
  <array><string>${xml(o.node)}</string><string>${xml(o.entry)}</string><string>daemon</string><string>run</string></array>
  <key>EnvironmentVariables</key>
  <dict><key>CUTOVER_HOME</key><string>${xml(o.home)}</string><key>PATH</key><string>${xml(o.path)}</string></dict>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>AbandonProcessGroup</key><true/>
</dict>
</plist>
`;
}

export function installService(ctx: CliContext, paths: StatePaths, json: boolean): number {
  const spec = {
    node: process.execPath,
    entry: ctx.entry,
    home: paths.home,
    path: ctx.env.PATH ?? '/usr/bin:/bin',
  };
  if (process.platform === 'darwin') {
    const file = join(homedir(), 'Library', 'LaunchAgents', 'dev.cutover.daemon.plist');
    const agent = launchdAgent(spec);
    if (json) printJson(ctx, { launchd: file, agent });
    else
      println(
        ctx,
        `launchd has no unit to write for you; save this as ${file}, then run\n` +
          `  launchctl load -w ${file}\n\n${agent}`,
      );
    return EXIT.ok;
  }
  const config = ctx.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const dir = join(config, 'systemd', 'user');
  const file = join(dir, 'cutover.service');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, systemdUnit(spec), { mode: 0o600 });
  if (json) printJson(ctx, { unit: file });
  else
    println(
      ctx,
      [
        `wrote ${file}`,
        'start it now and at every login:  systemctl --user daemon-reload && systemctl --user enable --now cutover',
        'and at boot, before anyone logs in:  loginctl enable-linger "$USER"',
        'stop a daemon started by hand first (cutover daemon stop): one daemon per state directory',
      ].join('\n'),
    );
  return EXIT.ok;
}
