export const policyIds = ['misinformation', 'unsafe_medical_advice', 'hostility', 'privacy_leak', 'self_harm'] as const;
export type PolicyId = (typeof policyIds)[number];

export const actionOrder = ['allow', 'review', 'hold', 'remove'] as const;
export type ModerationAction = (typeof actionOrder)[number];

/** A character span of the original post text that drove a flag. */
export interface Evidence {
  start: number;
  end: number;
  text: string;
  /** Set to "title" when the span is in the post's title; offsets then index the title. */
  field?: 'title';
}

export interface PolicyResult {
  policy: PolicyId;
  score: number;
  flagged: boolean;
  evidence: Evidence[];
  rationale: string;
}

export interface Verdict {
  action: ModerationAction;
  urgent: boolean;
  policies: PolicyResult[];
}
