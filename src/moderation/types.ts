export const policyIds = ['misinformation', 'unsafe_medical_advice', 'hostility', 'privacy_leak', 'self_harm'] as const;
export type PolicyId = (typeof policyIds)[number];

export const actionOrder = ['allow', 'review', 'redact', 'hold', 'remove'] as const;
export type ModerationAction = (typeof actionOrder)[number];

/** A character span of the original post text that drove a flag. */
export interface Evidence {
  start: number;
  end: number;
  text: string;
  /** Set to "title" when the span is in the post's title; offsets then index the title. */
  field?: 'title';
}

/**
 * What a policy's score stands on, weakest first: nothing; the model's word weights alone;
 * rule patterns; strong evidence of the policy's own kind (a directive to others, an attack on
 * a person, someone else's data, a matched false claim, crisis language). Actions grow with it.
 */
export const evidenceStrengths = ['none', 'model', 'rule', 'strong'] as const;
export type EvidenceStrength = (typeof evidenceStrengths)[number];

/** The known false claim a sentence matched, shown to moderators beside the flag. */
export interface MatchedClaim {
  id: string;
  claim: string;
  fact: string;
  source: { name: string; url: string };
  similarity: number;
}

export interface PolicyResult {
  policy: PolicyId;
  score: number;
  flagged: boolean;
  evidence: Evidence[];
  rationale: string;
  /** Absent on decisions stored before it existed; read as `rule` there. */
  strength?: EvidenceStrength;
  claim?: MatchedClaim;
}

export interface Verdict {
  action: ModerationAction;
  urgent: boolean;
  policies: PolicyResult[];
}
