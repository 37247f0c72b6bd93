import type { MoneyResolvers } from '../__generated__/resolvers';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  let format = formatters.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('zh-CN', { style: 'currency', currency });
    formatters.set(currency, format);
  }
  return format;
}

export const Money: MoneyResolvers = {
  // Minor units to major: CNY has two decimal places, so 12345 fen is ¥123.45.
  formatted: ({ amountMinor, currency }) => formatter(currency).format(amountMinor / 100),
};
