// HTTP Signatures by an implementation we did not write (Joyent's http-signature, from npm), for
// HttpSignaturesTests: reads one JSON request from standard input and writes one JSON answer.
//   {"mode":"verify", method, path, headers, publicKeyPem} -> {"ok": true|false, "error"?}
//   {"mode":"sign", method, path, headers, privateKeyPem, keyId, sign: [...]} -> {"signature": "..."}
"use strict";
const httpSignature = require("http-signature");

let input = "";
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
  const ask = JSON.parse(input);
  try {
    if (ask.mode === "verify") {
      const request = { method: ask.method, url: ask.path, httpVersion: "1.1", headers: ask.headers };
      // The date is this library's to check too: a day either way, so that it judges the signature; Shura judges the window.
      const parsed = httpSignature.parseRequest(request, { headers: ask.required, clockSkew: 86400 });
      process.stdout.write(JSON.stringify({ ok: httpSignature.verifySignature(parsed, ask.publicKeyPem) }));
    } else {
      const headers = Object.assign({}, ask.headers);
      const request = {
        method: ask.method, path: ask.path,
        getHeader: name => headers[name.toLowerCase()],
        setHeader: (name, value) => { headers[name.toLowerCase()] = value; },
      };
      httpSignature.signRequest(request, { key: ask.privateKeyPem, keyId: ask.keyId, headers: ask.sign, algorithm: "rsa-sha256" });
      process.stdout.write(JSON.stringify({ signature: headers.authorization.replace(/^Signature /, "") }));
    }
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(error.message || error) }));
  }
});
