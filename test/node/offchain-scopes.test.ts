// CADENCE_OFFCHAIN_KEY_DIDS: which DIDs each off-chain API key may write history for, parsed with
// the rest of the configuration; mistakes stop the core at start instead of widening a key's reach.
import { describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { parseDidScopes, scopeCovers } from '../../core/offchain/limits.ts';

const KEYS = 'owner:owner-key-0123456789abcdef,trusted:trusted-key-0123456789abcdef,reader:reader-key-0123456789abcdef';

describe('CADENCE_OFFCHAIN_KEY_DIDS', () => {
  it('binds named keys to DIDs (or to every DID with *); keys without an entry are read-only', () => {
    const config = parseCoreConfig({ CADENCE_OFFCHAIN_API_KEYS: KEYS, CADENCE_OFFCHAIN_KEY_DIDS: 'owner=did:sub:alice|0x742d35Cc, trusted=*' });
    const scopes = config.offchain.keyDids;
    expect(scopeCovers(scopes.get('owner'), 'did:sub:alice')).toBe(true);
    expect(scopeCovers(scopes.get('owner'), '0x742d35Cc')).toBe(true);
    expect(scopeCovers(scopes.get('owner'), 'did:sub:bob')).toBe(false);
    expect(scopeCovers(scopes.get('owner'), 'did:sub:alicex')).toBe(false);
    expect(scopeCovers(scopes.get('trusted'), 'did:sub:bob')).toBe(true);
    expect(scopeCovers(scopes.get('reader'), 'did:sub:alice')).toBe(false);
    expect(config.offchain.openEnrolment).toBe(false);
  });

  it('is empty and open enrolment off unless set', () => {
    const config = parseCoreConfig({});
    expect(config.offchain.keyDids.size).toBe(0);
    expect(config.offchain.openEnrolment).toBe(false);
    expect(parseCoreConfig({ CADENCE_OFFCHAIN_OPEN_ENROLMENT: '1' }).offchain.openEnrolment).toBe(true);
    expect(() => parseCoreConfig({ CADENCE_OFFCHAIN_OPEN_ENROLMENT: 'yes' })).toThrow(/offchain.openEnrolment/);
  });

  it.each([
    ['nobody=did:sub:alice', /nobody, which is not a key in CADENCE_OFFCHAIN_API_KEYS/],
    ['owner', /expected name=did1\|did2/],
    ['=did:sub:alice', /expected name=did1\|did2/],
    ['owner=', /lists no DID/],
    ['owner=did:sub:a,owner=did:sub:b', /listed twice/],
    ['owner=*|did:sub:a', /\* stands alone/],
    ['owner=did with space', /is not a DID/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseCoreConfig({ CADENCE_OFFCHAIN_API_KEYS: KEYS, CADENCE_OFFCHAIN_KEY_DIDS: spec })).toThrow(message);
  });

  it('parses on its own as documented', () => {
    expect(parseDidScopes('a=x|y,b=*')).toEqual(new Map<string, unknown>([['a', new Set(['x', 'y'])], ['b', 'any']]));
    expect(parseDidScopes(undefined)).toEqual(new Map());
  });
});
