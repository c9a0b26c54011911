import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, forums } from '../../../src/db/schema/index.ts';
import { createForum } from '../../../src/forums/forums.ts';
import { DashboardClient } from '../../support/dashboard-client.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;
let moderator: DashboardClient;
let auditor: DashboardClient;
let admin: DashboardClient;

beforeAll(async () => {
  h = await startHarness();
  await createForum(h.ctx.database.db, { id: 'other-forum' }, { allowPrivate: true, actor: 'test' });
  moderator = new DashboardClient(h.app);
  auditor = new DashboardClient(h.app);
  admin = new DashboardClient(h.app);
  await moderator.signIn((await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).key);
  await auditor.signIn((await keyFor(h.ctx, 'auditor', ['chronic-pain'], { name: 'audrey' })).key);
  await admin.signIn((await keyFor(h.ctx, 'admin', [], { name: 'root' })).key);
  await seedDecision(h.ctx, { postId: 'p-1', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
  await seedDecision(h.ctx, { postId: 'p-2', action: 'allow' });
  await seedDecision(h.ctx, { postId: 'p-3', action: 'review', flagged: [{ policy: 'misinformation', score: 0.7 }] });
  await seedDecision(h.ctx, { forumId: 'other-forum', postId: 'p-elsewhere', action: 'hold' });
});
afterAll(() => h.close());

describe('stats', () => {
  it('draws the forum’s figures as SVG charts with their numbers in text', async () => {
    const res = await moderator.get('/dashboard/stats?forum_id=chronic-pain&days=7');
    expect(res.status).toBe(200);
    const html = moderator.lastHtml;
    expect(html).toContain('<svg');
    expect(html).toContain('aria-label="Actions: allow 1, review 1, ');
    expect(html).toContain('hold 1, remove 0"');
    expect(html).toContain('Flags per policy: misinformation 1, unsafe_medical_advice 0, hostility 1');
    expect(html).toMatch(/<strong>2<\/strong> awaiting review now/);
    const today = new Date().toISOString().slice(0, 10);
    expect(html).toContain(`${today} 3 (2 not allowed)`);
  });

  it('counts only the key’s forums, and answers 404 for another forum and 400 for a period it does not offer', async () => {
    await moderator.get('/dashboard/stats');
    expect(moderator.lastHtml).toContain('<strong>3</strong> decisions');
    expect((await moderator.get('/dashboard/stats?forum_id=other-forum')).status).toBe(404);
    expect((await moderator.get('/dashboard/stats?days=3650')).status).toBe(400);
  });
});

describe('audit', () => {
  it('shows whether the chain verifies, and its events', async () => {
    const res = await auditor.get('/dashboard/audit');
    expect(res.status).toBe(200);
    expect(auditor.lastHtml).toMatch(/Chain of chronic-pain: <span class="ok">verified<\/span>, \d+ events checked/);
    expect(auditor.lastHtml).toContain('forum_created');
    await auditor.get('/dashboard/audit?type=decided');
    expect(auditor.lastHtml).not.toContain('<td>forum_created</td>');
    expect(auditor.lastHtml).toContain('<td>decided</td>');
    expect((await auditor.get('/dashboard/audit?forum_id=other-forum')).status).toBe(404);
  });

  it('never shows an auditor the contact details in a review note', async () => {
    const d = await seedDecision(h.ctx, { postId: 'p-note', action: 'hold', flagged: [{ policy: 'privacy_leak', score: 0.9 }] });
    await moderator.get(`/dashboard/decisions/${d.id}`);
    const note = 'She asked us to write to robin.doe@example.org instead.';
    expect((await moderator.post(`/dashboard/decisions/${d.id}/review`, { csrf: moderator.csrf(), outcome: 'confirm', note })).status).toBe(
      303,
    );
    await auditor.get('/dashboard/audit?type=reviewed');
    expect(auditor.lastHtml).toContain('&quot;post_id&quot;:&quot;p-note&quot;');
    expect(auditor.lastHtml).not.toContain('robin.doe@example.org');
    await auditor.get(`/dashboard/decisions/${d.id}`);
    expect(auditor.lastHtml).toContain('confirmed');
    expect(auditor.lastHtml).not.toContain('robin.doe@example.org');
  });

  it('says NOT VERIFIED, naming the event, when a row was rewritten in SQL', async () => {
    const sql = h.ctx.database.sql;
    const [original] = await sql`select payload from audit_events where forum_id = 'chronic-pain' and seq = 2`;
    const rewrite = (payload: unknown) =>
      sql.begin(async (tx) => {
        await tx`alter table audit_events disable trigger audit_events_append_only`;
        await tx`update audit_events set payload = ${JSON.stringify(payload)}::jsonb where forum_id = 'chronic-pain' and seq = 2`;
        await tx`alter table audit_events enable trigger audit_events_append_only`;
      });
    await rewrite({ ...original?.payload, post_id: 'someone-else' });
    try {
      await auditor.get('/dashboard/audit?forum_id=chronic-pain');
      expect(auditor.lastHtml).toContain('NOT VERIFIED: broken at event #2 (hash does not match the event contents)');
      expect(auditor.lastHtml).not.toContain('<span class="ok">verified</span>');
    } finally {
      await rewrite(original?.payload);
    }
  });
});

describe('author page', () => {
  it('lists a member’s decisions in the forum for moderators; auditors and other forums are refused', async () => {
    const res = await moderator.get('/dashboard/forums/chronic-pain/authors/u-1');
    expect(res.status).toBe(200);
    expect(moderator.lastHtml).toContain('p-1');
    expect(moderator.lastHtml).toContain('p-3');
    expect(moderator.lastHtml).not.toContain('p-elsewhere');
    expect((await moderator.get('/dashboard/forums/other-forum/authors/u-1')).status).toBe(404);
    expect((await auditor.get('/dashboard/forums/chronic-pain/authors/u-1')).status).toBe(403);
  });
});

describe('admin', () => {
  it('is for admins only', async () => {
    expect((await moderator.get('/dashboard/admin')).status).toBe(403);
    expect(moderator.lastHtml).not.toContain('Create a key');
    await moderator.get('/dashboard/queue');
    expect((await moderator.post('/dashboard/admin/keys', { csrf: moderator.csrf(), role: 'admin' })).status).toBe(403);
    expect((await auditor.get('/dashboard/admin')).status).toBe(403);
    await moderator.get('/dashboard/queue');
    expect(moderator.lastHtml).not.toContain('href="/dashboard/admin"');
  });

  it('creates a key shown once, which signs in, and revokes it', async () => {
    await admin.get('/dashboard/admin');
    const before = await h.ctx.database.db.select().from(apiKeys);
    expect((await admin.post('/dashboard/admin/keys', { role: 'moderator', forums: 'chronic-pain', name: 'robin' })).status).toBe(403);
    const res = await admin.post('/dashboard/admin/keys', {
      csrf: admin.csrf(),
      role: 'moderator',
      forums: 'chronic-pain',
      name: 'robin',
      expires_in: '30d',
    });
    expect(res.status).toBe(200);
    const key = /<code>(hk_[^<]+)<\/code>/.exec(admin.lastHtml)?.[1];
    expect(key).toBeDefined();
    expect(await h.ctx.database.db.select().from(apiKeys)).toHaveLength(before.length + 1);
    const robin = new DashboardClient(h.app);
    expect((await robin.signIn(key ?? '')).status).toBe(303);
    expect((await robin.get('/dashboard/queue')).status).toBe(200);

    await admin.get('/dashboard/admin');
    expect(admin.lastHtml).not.toContain(key);
    const [record] = await h.ctx.database.db.select().from(apiKeys).where(eq(apiKeys.name, 'robin'));
    const revoke = await admin.post(`/dashboard/admin/keys/${record?.id}/revoke`, { csrf: admin.csrf() });
    expect(revoke.status).toBe(303);
    expect((await robin.get('/dashboard/queue')).status).toBe(303);
  });

  it('refuses a key the rules do not allow, changing nothing', async () => {
    await admin.get('/dashboard/admin');
    const before = await h.ctx.database.db.select().from(apiKeys);
    const res = await admin.post('/dashboard/admin/keys', { csrf: admin.csrf(), role: 'moderator', forums: '' });
    expect(res.status).toBe(400);
    expect(admin.lastHtml).toContain('needs at least one forum');
    expect(await h.ctx.database.db.select().from(apiKeys)).toHaveLength(before.length);
  });

  it('saves a forum’s settings', async () => {
    await admin.get('/dashboard/admin');
    const csrf = admin.csrf();
    const [current] = await h.ctx.database.db.select().from(forums).where(eq(forums.id, 'chronic-pain'));
    const res = await admin.post('/dashboard/admin/forums/chronic-pain', {
      csrf,
      name: 'Chronic pain support',
      callback_url: current?.callbackUrl ?? '',
      retention_days: '90',
    });
    expect(res.status).toBe(303);
    const [saved] = await h.ctx.database.db.select().from(forums).where(eq(forums.id, 'chronic-pain'));
    expect(saved).toMatchObject({ name: 'Chronic pain support', retentionDays: 90, callbackUrl: current?.callbackUrl ?? null });
    expect(saved?.llmSettings).toMatchObject({ enabled: false });
    const bad = await admin.post('/dashboard/admin/forums/chronic-pain', { csrf, name: 'x', retention_days: '99999' });
    expect(bad.status).toBe(400);
    const [unchanged] = await h.ctx.database.db.select().from(forums).where(eq(forums.id, 'chronic-pain'));
    expect(unchanged?.retentionDays).toBe(90);
  });
});
