/** Formats integer pence as pounds and pence for messages: 38313300 → "£383,133.00", -150 → "-£1.50". */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}£${pounds}.${rest}`;
}

/**
 * The share of an allocation spent: `spent ÷ allocated` as a full-precision ratio (never rounded here: round it
 * for display), null when nothing is allocated. The one place the API's `spendRate` figures are computed.
 */
export function spendRate(spentPence: number, allocatedPence: number): number | null {
  return allocatedPence > 0 ? spentPence / allocatedPence : null;
}

/** The description of every `spendRate` field of the API. */
export const SPEND_RATE_DESCRIPTION =
  'Spent ÷ allocated, as a full-precision ratio (0.6550727815145132, not rounded: round it for display); null when nothing is allocated';
