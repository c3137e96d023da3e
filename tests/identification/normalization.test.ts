import { describe, expect, it } from 'vitest';
import { AliasTable, bundledAliases } from '../../lib/identification/aliases';
import { canonicalCpe, parseCpe } from '../../lib/identification/cpe';
import { canonicalVersion, compareVersions } from '../../lib/identification/version';

describe('CPE', () => {
  it.each([
    ['cpe:/a:microsoft:internet_explorer:8.0.6001:beta', 'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*'],
    ['cpe:/o:linux:linux_kernel:5.10', 'cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*'],
    ['cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~', 'cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*'],
    ['cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~', 'cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*'],
    ['cpe:/a:openssl:openssl:1.1.1k:-', 'cpe:2.3:a:openssl:openssl:1.1.1k:-:*:*:*:*:*:*'],
  ])('reads the 2.2 URI %s as the 2.3 string %s', (uri, formatted) => {
    expect(canonicalCpe(uri)).toBe(canonicalCpe(formatted));
  });

  it('undoes the quoting of each binding', () => {
    const formatted = parseCpe('cpe:2.3:a:foo\\\\bar:big\\$money:1.0:*:*:*:*:*:*:*');
    expect(formatted?.vendor).toEqual({ kind: 'value', text: 'foo\\\\bar' });
    expect(formatted?.product).toEqual({ kind: 'value', text: 'big$money' });
    expect(parseCpe('cpe:/a:acme:big%24money')?.product).toEqual({ kind: 'value', text: 'big$money' });
  });

  it('keeps a quoted colon inside a value', () => {
    const cpe = parseCpe('cpe:2.3:a:vendor:product\\:name:1.0:*:*:*:*:*:*:*');
    expect(cpe?.product).toEqual({ kind: 'value', text: 'product:name' });
    expect(canonicalCpe('cpe:2.3:a:vendor:product\\:name:1.0:*:*:*:*:*:*:*')).toBe('cpe:2.3:a:vendor:product\\:name:1.0:*:*:*:*:*:*:*');
  });

  it('tells wildcards from escaped literal stars', () => {
    expect(parseCpe('cpe:2.3:a:vendor:prod*:1.0:*:*:*:*:*:*:*')?.product).toEqual({ kind: 'value', text: 'prod*' });
    expect(parseCpe('cpe:2.3:a:vendor:prod\\*:1.0:*:*:*:*:*:*:*')?.product).toEqual({ kind: 'value', text: 'prod\\*' });
    expect(parseCpe('cpe:/a:vendor:prod%02')?.product).toEqual({ kind: 'value', text: 'prod*' });
    expect(parseCpe('cpe:/a:vendor:prod%2a')?.product).toEqual({ kind: 'value', text: 'prod\\*' });
  });

  it('tells ANY from NA', () => {
    const cpe = parseCpe('cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*');
    expect(cpe?.version).toEqual({ kind: 'na' });
    expect(cpe?.update).toEqual({ kind: 'any' });
  });

  it('folds case, aliases the vendor and parses the version', () => {
    expect(canonicalCpe('cpe:2.3:a:Microsoft_Corporation:Office:16.0.04266:*:*:*:*:*:*:*')).toBe(canonicalCpe('cpe:/a:microsoft:office:16.0.4266'));
  });

  it.each(['cpe:2.3:a:too:few', 'cpe:/a:x:y:1:2:3:4:5', 'cpe:/a:bad%zz', 'cpe:2.3:a:v:p:1.0:*:*:*:*:*:*:', 'not a cpe', 'cpe:2.3:a:v:p\\'])('rejects %s', (text) => {
    expect(parseCpe(text)).toBeUndefined();
  });
});

describe('aliases', () => {
  it.each([
    ['Microsoft Corporation', 'microsoft'],
    ['  MICROSOFT   corp. ', 'microsoft'],
    ['The Apache Software Foundation', 'apache'],
    ['Oracle Corporation', 'oracle'],
    ['Acme Widgets, Inc.', 'acme_widgets'],
    ['Acme Widgets GmbH', 'acme_widgets'],
  ])('maps the vendor %s to %s', (spelling, canonical) => {
    expect(bundledAliases.vendor(spelling)).toBe(canonical);
  });

  it.each([
    ['Apache HTTP Server', 'http_server'],
    ['httpd', 'http_server'],
    ['apache2', 'http_server'],
    ['org.apache.logging.log4j:log4j-core', 'log4j'],
    ['Node.js', 'node.js'],
    ['Some Tool', 'some_tool'],
  ])('maps the product %s to %s', (spelling, canonical) => {
    expect(bundledAliases.product(spelling)).toBe(canonical);
  });

  it('lets later tables override earlier ones', () => {
    const table = new AliasTable({ vendors: { microsoft: ['MS'] }, products: {} }, { vendors: { 'ms-internal': ['MS'] }, products: {} });
    expect(table.vendor('ms')).toBe('ms-internal');
  });
});

describe('versions', () => {
  it.each([
    ['1.02', '1.2'],
    ['v2.4.49', '2.4.49'],
    ['0:1.2.3-1', '1.2.3-1'],
    ['1.2.3-RC.01', '1.2.3-rc.1'],
    ['2.4.049', '2.4.49'],
  ])('parses %s and %s to one version', (left, right) => {
    expect(canonicalVersion(left)).toBe(canonicalVersion(right));
    expect(compareVersions(left, right)).toBe(0);
  });

  it.each([
    ['1.2', '1.2.0'],
    ['1:1.0', '1.0'],
    ['1.2.3-1', '1.2.3-2'],
    ['1.2+dfsg', '1.2'],
  ])('keeps %s and %s apart', (left, right) => {
    expect(canonicalVersion(left)).not.toBe(canonicalVersion(right));
  });

  it('orders versions by their parsed form', () => {
    const sorted = ['1.10', '1.9', '1:0.1', '1.0~rc1', '1.0', '1.0a'].sort(compareVersions);
    expect(sorted).toEqual(['1.0~rc1', '1.0', '1.0a', '1.9', '1.10', '1:0.1']);
  });
});
