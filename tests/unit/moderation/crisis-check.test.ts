import { beforeAll, describe, expect, it } from 'vitest';
import { createCrisisCheck } from '../../../src/moderation/crisis-check.ts';
import { loadPolicySet, type PolicySet } from '../../../src/policies/loader.ts';

describe('the crisis check at ingest', () => {
  let set: PolicySet;
  beforeAll(async () => {
    set = await loadPolicySet();
  });

  it.each([
    "I've saved up all my pills and I'm taking them tonight.",
    'Ya no quiero vivir, he guardado las pastillas.',
    'Je ne veux plus vivre.',
    'Nobody would miss you, just kill yourself.',
    'I feel like such a burden to everyone.',
  ])('sends a possible crisis to the lane: %s', (body) => {
    expect(createCrisisCheck(set).mayBeCrisis({ body })).toBe(true);
  });

  it('leans toward recall: an idiom with a crisis word goes to the lane too', () => {
    expect(createCrisisCheck(set).mayBeCrisis({ body: 'this pain is killing me, I could die for a nap' })).toBe(true);
  });

  it('leaves ordinary sharing in the ordinary queue', () => {
    const check = createCrisisCheck(set);
    expect(check.mayBeCrisis({ body: 'I take 300 mg gabapentin and the brain fog is awful.' })).toBe(false);
    expect(check.mayBeCrisis({ body: 'Heat pads and pacing help my back on bad days.', format: 'markdown' })).toBe(false);
  });

  it('reads the title as well as the body', () => {
    const check = createCrisisCheck(set);
    expect(check.mayBeCrisis({ title: 'This is my goodbye', body: 'Thanks for the chats over the years.' })).toBe(true);
  });

  it('finds nothing in a policy set without the self_harm policy', () => {
    const byId = new Map([...set.byId].filter(([id]) => id !== 'self_harm'));
    const without = { ...set, policies: set.policies.filter((p) => p.id !== 'self_harm'), byId };
    expect(createCrisisCheck(without).mayBeCrisis({ body: "I've saved up all my pills and I'm taking them tonight." })).toBe(false);
  });
});
