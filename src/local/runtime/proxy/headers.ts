// Headers across the proxy: what is forwarded to a container and what goes back to the client.

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

/** What the proxy reads of a request's headers, from one pass over the raw list. */
export interface RequestFraming {
  /** Content-Length, when given. */
  length: number | null;
  /** Transfer-Encoding: the body's length is only known at its end. */
  chunked: boolean;
  connection: string | undefined;
  /** The Expect header, lowercased. */
  expect: string | undefined;
}

export function requestFraming(rawHeaders: string[]): RequestFraming {
  let length: number | null = null;
  let chunked = false;
  let connection: string | undefined;
  let expect: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // Only names of these lengths can matter: most headers are skipped without lowercasing.
    if (name.length !== 14 && name.length !== 17 && name.length !== 10 && name.length !== 6) continue;
    const lower = name.toLowerCase();
    if (lower === 'content-length') length = Number(rawHeaders[i + 1]);
    else if (lower === 'transfer-encoding') chunked = true;
    else if (lower === 'connection') connection = rawHeaders[i + 1];
    else if (lower === 'expect') expect = rawHeaders[i + 1]!.trim().toLowerCase();
  }
  return {
    length: length !== null && Number.isSafeInteger(length) && length >= 0 ? length : null,
    chunked,
    connection,
    expect,
  };
}

/** Header names not to pass on, and their lengths (a name of another length is never lowercased). */
interface HopByHop {
  names: ReadonlySet<string>;
  lengths: ReadonlySet<number>;
}

function hopByHopOf(names: Set<string>, extra: string[]): HopByHop {
  const all = [...names, ...extra];
  return { names, lengths: new Set(all.map((name) => name.length)) };
}

// The other names each direction looks at.
const REQUEST_NAMES = ['content-length', 'x-forwarded-for', 'host'];
const RESPONSE_NAMES = ['x-cutover-container'];
const REQUEST_DEFAULT = hopByHopOf(new Set(HOP_BY_HOP), REQUEST_NAMES);
const RESPONSE_DEFAULT = hopByHopOf(new Set(HOP_BY_HOP), RESPONSE_NAMES);

/** The hop-by-hop names, plus any the Connection header lists (most name none beyond them). */
function hopByHop(connection: string | undefined, defaults: HopByHop, extra: string[]): HopByHop {
  if (connection === undefined || connection === 'keep-alive') return defaults;
  let named: Set<string> | null = null;
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '' || defaults.names.has(name)) continue;
    named ??= new Set(HOP_BY_HOP);
    named.add(name);
  }
  return named === null ? defaults : hopByHopOf(named, extra);
}

/**
 * The request head for the container: the request line, the client's end-to-end headers, and
 * X-Forwarded-For; the body's framing is the proxy's own (a length when known, else chunked).
 */
export function upstreamRequestHead(
  method: string,
  url: string,
  rawHeaders: string[],
  connection: string | undefined,
  remoteAddress: string,
  bodyLength: number | null,
): string {
  const { names, lengths } = hopByHop(connection, REQUEST_DEFAULT, REQUEST_NAMES);
  let head = `${method} ${url} HTTP/1.1\r\n`;
  let forwardedFor: string | null = null;
  let host = false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (lengths.has(name.length)) {
      const lower = name.toLowerCase();
      if (names.has(lower) || lower === 'content-length') continue;
      if (lower === 'x-forwarded-for') {
        forwardedFor = forwardedFor === null ? rawHeaders[i + 1]! : `${forwardedFor}, ${rawHeaders[i + 1]}`;
        continue;
      }
      if (lower === 'host') host = true;
    }
    head += `${name}: ${rawHeaders[i + 1]}\r\n`;
  }
  if (!host) head += 'host: 127.0.0.1\r\n';
  head += `x-forwarded-for: ${forwardedFor === null ? remoteAddress : `${forwardedFor}, ${remoteAddress}`}\r\n`;
  if (bodyLength === null) head += 'transfer-encoding: chunked\r\n';
  else if (bodyLength > 0 || (method !== 'GET' && method !== 'HEAD'))
    head += `content-length: ${bodyLength}\r\n`;
  return `${head}\r\n`;
}

/** The container's response headers as sent to the client, naming the container that answered. */
export function clientHeaders(rawHeaders: string[], containerId: string): string[] {
  let connection: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 10 && rawHeaders[i]!.toLowerCase() === 'connection')
      connection = rawHeaders[i + 1];
  }
  const { names, lengths } = hopByHop(connection, RESPONSE_DEFAULT, RESPONSE_NAMES);
  const flat: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (lengths.has(name.length)) {
      const lower = name.toLowerCase();
      if (names.has(lower) || lower === 'x-cutover-container') continue;
    }
    flat.push(name, rawHeaders[i + 1]!);
  }
  flat.push('x-cutover-container', containerId);
  return flat;
}

/** The request head for a connection that upgrades (WebSocket): every header kept, as sent. */
export function upgradeRequestHead(
  req: { method: string; url: string; rawHeaders: string[] },
  remoteAddress: string,
): string {
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
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
