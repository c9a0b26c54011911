import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, samplePost, startHarness } from '../../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ workers: true });
});
afterAll(() => h.close());

interface Verdict {
  action: string;
  language: string;
  policies: Array<{ flagged: boolean; evidence: Array<{ text: string }> }>;
  author_message: { language: string; text: string } | null;
}

async function decide(body: string): Promise<Verdict> {
  const res = await h.submit(samplePost(body), { query: '?wait=10000' });
  expect(res.status).toBe(200);
  return (await res.json()) as Verdict;
}

describe('author messages through the pipeline', () => {
  it('explain every non-allow verdict without the evidence, and say nothing for allow', async () => {
    const posts = [
      'Her number is 0412 555 019, call and tell her what you think.',
      'You are a pathetic liar and everyone here knows it.',
      'Just quit your duloxetine cold turkey, it is fine.',
      'Eres un mentiroso patético y todos aquí lo saben.',
      'Ihre Nummer ist 0412 555 019, ruft sie an und sagt ihr, was ihr denkt.',
    ];
    for (const body of posts) {
      const verdict = await decide(body);
      expect(verdict.action).not.toBe('allow');
      expect(verdict.author_message?.text.length).toBeGreaterThan(20);
      for (const p of verdict.policies)
        for (const e of p.evidence) if (e.text.trim().length >= 4) expect(verdict.author_message?.text).not.toContain(e.text);
    }
    expect((await decide(posts[0] as string)).author_message?.text).toMatch(
      /^Your post is waiting for a moderator because it seems to share another person's phone number\./,
    );
    expect((await decide(posts[3] as string)).author_message?.text).toMatch(
      /^Tu mensaje está publicado y un moderador también lo leerá porque podría resultar hiriente/,
    );
    expect((await decide(posts[4] as string)).author_message?.text).toMatch(
      /^Dein Beitrag wartet auf einen Moderator, weil er die Telefonnummer einer anderen Person zu teilen scheint\./,
    );
    expect((await decide('I take 300 mg gabapentin and the brain fog is awful.')).author_message).toBeNull();
  });
});
