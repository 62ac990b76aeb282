// A reference point for the proxy benchmark: the least a Node HTTP proxy can do (keep-alive
// agent, headers passed through, body piped), with no engine, no buffering and no bookkeeping.
// It shows how much of the gap to a direct connection is the extra hop itself on this machine
// and how much is cutover's proxy.
//
// Run directly: node --import tsx scripts/bench/bare-proxy.ts UPSTREAM_PORT
// It prints the port it listens on (127.0.0.1) and serves until SIGTERM.
import { Agent, createServer, request } from 'node:http';

const upstreamPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true });

const server = createServer((req, res) => {
  const upstream = request(
    { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`${address.port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  agent.destroy();
});
