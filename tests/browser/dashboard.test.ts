/// <reference lib="dom" />
// page.evaluate callbacks run in the page, hence the DOM types.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerType } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/db/schema/index.ts';
import { createForum } from '../../src/forums/forums.ts';
import { closeServer, listen } from '../../src/server.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { keyFor, seedDecision } from '../support/seed.ts';

const ARTIFACTS = new URL('./artifacts/', import.meta.url);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

let h: Harness;
let server: ServerType;
let origin: string;
let browser: Browser;
/** Every request the pages made to a host other than Hearth: must stay empty. */
const elsewhere: string[] = [];
/** Console errors, CSP violations among them: must stay empty. */
const consoleErrors: string[] = [];
let moderatorKey: string;
let auditorKey: string;
let seeded: Decision[];

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('no Chromium found: apt-get install -y chromium');
  h = await startHarness({ workers: true, receiver: true });
  const listening = await listen(h.app, 0, '127.0.0.1');
  server = listening.server;
  origin = `http://127.0.0.1:${listening.port}`;
  moderatorKey = (await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).key;
  auditorKey = (await keyFor(h.ctx, 'auditor', ['chronic-pain'], { name: 'audrey' })).key;
  // Five decisions awaiting review: two urgent, three ordinary, oldest first as the queue shows them.
  const body = 'You are a pathetic liar and everyone here knows it.';
  seeded = [];
  for (const [i, o] of [
    {
      urgent: true,
      action: 'hold',
      policy: 'self_harm',
      text: 'I have saved up my pills and I am going to take them tonight.',
      span: [0, 24],
    },
    { urgent: true, action: 'hold', policy: 'self_harm', text: 'This is goodbye, I will not be here tomorrow.', span: [0, 15] },
    { urgent: false, action: 'hold', policy: 'hostility', text: body, span: [0, 25] },
    {
      urgent: false,
      action: 'review',
      policy: 'unsafe_medical_advice',
      text: 'Just quit your duloxetine cold turkey, it is fine.',
      span: [0, 37],
    },
    {
      urgent: false,
      action: 'hold',
      policy: 'privacy_leak',
      text: 'Her number is 0412 555 019, call and tell her what you think.',
      span: [14, 26],
    },
  ].entries()) {
    seeded.push(
      await seedDecision(h.ctx, {
        postId: `b-${i + 1}`,
        body: o.text,
        action: o.action as 'hold' | 'review',
        urgent: o.urgent,
        flagged: [{ policy: o.policy as 'hostility', score: 0.9, evidence: [{ start: o.span[0] ?? 0, end: o.span[1] ?? 1 }] }],
      }),
    );
  }
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  if (server) await closeServer(server, 2000);
  await h?.close();
});

/** A fresh browser profile that records anything leaving for another host, and blocks it. */
async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  context.on('page', (page) => watch(page));
  return context;
}

function watch(page: Page): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('favicon')) consoleErrors.push(message.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${origin}/dashboard`);
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${origin}/dashboard/queue`);
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);

const queuePosts = (page: Page) => page.locator('[data-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-post')));

describe('the dashboard in Chromium', () => {
  it('signs in, clears a queue of five with the keyboard (one override reaching the forum), on a desktop screen', async () => {
    const context = await newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, moderatorKey);
    expect(await queuePosts(page)).toEqual(['b-1', 'b-2', 'b-3', 'b-4', 'b-5']);
    await page.screenshot({ path: new URL('queue-desktop.png', ARTIFACTS).pathname, fullPage: true });

    // Enter opens the selected (first, urgent) post; c then Enter confirms it.
    await page.keyboard.press('Enter');
    await page.waitForURL(`${origin}/dashboard/decisions/${seeded[0]?.id}`);
    expect(await page.locator('mark.ev-self_harm').first().textContent()).toBe('I have saved up my pills');
    expect(await page.locator('.ev-label.ev-self_harm').first().textContent()).toBe('self_harm');
    await page.screenshot({ path: new URL('decision-desktop.png', ARTIFACTS).pathname, fullPage: true });
    await page.keyboard.press('c');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dashboard\/queue\?done=confirm&post=b-1$/);
    expect(await queuePosts(page)).toEqual(['b-2', 'b-3', 'b-4', 'b-5']);

    // j, j, k selects the second row (b-3); Enter opens it; o then Enter overrides (hold → allow).
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await page.locator('tr.selected').getAttribute('data-post')).toBe('b-3');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${origin}/dashboard/decisions/${seeded[2]?.id}`);
    await page.keyboard.press('o');
    expect(await focusedId(page)).toBe('override-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=override&post=b-3$/);
    const update = await eventually(
      () => h.receiver.calls.map((c) => JSON.parse(c.body)).find((b) => b.type === 'verdict.updated' && b.data.post_id === 'b-3'),
      15_000,
      'verdict.updated for b-3',
    );
    expect(update.data).toMatchObject({ action: 'allow', previous_action: 'hold' });
    expect(update.data.review.labels).toEqual([]);

    // The rest: from the queue, c goes straight to the selected post's Confirm button.
    for (const expected of [['b-2', 'b-4', 'b-5'], ['b-4', 'b-5'], ['b-5']]) {
      expect(await queuePosts(page)).toEqual(expected);
      await page.keyboard.press('c');
      await page.waitForURL(/\/dashboard\/decisions\/[0-9a-f-]+#confirm$/);
      expect(await focusedId(page)).toBe('confirm-button');
      await page.keyboard.press('Enter');
      await page.waitForURL(/done=confirm/);
    }
    expect(await page.locator('.empty').textContent()).toContain('Nothing waits for review');

    // ? shows the keyboard help.
    await page.keyboard.press('?');
    expect(await page.locator('#help').getAttribute('open')).toBe('');
    await context.close();
  });

  it('works on a phone-sized screen: no sideways scrolling, evidence still labelled', async () => {
    const fresh = await seedDecision(h.ctx, {
      postId: 'b-phone',
      body: 'Her number is 0412 555 019, call and tell her what you think.',
      action: 'hold',
      flagged: [{ policy: 'privacy_leak', score: 0.9, evidence: [{ start: 14, end: 26 }] }],
    });
    const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await signIn(page, moderatorKey);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: new URL('queue-phone.png', ARTIFACTS).pathname, fullPage: true });
    await page.locator(`[data-post="b-phone"] a`).tap();
    await page.waitForURL(`${origin}/dashboard/decisions/${fresh.id}`);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await page.locator('.ev-label.ev-privacy_leak').isVisible()).toBe(true);
    await page.screenshot({ path: new URL('decision-phone.png', ARTIFACTS).pathname, fullPage: true });
    await page.locator('#confirm-button').tap();
    await page.waitForURL(/done=confirm&post=b-phone$/);
    await context.close();
  });

  it('on a phone, clears posts the scorer itself held (urgent first), each with its evidence marked, and the forum receives the override', async () => {
    // A forum of its own, fed through the signed ingest API and decided by the real scorer.
    const forum = await createForum(
      h.ctx.database.db,
      { id: 'phone-forum', callbackUrl: h.receiver.url },
      { allowPrivate: true, actor: 'test' },
    );
    const key = (await keyFor(h.ctx, 'moderator', ['phone-forum'], { name: 'pat' })).key;
    const posts = [
      ['r-1', 'I take 300 mg gabapentin and the brain fog is awful.'],
      ['r-2', 'You are a pathetic liar and everyone here knows it.'],
      ['r-3', 'Just quit your duloxetine cold turkey, it is fine.'],
      ['r-4', 'I have saved up my pills and I am going to take them tonight.'],
    ];
    for (const [id, body] of posts) {
      // A 503 (Redis slow to take the job on a loaded machine) asks the forum to send again, as a forum would.
      const status = await eventually(
        async () => {
          const res = await h.submit({ id, author: { id: 'u-9' }, body }, { forumId: 'phone-forum', secret: forum.ingest_secret });
          return res.status === 503 ? undefined : res.status;
        },
        15_000,
        `ingest of ${id}`,
      );
      expect(status).toBe(202);
    }
    const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, key);
    const expected = ['r-4', 'r-2', 'r-3'];
    await eventually(
      async () => {
        await page.goto(`${origin}/dashboard/queue?forum_id=phone-forum`);
        const ids = await queuePosts(page);
        return ids.length === 3 && ids[0] === 'r-4' && ids;
      },
      30_000,
      'three held posts in the queue, the crisis first',
    );
    expect((await queuePosts(page)).sort()).toEqual([...expected].sort());
    for (const postId of await queuePosts(page)) {
      await page.goto(`${origin}/dashboard/queue?forum_id=phone-forum`);
      await page.locator(`[data-post="${postId}"] a`).tap();
      await page.waitForURL(/\/dashboard\/decisions\//);
      // Why it was flagged: at least one evidence span, marked and labelled.
      expect(await page.locator('.post-text mark.ev').count()).toBeGreaterThan(0);
      expect(await page.locator('.post-text .ev-label').count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      if (postId === 'r-2') {
        await page.locator('#override-action').selectOption('remove');
        await page.locator('#override-note').fill('Insult aimed at a member.');
        await page.locator('#override-button').tap();
      } else {
        await page.locator('#confirm-button').tap();
      }
      await page.waitForURL(/\/dashboard\/queue\?done=/);
    }
    expect(await queuePosts(page)).toEqual([]);
    const update = await eventually(
      () =>
        h.receiver.calls
          .map((c) => JSON.parse(c.body))
          .find((b) => b.type === 'verdict.updated' && b.data.post_id === 'r-2' && b.data.forum_id === 'phone-forum'),
      15_000,
      'verdict.updated for r-2',
    );
    expect(update.data).toMatchObject({ action: 'remove', previous_action: 'hold' });
    await context.close();
  });

  it('shows an auditor masked text and no review buttons', async () => {
    const d = await seedDecision(h.ctx, {
      postId: 'b-audit',
      body: 'Email her at someone@example.org and say what you think.',
      action: 'hold',
      flagged: [{ policy: 'privacy_leak', score: 0.9, evidence: [{ start: 13, end: 32 }] }],
    });
    const context = await newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, auditorKey);
    await page.goto(`${origin}/dashboard/decisions/${d.id}`);
    const text = (await page.locator('.post-text').textContent()) ?? '';
    expect(text).toContain('Email her at');
    expect(text).not.toContain('someone@example.org');
    expect(await page.locator('#confirm-button, #override-button').count()).toBe(0);
    await context.close();
  });

  it('passes axe-core’s WCAG 2.2 A and AA checks on every page, at desktop and phone widths', async () => {
    const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const d = await seedDecision(h.ctx, {
      postId: 'b-a11y',
      body: 'You are a pathetic liar. Her number is 0412 555 019.',
      action: 'hold',
      flagged: [
        { policy: 'hostility', score: 0.9, evidence: [{ start: 0, end: 23 }] },
        { policy: 'privacy_leak', score: 0.8, evidence: [{ start: 39, end: 51 }] },
      ],
    });
    const adminKey = (await keyFor(h.ctx, 'admin', [], { name: 'root' })).key;
    const problems: string[] = [];
    let checked = 0;
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const context = await newContext({ viewport });
      const page = await context.newPage();
      const check = async (path: string) => {
        if (path) await page.goto(`${origin}${path}`);
        // Evaluated through the DevTools protocol, so the page's CSP (rightly) does not stop it.
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          const result = await (
            window as unknown as {
              axe: {
                run: (o: object) => Promise<{ passes: unknown[]; violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
              };
            }
          ).axe.run({
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          });
          return {
            passed: result.passes.length,
            violations: result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`),
          };
        });
        // Rules that passed prove axe ran on the page; an empty violation list alone would not.
        checked += violations.passed > 0 ? 1 : 0;
        problems.push(...violations.violations.map((v) => `${viewport.width}px ${path || 'sign-in'}: ${v}`));
      };
      await page.goto(`${origin}/dashboard`);
      await check('');
      await signIn(page, adminKey);
      for (const path of [
        '/dashboard/queue',
        `/dashboard/decisions/${d.id}`,
        '/dashboard/stats',
        '/dashboard/audit',
        '/dashboard/admin',
        '/dashboard/forums/chronic-pain/authors/u-1',
      ]) {
        await check(path);
      }
      await context.close();
    }
    expect(checked).toBe(14);
    expect(problems).toEqual([]);
  });

  it('sent nothing to any other host, and hit no CSP violation or script error', () => {
    expect(elsewhere).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
