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
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        buffer = buffer.slice(end + 5);
        inData = false;
        received += 1;
        if (first === null) first = performance.now();
        socket.write("250 OK\r\n");
        if (received === expected) {
          const seconds = (performance.now() - first) / 1000;
          process.stdout.write(JSON.stringify({ received, seconds }) + "\n", () => process.exit(0));
        }
        continue;
      }
      const eol = buffer.indexOf("\r\n");
      if (eol < 0) return;
      const verb = buffer.slice(0, 4).toUpperCase();
      buffer = buffer.slice(eol + 2);
      if (verb === "EHLO") socket.write("250-groundswell-bench-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
      else if (verb === "DATA") { inData = true; socket.write("354 End data with <CR><LF>.<CR><LF>\r\n"); }
      else if (verb === "QUIT") { socket.end("221 Bye\r\n"); return; }
      else socket.write("250 OK\r\n");
    }
  });
  socket.on("error", () => {});
});
server.listen(port, "127.0.0.1", () => console.log(JSON.stringify({ listening: port })));
