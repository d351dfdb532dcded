import type { Detection } from '../domain/incident';

/**
 * How an incident was found, asked on the declare form (issue 20 item 6, seed 001): a colleague or a customer.
 * Monitoring is not offered: declaring from an alert sets it (issue 20's alert card). Left unanswered, nothing is
 * recorded and the postmortem asks for it; found by anything but monitoring, it proposes closing the blind spot.
 */
export const DETECTION_CHOICES: { title: string; value: Exclude<Detection, 'monitoring'> }[] = [
  { title: 'A colleague noticed it', value: 'colleague' },
  { title: 'A customer told us', value: 'customer' },
];

/** The form's Input.ChoiceSet (Adaptive Cards 1.5), keeping a value given before a refused submit. */
export function detectionInput(value?: string): Record<string, unknown> {
  return { type: 'Input.ChoiceSet', id: 'detection', label: 'How was it found? (not by monitoring)', style: 'expanded', ...(value ? { value } : {}), choices: DETECTION_CHOICES };
}

/** A submitted value as a detection; anything else (absent, forged) is not recorded. */
export function detectionFrom(value: unknown): Detection | undefined {
  return DETECTION_CHOICES.find((c) => c.value === value)?.value;
}
