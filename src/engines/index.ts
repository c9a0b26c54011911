import { discourseAdapter } from './discourse.ts';
import type { EngineAdapter } from './engine.ts';
import { mastodonAdapter } from './mastodon.ts';

/** Every engine Hearth takes webhooks from, by the name in /v1/hooks/{engine}/{forumId}. */
export const engines: Record<string, EngineAdapter> = {
  [discourseAdapter.name]: discourseAdapter,
  [mastodonAdapter.name]: mastodonAdapter,
};
