// Junction classroom pages: join, team, projector, umpire. No libraries, no inline code, text only
// through textContent. The token lives in this tab's sessionStorage; drafts live on the host.
"use strict";

const PAGE = document.body.dataset.page;
const main = document.getElementById("main");
let state = null;
let clockBase = null;
let mapRevision = null;  // the picture asked for last
let mapUrl = null;
let mapUrlRevision = null;  // the picture mapUrl holds (a page drawn while a newer one loads shows this one)
let spots = null;
let selected = null;
let socket = null;
let retry = 500;

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === "cls") el.className = v;
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

function tokenKey() { return "junction-" + (PAGE === "join" ? "team" : PAGE); }
function token() { return sessionStorage.getItem(tokenKey()); }

function toast(text) {
  const t = document.getElementById("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

const sending = new Set();  // the POSTs on their way (path and body): a double click sends one

async function api(path, body) {
  const opts = {headers: {"Authorization": "Bearer " + (token() || "")}};
  if (body !== undefined) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
    const key = path + " " + opts.body;
    // the same request again before the first is answered: a double click on "Rule (on the record)" put the
    // ruling on the record twice; the second click is dropped (its handler waits for nothing)
    if (sending.has(key)) return new Promise(() => {});
    sending.add(key);
    try { return await send(path, opts); } finally { sending.delete(key); }
  }
  return send(path, opts);
}

async function send(path, opts) {
  const res = await fetch(path, opts);
  if (res.status === 401) {
    sessionStorage.removeItem(tokenKey()); showJoin("Please join again.");
    throw Object.assign(new Error("401"), {status: 401});
  }
  const data = await res.json();
  if (!res.ok) { toast(data.error || "refused"); throw Object.assign(new Error(data.error || "refused"), {status: res.status}); }
  return data;
}

function connect() {
  if (!token()) return;
  const proto = location.protocol === "https:" ? "wss://" : "ws://";
  socket = new WebSocket(proto + location.host + "/ws");
  socket.onopen = () => { retry = 500; socket.send(JSON.stringify({type: "hello", token: token()})); setConn(true); };
  socket.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === "state") show(msg.state);
    else if (msg.type === "error") { sessionStorage.removeItem(tokenKey()); showJoin(msg.error); }
  };
  socket.onclose = () => {
    setConn(false);
    if (token()) setTimeout(connect, retry);
    retry = Math.min(retry * 2, 8000);
  };
}

function setConn(up) {
  const c = document.getElementById("conn");
  c.textContent = up ? "● live" : "○ reconnecting…";
  c.className = up ? "live" : "down";
}

function tickClock() {
  const c = document.getElementById("clock");
  if (!state || clockBase === null || state.seconds_left === null || state.phase !== "open") {
    c.textContent = state && state.phase === "open" ? "no time limit" : "";
    return;
  }
  const left = Math.max(0, state.seconds_left - (Date.now() - clockBase) / 1000);
  const m = Math.floor(left / 60), s = Math.floor(left % 60);
  c.textContent = "⏱ " + m + ":" + String(s).padStart(2, "0");
}
setInterval(tickClock, 500);

async function loadMap() {
  if (!state || mapRevision === state.state_revision) return;
  const want = mapRevision = state.state_revision;
  let res = null;
  try { res = await fetch("/api/map.png?r=" + want, {headers: {"Authorization": "Bearer " + token()}}); } catch (e) { res = null; }
  if (!res || !res.ok) { if (mapRevision === want) mapRevision = null; return; }
  const blob = await res.blob();
  if (mapRevision !== want) return;  // a newer picture was asked for meanwhile
  if (mapUrl) URL.revokeObjectURL(mapUrl);
  mapUrl = URL.createObjectURL(blob);
  mapUrlRevision = want;
  const img = document.getElementById("map-img");
  if (img) { img.src = mapUrl; img.dataset.revision = want; }
  if (!spots) spots = await api("/api/spots");
  drawSpots();
}

function phaseText(s) {
  if (s.outcome) return "";  // s.when says it
  return {open: "turn open", closed: "waiting for the umpire", over: "game over"}[s.phase] || s.phase;
}

function header(s, who) {
  document.getElementById("title").textContent = who;
  // the tab's name: every tab read "Junction", so the console, the projector and a team page looked alike
  document.title = [who, s.title, s.phase === "open" && !s.outcome ? "turn open" : ""].filter(x => x).join(" · ");
  document.getElementById("turn").textContent =
    [s.title, s.when, s.date, phaseText(s)].filter(x => x).join(" · ");
}

function teamChips(s) {
  return h("ul", {cls: "chips", id: "ready-list"}, s.teams.filter(t => t.human).map(t =>
    h("li", {cls: t.ready ? "chip ready" : "chip", "data-team": t.id}, (t.ready ? "✔ " : "… ") + t.name)));
}

function mapBox(clickable) {
  const img = h("img", {id: "map-img", alt: "map", src: mapUrl || "", "data-revision": mapUrl ? mapUrlRevision : null});
  const box = h("div", {cls: "map", id: "map"}, img);
  box.dataset.clickable = clickable ? "1" : "";
  img.addEventListener("load", drawSpots);
  return box;
}

function drawSpots() {
  const box = document.getElementById("map");
  if (!box || !spots || !box.dataset.clickable || !state || !state.places) return;
  box.querySelectorAll(".spot").forEach(e => e.remove());
  const targets = new Set();
  if (selected && state.options && state.options[selected]) state.options[selected].forEach(o => targets.add(o.target));
  for (const p of state.places) {
    const at = spots[p.id];
    if (!at) continue;
    const b = h("button", {cls: "spot" + (targets.has(p.id) ? " target" : ""), title: p.name, "data-place": p.id,
                           "aria-label": p.name, on: {click: () => clickPlace(p.id)}});
    b.style.left = (at[0] * 100) + "%";
    b.style.top = (at[1] * 100) + "%";
    box.append(b);
  }
}

function clickPlace(place) {
  if (selected && state.options[selected]) {
    const opts = state.options[selected].filter(o => o.target === place);
    if (opts.length === 1) { plan(opts[0].key); return; }
  }
  const here = state.units.filter(u => u.place === place);
  const seen = (state.estimates || []).filter(e => e.place === place);
  const name = state.places.find(p => p.id === place).name;
  toast(name + ": " + (here.length ? here.map(u => u.name).join(", ") : "none of your units") +
        (seen.length ? "; seen: " + seen.map(e => e.name + " (" + e.strength + ")").join(", ") : ""));
  if (here.length) { selected = here[0].id; render(); }
}

async function plan(key) { show(await api("/api/team/plan", {key})); }

async function preview(unit, place, out) {
  const r = await api("/api/team/preview?unit=" + encodeURIComponent(unit) + "&place=" + encodeURIComponent(place));
  const p = r.preview;
  if (!p) { out.textContent = "No preview: no enemy seen there."; return; }
  const low = Math.round(p.chance_low * 100), high = Math.round(p.chance_high * 100);
  out.textContent = "Estimated chance the defenders give way: " + (low === high ? low : low + "–" + high) + "% (" +
    p.defenders + (p.defenders === 1 ? " unit" : " units") + " seen; unknown: " + p.unknown + ")";
}

function renderTeam(s) {
  header(s, s.team_name);
  const ready = h("button", {id: "ready", cls: s.ready ? "ready on" : "ready", disabled: s.phase !== "open",
                             on: {click: async () => show(await api("/api/team/ready", {ready: !s.ready}))}},
                  s.ready ? "Orders ready ✔ (tap to change)" : "Orders ready");
  const undo = h("button", {id: "undo", on: {click: async () => show(await api("/api/team/undo", {}))}}, "Undo");
  const draft = h("ol", {id: "draft"}, s.draft.map(d => h("li", {}, d.label, " ",
    h("button", {cls: "small", on: {click: async () => show(await api("/api/team/remove", {index: d.index}))}}, "✕"))));
  const units = h("div", {id: "units"}, s.units.map(u => {
    const sel = u.id === selected;
    const card = h("div", {cls: sel ? "unit sel" : "unit", "data-unit": u.id},
      h("button", {cls: "unit-name", on: {click: () => { selected = sel ? null : u.id; render(); }}},
        u.name + " — " + u.place_name),
      h("div", {cls: "meta"}, u.strength + " · " + u.type + " · " + u.posture + " · supply " + u.supply +
        " · cohesion " + u.cohesion),
      h("div", {cls: "order"}, u.order ? "Order: " + u.order : "No order (holds)"));
    if (sel) {
      const out = h("div", {cls: "preview"});
      card.append(h("div", {cls: "options"}, (s.options[u.id] || []).map(o => h("span", {cls: "opt"},
        h("button", {"data-key": o.key, "data-kind": o.kind, on: {click: () => plan(o.key)}}, o.label),
        o.kind === "Attack" ? h("button", {cls: "small", on: {click: () => preview(u.id, o.target, out)}}, "odds?")
          : null))), out);
    }
    return card;
  }));
  const sideOrders = Object.entries(s.options).filter(([who]) => s.sides.includes(who)).map(([who, opts]) =>
    h("details", {cls: "patron"}, h("summary", {}, "Orders for " + who), opts.map(o =>
      h("button", {"data-key": o.key, on: {click: () => plan(o.key)}}, o.label))));
  main.replaceChildren(
    h("section", {cls: "top"}, ready, undo, teamChips(s)),
    h("p", {cls: "warn", hidden: !s.held_last_turn}, "Last turn your orders were not marked ready: your units held."),
    h("div", {cls: "cols"},
      h("div", {}, mapBox(true), seenUnits(s)),
      h("div", {}, h("h2", {}, "Draft orders"), draft, h("h2", {}, "Your units"), units, sideOrders,
        h("h2", {}, "Messages for you"), h("ul", {id: "told"}, s.told.map(t => h("li", {}, t))),
        h("h2", {}, "Turn report"), h("ul", {id: "report"}, s.report.map(t => h("li", {}, t))))));
  drawSpots();
}

// Other factions' units the team sees, by how it stands to them: enemies always listed, allies and
// neutrals only when there are some.
const SEEN = [["hostile", "estimates", "Seen enemy units"], ["allied", "allies", "Seen allied units"],
              ["neutral", "neutrals", "Seen neutral units"]];

function seenUnits(s) {
  return h("div", {}, SEEN.map(([rel, id, title]) => {
    const seen = s.estimates.filter(e => e.relation === rel);
    if (!seen.length && rel !== "hostile") return null;
    return [h("h2", {}, title), h("ul", {id}, seen.length ? seen.map(e => h("li", {}, e.name + " (" +
      e.faction_name + ") at " + e.place_name + ": " + e.strength)) : h("li", {cls: "meta"}, "none seen"))];
  }));
}

function renderProjector(s) {
  header(s, "Projector");
  main.replaceChildren(
    h("section", {cls: "top"}, teamChips(s),
      h("div", {cls: "joinbox"}, h("img", {src: "/api/qr.svg", alt: "QR code to join", cls: "qr"}),
        h("div", {}, "Join at ", h("b", {id: "join-url"}, s.join || location.origin), h("br"),
          "Session code ", h("b", {id: "code"}, s.code || "")))),
    h("div", {cls: "cols"}, mapBox(false),
      h("div", {}, h("h2", {}, "News for everyone"), h("ul", {id: "told"}, s.told.map(t => h("li", {}, t))),
        h("h2", {}, "Public news of the turn"), h("ul", {id: "report"}, s.report.map(t => h("li", {}, t))))));
}

function renderUmpire(s) {
  header(s, "Umpire (White cell)");
  const limit = h("input", {id: "limit", type: "number", min: "10", placeholder: "seconds (optional)"});
  const reason = h("input", {id: "reason", placeholder: "why (optional)"});
  const teams = h("table", {id: "teams"}, h("tr", {}, h("th", {}, "team"), h("th", {}, "ready"), h("th", {}, "draft"),
                                              h("th", {}, "last turn")),
    s.teams.map(t => h("tr", {}, h("td", {}, t.name), h("td", {}, t.human ? (t.ready ? "✔" : "…") : "bot"),
      h("td", {}, t.human ? String(s.drafts[t.id]) : ""), h("td", {}, s.held_last_turn[t.id] ? "held" : ""))));
  main.replaceChildren(
    h("section", {cls: "top"},
      h("button", {id: "open-turn", disabled: s.phase !== "closed", on: {click: async () => {
        const v = limit.value ? Number(limit.value) : null;
        show(await api("/api/umpire/open", {limit_s: v}));
      }}}, "Open turn"), limit,
      h("button", {id: "end-turn", disabled: s.phase === "over", on: {click: async () => show(await api("/api/umpire/end", {}))}},
        "End turn now"),
      h("span", {}, " Session code " + s.code)),
    h("div", {cls: "cols"},
      h("div", {}, mapBox(false), h("h2", {}, "Reason for the record (injects)"), reason,
        h("h2", {}, "Write an inject"), newInject(s, reason),
        h("h2", {}, "Injects and rulings told"), h("ul", {id: "told"}, s.told.map(t => h("li", {}, t))),
        h("h2", {}, "The turn (everything)"), h("ul", {id: "report"}, s.report.map(t => h("li", {}, t))),
        h("p", {cls: "meta"}, "Order log: " + s.log + " · autosave: " + s.save)),
      h("div", {}, teams, h("h2", {}, "Scripted injects"),
        h("ul", {id: "injects"}, s.injects.map(i => h("li", {cls: i.fired ? "fired" : ""}, i.title + " ",
          i.fired && i.once ? h("span", {cls: "meta"}, "✔ fired (it fires once)") :
            h("button", {cls: "small", "data-inject": i.id, on: {click: async () => {
              const s2 = await api("/api/umpire/inject", {inject: i.id, reason: reason.value, audience: ["all"]});
              clearFields("reason");
              show(s2);
            }}}, i.fired ? "fired before · fire again" : "fire now")))))),
    rulingForms(s));
}

// Empty fields by id: a push may have drawn the page again while a request was out, so the elements a
// handler closed over may no longer be the ones shown.
function clearFields(...ids) {
  for (const id of ids) { const e = document.getElementById(id); if (e) e.value = ""; }
}

function newInject(s, reason) {
  const title = h("input", {id: "inject-title", placeholder: "title"});
  const message = h("input", {id: "inject-message", placeholder: "message"});
  const audience = h("select", {id: "inject-audience"}, h("option", {value: "all"}, "everyone"),
    s.teams.map(t => h("option", {value: t.id}, t.name)));
  return h("form", {id: "new-inject", on: {submit: async (e) => {
    e.preventDefault();
    const sent = await api("/api/umpire/new_inject", {title: title.value, message: message.value,
                                                      reason: reason.value, audience: [audience.value]});
    clearFields("inject-title", "inject-message", "reason");  // sent: not kept for a second send by mistake
    show(sent);
    toast("Inject sent and on the record");
  }}}, title, message, audience, h("button", {type: "submit"}, "Send (on the record)"));
}

function render() {
  if (!state) return;
  // pushes re-draw the page: keep what is being typed (the umpire's reason, an inject, a time limit)
  const typed = [...main.querySelectorAll("input[id], select[id], textarea[id]")].map(e => [e.id, e.value]);
  const focused = document.activeElement && document.activeElement.id;
  ({team: renderTeam, projector: renderProjector, umpire: renderUmpire})[state.role](state);
  for (const [id, value] of typed) {  // a choice the new page no longer offers (a past battle) is not kept
    const e = document.getElementById(id);
    if (e && (e.tagName !== "SELECT" || [...e.options].some(o => o.value === value))) e.value = value;
  }
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  tickClock();
  loadMap();
}

function show(s) {
  if (!state || state.turn !== s.turn || (s.units && !s.units.some(u => u.id === selected))) selected = null;
  state = s;
  clockBase = Date.now();
  render();
}

function showJoin(message) {
  if (PAGE === "projector") {
    const code = h("input", {id: "code", placeholder: "session code", value: new URLSearchParams(location.search).get("code") || ""});
    main.replaceChildren(h("form", {cls: "join", on: {submit: async (e) => {
      e.preventDefault();
      const r = await api("/api/projector", {code: code.value});
      sessionStorage.setItem(tokenKey(), r.token); connect();
    }}}, h("h1", {}, "Projector"), message ? h("p", {cls: "warn"}, message) : null, code,
      h("button", {id: "join", type: "submit"}, "Show")));
    return;
  }
  const code = h("input", {id: "code", placeholder: "session code", autocomplete: "off",
                           value: new URLSearchParams(location.search).get("code") || ""});
  const team = h("select", {id: "team"});
  const pin = h("input", {id: "pin", type: "password", inputmode: "numeric", placeholder: "PIN", autocomplete: "off"});
  fetch("/api/seats").then(r => r.json()).then(d => {
    const seats = PAGE === "umpire" ? [{id: "umpire", name: "Umpire (White cell)"}] : d.teams;
    team.replaceChildren(...seats.map(t => h("option", {value: t.id}, t.name)));
    document.getElementById("turn").textContent = d.title;
  });
  main.replaceChildren(h("form", {cls: "join", on: {submit: async (e) => {
    e.preventDefault();
    const r = await api("/api/join", {code: code.value, team: team.value, pin: pin.value});
    const page = r.role === "umpire" ? "umpire" : "team";
    sessionStorage.setItem("junction-" + page, r.token);
    if (page !== PAGE) location.href = "/" + page; else connect();
  }}}, h("h1", {}, PAGE === "umpire" ? "Umpire's console" : "Join your team"),
    message ? h("p", {cls: "warn"}, message) : null, code, team, pin, h("button", {id: "join", type: "submit"}, "Join")));
}

if (PAGE === "join" || !token()) showJoin(""); else connect();
