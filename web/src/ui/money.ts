// Amounts are fen (integer minor units) in the graph and yuan on screen.
const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });

export function formatFen(amountMinor: number): string {
  return yuan.format(amountMinor / 100);
}

/** "199", "199.5" or "¥1,299.00" as fen; undefined for anything else or for zero. */
export function parseYuan(text: string): number | undefined {
  const cleaned = text.replace(/[¥,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return fen > 0 && Number.isSafeInteger(fen) ? fen : undefined;
}
