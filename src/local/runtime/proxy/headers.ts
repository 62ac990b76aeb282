// Headers across the proxy: what is forwarded to a container and what goes back to the client.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

// RFC 9110 §7.6.1: these describe one connection and are not forwarded.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
];

/** The hop-by-hop names, plus any the Connection header lists. */
function hopByHop(connection: string | string[] | undefined): Set<string> {
  const named = new Set(HOP_BY_HOP);
  if (connection !== undefined) {
    for (const token of String(connection).split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') named.add(name);
    }
  }
  return named;
}

/** The client's headers for the container: end-to-end ones, plus X-Forwarded-For. */
export function upstreamHeaders(
  headers: IncomingHttpHeaders,
  remoteAddress: string,
  bodyLength: number | null,
): Record<string, string | string[]> {
  const named = hopByHop(headers.connection);
  const kept: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !named.has(name)) kept[name] = value;
  }
  const forwardedFor = headers['x-forwarded-for'];
  kept['x-forwarded-for'] = forwardedFor === undefined ? remoteAddress : `${forwardedFor}, ${remoteAddress}`;
  // A body of unknown length goes chunked (Node's client does that when no length is set).
  if (bodyLength === null) delete kept['content-length'];
  else if (bodyLength > 0 || kept['content-length'] !== undefined)
    kept['content-length'] = String(bodyLength);
  return kept;
}

/** The container's response headers as sent to the client, naming the container that answered. */
export function clientHeaders(upstreamRes: IncomingMessage, containerId: string): string[] {
  const named = hopByHop(upstreamRes.headers.connection);
  const flat: string[] = [];
  const raw = upstreamRes.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (!named.has(lower) && lower !== 'x-cutover-container') flat.push(raw[i]!, raw[i + 1]!);
  }
  flat.push('x-cutover-container', containerId);
  return flat;
}

/** The request head for a connection that upgrades (WebSocket): every header kept, as sent. */
export function upgradeRequestHead(req: IncomingMessage, remoteAddress: string): string {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
  const raw = req.rawHeaders;
  let forwardedFor: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'x-forwarded-for') forwardedFor = raw[i + 1]!;
    else lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  lines.push(
    `X-Forwarded-For: ${forwardedFor === null ? remoteAddress : `${forwardedFor}, ${remoteAddress}`}`,
  );
  return `${lines.join('\r\n')}\r\n\r\n`;
}
