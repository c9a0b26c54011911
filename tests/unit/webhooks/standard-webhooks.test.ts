import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSecret, sign, signedHeaders, verify } from '../../../src/webhooks/standard-webhooks.ts';

describe('Standard Webhooks signing', () => {
  const secret = generateSecret();
  const body = '{"id":"post-1","body":"héllo 🌿"}';

  it('generates whsec_ secrets of 24 random bytes', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(generateSecret()).not.toBe(secret);
  });

  it('produces signatures the reference implementation accepts', () => {
    const headers = signedHeaders(secret, 'msg_1', body);
    expect(() => new Webhook(secret).verify(body, { ...headers })).not.toThrow();
  });

  it('accepts what the reference implementation signs', () => {
    const at = new Date();
    const signature = new Webhook(secret).sign('msg_2', at, body);
    expect(verify(secret, { id: 'msg_2', timestamp: String(Math.floor(at.getTime() / 1000)), signature }, body)).toBeNull();
  });

  it('matches the published test vector format', () => {
    // Example from the Standard Webhooks specification.
    const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(sign(specSecret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('rejects missing headers, bad and stale timestamps, and wrong signatures', () => {
    const now = Date.now();
    const ts = String(Math.floor(now / 1000));
    const good = sign(secret, 'msg_3', Number(ts), body);
    expect(verify(secret, { id: 'msg_3', timestamp: ts }, body)).toBe('missing_headers');
    expect(verify(secret, { id: 'msg_3', timestamp: 'soon', signature: good }, body)).toBe('bad_timestamp');
    expect(verify(secret, { id: 'msg_3', timestamp: ts, signature: good }, body, now + 301_000)).toBe('stale_timestamp');
    expect(verify(secret, { id: 'msg_3', timestamp: ts, signature: good }, body, now - 301_000)).toBe('stale_timestamp');
    expect(verify(secret, { id: 'msg_3', timestamp: ts, signature: good }, `${body} `)).toBe('bad_signature');
    expect(verify(secret, { id: 'msg_4', timestamp: ts, signature: good }, body)).toBe('bad_signature');
    expect(verify(generateSecret(), { id: 'msg_3', timestamp: ts, signature: good }, body)).toBe('bad_signature');
    expect(verify(secret, { id: 'msg_3', timestamp: ts, signature: good.replace('v1,', 'v2,') }, body)).toBe('bad_signature');
  });

  it('accepts any one of several space-separated signatures (secret rotation)', () => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = `${sign(generateSecret(), 'msg_5', ts, body)} ${sign(secret, 'msg_5', ts, body)}`;
    expect(verify(secret, { id: 'msg_5', timestamp: String(ts), signature }, body)).toBeNull();
  });
});
