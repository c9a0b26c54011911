/** Ordinary chronic-pain sharing, nothing to flag: the load the fault suites send. */
export const ordinaryPostTexts = [
  'Flare day again. Heat pad, pacing, and an early night.',
  'Does anyone else get brain fog on gabapentin? It eases after a few weeks for me.',
  'Physio said to keep the stretches gentle; my hips thank her.',
  'You are all so kind. This group keeps me going on the bad weeks.',
  'Asked my GP about a slower taper and she agreed to try it.',
  'Rain makes my knees ache like nothing else.',
];
