import { describe, expect, it } from 'vitest';
import { callbackUrlProblem, isPublicAddress, PrivateAddressError } from '../../../src/webhooks/callback-address.ts';

describe('callback address guard', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['100.64.0.1', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['not-an-ip', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('validates callback URLs', () => {
    expect(callbackUrlProblem('https://forum.example/hearth', false)).toBeNull();
    expect(callbackUrlProblem('ftp://forum.example/hearth', false)).toMatch(/http/);
    expect(callbackUrlProblem('not a url', false)).toMatch(/valid URL/);
    expect(callbackUrlProblem('https://user:pw@forum.example/', false)).toMatch(/credentials/);
    expect(callbackUrlProblem('http://127.0.0.1:8080/x', false)).toMatch(/not public/);
    expect(callbackUrlProblem('http://[::1]:8080/x', false)).toMatch(/not public/);
    expect(callbackUrlProblem('http://localhost:8080/x', false)).toMatch(/localhost/);
    expect(callbackUrlProblem('http://127.0.0.1:8080/x', true)).toBeNull();
  });

  it('says how to allow a private or loopback callback for a local trial', () => {
    for (const url of ['http://127.0.0.1:9000/hearth', 'http://[::1]:9000/x', 'http://10.0.0.5/hook', 'http://localhost:9000/x']) {
      expect(callbackUrlProblem(url, false)).toMatch(/HEARTH_ALLOW_PRIVATE_CALLBACKS=1/);
    }
    expect(new PrivateAddressError('forum.internal', '10.1.2.3').message).toMatch(
      /forum\.internal resolves to non-public address 10\.1\.2\.3; set HEARTH_ALLOW_PRIVATE_CALLBACKS=1/,
    );
  });
});
