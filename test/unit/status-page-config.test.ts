import { describe, expect, it } from 'vitest';
import { parseListen } from '../../cli/parse-listen.js';
import { ConfigError } from '../../core/config/config-error.js';
import { parseConfig } from '../../core/config/parse-config.js';
import { escapeXml, renderBadge } from '../../core/summary/render-badge.js';

describe('status_page config', () => {
  it('accepts title, banners and durations, in nanoseconds like every duration', () => {
    const config = parseConfig(
      JSON.stringify({
        checkers: [],
        status_page: { title: 'Ours', banner_healthy: 'OK', refresh_interval: '30s' },
      }),
    );
    expect(config.status_page).toEqual({ title: 'Ours', banner_healthy: 'OK', refresh_interval: 30e9 });
  });

  it('names a misspelt key and a bad duration with their places', () => {
    const config = JSON.stringify({ checkers: [], status_page: { titel: 'x', refresh_interval: 'soon' } });
    let error: unknown;
    try {
      parseConfig(config);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('status_page.titel: unknown key; did you mean "title"?');
    expect(message).toContain('status_page.refresh_interval');
  });
});

describe('parseListen', () => {
  it.each([
    [':2015', { host: undefined, port: 2015 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
    ['[::1]:2015', { host: '::1', port: 2015 }],
    ['2015', undefined],
    [':70000', undefined],
    ['a b:1', undefined],
  ])('reads %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });
});

describe('renderBadge', () => {
  it('escapes the endpoint name and colours by status', () => {
    const badge = renderBadge('<script>alert("x")</script> & co', 'down');
    expect(badge).not.toContain('<script>');
    expect(badge).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; co');
    expect(badge).toContain('fill="#cf222e"');
    expect(renderBadge('API', 'healthy')).toContain('>up</text>');
    expect(escapeXml(`'`)).toBe('&#39;');
  });
});
