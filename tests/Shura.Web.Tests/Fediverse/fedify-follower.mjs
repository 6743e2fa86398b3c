// A person on another server, built on Fedify (an ActivityPub server framework from npm that
// Shura did not write), for FedifyTests. It listens on a free 127.0.0.1 port and prints
// "listening PORT"; then it takes one JSON command per line on stdin and prints one JSON line per
// thing that happens:
//   {"follow": "acct:handle@host"}  finds the council by WebFinger, reads its actor, sends a Follow
//   {"reply": URL, "text": T}        sends a Create of a Note in reply to URL to the council
//   {"like": URL} / {"boost": URL}   sends a Like / an Announce of URL to the council
//   {"unlike": true}                 sends an Undo of the last Like
//   {"edit": URL, "text": T}         sends an Update of its Note URL with the new text
//   {"delete": URL}                  sends a Delete of its Note URL (a Tombstone)
// Activities reach its inboxes through Fedify, which verifies their HTTP Signatures before its
// listeners see them: every "received" line is an activity whose signature Fedify found good.
// While the file named by REFUSE_FILE exists, its inboxes answer 503 (a server down for a while).
import "./node20.mjs";
import fs from "node:fs";
import http from "node:http";
import readline from "node:readline";
import {
  Accept, Announce, Create, Delete, Endpoints, Event, Follow, Like, Note, Person, PUBLIC_COLLECTION, Tombstone, Undo, Update,
  createFederation, generateCryptoKeyPair, MemoryKvStore,
} from "@fedify/fedify";

import { configure } from "@logtape/logtape";

// Fedify's own log, to standard error (which the tests show when something fails).
await configure({
  sinks: { stderr: (record) => process.stderr.write(`${record.level} ${record.category.join(".")}: ${record.message.map(String).join("")}\n`) },
  loggers: [
    { category: "fedify", lowestLevel: process.env.FEDIFY_LOG ?? "warning", sinks: ["stderr"] },
    { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
  ],
});

const say = (line) => process.stdout.write(JSON.stringify(line) + "\n");
const refuseFile = process.env.REFUSE_FILE;
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "sara") return null;
    const [pair] = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Sara from elsewhere",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pair.cryptographicKey,
      assertionMethods: [pair.multikey],
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "sara" ? [keys] : []));

async function describe(object) {
  if (object == null) return null;
  const seen = { type: object.constructor.name, id: object.id?.href, content: object.content?.toString() ?? null };
  if (object instanceof Event) {
    seen.name = object.name?.toString();
    seen.startTime = object.startTime?.toString();
    seen.endTime = object.endTime?.toString() ?? null;
    const place = await object.getLocation();
    seen.location = place?.name?.toString() ?? null;
  }
  if (object instanceof Note) seen.url = object.url?.href ?? null;
  return seen;
}

const received = (kind) => async (_ctx, activity) => {
  let object = null;
  try {
    object = await describe(await activity.getObject());
  } catch (e) {
    object = { error: String(e) };
  }
  say({ received: kind, id: activity.id?.href, actor: activity.actorId?.href, object });
};

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  // The Follow accepted is this server's own: named by its id (Fedify would fetch an object of another origin to trust it).
  .on(Accept, async (_ctx, activity) => say({ received: "Accept", id: activity.id?.href, actor: activity.actorId?.href, object: activity.objectId?.href }))
  .on(Create, received("Create"))
  .on(Update, received("Update"))
  .on(Delete, async (_ctx, activity) => say({ received: "Delete", id: activity.id?.href, actor: activity.actorId?.href, object: activity.objectId?.href }));

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    if (req.method === "POST" && refuseFile && fs.existsSync(refuseFile)) {
      say({ refused: url.pathname });
      res.writeHead(503).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) headers.append(name, Array.isArray(value) ? value.join(", ") : value);
    const request = new Request(url, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks) });
    const response = await federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => new Response("not found", { status: 404 }),
      onNotAcceptable: () => new Response("not acceptable", { status: 406 }),
    });
    if (req.method === "POST") say({ inbox: url.pathname, status: response.status });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    say({ error: String(e?.stack ?? e) });
    res.writeHead(500).end();
  }
});

server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
const base = () => `http://127.0.0.1:${server.address().port}`;
const context = () => federation.createContext(new URL(base()), undefined);
const groups = new Map();

async function groupOf(ctx, handle) {
  if (!groups.has(handle)) groups.set(handle, await ctx.lookupObject(handle));
  return groups.get(handle);
}

let made = 0;
let lastLike = null;
readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  const ask = JSON.parse(line);
  const ctx = context();
  const sara = ctx.getActorUri("sara");
  try {
    if (ask.follow) {
      const group = await groupOf(ctx, ask.follow);
      if (group == null) {
        // Say why, as far as a plain fetch of the WebFinger document tells.
        const host = ask.follow.split("@").pop();
        let why;
        try {
          const answer = await fetch(`https://${host}/.well-known/webfinger?resource=${encodeURIComponent(ask.follow)}`);
          why = `${answer.status} ${await answer.text()}`;
        } catch (e) {
          why = String(e?.cause ?? e);
        }
        return say({ lookup: ask.follow, found: false, why });
      }
      say({ lookup: ask.follow, found: true, id: group.id?.href, type: group.constructor.name, name: group.name?.toString(), inbox: group.inboxId?.href });
      await ctx.sendActivity({ identifier: "sara" }, group, new Follow({ id: new URL(`${base()}/follows/${++made}`), actor: sara, object: group.id }));
      say({ sent: "Follow" });
      return;
    }
    const group = groups.values().next().value;
    if (ask.reply) {
      const note = new Note({
        id: new URL(`${base()}/notes/${++made}`), attribution: sara, content: ask.text, replyTarget: new URL(ask.reply),
        to: PUBLIC_COLLECTION, cc: group.id,
      });
      await ctx.sendActivity({ identifier: "sara" }, group, new Create({ id: new URL(`${base()}/creates/${made}`), actor: sara, object: note, to: PUBLIC_COLLECTION, cc: group.id }));
      say({ sent: "Create", note: note.id.href });
    } else if (ask.like || ask.boost) {
      const Kind = ask.like ? Like : Announce;
      const reaction = new Kind({ id: new URL(`${base()}/reactions/${++made}`), actor: sara, object: new URL(ask.like ?? ask.boost) });
      if (ask.like) lastLike = reaction;
      await ctx.sendActivity({ identifier: "sara" }, group, reaction);
      say({ sent: ask.like ? "Like" : "Announce" });
    } else if (ask.unlike) {
      await ctx.sendActivity({ identifier: "sara" }, group, new Undo({ id: new URL(`${base()}/undo/${++made}`), actor: sara, object: lastLike }));
      say({ sent: "Undo" });
    } else if (ask.edit) {
      const note = new Note({ id: new URL(ask.edit), attribution: sara, content: ask.text, to: PUBLIC_COLLECTION, cc: group.id });
      await ctx.sendActivity({ identifier: "sara" }, group, new Update({ id: new URL(`${base()}/updates/${++made}`), actor: sara, object: note, to: PUBLIC_COLLECTION, cc: group.id }));
      say({ sent: "Update" });
    } else if (ask.delete) {
      await ctx.sendActivity({ identifier: "sara" }, group,
        new Delete({ id: new URL(`${base()}/deletes/${++made}`), actor: sara, object: new Tombstone({ id: new URL(ask.delete) }), to: PUBLIC_COLLECTION, cc: group.id }));
      say({ sent: "Delete" });
    }
  } catch (e) {
    say({ failed: Object.keys(ask)[0], error: String(e?.stack ?? e) });
  }
});
