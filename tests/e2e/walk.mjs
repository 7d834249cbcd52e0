// The web pages walked in headless Chromium, as the three roles and a recipient would use them:
// the chuyên viên composes from the form and submits, the lãnh đạo signs from the queue with a
// PIN, the văn thư numbers, dates and seals, and anyone verifies the issued file on the public
// page and sees page 1 with both signature boxes.
//
// Run by tests/browser.rs, which starts `vanban serve` and passes:
//   VANBAN_BASE      http://127.0.0.1:PORT
//   VANBAN_ACCOUNTS  the demo-accounts.txt the first start wrote
//   VANBAN_OUT       a directory for screenshots and the downloaded PDF
// Exit 0 when every check passed; otherwise the first failed check is printed.

import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const base = process.env.VANBAN_BASE;
const out = process.env.VANBAN_OUT;
const accounts = {};
for (const line of readFileSync(process.env.VANBAN_ACCOUNTS, "utf8").split("\n")) {
  if (!line.trim() || line.startsWith("#") || line.startsWith("tên")) continue;
  const parts = line.trim().split(/\s+/);
  accounts[parts[0]] = { password: parts[parts.length - 2], pin: parts[parts.length - 1] };
}

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

async function as(user, work) {
  const context = await browser.newContext({ acceptDownloads: true, locale: "vi-VN" });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${base}/login`);
  await page.fill("#user", user);
  await page.fill("#password", accounts[user].password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
  check((await page.textContent("header")).includes(user === "chuyenvien" ? "chuyên viên" : ""), "header names the role");
  try {
    return await work(page, context);
  } finally {
    await context.close();
  }
}

const title = "Tổ chức Tháng Công nhân năm 2027 và chăm lo đoàn viên";
let documentUrl;

// 1. The chuyên viên composes from the form and submits.
await as("chuyenvien", async (page) => {
  await page.click("text=Soạn văn bản");
  await page.selectOption("#kind", "ke_hoach");
  await page.fill("#title", title);
  await page.fill("#body", "Đẩy mạnh tuyên truyền về Tháng Công nhân, chăm lo đời sống đoàn viên.\nCác công đoàn cơ sở triển khai thực hiện, báo cáo kết quả trước ngày 30/5/2027./.");
  await page.fill("#recipients", "Công đoàn cơ sở trực thuộc");
  await Promise.all([page.waitForURL(/\/documents\//), page.click("#compose button[type=submit]")]);
  documentUrl = page.url().split("?")[0];
  check((await page.getAttribute("#state", "data-state")) === "draft", "a new draft");
  check((await page.textContent("h1")).includes(title), "the title with its diacritics");
  await page.screenshot({ path: join(out, "1-draft.png"), fullPage: true });
  await Promise.all([page.waitForURL(/done=submitted/), page.click("form[data-action=submit] button")]);
  check((await page.getAttribute("#state", "data-state")) === "submitted", "submitted");
});

// 2. The lãnh đạo finds it in the queue and signs with the PIN (a wrong PIN first).
await as("lanhdao", async (page) => {
  check((await page.textContent("#queue")).includes(title), "the leader's queue lists it");
  await Promise.all([page.waitForURL(/\/documents\//), page.click(`#queue a:has-text("${title}")`)]);
  await page.fill("form[data-action=sign] input[name=pin]", "000000");
  await page.click("form[data-action=sign] button");
  check((await page.textContent("[role=alert]")).includes("PIN"), "a wrong PIN is refused with a reason");
  await page.goto(documentUrl);
  await page.fill("form[data-action=sign] input[name=pin]", accounts.lanhdao.pin);
  await Promise.all([page.waitForURL(/done=signed/), page.click("form[data-action=sign] button")]);
  check((await page.getAttribute("#state", "data-state")) === "signed", "signed");
});

// 3. The văn thư numbers, dates and seals; the PDF downloads.
let issuedPdf;
await as("vanthu", async (page, context) => {
  check((await page.textContent("#queue")).includes(title), "the clerk's queue lists it");
  await page.goto(documentUrl);
  await page.fill("form[data-action=issue] input[name=pin]", accounts.vanthu.pin);
  await Promise.all([page.waitForURL(/done=issued/), page.click("form[data-action=issue] button")]);
  check((await page.getAttribute("#state", "data-state")) === "issued", "issued");
  const heading = await page.textContent("h1");
  check(/\d{2}\/KH-CĐN/.test(heading), `the number and symbol in the heading: ${heading}`);
  await page.screenshot({ path: join(out, "3-issued.png"), fullPage: true });
  const id = documentUrl.split("/").pop();
  const response = await context.request.get(`${base}/api/documents/${id}/files/issued.pdf`);
  check(response.ok(), "issued.pdf downloads with the session");
  issuedPdf = Buffer.from(await response.body());
  await page.goto(`${base}/register`);
  check((await page.textContent("#outgoing")).includes("KH-CĐN"), "the outgoing register lists it");
});
const pdfPath = join(out, "issued.pdf");
writeFileSync(pdfPath, issuedPdf);

// 4. Anyone verifies it on the public page.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/verify`);
  await page.setInputFiles("#file", pdfPath);
  await Promise.all([page.waitForLoadState("load"), page.click("#verify button[type=submit]")]);
  await page.waitForSelector("#verdict");
  const verdict = await page.getAttribute("#verdict", "data-verdict");
  check(verdict === "valid-with-allowed-changes", `verdict ${verdict}`);
  check((await page.locator("section.signature").count()) === 2, "two signatures reported");
  check((await page.locator("#page1 rect.sigbox").count()) === 2, "both boxes drawn on page 1");
  await page.screenshot({ path: join(out, "4-verify.png"), fullPage: true });
  await context.close();
}

await browser.close();
console.log("browser walk: draft → submitted → signed → issued → verified");
