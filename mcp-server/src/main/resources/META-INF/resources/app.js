// The operator's page: everything comes from the node's own REST API, polled every two seconds.
"use strict";
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("forge-token");

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error || response.status) + ": " + (body.message || ""));
  return body;
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function rows(tbody, items, toCells) {
  tbody.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    toCells(item).forEach((c) => tr.append(typeof c === "string" || typeof c === "number" ? cell(c) : c));
    return tr;
  }));
}

function button(label, cls, onClick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.className = cls;
  b.addEventListener("click", onClick);
  const td = document.createElement("td");
  td.append(b);
  return td;
}

function chart(history) {
  const canvas = $("price-chart");
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (history.length < 2) return;
  const tiers = Object.keys(history[0].prices);
  const colors = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a"];
  tiers.forEach((tier, i) => {
    const values = history.map((p) => parseFloat(p.prices[tier]));
    const max = Math.max(...values) * 1.1 || 1;
    g.strokeStyle = colors[i % colors.length];
    g.beginPath();
    values.forEach((v, x) => {
      const px = (x / (values.length - 1)) * canvas.width;
      const py = canvas.height - (v / max) * canvas.height;
      x === 0 ? g.moveTo(px, py) : g.lineTo(px, py);
    });
    g.stroke();
    g.fillStyle = g.strokeStyle;
    g.fillText(tier, 4, 12 + 12 * i);
  });
}

async function refresh() {
  try {
    const [safety, accounts, trades, network, pricing, history, pool, loans, providers] = await Promise.all([
      api("/v1/forge/safety"), api("/v1/forge/accounts"), api("/v1/forge/trades?limit=15"), api("/v1/forge/network"),
      api("/v1/forge/pricing"), api("/v1/forge/pricing/history"), api("/v1/forge/pool"), api("/v1/forge/loans"),
      api("/v1/forge/providers"),
    ]);
    const kill = safety.kill_switch;
    $("kill-state").textContent = kill.active ? `Spending is frozen by ${kill.by}: ${kill.reason}` : "Spending is allowed.";
    $("kill-state").className = kill.active ? "frozen" : "";
    rows($("approval-rows"), safety.pending_approvals, (a) => [a.agent, a.action + (a.model ? " " + a.model : ""),
      a.amount_cu, button("Approve", "ok", () => decide(a.approval_id, "approve")),
      button("Deny", "danger", () => decide(a.approval_id, "deny"))]);
    $("no-approvals").hidden = safety.pending_approvals.length > 0;
    rows($("price-rows"), pricing.tiers, (t) => [t.tier, t.price_per_1k_cu + " CU", "×" + t.factor]);
    chart(history);
    rows($("account-rows"), accounts, (a) => [a.account, a.kind, a.balance_cu]);
    $("root").textContent = network.merkle_root;
    $("trade-count").textContent = network.trade_count;
    rows($("trade-rows"), trades.trades, (t) => [t.trade_id, t.consumer, t.model,
      t.prompt_tokens + t.completion_tokens, t.cost_cu]);
    $("pool").textContent = `${pool.cash_cu} CU in the pool, ${pool.lent_cu} CU lent in ${pool.active_loans} loans`;
    rows($("loan-rows"), loans.loans, (l) => [l.loan_id, l.borrower, l.status, l.owed_cu]);
    grid(network.grid, providers.remote);
    $("status").textContent = "live · " + new Date().toLocaleTimeString();
  } catch (e) {
    $("status").textContent = e.message;
    if (e.message.startsWith("unauthorized")) signOut();
  }
}

// Everything here came from other nodes (their offers, their ids): it is only ever set as text, through cell().
function grid(status, offers) {
  $("grid-summary").hidden = $("grid-peers").hidden = !status;
  if (!status) {
    $("grid-state").textContent = "Alone: this node is on no grid (start it with --grid).";
    return;
  }
  $("grid-state").textContent = (status.connected ? "Connected" : "Not connected (retrying)") + " as " + status.node_id
    + (status.refusals.length ? " · refused: " + status.refusals.map((r) => r.code + " " + r.count).join(", ") : "");
  $("grid-root").textContent = status.grid_root;
  $("grid-entries").textContent = status.applied_entries;
  const others = status.peers.filter((p) => p.node !== status.node_id);
  rows($("grid-rows"), others, (p) => {
    const mine = offers.filter((o) => o.node === p.node);
    return [p.node + (p.verifiable ? "" : " (caught equivocating)"),
      mine.length ? mine.map((o) => `${o.model} ${o.price_per_1k_cu} CU/1k, ${o.capacity} at once`).join("; ") : "none",
      mine.length ? mine[0].verification_rate : "", p.entries, p.owes_cu, p.owed_cu,
      p.agree ? "agree" : `disagree: it says we owe ${p.peer_says_owes_cu}, it owes ${p.peer_says_owed_cu}`];
  });
}

async function decide(id, verdict) {
  await api(`/v1/forge/approvals/${id}/${verdict}`, { method: "POST", body: "{}" }).catch((e) => alert(e.message));
  refresh();
}

function signOut() {
  sessionStorage.removeItem("forge-token");
  token = null;
  $("app").hidden = true;
  $("signin").hidden = false;
}

function start() {
  $("signin").hidden = true;
  $("app").hidden = false;
  refresh();
  setInterval(refresh, 2000);
}

// Nothing but the sign-in shows until the node accepts the token as the operator's.
async function signIn(candidate) {
  token = candidate;
  try {
    await api("/v1/forge/accounts");
    sessionStorage.setItem("forge-token", token);
    $("signin-error").hidden = true;
    start();
  } catch (e) {
    token = null;
    sessionStorage.removeItem("forge-token");
    $("signin-error").textContent = "That is not this node's operator token (" + e.message.replace(/: $/, "") + ").";
    $("signin-error").hidden = false;
  }
}

$("signin").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("token").value.trim());
});
$("kill").addEventListener("click", () => api("/v1/forge/kill", { method: "POST",
  body: JSON.stringify({ reason: $("kill-reason").value || "pulled from the web page" }) }).then(refresh));
$("release").addEventListener("click", () => api("/v1/forge/kill/release", { method: "POST",
  body: JSON.stringify({ reason: "released from the web page" }) }).then(refresh));
async function download(format) {
  const account = $("statement-account").value.trim();
  if (!account) return;
  const response = await fetch(`/v1/forge/statement?account=${encodeURIComponent(account)}&format=${format}`,
    { headers: { "Authorization": "Bearer " + token } });
  if (!response.ok) { $("status").textContent = "statement: " + (await response.text()); return; }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `forge-statement-${account}.${format}`;
  link.click();
  URL.revokeObjectURL(link.href);
}
$("statement-json").addEventListener("click", () => download("json"));
$("statement-csv").addEventListener("click", () => download("csv"));
if (token) signIn(token);
