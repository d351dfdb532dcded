import { MAX_DEPTH, TooDeep, wellFormed, wellFormedJson } from '../../src/text-safety';

describe('wellFormed', () => {
  test.each([
    ['a\u0000b', 'a\ufffdb'],
    ['\ud800', '\ufffd'],
    ['\udc00x', '\ufffdx'],
    ['x\udfff\ud800', 'x\ufffd\ufffd'],
    ['\udc00\ud800', '\ufffd\ufffd'], // low then high: neither is a pair
    ['\ud83d\ude00 ok', '\ud83d\ude00 ok'], // a real pair is kept
    ['plain é 中文', 'plain é 中文'],
    ['\\u0000 typed out', '\\u0000 typed out'],
  ])('%j -> %j', (input, output) => {
    expect(wellFormed(input)).toBe(output);
  });
});

describe('wellFormedJson', () => {
  test('strings in values and keys, at any depth, are made well-formed; other values are kept', () => {
    const input = JSON.parse('{"a\\u0000":["x\\ud800",1,null,true,{"b":"\\udc00"}],"__proto__":{"polluted":"\\u0000"}}');
    const out = wellFormedJson(input);
    expect(out).toEqual(JSON.parse('{"a\\ufffd":["x\\ufffd",1,null,true,{"b":"\\ufffd"}],"__proto__":{"polluted":"\\ufffd"}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('nesting deeper than the limit is refused, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(() => wellFormedJson(deep)).toThrow(TooDeep);
    const ok = JSON.parse('['.repeat(MAX_DEPTH - 1) + ']'.repeat(MAX_DEPTH - 1));
    expect(wellFormedJson(ok)).toEqual(ok);
  });
});
