import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// A real SMTP listener for the browser tests' server: it accepts every message, as a relay
// would, and writes each one to `dir` as `<arrival>.eml`, its envelope recipients first as an
// `X-Envelope-To` header. The specs read them back with Python's email parser (support.ts's
// `emailsTo`). It speaks only what lettre needs of plain SMTP: no TLS, no authentication.
export const MAIL_SINK_PORT = 3998;

export function startMailSink(dir: string): net.Server {
  fs.mkdirSync(dir, { recursive: true });
  let arrivals = 0;
  const server = net.createServer((socket) => {
    let buffer = '';
    let recipients: string[] = [];
    let inData = false;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 etape-e2e mail sink');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const body = buffer.slice(0, end + 2).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          arrivals += 1;
          const name = `${String(Date.now()).padStart(14, '0')}-${String(arrivals).padStart(6, '0')}.eml`;
          const envelope = `X-Envelope-To: ${recipients.join(', ')}\r\n`;
          fs.writeFileSync(path.join(dir, name), Buffer.from(envelope + body, 'latin1'));
          recipients = [];
          reply('250 kept');
          continue;
        }
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-etape-e2e\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 etape-e2e');
        else if (verb === 'RCPT') {
          recipients.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1'));
          reply('250 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go on');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
          return;
        } else if (verb === 'RSET') {
          recipients = [];
          reply('250 ok');
        } else reply('250 ok');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(MAIL_SINK_PORT, '127.0.0.1');
  // The sink lives as long as the test runner, and never keeps it from exiting.
  server.unref();
  return server;
}
