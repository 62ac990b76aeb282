// Reference servers for the proxy benchmark: the least a Node process does per request, to say
// how far a Node data path can go on this machine. `http`: node:http answering "ok" (the server
// half every Node HTTP proxy pays for); `raw`: a plain socket that finds each request's end and
// writes a fixed answer (no HTTP library at all).
//
// Run directly: node --import tsx scripts/bench/node-floor.ts http|raw
// It prints the port it listens on (127.0.0.1) and serves until SIGTERM.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';

const ANSWER = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\nok\n');

function rawServer(): Server {
  return createNetServer((socket) => {
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        pending = pending.slice(end + 4);
        socket.write(ANSWER);
      }
    });
    socket.on('error', () => undefined);
  });
}

function httpServer(): Server {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 });
    res.end('ok\n');
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

const server = process.argv[2] === 'raw' ? rawServer() : httpServer();
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`${address.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
