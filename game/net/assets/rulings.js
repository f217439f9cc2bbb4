// The umpire console's rulings: a place's controller, a patron's support, a rule, a combat result of the turn
// just played, and a matrix-game action. Each form sends a `run --umpire` plan item (without its turn) to the
// host, which checks it and applies it on the record; a refusal is shown in the form. Uses h, api, show and
// render from app.js. Text only through textContent.
"use strict";

let refusal = null;        // {form, text}: the last refused ruling, shown in its form
let matrixEffects = [];    // the matrix action's effects on success, added one by one
let effectKind = "SetController";  // the kind of effect being built for the matrix action

function opts(items) { return items.map(([value, label]) => h("option", {value}, label)); }

function pick(id, label, items) { return h("label", {}, label, h("select", {id}, opts(items))); }

function num(id, label, attrs) { return h("label", {}, label, h("input", Object.assign({id, type: "number"}, attrs))); }

function val(id) { const e = document.getElementById(id); return e ? e.value : ""; }

function number(id) { const v = val(id).trim(); return v === "" ? null : Number(v); }

function audiencePick(id, s) {
  return pick(id, "told to", [["all", "everyone"], ...s.teams.map(t => [t.id, t.name]), ["", "the umpire alone"]]);
}

function audience(id) { const v = val(id); return v ? [v] : []; }

// An effect of the events vocabulary: its fields and how to read them back.
const EFFECTS = {
  SetController: {label: "a place's controller", fields: (p, s) => [
    pick(p + "-place", "place", s.places.map(x => [x.id, x.name + " (held by " + x.controller_name + ")"])),
    pick(p + "-faction", "to", s.factions.map(f => [f.id, f.name]))],
    read: p => ({"@type": "SetController", place: val(p + "-place"), faction: val(p + "-faction")})},
  SetSupport: {label: "a patron's support", fields: (p, s) => [
    pick(p + "-patron", "patron", s.patrons.map(x => [x.id, x.name + " (" + Object.entries(x.support)
      .map(([c, v]) => c + " " + v.toFixed(2)).join(", ") + ")"])),
    pick(p + "-channel", "channel", s.channels.map(c => [c, c])),
    num(p + "-value", "new level (0 to 1)", {min: "0", max: "1", step: "0.05"})],
    missing: "type the new level (a number from 0 to 1) first",
    read: p => ({"@type": "SetSupport", patron: val(p + "-patron"), channel: val(p + "-channel"),
                 value: number(p + "-value")})},
  SetRule: {label: "a rule", fields: (p, s) => [
    pick(p + "-name", "rule", s.rules.map(r => [r.name, r.name + " = " + r.value + " (" + r.range[0] + " to " +
                                                 r.range[1] + ")"])),
    num(p + "-value", "new value", {step: "any"})],
    missing: "type the rule's new value (a number in the range shown) first",
    read: p => ({"@type": "SetRule", name: val(p + "-name"), value: number(p + "-value")})},
};

// Why an effect cannot be sent yet (a number left empty), in the umpire's words; null when it can. The host
// would refuse it too, but in its parser's words ("change.value: expected a number, got null").
function unfinished(kind, change) {
  return "value" in change && (change.value === null || Number.isNaN(change.value)) ? EFFECTS[kind].missing : null;
}

function refuse(form, text) { refusal = {form, text}; render(); }

async function rule(form, path, body) {
  try {
    const s = await api(path, body);
    refusal = null;
    if (form === "matrix") matrixEffects = [];
    document.querySelectorAll("#" + form + " input:not(#mx-needed), #" + form + " textarea").forEach(e => { e.value = ""; });
    show(s);
    const last = s.rulings[s.rulings.length - 1];
    if (last) toast("On the record: " + last.title + (form === "matrix" ? " — " + last.rows.filter(r =>
      r[0] === "Roll (2d6)" || r[0] === "Result").map(r => r[1]).join(", ") : ""));
  } catch (e) {
    if (e.status === 401 || !e.status) return;
    refusal = {form, text: e.message};
    render();
  }
}

function rulingForm(id, title, fields, submit, s) {
  const reason = h("input", {id: id + "-reason", placeholder: "reason (required, on the record)"});
  return h("form", {id, cls: "ruling", on: {submit: (e) => { e.preventDefault(); submit(reason.value); }}},
    h("h3", {}, title), fields, reason, audiencePick(id + "-audience", s),
    refusal && refusal.form === id ? h("p", {cls: "refusal", role: "alert"}, refusal.text) : null,
    h("button", {type: "submit"}, "Rule (on the record)"));
}

function overrideForm(id, kind, title, s) {
  const spec = EFFECTS[kind];
  return rulingForm(id, title, spec.fields(id, s), (reason) => {
    const change = spec.read(id);
    const missing = unfinished(kind, change);
    if (missing) return refuse(id, missing);
    rule(id, "/api/umpire/override", {change, reason, audience: audience(id + "-audience")});
  }, s);
}

function combatForm(s) {
  const id = "combat";
  if (!s.battles.length) {
    return h("form", {id, cls: "ruling"}, h("h3", {}, "Change a combat result"),
      h("p", {cls: "meta"}, "No battle of the turn just played can be changed now (none was fought, or another " +
        "ruling came after the turn: combat results are changed first)."));
  }
  return rulingForm(id, "Change a combat result of turn " + (s.turn - 1), [
    pick("combat-place", "battle", s.battles.map(b => [b.place, b.name + ": " + b.result])),
    pick("combat-result", "should read", s.results.map(r => [r, r]))],
  (reason) => rule(id, "/api/umpire/override", {change: {"@type": "CombatResult", place: val("combat-place"),
    result: val("combat-result")}, reason, audience: audience("combat-audience")}), s);
}

function lines(id) { return val(id).split("\n").map(x => x.trim()).filter(x => x); }

function matrixForm(s) {
  const kind = h("select", {id: "mx-effect-kind"}, opts(Object.entries(EFFECTS).map(([k, e]) => [k, e.label])));
  kind.value = effectKind;
  const fields = h("div", {id: "mx-effect-fields"}, EFFECTS[effectKind].fields("mx-effect", s));
  kind.addEventListener("change", () => {
    effectKind = kind.value;
    fields.replaceChildren(...EFFECTS[effectKind].fields("mx-effect", s));
  });
  const mods = [1, 2, 3].map(i => h("div", {cls: "mod"},
    h("input", {id: "mx-mod" + i, type: "number", min: "-6", max: "6", step: "1", placeholder: "±"}),
    h("input", {id: "mx-mod" + i + "-why", placeholder: "why this modifier"})));
  const effects = h("ul", {id: "mx-effects"}, matrixEffects.map((e, i) => h("li", {},
    Object.entries(e).filter(([, v]) => v !== null).map(([k, v]) => k === "@type" ? v : k + " " + v).join(" · "), " ",
    h("button", {type: "button", cls: "small", on: {click: () => { matrixEffects.splice(i, 1); render(); }}}, "✕"))));
  const fields2 = [
    pick("mx-team", "team", s.teams.map(t => [t.id, t.name])),
    h("input", {id: "mx-action", placeholder: "the action the team states"}),
    h("textarea", {id: "mx-arguments", rows: "2", placeholder: "its arguments, one a line"}),
    h("textarea", {id: "mx-counter", rows: "2", placeholder: "counter-arguments, one a line"}),
    h("div", {cls: "meta"}, "modifiers (whole numbers -6 to +6, each with why)"), mods,
    num("mx-needed", "2d6 + modifiers must reach", {min: "2", max: "12", value: "7"}),
    h("input", {id: "mx-outcome", placeholder: "what happens on success (told)"}),
    h("div", {cls: "meta"}, "effects on success"), effects,
    h("div", {cls: "effect"}, kind, fields, h("button", {type: "button", cls: "small", id: "mx-add-effect", on: {
      click: () => {
        const change = EFFECTS[val("mx-effect-kind")].read("mx-effect");
        const missing = unfinished(val("mx-effect-kind"), change);
        if (missing) return refuse("matrix", "effect not added: " + missing);
        if (refusal && refusal.form === "matrix") refusal = null;
        matrixEffects.push(change); render();
      }}},
      "add effect"))];
  return rulingForm("matrix", "Matrix-game action (2d6 rolled on the host)", fields2, (reason) => {
    const modifiers = [1, 2, 3].filter(i => val("mx-mod" + i).trim() !== "")
      .map(i => ({value: number("mx-mod" + i), reason: val("mx-mod" + i + "-why")}));
    rule("matrix", "/api/umpire/matrix", {team: val("mx-team"), action: val("mx-action"),
      arguments: lines("mx-arguments"), counter_arguments: lines("mx-counter"), modifiers,
      needed: number("mx-needed") === null ? 7 : number("mx-needed"), outcome: val("mx-outcome"),
      effects: matrixEffects, reason, audience: audience("matrix-audience")});
  }, s);
}

function rulingForms(s) {
  return h("section", {id: "rulings"}, h("h2", {}, "Rulings (each with its reason, on the record)"),
    h("div", {cls: "rulings"},
      overrideForm("controller", "SetController", "Change a place's controller", s),
      overrideForm("support", "SetSupport", "Change a patron's support level", s),
      overrideForm("rule", "SetRule", "Change a rule", s),
      combatForm(s), matrixForm(s)),
    h("h2", {}, "Rulings on the record"),
    h("ol", {id: "on-record"}, s.rulings.map(r => h("li", {},
      h("b", {}, "Turn " + r.turn + ": " + r.title), " (told to " + r.told + ")",
      h("ul", {cls: "meta"}, r.rows.map(([k, v]) => h("li", {}, k + ": " + v)))))));
}
