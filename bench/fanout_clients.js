// N hall displays for bench/bench_fanout.py: official socket.io-client under Node, so the
// clients do not take the server's CPU the way N Python clients would.
//
//   node bench/fanout_clients.js <server url> <clients>
//
// Prints "READY <clients>" once every client is connected and has its `state`, then one JSON
// line per ticket once all clients have its `ticket.called`:
//   {"ticket": id, "first_ms": epoch ms, "last_ms": epoch ms, "clients": n}
// Times are wall-clock epoch milliseconds, comparable with Python's time.time() on the same machine.
"use strict";
const path = require("path");
const { io } = require(path.join(__dirname, "..", "node_modules", "socket.io-client"));

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const BATCH = 50; // connect in batches: a burst of 1,000 handshakes overflows the listen queue
const epochMs = () => performance.timeOrigin + performance.now();
const calls = new Map(); // ticket id -> {first_ms, last_ms, clients}
let ready = 0;

function onCalled(data) {
  const at = epochMs();
  const id = data.ticket.id;
  const seen = calls.get(id) || { first_ms: at, last_ms: at, clients: 0 };
  seen.last_ms = at;
  seen.clients += 1;
  calls.set(id, seen);
  if (seen.clients === count) {
    process.stdout.write(JSON.stringify({ ticket: id, ...seen }) + "\n");
    calls.delete(id);
  }
}

function connect() {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { role: "display" }, transports: ["websocket"], reconnection: false });
    socket.once("state", () => resolve(socket));
    socket.once("connect_error", reject);
    socket.on("ticket.called", onCalled);
    socket.on("disconnect", (reason) => process.stderr.write(`disconnected: ${reason}\n`));
  });
}

async function main() {
  for (let start = 0; start < count; start += BATCH) {
    const batch = Math.min(BATCH, count - start);
    await Promise.all(Array.from({ length: batch }, connect));
    ready += batch;
  }
  process.stdout.write(`READY ${ready}\n`);
}

main().catch((error) => {
  process.stderr.write(`fanout clients failed: ${error.message}\n`);
  process.exit(1);
});
