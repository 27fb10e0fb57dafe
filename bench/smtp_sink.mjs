// A minimal SMTP sink for bench/email_capacity.py: accepts every message, and prints one JSON
// line when it is listening and one when `expected` messages have arrived (with their timing).
// Node's net module only; the same protocol handling as the sink in bench/loadgen.mjs.
import net from "node:net";
import { performance } from "node:perf_hooks";

const [port, expected] = [Number(process.argv[2]), Number(process.argv[3])];
let received = 0;
let first = null;
const server = net.createServer((socket) => {
  let buffer = "";
  let inData = false;
  socket.setEncoding("latin1");
  socket.write("220 groundswell-bench-sink ESMTP\r\n");
  socket.on("data", (data) => {
    buffer += data;
    // The replies to everything that arrived together go out in one write, as a real server
    // that announces PIPELINING sends them (one write each would wait on the client's delayed
    // acknowledgements: Nagle's algorithm).
    const replies = [];
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) break;
        buffer = buffer.slice(end + 5);
        inData = false;
        received += 1;
        if (first === null) first = performance.now();
        replies.push("250 OK\r\n");
        if (received === expected) {
          const seconds = (performance.now() - first) / 1000;
          socket.write(replies.join(""));
          process.stdout.write(JSON.stringify({ received, seconds }) + "\n", () => process.exit(0));
          return;
        }
        continue;
      }
      const eol = buffer.indexOf("\r\n");
      if (eol < 0) break;
      const verb = buffer.slice(0, 4).toUpperCase();
      buffer = buffer.slice(eol + 2);
      if (verb === "EHLO") replies.push("250-groundswell-bench-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
      else if (verb === "DATA") { inData = true; replies.push("354 End data with <CR><LF>.<CR><LF>\r\n"); }
      else if (verb === "QUIT") { socket.end(replies.join("") + "221 Bye\r\n"); return; }
      else replies.push("250 OK\r\n");
    }
    if (replies.length) socket.write(replies.join(""));
  });
  socket.on("error", () => {});
});
server.listen(port, "127.0.0.1", () => console.log(JSON.stringify({ listening: port })));
