/** PINs: uniformly random decimal digits, length from the policy. */
import { createRandomSampler } from './random.js';
import { assertPinPolicy, type PinPolicy } from './password-policy.js';

export function generatePin(policy: PinPolicy): string {
  assertPinPolicy(policy);
  const random = createRandomSampler();
  try {
    let pin = '';
    for (let i = 0; i < policy.pinLength; i += 1) pin += String(random.index(10));
    return pin;
  } finally {
    random.wipe();
  }
}
