// Progressive enhancement only: every page works without this file.
// 1. Live parts: a motion's are pushed rendered; other pages' elements with data-live are fetched
//    again when their council changes.
// 2. Ranking: drag and drop, and up/down buttons that also work by keyboard.
// 3. Time zone: the browser's, so that times are shown in it (sign-up keeps it; visitors get a cookie).
"use strict";

(function timeZone() {
  let zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  for (const input of document.querySelectorAll("input[data-time-zone]")) input.value = zone;
  // For visitors who are not signed in: the next page is shown in this zone (a signed-in person's own choice comes first).
  const said = document.cookie.split("; ").find(c => c.startsWith("tz="));
  if (!said || decodeURIComponent(said.slice(3)) !== zone) {
    document.cookie = `tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
  }
})();

// One live connection per page, shared by what listens on it; none for a page that needs none.
let hubStarted = null;
function hub(setUp) {
  if (!window.signalR) return;
  if (!hubStarted) {
    const connection = new signalR.HubConnectionBuilder().withUrl("/live").withAutomaticReconnect().build();
    hubStarted = { connection };
    hubStarted.started = Promise.resolve().then(() => connection.start());
  }
  setUp(hubStarted.connection, hubStarted.started);
}

(function notices() {
  // The header's unread count, fetched again when notices may have come in one's councils.
  const link = document.getElementById("inbox-link");
  if (!link || !window.signalR) return;
  let pending = null;
  async function recount() {
    pending = null;
    const response = await fetch("/inbox?handler=Count", { credentials: "same-origin" });
    if (!response.ok) return;
    const { unread } = await response.json();
    let count = link.querySelector(".count");
    if (unread === 0) { if (count) count.remove(); return; }
    if (!count) {
      count = document.createElement("span");
      count.className = "count";
      link.append(" ", count);
    }
    const shown = unread > Number(link.dataset.most) ? `${link.dataset.most}+` : String(unread);
    count.textContent = document.documentElement.lang === "fa" ? shown.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]) : shown;
    count.setAttribute("aria-label", link.dataset.unread.replace("{0}", count.textContent));
    link.dataset.unreadCount = String(unread);
  }
  hub((connection, started) => {
    connection.on("notices", () => { if (!pending) pending = setTimeout(recount, 100); });
    const watch = () => connection.invoke("WatchNotices");
    connection.onreconnected(() => watch().then(recount));
    started.then(watch).then(() => { link.dataset.live = "on"; });
  });
})();

(function live() {
  const council = document.body.dataset.council;
  const motion = document.body.dataset.motion;
  if (!council || !window.signalR || !document.querySelector("[data-live]")) return;
  let pending = null;
  let countedAt = -1;
  const swapped = () => { document.body.dataset.liveVersion = String(Number(document.body.dataset.liveVersion || 0) + 1); };
  // A part in which someone is writing (an answer, a change) waits: their words are not swept away.
  const writing = (part) => [...part.querySelectorAll("textarea")].some((t) => t.value !== t.defaultValue || t === document.activeElement);
  function replace(part, fresh) {
    if (part && fresh && fresh.outerHTML !== part.outerHTML && !writing(part)) part.replaceWith(document.importNode(fresh, true));
  }
  async function refresh() {
    pending = null;
    const response = await fetch(location.href, { headers: { "X-Shura-Live": "1" }, credentials: "same-origin" });
    if (!response.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const part of document.querySelectorAll("[data-live]")) {
      replace(part, next.querySelector(`[data-live="${part.dataset.live}"]`));
    }
    swapped();
  }
  const later = () => { if (!pending) pending = setTimeout(refresh, 100); };
  // A motion's live parts come rendered, the same for everyone who may read them: nothing to fetch.
  function apply(message) {
    if (!message) return;
    if (message.state !== document.body.dataset.motionState) { later(); return; }
    // A newer discussion is fetched with the page: what each reader may do in it is their own.
    const discussion = document.querySelector('[data-live="discussion"]');
    if (discussion && message.discussion > Number(discussion.dataset.version)) later();
    if (message.countedAt < countedAt) return;
    countedAt = message.countedAt;
    for (const [name, html] of Object.entries(message.parts)) {
      const template = document.createElement("template");
      template.innerHTML = html.trim();
      replace(document.querySelector(`[data-live="${name}"]`), template.content.firstElementChild);
    }
    swapped();
  }
  hub((connection, started) => {
    connection.on("changed", later);
    connection.on("parts", apply);
    const watch = () => motion
      ? connection.invoke("WatchMotion", motion, document.documentElement.lang).then(apply)
      : connection.invoke("Watch", council);
    connection.onreconnected(() => watch().then(motion ? null : refresh));
    started.then(watch).then(() => { document.body.dataset.live = "on"; });
  });
})();

(function ranking() {
  for (const list of document.querySelectorAll("[data-ranking]")) {
    const fieldset = list.closest("fieldset");
    const status = fieldset.querySelector("[data-ranking-status]");
    fieldset.querySelector("[data-ranking-hint]").hidden = false;
    const items = () => [...list.querySelectorAll(".rank-item")];
    const select = (item) => item.querySelector("select");

    // Ranked items come first, in list order; their places follow that order.
    function renumber() {
      let place = 0;
      for (const item of items()) {
        if (select(item).value !== "") select(item).value = String(++place);
      }
    }
    function announce(item) {
      const place = select(item).value;
      status.textContent = list.dataset.moved.replace("{0}", item.dataset.name).replace("{1}", place ? select(item).selectedOptions[0].text : "—");
    }
    function rankUpTo(item) {
      // Moving an item into the ranking ranks it and everything above it.
      for (const other of items()) {
        if (select(other).value === "") select(other).value = "1";
        if (other === item) break;
      }
    }
    function move(item, delta) {
      const all = items();
      const index = all.indexOf(item);
      const target = all[index + delta];
      if (!target) return;
      if (delta < 0) list.insertBefore(item, target); else list.insertBefore(target, item);
      rankUpTo(item);
      renumber();
      announce(item);
    }
    for (const item of items()) {
      item.draggable = true;
      for (const button of item.querySelectorAll(".move")) {
        button.hidden = false;
        button.addEventListener("click", () => { move(item, button.classList.contains("up") ? -1 : 1); button.focus(); });
      }
      select(item).addEventListener("change", () => {
        // A place chosen in the list moves the item there.
        const ranked = items().filter((i) => i !== item && select(i).value !== "");
        const want = Number(select(item).value);
        if (select(item).value !== "") {
          const before = ranked[want - 1];
          if (before) list.insertBefore(item, before); else if (ranked.length) ranked[ranked.length - 1].after(item); else list.prepend(item);
        } else {
          list.append(item);
        }
        renumber();
        announce(item);
      });
      item.addEventListener("dragstart", (e) => { item.classList.add("dragging"); e.dataTransfer.effectAllowed = "move"; });
      item.addEventListener("dragend", () => { item.classList.remove("dragging"); rankUpTo(item); renumber(); announce(item); });
      item.addEventListener("dragover", (e) => {
        e.preventDefault();
        const dragging = list.querySelector(".dragging");
        if (!dragging || dragging === item) return;
        const box = item.getBoundingClientRect();
        if (e.clientY < box.top + box.height / 2) list.insertBefore(dragging, item); else item.after(dragging);
      });
    }
  }
})();

(function passkeys() {
  const add = document.querySelector("[data-passkey-add]");
  const signIn = document.querySelector("[data-passkey-signin]");
  const error = document.querySelector("[data-passkey-error]");
  if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) return;
  const post = (path, body) => fetch(path, {
    method: "POST", credentials: "same-origin", body,
    headers: { "X-Shura-Passkey": "1", "Content-Type": "application/json" },
  });
  function fail(button) { error.textContent = button.dataset.failed; error.hidden = false; }
  if (add) {
    add.hidden = false;
    add.addEventListener("click", async () => {
      try {
        const options = await (await post("/passkeys/creation-options")).json();
        const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        const saved = await post("/passkeys/attestation", JSON.stringify(credential.toJSON()));
        if (!saved.ok) throw new Error(await saved.text());
        location.reload();
      } catch (e) { fail(add); }
    });
  }
  if (signIn) {
    signIn.hidden = false;
    signIn.addEventListener("click", async () => {
      try {
        const options = await (await post("/passkeys/request-options")).json();
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        const accepted = await post("/passkeys/assertion", JSON.stringify(credential.toJSON()));
        if (!accepted.ok) throw new Error(await accepted.text());
        location.href = signIn.dataset.back.startsWith("/") && !signIn.dataset.back.startsWith("//") ? signIn.dataset.back : "/";
      } catch (e) { fail(signIn); }
    });
  }
})();
