import { describe, expect, it } from 'vitest';
import { segmentText } from '../../../src/http/dashboard/highlight.ts';

describe('segmentText', () => {
  it('cuts at every boundary so overlapping spans of two policies are each marked and labelled where they begin', () => {
    const text = 'You liar, call 0412 555 019 now';
    const segments = segmentText(text, [
      { start: 0, end: 8, policy: 'hostility' },
      { start: 4, end: 27, policy: 'privacy_leak' },
    ]);
    expect(segments).toEqual([
      { text: 'You ', policies: ['hostility'], starts: ['hostility'] },
      { text: 'liar', policies: ['hostility', 'privacy_leak'], starts: ['privacy_leak'] },
      { text: ', call 0412 555 019', policies: ['privacy_leak'], starts: [] },
      { text: ' now', policies: [], starts: [] },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('leaves out spans that do not fit the text (purged or edited), rather than marking the wrong words', () => {
    const text = 'short';
    const segments = segmentText(text, [
      { start: 3, end: 40, policy: 'hostility' },
      { start: 4, end: 2, policy: 'self_harm' },
      { start: -1, end: 2, policy: 'misinformation' },
      { start: 2, end: 2, policy: 'privacy_leak' },
    ]);
    expect(segments).toEqual([{ text: 'short', policies: [], starts: [] }]);
  });
});
