// Ids of the rows payments creates: a type prefix and a random UUID's 32 hex digits (`pay_3f2a…`).
import { randomUUID } from 'node:crypto';

export const newId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '')}`;
