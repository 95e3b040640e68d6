/**
 * An amount in a currency's smallest unit (cents; whole yen for JPY), as Stripe and the API count it,
 * written for people: "$9.99", "¥500". The currency's own number of decimals comes from `Intl`.
 */
export function moneyText(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** decimals);
}
