// Groundswell's viral-load generator: drives a running Groundswell over HTTP as browsers would,
// and is the SMTP sink its worker sends confirmation emails to.
//
// Started by bench/viral_load.py, which passes one JSON config as argv[2] and reads one JSON
// result line from stdout. Node's own http module and net server only: no npm packages, so it
// runs on any machine with Node.js 18+. Written in Node rather than Python because the load
// generator shares the two cores with the server under test, and must cost as little as it can.
//
// Phases:
//   1. SMTP sink listening; prints {"smtp_ready": port} so the harness can start the workers.
//   2. Ceiling (announced with {"ceiling_started": true}, so the harness can count each part's CPU
//      in it): `ceilingClients` connections request a minimal Django view as fast as they can.
//   3. Main (announced with {"main_started": true}, so the harness can time a worker's killing):
//      `clients` virtual browsers each GET the petition page (CSRF cookie and token), POST a
//      unique signer and follow the redirect to the page that says "check your email", as a
//      browser does; confirmers GET each confirmation link from the emails, POST the button and
//      follow its redirect; readers GET the count JSON and the petition page; a sampler measures
//      count lag.

import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";

const cfg = JSON.parse(process.argv[2]);
const base = new URL(cfg.baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function request(method, path, { headers = {}, body = null } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, agent, headers },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", (error) => resolve({ status: 0, error: String(error), ms: performance.now() - started }));
      },
    );
    req.on("error", (error) => resolve({ status: 0, error: String(error), ms: performance.now() - started }));
    req.setTimeout(30000, () => req.destroy(new Error("timeout")));
    if (body) req.write(body);
    req.end();
  });
}

// A redirect's Location, relative or absolute, as a path on the server under test.
function localPath(location) {
  const url = new URL(location || "/", cfg.baseUrl);
  return url.pathname + url.search;
}

const TOKEN = /name="csrfmiddlewaretoken" value="([^"]+)"/;
const FORM_TOKEN = /name="gs_form_token" value="([^"]+)"/;  // protection's signed timestamp
// A page's CSRF cookie and token, where it has them; the public forms are checked by origin
// instead (core/crossorigin.py) and have neither: then { cookie: "", token: "" }.
function csrfFrom(res) {
  const cookie = (res.headers?.["set-cookie"] || []).find((c) => c.startsWith("csrftoken="));
  const token = TOKEN.exec(res.body || "");
  if (!cookie || !token) return { cookie: "", token: "" };
  return { cookie: cookie.split(";")[0], token: token[1] };
}

// What a browser sends with a page request, and with a form posted from our own page.
const PAGE = { accept: "text/html,application/xhtml+xml", "accept-language": "en-GB,en;q=0.9" };
function formHeaders(csrf, body, referer) {
  const headers = {
    ...PAGE, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body),
    origin: cfg.baseUrl, "sec-fetch-site": "same-origin", referer,
  };
  if (csrf.cookie) headers.cookie = csrf.cookie;
  return headers;
}
function pageHeaders(csrf) {
  return csrf.cookie ? { ...PAGE, cookie: csrf.cookie } : { ...PAGE };
}

class Stats {
  constructor() {
    this.latencies = [];
    this.ok = 0;
    this.errors = 0;
    this.errorSamples = [];
  }
  record(res, expected) {
    this.latencies.push(res.ms);
    if (res.status === expected) this.ok += 1;
    else {
      this.errors += 1;
      if (this.errorSamples.length < 5) this.errorSamples.push(`${res.status} ${res.error || (res.body || "").slice(0, 200)}`);
    }
  }
  summary(seconds) {
    const sorted = Float64Array.from(this.latencies).sort();
    const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);
    return { ok: this.ok, errors: this.errors, per_second: this.ok / seconds, p50_ms: pct(50), p99_ms: pct(99), error_samples: this.errorSamples };
  }
}

// --- SMTP sink --------------------------------------------------------------------------------
const confirmLinks = [];
let emailsReceived = 0;
const emailTimes = [];
const smtp = net.createServer((socket) => {
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
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 5);
        inData = false;
        emailsReceived += 1;
        emailTimes.push(performance.now());
        const unfolded = message.replace(/=\r\n/g, "");
        const match = /https?:\/\/[^\s"<>]+\/confirm\/[^\s"<>]+/.exec(unfolded);
        if (match) confirmLinks.push(new URL(match[0]).pathname);
        replies.push("250 OK\r\n");
        continue;
      }
      const eol = buffer.indexOf("\r\n");
      if (eol < 0) break;
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "EHLO") replies.push("250-groundswell-bench-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
      else if (verb === "HELO") replies.push("250 groundswell-bench-sink\r\n");
      else if (verb === "DATA") {
        inData = true;
        replies.push("354 End data with <CR><LF>.<CR><LF>\r\n");
      } else if (verb === "QUIT") {
        socket.end(replies.join("") + "221 Bye\r\n");
        return;
      } else replies.push("250 OK\r\n");
    }
    if (replies.length) socket.write(replies.join(""));
  });
  socket.on("error", () => {});
});

// --- Phases -----------------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForServer() {
  for (let i = 0; i < 600; i++) {
    const res = await request("GET", cfg.minimalPath, { headers: PAGE });
    if (res.status === 200) return;
    await sleep(100);
  }
  throw new Error("server did not come up");
}

async function ceiling() {
  const stats = new Stats();
  const until = performance.now() + cfg.ceilingSeconds * 1000;
  await Promise.all(
    Array.from({ length: cfg.ceilingClients }, async () => {
      while (performance.now() < until) stats.record(await request("GET", cfg.minimalPath, { headers: PAGE }), 200);
    }),
  );
  return stats.summary(cfg.ceilingSeconds);
}

async function main() {
  const sign = new Stats();
  const signForm = new Stats();
  const confirm = new Stats();
  const confirmPage = new Stats();
  const signedPage = new Stats(); // where the sign POST redirects: "check your email"
  const confirmedPage = new Stats(); // where the confirm POST redirects: "thank you"
  const countReads = new Stats();
  const pageReads = new Stats();
  const acknowledged = [];
  const confirmations = []; // [time, ordinal]
  const lagSamples = [];
  let running = true;
  let n = 0;
  const started = performance.now();
  const until = started + cfg.durationSeconds * 1000;
  const petitionPath = `/petitions/${cfg.slug}/`;
  const jsonPath = `/petitions/${cfg.slug}.json`;

  async function signer(id) {
    while (performance.now() < until) {
      const page = await request("GET", petitionPath, { headers: PAGE });
      signForm.record(page, 200);
      if (page.status !== 200) continue;
      const csrf = csrfFrom(page);
      const email = `${cfg.runId}-${id}-${n++}@bench.example.org`;
      const body = new URLSearchParams({
        ...(csrf.token ? { csrfmiddlewaretoken: csrf.token } : {}), name: `Bench Signer ${id}`, email, where: "uk",
        postcode: cfg.postcodes[n % cfg.postcodes.length], country: "", consent: "on",
        gs_form_token: (FORM_TOKEN.exec(page.body || "") || [])[1] || "", gs_leave_empty: "",
      }).toString();
      const res = await request("POST", petitionPath, {
        headers: formHeaders(csrf, body, cfg.baseUrl + petitionPath),
        body,
      });
      sign.record(res, 302);
      if (res.status === 302) {
        acknowledged.push(email);
        signedPage.record(await request("GET", localPath(res.headers.location), { headers: pageHeaders(csrf) }), 200);
      }
    }
  }

  async function confirmer() {
    while (running || confirmLinks.length) {
      const path = confirmLinks.shift();
      if (!path) {
        if (performance.now() > until + cfg.drainSeconds * 1000) return;
        await sleep(20);
        continue;
      }
      const page = await request("GET", path, { headers: PAGE });
      confirmPage.record(page, 200);
      if (page.status !== 200) continue;
      const csrf = csrfFrom(page);
      const body = new URLSearchParams(csrf.token ? { csrfmiddlewaretoken: csrf.token } : {}).toString();
      const res = await request("POST", path, {
        headers: formHeaders(csrf, body, cfg.baseUrl + path),
        body,
      });
      confirm.record(res, 302);
      if (res.status === 302) {
        confirmations.push(performance.now());
        confirmedPage.record(await request("GET", localPath(res.headers.location), { headers: pageHeaders(csrf) }), 200);
      }
    }
  }

  async function reader(path, stats) {
    while (performance.now() < until) stats.record(await request("GET", path, { headers: PAGE }), 200);
  }

  async function lagSampler() {
    // Count lag: how long after the k-th confirmation was acknowledged the count showed k.
    let next = 0;
    while (running) {
      const res = await request("GET", jsonPath);
      const now = performance.now();
      if (res.status === 200) {
        const count = JSON.parse(res.body).signature_count - cfg.initialCount;
        while (next < confirmations.length && next < count) {
          lagSamples.push((now - confirmations[next]) / 1000);
          next += 1;
        }
      }
      await sleep(cfg.lagSampleMs);
    }
  }

  const lag = lagSampler();
  const confirmers = Array.from({ length: cfg.confirmers }, () => confirmer());
  await Promise.all([
    ...Array.from({ length: cfg.clients }, (_, i) => signer(i)),
    ...Array.from({ length: cfg.countReaders }, () => reader(jsonPath, countReads)),
    ...Array.from({ length: cfg.pageReaders }, () => reader(petitionPath, pageReads)),
  ]);
  const signingSeconds = (performance.now() - started) / 1000;
  await Promise.all(confirmers); // drain: confirm what arrived, up to drainSeconds more
  const totalSeconds = (performance.now() - started) / 1000;
  await sleep(Math.max(cfg.lagSampleMs * 3, 300));
  running = false;
  await lag;
  lagSamples.sort((a, b) => a - b);
  const emailsInWindow = emailTimes.filter((t) => t <= until).length;
  return {
    signing_seconds: signingSeconds,
    total_seconds: totalSeconds,
    sign: sign.summary(signingSeconds),
    sign_form: signForm.summary(signingSeconds),
    signed_page: signedPage.summary(signingSeconds),
    confirmed_page: confirmedPage.summary(totalSeconds),
    confirm: confirm.summary(totalSeconds),
    confirm_page: confirmPage.summary(totalSeconds),
    count_reads: countReads.summary(signingSeconds),
    page_reads: pageReads.summary(signingSeconds),
    emails_received: emailsReceived,
    emails_per_second_during_signing: emailsInWindow / signingSeconds,
    count_lag_seconds: {
      samples: lagSamples.length,
      p50: lagSamples.length ? lagSamples[Math.floor(lagSamples.length / 2)] : null,
      max: lagSamples.length ? lagSamples[lagSamples.length - 1] : null,
    },
    acknowledged,
    confirmed: confirmations.length,
  };
}

smtp.listen(cfg.smtpPort, "127.0.0.1", async () => {
  console.log(JSON.stringify({ smtp_ready: cfg.smtpPort }));
  let outcome;
  try {
    await waitForServer();
    if (cfg.ceilingSeconds > 0) console.log(JSON.stringify({ ceiling_started: true }));
    const ceilingResult = cfg.ceilingSeconds > 0 ? await ceiling() : null;
    console.log(JSON.stringify({ main_started: true }));
    const mainResult = await main();
    outcome = { result: { ceiling: ceilingResult, ...mainResult } };
  } catch (error) {
    outcome = { error: String(error && error.stack ? error.stack : error) };
  }
  smtp.close();
  agent.destroy();
  // A pipe takes large writes in pieces: exit only once the whole line is written.
  process.stdout.write(JSON.stringify(outcome) + "\n", () => process.exit(0));
});
