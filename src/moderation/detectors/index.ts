import { findDatesOfBirth, findEmails, findFullNames, findHandles, findStreetAddresses } from './personal-data.ts';
import { findPhones } from './phone.ts';
import type { Span } from './span.ts';

export type { Span } from './span.ts';

/** Personal-data detectors, run on the plain view (original casing and digits). */
export const detectors = {
  phone: findPhones,
  email: findEmails,
  street_address: findStreetAddresses,
  handle: findHandles,
  date_of_birth: findDatesOfBirth,
  full_name: findFullNames,
} satisfies Record<string, (plain: string) => Span[]>;

export type DetectorName = keyof typeof detectors;
export const detectorNames = Object.keys(detectors) as [DetectorName, ...DetectorName[]];
