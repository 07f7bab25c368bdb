// agentkit studio: graphs, runs, LLM calls, checkpoints, approvals.
// Ships inside the agentkit wheel; loads nothing from the internet.  Every piece of text that
// comes from the server (prompts, documents, state, names) is put on the page with
// textContent / text nodes, never parsed as HTML, so markup in a document shows as text.
"use strict";

const TOKEN = document.querySelector('meta[name="agentkit-token"]').content;
const SVGNS = "http://www.w3.org/2000/svg";
const main = document.getElementById("main");
let cleanup = [];  // what the current view must stop when another opens (event sources, timers)

// -- helpers ----------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

async function api(path, options = {}) {
  const init = {method: options.method || "GET", headers: {}};
  if (init.method !== "GET") init.headers["X-Agentkit-Token"] = TOKEN;
  if (options.json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    init.body = options.body;
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let payload = null;
  try { payload = text ? JSON.parse(text) : null; } catch (e) { payload = {error: text}; }
  if (!response.ok) throw new Error((payload && payload.error) || response.statusText);
  return payload;
}

function flash(message, kind = "info") {
  const el = document.getElementById("flash");
  el.textContent = message;
  el.className = kind;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => { el.textContent = ""; el.className = ""; }, 6000);
}

function json(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function when(ts) {
  if (!ts) return "";
  const d = new Date(ts * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function secs(value) { return value === null || value === undefined ? "" : Number(value).toFixed(2) + " s"; }

function badge(status) { return h("span", {class: `badge st-${status}`}, status.replaceAll("_", " ")); }

function kindTag(kind) { return kind ? h("span", {class: `kind k-${kind}`}, kind) : null; }

function pre(value, cls = "") { return h("pre", {class: `value ${cls}`}, json(value)); }

function section(title, ...children) { return h("section", {class: "card"}, h("h2", {}, title), ...children); }

function errorBox(err) { return h("div", {class: "error"}, String(err.message || err)); }

function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

function show(...children) { fill(main, ...children); }

function setNav(name) {
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.nav === name);
}

// -- router -----------------------------------------------------------------------------

const routes = [
  [/^#\/graphs$/, () => graphsView()],
  [/^#\/graph\/(.+)$/, (m) => graphView(decodeURIComponent(m[1]))],
  [/^#\/start\/(.+)$/, (m) => startView(decodeURIComponent(m[1]))],
  [/^#\/runs$/, () => runsView()],
  [/^#\/run\/([\w-]+)\/call\/(\d+)$/, (m) => callView(m[1], Number(m[2]))],
  [/^#\/run\/([\w-]+)\/checkpoints$/, (m) => runView(m[1], "checkpoints")],
  [/^#\/run\/([\w-]+)$/, (m) => runView(m[1], "timeline")],
  [/^#\/evals$/, () => evalsView()],
];

async function route() {
  for (const stop of cleanup) stop();
  cleanup = [];
  delete document.body.dataset.runStatus;  // set again by a run page once it shows its run
  delete document.body.dataset.timelineMs;
  const hash = location.hash || "#/graphs";
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (match) {
      try { await view(match); } catch (err) { show(errorBox(err)); }
      document.body.dataset.view = hash.split("/")[1] || "";
      return;
    }
  }
  location.hash = "#/graphs";
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);

// -- graphs -----------------------------------------------------------------------------

async function graphsView() {
  setNav("graph");
  const graphs = await api("/api/graphs");
  const rows = graphs.map((g) => h("tr", {},
    h("td", {}, h("a", {href: `#/graph/${encodeURIComponent(g.id)}`, class: "strong"}, g.name)),
    h("td", {}, h("span", {class: `source src-${g.source}`}, g.source)),
    h("td", {class: "mono"}, g.file),
    h("td", {class: "num"}, g.nodes ?? ""),
    h("td", {}, g.error ? h("span", {class: "error-text"}, g.error) : (g.description || "")),
    h("td", {}, g.error ? null : h("a", {class: "button small", href: `#/start/${encodeURIComponent(g.id)}`}, "Run…"))));
  show(h("h1", {}, "Graphs"),
    h("p", {class: "muted"}, "The graphs that ship with agentkit and the graph files under this folder."),
    h("table", {class: "list", id: "graphs"},
      h("thead", {}, h("tr", {}, ["graph", "from", "file", "nodes", "description", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows)));
}

function layout(graph) {
  const names = ["start", ...Object.keys(graph.nodes)];
  if (graph.edges.some((e) => e.to === "end")) names.push("end");
  const out = new Map(names.map((n) => [n, []]));
  for (const e of graph.edges) if (out.has(e.from) && (out.has(e.to) || e.to === "end")) out.get(e.from).push(e.to);
  // edges that close a loop (to a node still on the depth-first path) do not push layers down
  const back = new Set(), state = new Map(), order = [];
  const visit = (n) => {
    state.set(n, 1);
    for (const next of out.get(n) || []) {
      if (state.get(next) === 1) back.add(`${n}>${next}`);
      else if (!state.has(next)) visit(next);
    }
    state.set(n, 2);
    order.push(n);
  };
  visit("start");
  for (const n of names) if (!state.has(n)) visit(n);
  order.reverse();  // a topological order of the graph without its loops
  const layer = new Map(names.map((n) => [n, 0]));
  for (const n of order) for (const next of out.get(n) || []) {
    if (!back.has(`${n}>${next}`)) layer.set(next, Math.max(layer.get(next), layer.get(n) + 1));
  }
  if (names.includes("end")) layer.set("end", Math.max(...names.filter((n) => n !== "end").map((n) => layer.get(n))) + 1);
  const layers = [];
  for (const n of order) (layers[layer.get(n)] ||= []).push(n);
  for (let i = 0; i < layers.length; i++) layers[i] ||= [];
  // order each layer by its parents' positions, to uncross edges
  const pos = new Map();
  layers.forEach((row) => row.forEach((n, i) => pos.set(n, i)));
  for (let i = 1; i < layers.length; i++) {
    const score = (n) => {
      const parents = graph.edges.filter((e) => e.to === n && layer.get(e.from) < i).map((e) => pos.get(e.from) / Math.max(1, layers[layer.get(e.from)].length));
      return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : pos.get(n) / layers[i].length;
    };
    layers[i].sort((a, b) => score(a) - score(b));
    layers[i].forEach((n, j) => pos.set(n, j));
  }
  const W = 170, H = 46, GX = 34, GY = 58;
  const widest = Math.max(...layers.map((r) => r.length));
  const width = widest * (W + GX) + 160;
  const boxes = new Map();
  layers.forEach((row, i) => {
    const rowWidth = row.length * (W + GX) - GX;
    row.forEach((n, j) => {
      boxes.set(n, {x: (width - rowWidth) / 2 + j * (W + GX), y: 20 + i * (H + GY), w: W, h: H, layer: i});
    });
  });
  return {boxes, width, height: layers.length * (H + GY) + 10, back};
}

function drawGraph(graph, onSelect) {
  const {boxes, width, height, back} = layout(graph);
  const xs = [...boxes.values()];
  const minX = Math.min(...xs.map((b) => b.x)), maxX = Math.max(...xs.map((b) => b.x + b.w));
  const svg = s("svg", {viewBox: `0 0 ${width} ${height}`, class: "diagram", role: "img",
                        "aria-label": `graph ${graph.name}`, width, height});
  svg.append(s("defs", {}, s("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
                                        markerHeight: 7, orient: "auto-start-reverse"},
                               s("path", {d: "M0,0 L10,5 L0,10 z", class: "arrowhead"}))));
  const edges = s("g", {class: "edges"});
  const labels = s("g", {class: "labels"});
  for (const e of graph.edges) {
    const a = boxes.get(e.from), b = boxes.get(e.to);
    if (!a || !b) continue;
    let d, lx, ly;
    if (b.layer === a.layer + 1 && !back.has(`${e.from}>${e.to}`)) {
      const x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y;
      d = `M${x1},${y1} C${x1},${y1 + 30} ${x2},${y2 - 30} ${x2},${y2 - 2}`;
      lx = (x1 + x2) / 2; ly = (y1 + y2) / 2;
    } else if (b.layer > a.layer) {  // past other layers: down a lane beside the boxes
      const x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y;
      const lane = (x1 + x2) / 2 < (minX + maxX) / 2 ? minX - 24 : maxX + 24;
      d = `M${x1},${y1} C${x1},${y1 + 40} ${lane},${y1 + 10} ${lane},${y1 + 50} L${lane},${y2 - 50} ` +
          `C${lane},${y2 - 10} ${x2},${y2 - 40} ${x2},${y2 - 2}`;
      lx = lane; ly = (y1 + y2) / 2;
    } else {  // a loop back up: around the right side
      const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x + b.w, y2 = b.y + b.h / 2;
      const bend = Math.max(x1, x2, maxX) + 40;
      d = `M${x1},${y1} C${bend},${y1} ${bend},${y2} ${x2 + 2},${y2}`;
      lx = bend - 10; ly = (y1 + y2) / 2;
    }
    edges.append(s("path", {d, class: "edge", "marker-end": "url(#arrow)"}));
    if (e.label) labels.append(s("text", {x: lx, y: ly, class: "edge-label", "text-anchor": "middle"}, e.label));
  }
  svg.append(edges);
  const nodes = s("g", {class: "nodes"});
  for (const [name, box] of boxes) {
    const info = graph.nodes[name];
    const terminal = !info;
    const g = s("g", {class: `node ${terminal ? "terminal" : "k-" + info.kind}`, "data-node": name,
                      tabindex: terminal ? -1 : 0, transform: `translate(${box.x},${box.y})`});
    g.append(s("rect", {width: box.w, height: box.h, rx: terminal ? 23 : 7}));
    g.append(s("text", {x: box.w / 2, y: terminal ? 28 : 20, "text-anchor": "middle", class: "node-name"},
               name.length > 22 ? name.slice(0, 21) + "…" : name));
    if (!terminal) {
      g.append(s("text", {x: box.w / 2, y: 36, "text-anchor": "middle", class: "node-kind"},
                 info.kind + (info.subgraph ? "  ⊕" : "")));
      g.append(s("title", {}, `${name} (${info.kind})${info.description ? ": " + info.description : ""}`));
      g.addEventListener("click", () => onSelect(name, g));
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") onSelect(name, g); });
    }
    nodes.append(g);
  }
  svg.append(nodes, labels);
  return svg;
}

function graphBlock(graph, depth = 0) {
  const panel = h("div", {class: "node-panel"}, h("p", {class: "muted"}, "Select a node to see its kind, description and settings."));
  const nested = h("div", {class: "nested"});
  const expanded = new Map();
  const select = async (name, g) => {
    for (const el of svg.querySelectorAll(".node.selected")) el.classList.remove("selected");
    g.classList.add("selected");
    const info = graph.nodes[name];
    const parts = [h("h3", {}, name, " ", kindTag(info.kind)),
                   info.description ? h("p", {class: "description"}, info.description) : h("p", {class: "muted"}, "no description"),
                   h("h4", {}, "settings"), pre(info.settings, "settings")];
    if (info.kind === "subgraph") {
      if (info.subgraph) {
        const open = expanded.has(name);
        parts.push(h("button", {class: "button expand", "data-subgraph": name, onclick: () => toggle(name, info.subgraph)},
                     open ? `Collapse ${name}` : `Expand subgraph ${info.settings.graph || ""}`));
      } else {
        parts.push(h("p", {class: "muted"}, "its graph lies outside this folder and the shipped graphs"));
      }
    }
    fill(panel, parts);
  };
  const toggle = async (name, childId) => {
    if (expanded.has(name)) {
      expanded.get(name).remove();
      expanded.delete(name);
    } else {
      const child = await api(`/api/graphs/${encodeURIComponent(childId)}`);
      const box = h("div", {class: "subgraph-box", "data-parent-node": name},
                    h("h3", {}, `${name} → `, h("a", {href: `#/graph/${encodeURIComponent(child.id)}`}, child.name),
                      " ", h("span", {class: "muted"}, child.description || "")),
                    graphBlock(child, depth + 1));
      expanded.set(name, box);
      nested.append(box);
    }
    const g = svg.querySelector(`[data-node="${CSS.escape(name)}"]`);
    if (g) select(name, g);
  };
  const svg = drawGraph(graph, select);
  return h("div", {class: `graph-block depth-${depth}`},
           h("div", {class: "graph-row"}, h("div", {class: "diagram-wrap"}, svg), panel), nested);
}

async function graphView(id) {
  setNav("graph");
  const graph = await api(`/api/graphs/${encodeURIComponent(id)}`);
  show(h("div", {class: "title-row"},
         h("h1", {}, graph.name, " ", h("span", {class: "muted small"}, graph.file)),
         h("a", {class: "button", href: `#/start/${encodeURIComponent(graph.id)}`}, "Start a run…")),
       graph.description ? h("p", {class: "description"}, graph.description) : null,
       h("p", {class: "muted"}, `entry: ${graph.entry} · inputs: ${graph.inputs.map((i) => i.name).join(", ") || "none"}` +
         ` · output: ${graph.output.join(", ") || "the whole state"}`),
       graphBlock(graph),
       h("details", {class: "card"}, h("summary", {}, "Mermaid text"), pre(graph.mermaid)));
}

// -- starting a run ---------------------------------------------------------------------

async function startView(id) {
  setNav("graph");
  const graph = await api(`/api/graphs/${encodeURIComponent(id)}`);
  const fields = [];
  const form = h("form", {class: "card start-form", id: "start-form"});
  for (const input of graph.inputs) {
    const label = h("label", {for: `in-${input.name}`}, input.name, input.required ? h("span", {class: "required"}, " *") : null,
                    " ", h("span", {class: "muted small"}, input.type));
    let control;
    if (input.image) {
      control = h("input", {type: "file", id: `in-${input.name}`, name: input.name, accept: "image/*",
                            multiple: input.name === "images"});
    } else if (input.type === "bool") {
      control = h("input", {type: "checkbox", id: `in-${input.name}`, name: input.name});
      if (input.default === true) control.checked = true;
    } else if (input.type === "int" || input.type === "float") {
      control = h("input", {type: "number", id: `in-${input.name}`, name: input.name, step: input.type === "int" ? 1 : "any"});
      if (input.default !== null) control.value = input.default;
    } else {
      control = h("textarea", {id: `in-${input.name}`, name: input.name, rows: input.type === "str" ? 3 : 5,
                               placeholder: input.type === "str" ? "" : "JSON"});
      if (input.default !== null) control.value = json(input.default);
    }
    fields.push({input, control});
    form.append(h("div", {class: "field"}, label, input.description ? h("div", {class: "muted small"}, input.description) : null, control));
  }
  if (!graph.inputs.length) form.append(h("p", {class: "muted"}, "This graph declares no inputs."));
  const submit = h("button", {type: "submit", class: "button primary", id: "start-run"}, "Start run");
  form.append(submit);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      const inputs = {}, images = [];
      for (const {input, control} of fields) {
        if (input.image) {
          for (const file of control.files) {
            const up = await api(`/api/uploads?name=${encodeURIComponent(file.name)}`, {method: "PUT", body: file});
            images.push(up.name);
          }
        } else if (input.type === "bool") inputs[input.name] = control.checked;
        else if (control.value === "" && !input.required) continue;
        else if (input.type === "int" || input.type === "float") inputs[input.name] = Number(control.value);
        else if (input.type === "str") inputs[input.name] = control.value;
        else {
          try { inputs[input.name] = JSON.parse(control.value); } catch (e) {
            if (input.type === "any") inputs[input.name] = control.value;
            else throw new Error(`${input.name}: not JSON (${e.message})`);
          }
        }
      }
      const started = await api("/api/runs", {method: "POST", json: {graph: graph.id, inputs, images}});
      location.hash = `#/run/${started.thread_id}`;
    } catch (err) {
      flash(err.message, "error");
      submit.disabled = false;
    }
  });
  show(h("h1", {}, `Run ${graph.name}`), graph.description ? h("p", {class: "description"}, graph.description) : null, form);
}

// -- runs -------------------------------------------------------------------------------

const STATUSES = ["running", "done", "awaiting_approval", "rejected", "budget_exceeded", "failed", "stopped", "paused"];

async function runsView() {
  setNav("run");
  const params = new URLSearchParams(location.search);
  const status = h("select", {id: "filter-status"}, h("option", {value: ""}, "any status"),
                   STATUSES.map((st) => h("option", {value: st}, st.replaceAll("_", " "))));
  const graphSel = h("select", {id: "filter-graph"}, h("option", {value: ""}, "any graph"));
  const text = h("input", {type: "search", id: "filter-text", placeholder: "thread id…"});
  const body = h("tbody", {});
  const count = h("span", {class: "muted"});
  const graphsSeen = new Set();
  const refresh = async () => {
    const q = new URLSearchParams({status: status.value, graph: graphSel.value});
    const runs = await api(`/api/runs?${q}`);
    for (const r of runs) if (!graphsSeen.has(r.graph)) {
      graphsSeen.add(r.graph);
      graphSel.append(h("option", {value: r.graph}, r.graph));
    }
    const needle = text.value.trim();
    const shown = runs.filter((r) => !needle || r.thread_id.includes(needle));
    body.replaceChildren(...shown.map((r) => h("tr", {class: "run-row", "data-thread": r.thread_id},
      h("td", {class: "mono"}, h("a", {href: `#/run/${r.thread_id}`}, r.thread_id)),
      h("td", {}, r.graph),
      h("td", {}, badge(r.status), r.message && r.status !== "done" ? h("span", {class: "muted small"}, " " + r.message.slice(0, 80)) : null),
      h("td", {}, when(r.created)),
      h("td", {class: "num"}, Number(r.seconds).toFixed(2)),
      h("td", {class: "num"}, r.llm_calls),
      h("td", {class: "num"}, r.tokens),
      h("td", {class: "mono small"}, r.parent_thread ? h("a", {href: `#/run/${r.parent_thread}`}, r.parent_thread) : ""))));
    count.textContent = `${shown.length} run(s)`;
  };
  for (const el of [status, graphSel]) el.addEventListener("change", refresh);
  text.addEventListener("input", refresh);
  show(h("h1", {}, "Runs"),
       h("div", {class: "filters"}, status, graphSel, text, count),
       h("table", {class: "list", id: "runs"},
         h("thead", {}, h("tr", {}, ["thread", "graph", "status", "started", "seconds", "LLM calls", "tokens", "from"].map((c) => h("th", {}, c)))),
         body));
  await refresh();
  const timer = setInterval(refresh, 3000);
  const events = new EventSource("/api/events");
  let pending = null;
  events.onmessage = (m) => {
    const e = JSON.parse(m.data);
    if (e.event === "token") return;
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  };
  cleanup.push(() => clearInterval(timer), () => events.close());
}

function buildTree(run) {
  const byTask = new Map();
  const items = run.nodes.map((n, i) => ({...n, order: i, children: [], calls: [], tools: []}));
  for (const item of items) if (item.task) byTask.set(item.task, item);
  const roots = [];
  for (const item of items) {
    const parent = item.parent ? byTask.get(item.parent_task) : null;
    (parent ? parent.children : roots).push(item);
  }
  const ownerOf = (step) => byTask.get(step.task) || (step.namespace ? byTask.get(step.namespace.split("|")[0].split(":")[1]) : null);
  const orphans = [];
  for (const call of run.calls) {
    const owner = ownerOf(call);
    (owner ? owner.calls : orphans).push(call);
  }
  for (const tool of run.tools || []) {
    const owner = ownerOf(tool);
    if (owner) owner.tools.push(tool);
  }
  const sort = (list) => { list.sort((a, b) => a.started - b.started); list.forEach((x) => sort(x.children)); };
  sort(roots);
  return {roots, orphans};
}

// What ran inside a node, in the order it started: its nested nodes, its LLM calls and its tool
// calls (an agent's tool loop: call, tool, call...).
function stepsOf(item) {
  const steps = [
    ...item.children.map((node) => ({type: "node", at: node.started, node})),
    ...item.calls.map((call) => ({type: "llm", at: call.created - (call.ms || 0) / 1000, call})),
    ...item.tools.map((tool) => ({type: "tool", at: tool.started, tool})),
  ];
  return steps.sort((a, b) => a.at - b.at);
}

function callChip(run, call, compact = false) {
  const bits = [`#${call.id}`];
  if (!compact) {  // a step row shows time and tokens in its own columns
    bits.push(`${call.input_tokens}+${call.output_tokens} tok`);
    if (call.ms !== null && call.ms !== undefined) bits.push(`${Math.round(call.ms)} ms`);
  }
  return h("a", {class: `call-chip${call.cache_hit ? " cache-hit" : ""}`, href: `#/run/${run.thread_id}/call/${call.id}`,
                 "data-call": call.id},
           compact ? "" : "LLM ", bits.join(" · "), call.cache_hit ? " · cache" : "",
           call.route ? ` · route→${call.route}` : "", call.tool_calls.length ? ` · calls ${call.tool_calls.join(", ")}` : "");
}

function timeline(run, onFork) {
  const {roots, orphans} = buildTree(run);
  const all = run.nodes;
  const t0 = Math.min(run.created, ...all.map((n) => n.started));
  const t1 = Math.max(t0 + 0.001, ...all.map((n) => n.started + n.seconds));
  const span = t1 - t0;
  const list = h("div", {class: "timeline", id: "timeline"});
  const frag = document.createDocumentFragment();
  const bar = (start, seconds) => h("div", {class: "tl-bar"}, h("span", {class: "bar",
    "data-left": (((start - t0) / span) * 100).toFixed(2), "data-width": Math.max(0.4, (seconds / span) * 100).toFixed(2)}));
  const indent = (depth) => h("span", {class: "indent", "aria-hidden": "true"}, "  ".repeat(depth) + (depth ? "└ " : ""));
  const step = (owner, item, depth) => {
    const common = {"data-owner": owner.node, "data-depth": depth};
    if (item.type === "llm") {
      const call = item.call;
      frag.append(h("div", {class: `tl-row tl-step step-llm depth-${Math.min(depth, 4)}`, "data-step": "llm", "data-call": call.id, ...common},
        h("div", {class: "tl-name"}, indent(depth), h("span", {class: "step-kind"}, "LLM"), " ", callChip(run, call, true)),
        bar(item.at, (call.ms || 0) / 1000),
        h("div", {class: "tl-nums"}, call.ms !== null && call.ms !== undefined ? `${Math.round(call.ms)} ms · ` : "",
          `${call.input_tokens}+${call.output_tokens} tok`),
        h("div", {class: "tl-actions"})));
      return;
    }
    const tool = item.tool;
    frag.append(h("div", {class: `tl-row tl-step step-tool depth-${Math.min(depth, 4)} row-${tool.status}`, "data-step": "tool", "data-tool": tool.name, ...common},
      h("div", {class: "tl-name"}, indent(depth), h("span", {class: "step-kind"}, "tool"), " ",
        h("span", {class: "strong mono"}, tool.name), tool.status !== "ok" ? [" ", badge(tool.status)] : null),
      bar(item.at, tool.ms / 1000),
      h("div", {class: "tl-nums"}, `${Math.round(tool.ms)} ms`),
      h("div", {class: "tl-actions"}),
      h("details", {class: "tool-io"}, h("summary", {}, "arguments → result"),
        h("div", {class: "io"}, h("pre", {class: "args"}, tool.args), h("pre", {class: "output"}, tool.output)))));
  };
  const add = (item, depth) => {
    const forkable = depth === 0 && item.status === "ok" && onFork;
    frag.append(h("div", {class: `tl-row depth-${Math.min(depth, 4)} row-${item.status}`, "data-node": item.node, "data-depth": depth},
      h("div", {class: "tl-name", style: null},
        indent(depth),
        h("span", {class: "strong"}, item.node), " ", kindTag(item.kind), item.status !== "ok" ? badge(item.status) : null),
      bar(item.started, item.seconds),
      h("div", {class: "tl-nums"}, secs(item.seconds), depth === 0 ? ` · ${item.llm_calls} LLM · ${item.tokens} tok` : ""),
      h("div", {class: "tl-actions"}, forkable ? h("button", {class: "button small fork", "data-fork": item.node,
                                                              onclick: () => onFork(item.node)}, "Fork from here") : null)));
    for (const inner of stepsOf(item)) {
      if (inner.type === "node") add(inner.node, depth + 1);
      else step(item, inner, depth + 1);
    }
  };
  for (const root of roots) add(root, 0);
  if (orphans.length) frag.append(h("div", {class: "tl-row"}, h("div", {class: "tl-calls"}, orphans.map((c) => callChip(run, c)))));
  list.append(frag);
  // bar geometry via CSSOM (inline style attributes are not allowed by the page's policy)
  for (const el of list.querySelectorAll(".bar")) {
    el.style.left = el.dataset.left + "%";
    el.style.width = el.dataset.width + "%";
  }
  if (!all.length) list.append(h("p", {class: "muted"}, "No node has finished yet."));
  return list;
}

async function runView(threadId, tab) {
  setNav("run");
  const live = h("pre", {class: "live", id: "live-output"});
  const running = h("div", {class: "running-now", id: "running-now"});
  const holder = h("div", {});
  const startedTasks = new Map();
  let run = null;

  const act = async (path, payload, message) => {
    try {
      const r = await api(path, {method: "POST", json: payload || {}});
      flash(message, "ok");
      return r;
    } catch (err) { flash(err.message, "error"); return null; }
  };
  const fork = async (node) => {
    const r = await act(`/api/runs/${threadId}/fork`, {node}, `forking from ${node}…`);
    if (r) location.hash = `#/run/${r.thread_id}`;
  };

  const render = async () => {
    for (let attempt = 0; ; attempt++) {  // a run just started may not be recorded yet
      try { run = await api(`/api/runs/${threadId}`); break; } catch (err) {
        if (attempt >= 40 || !/no run with thread id/.test(err.message)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    const header = h("div", {class: "run-head card"},
      h("div", {class: "title-row"},
        h("h1", {}, h("span", {class: "mono"}, run.thread_id), " ", badge(run.status), run.busy ? h("span", {class: "badge st-running"}, "working") : null),
        h("div", {class: "actions"},
          h("button", {class: "button", id: "replay", onclick: async () => {
            const r = await act(`/api/runs/${threadId}/replay`, {}, "replaying from the record…");
            if (r) location.hash = `#/run/${r.thread_id}`;
          }}, "Replay"),
          ["paused", "stopped", "budget_exceeded", "failed", "running"].includes(run.status) && !run.busy ?
            h("button", {class: "button", id: "resume", onclick: () => act(`/api/runs/${threadId}/resume`, {}, "resuming…")}, "Resume") : null)),
      h("dl", {class: "facts"},
        h("dt", {}, "graph"), h("dd", {}, run.graph),
        h("dt", {}, "started"), h("dd", {}, when(run.created)),
        h("dt", {}, "seconds"), h("dd", {}, Number(run.seconds).toFixed(2)),
        h("dt", {}, "LLM calls"), h("dd", {}, run.llm_calls),
        h("dt", {}, "tokens"), h("dd", {}, run.tokens),
        run.parent_thread ? [h("dt", {}, run.options.replay_of ? "replay of" : "forked from"),
                             h("dd", {}, h("a", {href: `#/run/${run.parent_thread}`}, run.parent_thread),
                               run.options.forked_from ? ` after ${run.options.forked_from}` : "")] : null,
        run.children.length ? [h("dt", {}, "forks & replays"), h("dd", {}, run.children.map((c) => h("a", {href: `#/run/${c}`, class: "mono child"}, c)))] : null),
      run.message && !["awaiting_approval", "done"].includes(run.status) ?
        h("p", {class: run.status === "failed" ? "error" : "muted"}, run.message) : null);
    const approvals = run.approvals.length ? section("Waiting for approval", run.approvals.map((a) => h("div", {class: "approval", "data-node": a.node},
      h("p", {}, h("span", {class: "strong"}, a.node), ": ", a.question),
      h("button", {class: "button primary", id: `approve-${a.node}`, onclick: () => act(`/api/runs/${threadId}/resume`, {approve: true}, `approved ${a.node}`)}, "Approve"),
      h("button", {class: "button danger", id: `reject-${a.node}`, onclick: () => act(`/api/runs/${threadId}/resume`, {approve: false}, `rejected ${a.node}`)}, "Reject")))) : null;
    const tabs = h("div", {class: "tabs"},
      h("a", {href: `#/run/${threadId}`, class: tab === "timeline" ? "active" : ""}, "Timeline"),
      h("a", {href: `#/run/${threadId}/checkpoints`, class: tab === "checkpoints" ? "active" : "", id: "tab-checkpoints"}, "Checkpoints (time travel)"));
    let body;
    const t = performance.now();
    if (tab === "timeline") {
      body = h("div", {}, section("Timeline", timeline(run, fork)),
               section("Inputs", pre(run.inputs)));
    } else {
      body = await checkpointsPanel(run, fork);
    }
    fill(holder, header, approvals, liveBox, tabs, running, body);
    if (tab === "timeline") {
      holder.getBoundingClientRect();  // the timeline built and laid out: what the benchmark reports
      document.body.dataset.timelineMs = String(performance.now() - t);
    }
    document.body.dataset.runStatus = run.status;
  };
  const liveBox = section("Live output", live);
  liveBox.classList.add("live-box");
  show(holder);
  let pending = null;
  const later = () => { clearTimeout(pending); pending = setTimeout(() => render().catch((e) => flash(e.message, "error")), 200); };
  const events = new EventSource(`/api/runs/${threadId}/events`);
  events.onmessage = (m) => {
    const e = JSON.parse(m.data);
    if (e.event === "token") {
      if (live.dataset.node !== e.node) { live.append(document.createTextNode(`\n[${e.node}] `)); live.dataset.node = e.node; }
      live.append(document.createTextNode(e.text));
      liveBox.classList.add("has-output");
      live.scrollTop = live.scrollHeight;
      return;
    }
    if (e.event === "node_start") startedTasks.set(e.task, e.node);
    if (e.event === "node_end") startedTasks.delete(e.task);
    if (e.event === "approval") for (const [task, node] of startedTasks) if (node === e.node) startedTasks.delete(task);
    if (e.event === "run_end") startedTasks.clear();
    if (e.event === "job_error") flash(e.error, "error");
    fill(running, ...(startedTasks.size ? [h("span", {class: "muted"}, "running now: "),
                                                      [...startedTasks.values()].map((n) => h("span", {class: "badge st-running"}, n))] : []));
    later();
  };
  // a run going on in another process (agentkit run in a terminal) sends no events here: look again
  const poll = setInterval(() => { if (run && run.status === "running" && !run.busy) later(); }, 2000);
  cleanup.push(() => events.close(), () => clearTimeout(pending), () => clearInterval(poll));
  await render();
}

async function checkpointsPanel(run, fork) {
  const steps = await api(`/api/runs/${run.thread_id}/checkpoints`);
  const detail = h("div", {class: "cp-detail", id: "checkpoint-detail"});
  const list = h("ol", {class: "cp-list", id: "checkpoints"});
  const open = (i) => {
    for (const li of list.children) li.classList.toggle("selected", Number(li.dataset.index) === i);
    const step = steps[i];
    const diff = step.diff.length ? h("table", {class: "diff"},
      h("thead", {}, h("tr", {}, h("th", {}, "field"), h("th", {}, "change"), h("th", {}, "before"), h("th", {}, "after"))),
      h("tbody", {}, step.diff.map((d) => h("tr", {class: `d-${d.change}`},
        h("td", {class: "strong"}, d.field), h("td", {}, d.change),
        h("td", {}, "before" in d ? pre(d.before) : ""), h("td", {}, "after" in d ? pre(d.after) : "")))))
      : h("p", {class: "muted"}, "No change against the step before.");
    fill(detail,
      h("h3", {}, `step ${step.step}`, " ", h("span", {class: "muted small"}, step.source || "")),
      h("p", {}, step.ran.length ? `after ${step.ran.join(", ")}` : (step.note || "the run's start"),
        step.next.length ? ` · next: ${step.next.join(", ")}` : " · nothing next"),
      [...new Set(step.ran)].filter((n) => n in run.graph_nodes).map((n) => h("button", {class: "button small fork", "data-fork": n, onclick: () => fork(n)}, `Fork after ${n}`)),
      h("h4", {}, "diff against the step before"), diff,
      h("details", {}, h("summary", {}, "the whole state"), pre(step.values)));
  };
  steps.forEach((step, i) => list.append(h("li", {"data-index": i, onclick: () => open(i)},
    h("span", {class: "strong"}, `step ${step.step}`), " ",
    h("span", {class: "muted small"}, step.ran.length ? step.ran.join(", ") : (step.source || "")),
    step.diff.length ? h("span", {class: "pill"}, `${step.diff.length} change(s)`) : null)));
  if (steps.length) open(steps.length - 1);
  return section("Checkpoints", h("div", {class: "cp"}, list, detail));
}

// -- one LLM call -----------------------------------------------------------------------

async function callView(threadId, callId) {
  setNav("run");
  const call = await api(`/api/runs/${threadId}/calls/${callId}`);
  const route = call.tool_route;
  const routeBox = route ? section("Tool-route decision",
    h("p", {}, "chose ", h("span", {class: "strong"}, route.tool || "no tool (answer in text)"),
      route.p_yes !== undefined ? ` · P(call) = ${Number(route.p_yes).toFixed(3)}` : ""),
    h("table", {class: "probs"}, h("tbody", {}, Object.entries(route.probabilities || {}).map(([name, p]) =>
      h("tr", {}, h("td", {class: "mono"}, name), h("td", {class: "num"}, Number(p).toFixed(3)),
        h("td", {class: "prob"}, h("meter", {min: 0, max: 1, value: p}))))))) : null;
  show(h("p", {}, h("a", {href: `#/run/${threadId}`}, `← run ${threadId}`)),
    h("h1", {}, `LLM call #${call.id}`, " ", h("span", {class: "muted small"}, `node ${call.node}`)),
    h("dl", {class: "facts card", id: "call-facts"},
      h("dt", {}, "model"), h("dd", {class: "mono"}, call.model || "?"),
      h("dt", {}, "tokens"), h("dd", {}, `${call.input_tokens} prompt + ${call.output_tokens} generated`),
      h("dt", {}, "time"), h("dd", {}, call.ms === null ? "not recorded" : `${Math.round(call.ms)} ms`),
      h("dt", {}, "prefix cache"), h("dd", {id: "cache"}, call.cache_read === null || call.cache_read === undefined ? "not reported by this model"
        : call.cache_hit ? `hit: ${call.cache_read} of ${call.input_tokens} prompt tokens reused` : "miss"),
      h("dt", {}, "sampling"), h("dd", {class: "mono"}, JSON.stringify(call.params)),
      call.request.tools.length ? [h("dt", {}, "tools offered"), h("dd", {class: "mono"}, call.request.tools.join(", "),
                                                                      call.request.tool_choice ? ` (tool_choice ${json(call.request.tool_choice)})` : "")] : null,
      call.namespace ? [h("dt", {}, "where"), h("dd", {class: "mono small"}, call.namespace)] : null),
    routeBox,
    section("Prompt", call.messages.length ? call.messages.map((m) => h("div", {class: `message role-${m.role}`},
      h("div", {class: "role"}, m.role, m.name ? ` (${m.name})` : ""),
      h("pre", {class: "content"}, typeof m.content === "string" ? m.content : json(m.content)),
      m.tool_calls.length ? pre(m.tool_calls, "tool-calls") : null))
      : h("p", {class: "muted"}, "This call was recorded before prompts were stored.")),
    section("Reply", h("div", {class: "message role-ai", id: "reply"},
      h("pre", {class: "content"}, typeof call.reply.content === "string" ? call.reply.content : json(call.reply.content)),
      call.reply.tool_calls.length ? [h("h4", {}, "tool calls"), pre(call.reply.tool_calls, "tool-calls")] : null,
      call.reply.finish_reason ? h("p", {class: "muted small"}, `finish: ${call.reply.finish_reason}`) : null)),
    h("p", {class: "muted small mono"}, `prompt hash ${call.prompt_hash}`));
}

// -- evaluations ------------------------------------------------------------------------

async function evalsView() {
  setNav("eval");
  const data = await api("/api/evals");
  const parts = [h("h1", {}, "Evaluations"),
                 h("p", {class: "muted"}, data.note, " · folder: ", h("span", {class: "mono"}, data.folder))];
  if (!data.reports.length) parts.push(h("p", {class: "card"}, "No evaluation report yet."));
  const withCases = data.reports.filter((r) => r.report && Array.isArray(r.report.cases));
  if (withCases.length) {
    const keys = new Map();
    for (const r of withCases) for (const c of r.report.cases) {
      const key = String(c.id ?? c.question ?? c.name ?? JSON.stringify(c).slice(0, 60));
      if (!keys.has(key)) keys.set(key, new Map());
      keys.get(key).set(r.file, c);
    }
    parts.push(section("Side by side", h("table", {class: "list"},
      h("thead", {}, h("tr", {}, h("th", {}, "case"), withCases.map((r) => h("th", {}, r.file)))),
      h("tbody", {}, [...keys].map(([key, byFile]) => h("tr", {}, h("td", {}, key), withCases.map((r) => {
        const c = byFile.get(r.file);
        if (!c) return h("td", {class: "muted"}, "—");
        const passed = c.passed ?? c.ok ?? c.correct;
        return h("td", {class: passed === true ? "pass" : passed === false ? "fail" : ""},
                 passed === undefined ? json(c.score ?? c.answer ?? "") : passed ? "pass" : "fail");
      })))))));
  }
  for (const r of data.reports) parts.push(h("details", {class: "card"}, h("summary", {}, r.file, r.modified ? ` · ${when(r.modified)}` : ""),
                                             r.error ? errorBox({message: r.error}) : pre(r.report)));
  show(...parts);
}
