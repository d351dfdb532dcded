import { channelName } from '../../../src/graph/channel-name';
import { channelNameProblem } from '../../../src/sandbox/graph/channel-names';

describe('channelName', () => {
  test.each([
    [42, 'Checkout API returning 500s', 'inc-42-checkout-api-returning-500s'],
    [7, '  Paiement échoué: «carte» refusée!  ', 'inc-7-paiement-echoue-carte-refusee'],
    [3, "DB fail-over // it's #bad & <urgent>?", 'inc-3-db-fail-over-it-s-bad-urgent'],
    [9, '***', 'inc-9'],
    [12, '検索が遅い', 'inc-12-検索が遅い'],
    [13, 'हिन्दी साइट धीमी', 'inc-13-हिन्दी-साइट-धीमी'],
  ])('%i %j -> %s', (n, title, expected) => {
    expect(channelName(n, title)).toBe(expected);
    expect(channelNameProblem(expected)).toBeUndefined();
  });

  test('a long title is cut at a word boundary to fit 50 characters, with room for a suffix', () => {
    const title = 'Checkout API returning intermittent 500s for customers in the EU region';
    expect(channelName(1042, title)).toBe('inc-1042-checkout-api-returning-intermittent-500s');
    expect(channelName(1042, title, '-2')).toBe('inc-1042-checkout-api-returning-intermittent-2');
    for (const name of [channelName(1042, title), channelName(1042, title, '-2'), channelName(99999, 'x'.repeat(80), '-5')]) {
      expect(name.length).toBeLessThanOrEqual(50);
      expect(channelNameProblem(name)).toBeUndefined();
    }
  });
});
