// The operator's page in a real browser (Debian's chromium, driven by playwright-core): nothing
// but the sign-in before a valid operator token, a wrong token said so, then sign in,
// see a held spend in the queue, approve it and see the agent's chat complete, then pull the
// kill switch from the page and see spending stop. Screenshots go to .ci/artifacts.
import { chromium } from "playwright-core";

const [base, operator, agent, artifacts] = process.argv.slice(2);
const chat = (extra = {}) => fetch(base + "/v1/chat/completions", {
  method: "POST",
  headers: { "Authorization": "Bearer " + agent, "Content-Type": "application/json" },
  body: JSON.stringify({ model: "stories260K", messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 12, ...extra }),
}).then(async (r) => ({ status: r.status, body: await r.json() }));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  await page.goto(base + "/");
  // Before sign-in only the sign-in form shows: no dashboard, no kill switch.
  await page.waitForSelector("#signin", { state: "visible" });
  for (const hidden of ["#app", "#kill", "#approval-rows"]) {
    if (await page.isVisible(hidden)) throw new Error(hidden + " shows before sign-in");
  }
  await page.screenshot({ path: artifacts + "/0-signed-out.png", fullPage: true });
  // A wrong token (an agent's, then a made-up one) says so and shows nothing more.
  for (const wrong of [agent, "forge_op_wrong"]) {
    await page.fill("#token", wrong);
    await page.click("#signin button");
    await page.waitForSelector("#signin-error:not([hidden])", { timeout: 10000 });
    const said = await page.textContent("#signin-error");
    if (!said.includes("not this node's operator token")) throw new Error("a wrong token was answered with: " + said);
    if (await page.isVisible("#app") || await page.isVisible("#kill")) throw new Error("a wrong token showed the dashboard");
  }
  await page.fill("#token", operator);
  await page.click("#signin button");
  await page.waitForSelector("#app:not([hidden])");
  await page.screenshot({ path: artifacts + "/1-signed-in.png", fullPage: true });

  const held = await chat();
  if (held.status !== 409 || held.body.error?.code !== "approval_required") throw new Error("expected a held spend: " + JSON.stringify(held));
  await page.waitForSelector("#approval-rows tr:has-text('ui-agent')", { timeout: 10000 });
  await page.screenshot({ path: artifacts + "/2-held-spend.png", fullPage: true });
  await page.click("#approval-rows tr:has-text('ui-agent') button:has-text('Approve')");
  await page.waitForSelector("#approval-rows tr:has-text('ui-agent')", { state: "detached", timeout: 10000 });

  const done = await chat({ x_forge: { approval_id: held.body.error.approval_id } }); // OpenAI's error shape on /v1
  if (done.status !== 200 || !done.body.x_forge?.trade_id) throw new Error("the approved chat did not complete: " + JSON.stringify(done));
  await page.waitForSelector(`#trade-rows tr:has-text('ui-agent')`, { timeout: 10000 });
  await page.screenshot({ path: artifacts + "/3-approved-and-traded.png", fullPage: true });

  await page.fill("#kill-reason", "browser check");
  await page.click("#kill");
  await page.waitForSelector("#kill-state.frozen", { timeout: 10000 });
  const refused = await chat({ x_forge: {} });
  if (refused.status !== 409 || refused.body.error?.code !== "kill_switch") throw new Error("spending did not stop: " + JSON.stringify(refused));
  await page.screenshot({ path: artifacts + "/4-killed.png", fullPage: true });
  await page.click("#release");
  await page.waitForSelector("#kill-state:not(.frozen)", { timeout: 10000 });
  console.log("browser-check: only the sign-in before the operator token, wrong tokens refused; signed in, approved a held spend, saw it trade, stopped spending with the kill switch");
} finally {
  await browser.close();
}
