import type { SuggestedReply } from './crisis-support.ts';

/** One span of someone else's personal data masked in `redacted_body`. */
export interface Redaction {
  /** Offsets into the body the forum sent, in UTF-16 code units (JavaScript string indices). */
  start: number;
  end: number;
  kind: 'phone' | 'email' | 'address' | 'name' | 'date_of_birth';
  replacement: string;
}

/** What a decision carries for the member and the forum beyond the action (see decisions.remedy). */
export interface DecisionRemedy {
  redacted_body?: string | null;
  redactions?: Redaction[];
  author_message?: { language: string; text: string } | null;
  suggested_reply?: SuggestedReply | null;
}
