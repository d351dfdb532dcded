import { CONFIRM_HOLD_MS, createCardPace } from '../../src/teams/card-pace';
import { declareCommand, given } from '../domain/fixtures';

/** Two incidents' cards in one conversation (a chat where both were declared, or shown). */
const chat = '19:chat-pace@unq.gbl.spaces';
const copyOf = (activityId: string) => ({ conversationId: chat, postedIn: chat, activityId });
const incident = given(declareCommand()).state;
const t0 = new Date('2026-03-15T10:00:00.000Z');

test("a press on one card holds that card's rewrite only, not the other incident's card in the same chat", () => {
  const pace = createCardPace();
  pace.answered({ conversationId: chat, activityId: 'card-a' }, t0);
  expect(pace.next(copyOf('card-a'), incident, t0)).toEqual(new Date(t0.getTime() + CONFIRM_HOLD_MS));
  expect(pace.next(copyOf('card-b'), incident, t0)).toEqual(t0);
});

test('when Teams names no message, every copy in the conversation waits (the safe side)', () => {
  const pace = createCardPace();
  pace.answered({ conversationId: chat }, t0);
  expect(pace.next(copyOf('card-b'), incident, t0)).toEqual(new Date(t0.getTime() + CONFIRM_HOLD_MS));
});
