// A fediverse account on loopback, for the tests, whose HTTP Signatures are Joyent's http-signature
// (npm), not Shura's: it serves its actor and key, verifies every delivery to its inbox by fetching
// the signer's key, and on a line of standard input {"follow": actorUrl} or {"undo": actorUrl} sends
// a signed Follow (or Undo) to that actor's inbox (with "shared": true, to its server's shared inbox). It prints "listening PORT" first, then one JSON
// line per delivery received ({received, verified}) or request sent ({sent, status}).
// While the file named by REFUSE_FILE exists, its inbox answers 503.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const readline = require("readline");
const httpSignature = require("http-signature");

const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", {
  modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" },
});
const refuse = process.env.REFUSE_FILE;
let base = "";
const say = line => process.stdout.write(JSON.stringify(line) + "\n");

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { accept: "application/activity+json" } }, res => {
      let data = "";
      res.on("data", c => { data += c; });
      res.on("end", () => res.statusCode === 200 ? resolve(JSON.parse(data)) : reject(new Error(`GET ${url}: ${res.statusCode}`)));
    }).on("error", reject);
  });
}

function post(url, activity) {
  const body = JSON.stringify(activity);
  const target = new URL(url);
  const request = http.request(url, {
    method: "POST",
    headers: {
      "content-type": "application/activity+json",
      host: target.host,
      date: new Date().toUTCString(),
      digest: "SHA-256=" + crypto.createHash("sha256").update(body).digest("base64"),
    },
  }, res => { res.resume(); res.on("end", () => say({ sent: activity.type, status: res.statusCode })); });
  httpSignature.signRequest(request, { key: privateKey, keyId: `${base}/users/sara#main-key`, algorithm: "rsa-sha256", headers: ["(request-target)", "host", "date", "digest"] });
  // Mastodon sends the signature in a Signature header, not Authorization.
  request.setHeader("signature", request.getHeader("authorization").replace(/^Signature /, ""));
  request.removeHeader("authorization");
  request.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/users/sara") {
    res.writeHead(200, { "content-type": "application/activity+json" });
    res.end(JSON.stringify({
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: `${base}/users/sara`, type: "Person", preferredUsername: "sara", inbox: `${base}/users/sara/inbox`,
      publicKey: { id: `${base}/users/sara#main-key`, owner: `${base}/users/sara`, publicKeyPem: publicKey },
    }));
    return;
  }
  if (req.method === "POST" && req.url === "/users/sara/inbox") {
    let body = "";
    req.on("data", c => { body += c; });
    req.on("end", async () => {
      if (refuse && fs.existsSync(refuse)) { res.writeHead(503); res.end(); say({ refused: true }); return; }
      let verified = false;
      try {
        const parsed = httpSignature.parseRequest(req, { headers: ["(request-target)", "host", "date", "digest"] });
        const signer = await get(parsed.keyId.split("#")[0]);
        const digest = "SHA-256=" + crypto.createHash("sha256").update(body).digest("base64");
        verified = req.headers.digest === digest && httpSignature.verifySignature(parsed, signer.publicKey.publicKeyPem);
      } catch (e) { say({ error: String(e.message || e) }); }
      res.writeHead(verified ? 202 : 401); res.end();
      say({ received: JSON.parse(body), verified });
    });
    return;
  }
  res.writeHead(404); res.end();
});

server.listen(0, "127.0.0.1", () => {
  base = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`listening ${server.address().port}\n`);
});

readline.createInterface({ input: process.stdin }).on("line", async line => {
  const ask = JSON.parse(line);
  const council = await get(ask.follow || ask.undo);
  const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${base}/follows/1`, type: "Follow", actor: `${base}/users/sara`, object: council.id };
  post(ask.shared ? council.endpoints.sharedInbox : council.inbox, ask.follow ? follow
    : { "@context": "https://www.w3.org/ns/activitystreams", id: `${base}/undo/1`, type: "Undo", actor: `${base}/users/sara`, object: follow });
});
