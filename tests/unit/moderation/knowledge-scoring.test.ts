import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalScorer } from '../../../src/moderation/local-scorer.ts';
import { scorePost } from '../../../src/moderation/score-post.ts';
import { defaultPoliciesDir, loadPolicySet } from '../../../src/policies/loader.ts';

const policySet = await loadPolicySet();
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);
const verdictOf = (body: string) => scorePost(policySet, scorer, { body }).verdict;
const resultOf = (body: string, policy: string) => verdictOf(body).policies.find((p) => p.policy === policy);

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

describe('hostility needs a human target', () => {
  it('does not flag a member fighting their own illness, and still flags the same words at a member', () => {
    const atIllness = verdictOf("Lupus, you have taken my job and my sleep, but I'll beat you yet.");
    expect(atIllness.action).toBe('allow');
    expect(atIllness.policies.find((p) => p.policy === 'hostility')?.flagged).toBe(false);
    const atMember = resultOf("Sarah, you have taken my job and my sleep, but I'll beat you yet.", 'hostility');
    expect(atMember?.flagged).toBe(true);
  });

  it('does not flag insults aimed at pain or the weather', () => {
    expect(resultOf('This stupid pain is a useless pathetic bastard today.', 'hostility')?.strength).not.toBe('strong');
    expect(verdictOf('Dear fibro, you are a pathetic joke and I am done with you.').action).not.toBe('remove');
  });

  it('counts belittling a member’s suffering as hostility, but not the same words reported in single quotes', () => {
    expect(resultOf('Your little migraine? Come back when you have had a real illness.', 'hostility')?.flagged).toBe(true);
    expect(resultOf("My worst day is worse than your best, so don't expect sympathy.", 'hostility')?.flagged).toBe(true);
    const reported = "My aunt said 'try having a real illness' when I told her about my migraines. It stung.";
    expect(resultOf(reported, 'hostility')?.flagged).toBe(false);
    // An apostrophe is not a quotation mark: the same words in the writer's own voice still count.
    expect(resultOf("It's true, your little headache isn't pain. Try having a real illness.", 'hostility')?.flagged).toBe(true);
  });

  it('keeps speaking to the illness across the sentences of its paragraph, not past it or past a named person', () => {
    const laterSentence = "Lupus, you absolute bastard, you are not taking this wedding from me. I will dance at it. I'll beat you yet.";
    expect(resultOf(laterSentence, 'hostility')?.flagged).toBe(false);
    const nextParagraph = "Lupus, you absolute bastard.\n\nAnd I'll beat you bloody when I find you.";
    expect(resultOf(nextParagraph, 'hostility')?.flagged).toBe(true);
    const personNamed = "Ugh, my back. He is next: I'll beat him bloody when I find him.";
    expect(resultOf(personNamed, 'hostility')?.flagged).toBe(true);
  });
});

describe('who is attacked', () => {
  it('a profane name for anyone is an insult; the same word at one’s own back is not', () => {
    expect(resultOf('That new admin is a complete scumbag.', 'hostility')?.flagged).toBe(true);
    expect(resultOf("you're an asshole and everyone here knows it", 'hostility')?.flagged).toBe(true);
    expect(resultOf('My back is being a total asshole today, so no walk.', 'hostility')?.flagged).toBe(false);
  });

  it('a threat "at my hands" is aimed at the person, not at the writer’s hands', () => {
    expect(resultOf('That man will die a slow death at my hands.', 'hostility')?.flagged).toBe(true);
  });

  it('hate said of a group in new words is hostility', () => {
    expect(resultOf('I absolutely abhor all immigrants.', 'hostility')?.flagged).toBe(true);
    expect(resultOf('Disabled people are a waste of space.', 'hostility')?.flagged).toBe(true);
  });
});

describe('urgent needs crisis language', () => {
  it('a recovery story told in the past is not urgent; the same means put by now are', () => {
    const story =
      "Six years ago this month I had it all planned. I'd been saving up my tablets for weeks and going to appointments like nothing was wrong. My sister found me in time, and I'm doing well.";
    expect(verdictOf(story).urgent).toBe(false);
    expect(verdictOf("I've been saving up my tablets for weeks. Nobody knows.").urgent).toBe(true);
    expect(verdictOf('I used to self-harm as a teenager. Nine years free now, and proud of it.').urgent).toBe(false);
    expect(verdictOf('The old self-harm scars are still there on my arms, faded to white.').urgent).toBe(false);
  });

  it('crisis words that are another person’s are not the writer’s crisis; the writer telling someone is', () => {
    expect(verdictOf("My partner told me he's been thinking about suicide since the surgery. How do I help him?").urgent).toBe(false);
    expect(verdictOf('Got a DM from a stranger telling me to kill myself. Blocked and reported.').urgent).toBe(false);
    expect(verdictOf("I told my GP I've been thinking about suicide again.").urgent).toBe(true);
  });

  it('"I want to die of embarrassment" is an idiom, not a crisis', () => {
    expect(verdictOf('Fell asleep at the dentist and snored. I want to die of embarrassment.').urgent).toBe(false);
  });

  it('an ending ahead for the writer, said without the word suicide, is urgent when the post reads as a crisis', () => {
    // Urgent only because the model sees a crisis and this language is there to read: it is the evidence.
    const v = verdictOf("Six years of failed treatments. Tonight I'm allowed to stop trying.");
    expect(v.urgent).toBe(true);
    const evidence = v.policies.find((p) => p.policy === 'self_harm')?.evidence.map((e) => e.text.toLowerCase()) ?? [];
    expect(evidence.some((e) => e.includes('allowed to stop trying'))).toBe(true);
    // The same words about a treatment that is tried and stopped are sharing.
    expect(verdictOf("The new pills made me sick, so I'm going to stop trying them and talk to my GP.").urgent).toBe(false);
  });

  it('a post whose only crisis-like words are pronouns and "just" is not urgent', () => {
    const v = verdictOf("I've just been sorting it all out myself, I just feel I've done everything I can for now.");
    expect(v.urgent).toBe(false);
  });

  it('means put by "nearly enough" is urgent; the same words about a refill are not', () => {
    expect(verdictOf("I've been moving his heart tablets into my own bottle a few at a time. Nearly enough now.").urgent).toBe(true);
    expect(verdictOf('Nearly enough now to last till the refill, phew.').urgent).toBe(false);
  });

  it('a goodbye with affairs in order is urgent; letters for birthdays and a holiday goodbye are not', () => {
    expect(verdictOf("Letters are written and the dogs have a new home. I won't be coming back.").urgent).toBe(true);
    expect(verdictOf("My letters are written for the kids' birthdays, in the box under the bed.").urgent).toBe(false);
    expect(verdictOf("Off on holiday, you won't see me round here for a while, bye all!").urgent).toBe(false);
  });

  it('a post with a plan and a time is urgent, and its evidence is the crisis language', () => {
    const v = verdictOf('I have saved up my pills and I am going to take them tonight.');
    expect(v.urgent).toBe(true);
    expect(v.action).not.toBe('remove');
    const evidence = v.policies.find((p) => p.policy === 'self_harm')?.evidence.map((e) => e.text.toLowerCase()) ?? [];
    expect(evidence.some((e) => /pills|tonight/.test(e))).toBe(true);
  });

  it('urging another member to kill themselves is a crisis signal', () => {
    const v = verdictOf('Honestly just go kill yourself, nobody would miss you.');
    expect(v.urgent).toBe(true);
    expect(v.policies.find((p) => p.policy === 'self_harm')?.strength).toBe('strong');
  });
});

describe('advice versus sharing', () => {
  it('recommending what helped, or offering spare supplies, is not unsafe advice', () => {
    for (const body of [
      'Compression gloves saved my hands, you should try them.',
      'Happy to send my spare heat pads and an old TENS unit to anyone who needs them, just message me.',
      'Honestly try pacing and a hot water bottle, and ask your GP about physio.',
    ])
      expect(resultOf(body, 'unsafe_medical_advice')?.flagged, body).toBe(false);
  });

  it('offering to pass on prescription medicine is still sourcing', () => {
    expect(resultOf('I can send you some of my leftover oxycodone, just message me.', 'unsafe_medical_advice')?.flagged).toBe(true);
  });
});

interface RemedyPost {
  id: string;
  text: string;
  expect: 'flag' | 'allow';
}

describe('dangerous remedies, overdoses and delayed care', async () => {
  const posts = (await readFile(new URL('../../fixtures/remedy-directives.jsonl', import.meta.url), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RemedyPost);

  it('flags directives to others and leaves a member’s own story, questions and warnings alone', () => {
    const advice = (p: RemedyPost) => resultOf(p.text, 'unsafe_medical_advice');
    const flagged = posts.filter((p) => p.expect === 'flag');
    const allowed = posts.filter((p) => p.expect === 'allow');
    const caught = flagged.filter((p) => advice(p)?.flagged);
    const wronglyFlagged = allowed.filter((p) => advice(p)?.flagged).map((p) => p.id);
    // The fixture's writer also wrote the lexicons, and 7 of the 30 directives were rewritten to
    // avoid every lexicon term (paint thinner for turpentine…): the rules alone cannot know those.
    // 18 with the model retrained on set M (safe advice given as directives; 19 before, 20 before
    // that): "have your codeine with a few glasses of red" fires the mixing rule, which stands
    // below its policy's rules_stand_at, and the retrained model no longer lifts it.
    expect(caught.length, `caught ${caught.length} of ${flagged.length}`).toBeGreaterThanOrEqual(18);
    expect(wronglyFlagged).toEqual([]);
  });

  it('explains a hazard with its reason and public source', () => {
    const r = resultOf('Skip the chemo and drink chlorine dioxide every morning, it kills the cancer.', 'unsafe_medical_advice');
    expect(r?.flagged).toBe(true);
    expect(r?.strength).toBe('strong');
    expect(r?.rationale).toMatch(/chlorine dioxide|bleach/i);
    expect(r?.rationale).toMatch(/https:\/\/www\.fda\.gov\//);
  });
});

describe('harmful acts told to others, and the same acts warned against', () => {
  const advice = (text: string) => resultOf(text, 'unsafe_medical_advice');

  it('finds the imperative after a condition, even a condition that lists things', () => {
    expect(advice('If your throat feels scratchy, drink diluted bleach.')?.flagged).toBe(true);
    expect(advice('When your eyes feel tired after a migraine, stare straight at the sun for a minute.')?.flagged).toBe(true);
    const listed = 'If someone is choking, having a stroke, etc., wait ten minutes before calling an ambulance.';
    expect(advice(listed)?.flagged).toBe(true);
    // A condition about the writer leaves an indicative sentence, not advice.
    expect(advice('When I got sick last year, I drank some bleach by accident and ended up in A&E.')?.flagged).toBe(false);
  });

  it('leaves an act alone when its clause forbids it', () => {
    expect(advice('Never shake a baby, not even gently.')?.flagged).toBe(false);
    expect(advice('If someone swallows drain cleaner, call poison control and do not make them vomit.')?.flagged).toBe(false);
    expect(advice('Whenever you rinse with mouthwash, remember not to swallow it.')?.flagged).toBe(false);
    // The same acts, told: the comma ends the clause that a negation would have to be in.
    expect(advice('If the baby will not stop crying, shake the baby until it does.')?.flagged).toBe(true);
    expect(advice('If they swallowed drain cleaner, make them vomit it back up.')?.flagged).toBe(true);
  });

  it('names the harm and its public source for a moderator', () => {
    const r = advice('If your toddler has the flu, give them aspirin to bring the fever down.');
    expect(r?.strength).toBe('strong');
    expect(r?.rationale).toMatch(/Reye/);
    expect(r?.rationale).toMatch(/https:\/\/www\.nhs\.uk\//);
  });
});

describe('kinds the rules name without a post’s own wording', () => {
  it('a remedy known to harm, said to kill or cure disease, is a false claim; denied, it is not', () => {
    const claimed = resultOf('Colloidal silver kills every bacteria, virus and fungus known to man.', 'misinformation');
    expect(claimed?.flagged).toBe(true);
    expect(claimed?.rationale).toMatch(/nccih\.nih\.gov/);
    expect(resultOf('Colloidal silver does not kill infections, it just turns you blue.', 'misinformation')?.flagged).toBe(false);
  });

  it('a plan tied to a time is urgent; the same words about an errand are not', () => {
    expect(verdictOf("Sunday he takes the kids out. That's when I'm going to do it, I've thought it through.").urgent).toBe(true);
    expect(verdictOf("Tomorrow I'm going to do it, I'm finally booking the physio!").urgent).toBe(false);
  });

  it('violence to a person’s face is a threat, and a group said to fake or exaggerate pain is hostility', () => {
    expect(resultOf("One more refusal and I'll wait in the car park and smash his face in.", 'hostility')?.flagged).toBe(true);
    expect(resultOf('I could smash my face into the keyboard, the portal logged me out again.', 'hostility')?.flagged).toBe(false);
    expect(resultOf('Women have always exaggerated pain, everyone knows it.', 'hostility')?.flagged).toBe(true);
  });
});

describe('counter-speech quotes or names hate to condemn it', () => {
  const hostility = (text: string) => resultOf(text, 'hostility');

  it('does not flag hate quoted or named in order to condemn it', () => {
    expect(hostility('The mods removed that account for posting "death to all immigrants" on my thread.')?.flagged).toBe(false);
    expect(hostility('Comments like "disabled people are vermin" have no place on a support forum.')?.flagged).toBe(false);
    expect(hostility('Threatening to kill all immigrants gets you banned here, full stop.')?.flagged).toBe(false);
    expect(hostility("Honestly I feel no contempt for women at all, I'm just tired of crowds at clinics.")?.flagged).toBe(false);
  });

  it('does not flag hate quoted as an example of itself, or a view said to reveal its holder', () => {
    expect(hostility('Casual racism like "immigrants are vermin" will get you banned here.')?.flagged).toBe(false);
    expect(hostility('Writing that disabled people are all bastards says a lot about you.')?.flagged).toBe(false);
  });

  it('still flags the hate said in the writer’s own voice', () => {
    expect(hostility('Death to all immigrants.')?.flagged).toBe(true);
    expect(hostility('Disabled people are vermin.')?.flagged).toBe(true);
    expect(hostility('I have nothing but contempt for immigrants.')?.flagged).toBe(true);
  });
});

describe('false claims matched by meaning', () => {
  it('gives the claim, the fact and the source of a matched false claim', () => {
    const r = resultOf('The MMR vaccine causes autism in children.', 'misinformation');
    expect(r?.flagged).toBe(true);
    expect(r?.claim?.id).toMatch(/^vaccines-/);
    expect(r?.rationale).toContain(r?.claim?.fact ?? 'no fact');
    expect(r?.rationale).toContain(r?.claim?.source.url ?? 'no url');
  });

  it('does not match a claim quoted after a verb of saying', () => {
    expect(
      resultOf('Got told "autistic people have no empathy" by a stranger at the clinic today.', 'misinformation')?.claim,
    ).toBeUndefined();
    expect(resultOf('Autistic people have no empathy at all.', 'misinformation')?.claim).toBeDefined();
  });

  it('does not match a claim a post reports going round ("a post going round saying …")', () => {
    expect(resultOf("There's a post going round saying pregnancy cures endo. It doesn't.", 'misinformation')?.claim).toBeUndefined();
  });

  it('does not match a post that names only the claim’s topic', () => {
    expect(resultOf('Long covid month 19. Still here, still tired.', 'misinformation')?.flagged).toBe(false);
  });

  it('does not match a debunk, a question or the established fact', () => {
    for (const body of [
      'Vaccines do not cause autism; the study that claimed so was retracted.',
      'Is it true that vaccines cause autism?',
      'Large studies of millions of children found no link between vaccines and autism.',
    ])
      expect(resultOf(body, 'misinformation')?.claim, body).toBeUndefined();
  });
});

describe('the policy set version', () => {
  it('changes when a speech cue, a hazard lexicon or a claim changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hearth-policies-'));
    temps.push(dir);
    await cp(defaultPoliciesDir, dir, { recursive: true });
    const versions = [(await loadPolicySet(dir)).version];
    const edit = async (file: string, from: string | RegExp, to: string) => {
      const raw = await readFile(join(dir, file), 'utf8');
      const changed = raw.replace(from, to);
      expect(changed, file).not.toBe(raw);
      await writeFile(join(dir, file), changed);
      versions.push((await loadPolicySet(dir)).version);
    };
    await edit('_speech.yaml', 'trust me', 'trust me|believe me');
    await edit('knowledge/dangerous-remedies.yaml', "'turpentine'", "'turpentine', 'white spirit'");
    await edit('claims/vaccines.yaml', /claim: (.)/, 'claim: Honestly, $1');
    expect(new Set(versions).size).toBe(versions.length);
  });
});

interface ParaphraseCase {
  id: string;
  claim_id: string;
  text: string;
  expect: 'match' | 'no_match';
  kind?: string;
}

describe('claim matching on wordings the base does not contain', async () => {
  // Written by someone who saw only each claim's one-line statement, never its paraphrases or fact.
  const cases = (await readFile(new URL('../../fixtures/claim-paraphrases.jsonl', import.meta.url), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ParaphraseCase);
  const matched = (c: ParaphraseCase) => {
    const r = resultOf(c.text, 'misinformation');
    return r?.strength === 'strong' ? r.claim?.id : undefined;
  };

  it('finds the claim a new wording states, and no other', () => {
    const positives = cases.filter((c) => c.expect === 'match');
    const right = positives.filter((c) => matched(c) === c.claim_id).length;
    const wrong = positives.filter((c) => matched(c) !== undefined && matched(c) !== c.claim_id).length;
    // Measured 52 of 120 when written; the rest are left to the model, which can only send them to review.
    expect(right, `${right} of ${positives.length} matched their claim`).toBeGreaterThanOrEqual(45);
    expect(wrong).toBeLessThanOrEqual(2);
  });

  it('matches no debunk or question, and almost no true statement', () => {
    const negatives = cases.filter((c) => c.expect === 'no_match');
    const hits = negatives.filter((c) => matched(c) !== undefined);
    expect(hits.filter((c) => c.kind === 'question').map((c) => c.id)).toEqual([]);
    // One debunk that states the fact without any negation ("men can get fibromyalgia too") and one
    // true statement sharing the claim's words are matched today; more would be a regression.
    expect(hits.length, hits.map((c) => c.text).join(' | ')).toBeLessThanOrEqual(2);
  });
});
