import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/moderation/decide.ts';
import { createLocalScorer } from '../../../src/moderation/local-scorer.ts';
import type { PolicyId } from '../../../src/moderation/types.ts';
import { loadPolicySet } from '../../../src/policies/loader.ts';

const policySet = await loadPolicySet();
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);

function flags(text: string, format?: 'text' | 'markdown' | 'html'): PolicyId[] {
  return scorer
    .score(text, format)
    .policies.filter((p) => p.flagged)
    .map((p) => p.policy);
}

function evidenceIsExact(text: string, format?: 'text' | 'markdown' | 'html') {
  for (const p of scorer.score(text, format).policies) for (const e of p.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
}

/** A scorer whose model knows one word, "pineapple", and flags the given policies on it alone. */
function scorerWithPlantedModel(policies: PolicyId[]) {
  const model = {
    format: 'hearth-linear-model/1' as const,
    trained_on: [],
    policies: Object.fromEntries(policies.map((p) => [p, { weights: { 'w:pineapple': 50 } }])),
  };
  return createLocalScorer(policySet.policies, model, policySet.knowledge);
}

describe('the local scorer (rules and model together)', () => {
  it('tells a self-report from a directive', () => {
    expect(flags('I quit duloxetine cold turkey and it was hell.')).not.toContain('unsafe_medical_advice');
    expect(flags('Just quit your duloxetine cold turkey, tapering is for wimps.')).toContain('unsafe_medical_advice');
  });

  it('tells a question or a debunk from a claim', () => {
    expect(flags('Is it true turmeric cures fibro? My aunt swears by it.')).not.toContain('misinformation');
    expect(flags('Someone told me turmeric cures fibromyalgia, which is false.')).not.toContain('misinformation');
    expect(flags('Turmeric cures fibromyalgia and doctors hide it from you.')).toContain('misinformation');
  });

  it('tells an idiom from a crisis', () => {
    expect(flags('This pain is killing me today, ugh.')).not.toContain('self_harm');
    expect(flags("I've saved up my pills and tonight I'm going to take them all.")).toContain('self_harm');
  });

  it('tells venting from an attack on a member', () => {
    expect(flags('Fuck this flare and fuck my insurer, denied again.')).not.toContain('hostility');
    expect(flags("You're a pathetic attention seeker and everyone here knows it.")).toContain('hostility');
  });

  it('tells a member sharing their own details from exposing someone else', () => {
    expect(flags('Reach me at 216-555-0143 if you want to join the walking group.')).not.toContain('privacy_leak');
    expect(flags('Her number is 216-555-0143, call her and tell her what you think.')).toContain('privacy_leak');
  });

  it('tells an organisation’s public line from a person’s number', () => {
    expect(flags('The physio department at St Brennan’s takes calls at (312) 555-0187. They sorted my referral in a day.')).not.toContain(
      'privacy_leak',
    );
    expect(flags('The walking group meets on Saturdays; their office number is 555-0163 if you want to join.')).not.toContain(
      'privacy_leak',
    );
    expect(flags('The nurse from the clinic? Her personal mobile is (312) 555-0144, ring her and complain.')).toContain('privacy_leak');
  });

  it('does not take words someone said to the author as the author’s attack', () => {
    expect(
      flags('Someone at the bus stop told me "you are a pathetic liar, nobody is that sick" and I cried all the way home.'),
    ).not.toContain('hostility');
    expect(flags('You are a pathetic liar, nobody is that sick.')).toContain('hostility');
  });

  it('tells a recovery story from a crisis', () => {
    expect(flags('Three years ago I wanted to end my life, and this group is part of why I am still here.')).not.toContain('self_harm');
    expect(flags('Three years ago I tried to end my life and tonight I am going to finish it.')).toContain('self_harm');
  });

  it('does not score quoted words as the author’s', () => {
    const insult = 'You are a pathetic liar and a junkie.';
    const reply = 'Please keep it kind in here.';
    const hostility = (text: string, format?: 'text' | 'markdown' | 'html') =>
      scorer.score(text, format).policies.find((p) => p.policy === 'hostility');
    expect(hostility(insult)?.flagged).toBe(true);
    // With the insult quoted, the post scores exactly as the reply alone would.
    for (const [post, format] of [
      [`> ${insult}\n\n${reply}`, 'markdown'],
      [`[quote]${insult}[/quote]\n${reply}`, 'text'],
      [`<blockquote>${insult}</blockquote><p>${reply}</p>`, 'html'],
    ] as const) {
      expect(hostility(post, format)?.score, post).toBe(hostility(reply)?.score);
      expect(hostility(post, format)?.flagged, post).toBe(false);
    }
    expect(flags('[quote]Turmeric cures fibromyalgia, 100% proven.[/quote]\nThere is no evidence for that.')).not.toContain(
      'misinformation',
    );
  });

  it('sees through evasion, with evidence pointing at the original characters', () => {
    for (const text of [
      'You are a pathetic l1ar and a j u n k i e.',
      'You are a pathetic li\u200Bar and a junkie.',
      'Yоu are a pаthetic liar and a junkie.',
    ]) {
      const result = scorer.score(text).policies.find((p) => p.policy === 'hostility');
      expect(result?.flagged, text).toBe(true);
      for (const e of result?.evidence ?? []) expect(text.slice(e.start, e.end)).toBe(e.text);
    }
  });

  it('maps evidence into markdown and HTML bodies', () => {
    const md = "**Just** quit your _duloxetine_ cold turkey, it's [fine](https://example.com).";
    const html = '<p>Just quit your <b>duloxetine</b> cold turkey &amp; never look back.</p>';
    expect(flags(md, 'markdown')).toContain('unsafe_medical_advice');
    expect(flags(html, 'html')).toContain('unsafe_medical_advice');
    evidenceIsExact(md, 'markdown');
    evidenceIsExact(html, 'html');
  });

  it('detects the language and still flags Spanish, French and German posts', () => {
    const es = scorer.score('Quiero morir, ya no quiero vivir con este dolor. He guardado mis pastillas.');
    expect(es.language).toBe('es');
    expect(es.policies.find((p) => p.policy === 'self_harm')?.flagged).toBe(true);
    expect(scorer.score("T'es pas malade, t'es juste une feignasse.").language).toBe('fr');
    expect(flags("T'es pas malade, t'es juste une feignasse.")).toContain('hostility');
    expect(scorer.score('Setz die Tabletten einfach sofort ab, das ist alles Gift.').language).toBe('de');
  });

  it('is deterministic and reports its scorers', () => {
    const text = 'Double your gabapentin, the limit on the leaflet is just liability.';
    expect(scorer.score(text)).toEqual(scorer.score(text));
    expect(scorer.score(text).scorers).toEqual(policySet.model ? ['local-rules', 'local-model'] : ['local-rules']);
  });

  it('lets the model alone send a post to review, never hold or remove it', () => {
    const onlyModel = scorerWithPlantedModel(['hostility']);
    const result = onlyModel.score('Pineapple pineapple pineapple.').policies.find((p) => p.policy === 'hostility');
    expect(result).toMatchObject({ flagged: true, score: 0.95 });
    expect(result?.evidence[0]?.text).toBe('Pineapple');
    expect(result?.strength).toBe('model');
    expect(decide(policySet.byId, onlyModel.score('Pineapple pineapple pineapple.').policies).action).toBe('review');
  });

  it('holds a model flag under the flag when every word it leans on is quoted or reported as someone else’s', () => {
    const onlyModel = scorerWithPlantedModel(['hostility']);
    const hostility = (text: string) => onlyModel.score(text).policies.find((p) => p.policy === 'hostility');
    const quoted = hostility('Comments like "you pineapple" have no place on a support forum.');
    expect(quoted?.flagged).toBe(false);
    expect(quoted?.score).toBeGreaterThan(0.4);
    expect(hostility('She told me I was a pineapple and I laughed.')?.flagged).toBe(false);
    expect(hostility('You pineapple, leave this forum.')?.flagged).toBe(true);
  });

  it('holds a model flag resting only on the sentences its policy names (model_unless): a question claims nothing', () => {
    const onlyModel = scorerWithPlantedModel(['misinformation', 'hostility']);
    const result = (text: string, policy: string) => onlyModel.score(text).policies.find((p) => p.policy === policy);
    expect(policySet.byId.get('misinformation')?.model_unless).toContain('question');
    expect(result('Does pineapple juice help gout at all?', 'misinformation')?.flagged).toBe(false);
    expect(result('Pineapple juice clears gout for good.', 'misinformation')?.flagged).toBe(true);
    // Hostility's model_unless has no questions: a hostile question is still hostile.
    expect(result('Why are you such a pineapple?', 'hostility')?.flagged).toBe(true);
  });
});
