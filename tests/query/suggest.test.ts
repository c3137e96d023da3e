import { describe, expect, it } from 'vitest';
import { suggest } from '../../lib/query/suggest';

describe('suggest', () => {
  it('completes a token prefix', () => {
    const suggestions = suggest('finding.sev', 11, 'finding');
    expect(suggestions.map((item) => item.label)).toEqual(['finding.severity']);
    expect(suggestions[0]).toMatchObject({ insert: 'finding.severity:', start: 0, end: 11 });
  });

  it('ranks tokens of the own entity first', () => {
    const labels = suggest('', 0, 'asset').map((item) => item.label);
    expect(labels[0]?.startsWith('asset.')).toBe(true);
  });

  it('completes enum values after the operator', () => {
    const text = 'finding.title:x AND finding.severity>=hi';
    expect(suggest(text, text.length, 'finding').map((item) => item.label)).toEqual(['high']);
  });

  it('completes values inside a list', () => {
    const text = 'finding.status:[new, re';
    const suggestions = suggest(text, text.length, 'finding');
    expect(suggestions.map((item) => item.label)).toEqual(['reopened']);
    expect(suggestions[0]).toMatchObject({ start: text.length - 2, end: text.length });
  });

  it('offers true and false for boolean tokens', () => {
    expect(suggest('asset.internetFacing:', 21, 'asset').map((item) => item.label)).toEqual(['true', 'false']);
  });

  it('suggests the ATT&CK tokens', () => {
    expect(suggest('finding.mitre', 13, 'finding').map((suggestion) => suggestion.label)).toEqual([
      'finding.mitre.attack.technique.id',
      'finding.mitre.attack.technique.name',
      'finding.mitre.attack.tactic.name',
      'finding.mitre.attack.group.id',
      'finding.mitre.attack.group.name',
    ]);
  });

  it('suggests the risk acceptance tokens', () => {
    expect(suggest('finding.risk', 12, 'finding').map((suggestion) => suggestion.label)).toContain('finding.riskAcceptance.endDate');
  });

  it('suggests nothing for free-text values', () => {
    expect(suggest('finding.title:ope', 17, 'finding')).toEqual([]);
  });
});
