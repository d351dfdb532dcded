import type { Person } from '../../domain/incident';

/** Firebreak itself, as the author of facts its workers record. */
export const SYSTEM: Person = { id: 'firebreak', name: 'Firebreak' };
