// Storefront ids are `<merchantId>:<platformId>`; neither part contains a colon.
export function storefrontId(merchantId: string, platformId: string): string {
  return `${merchantId}:${platformId}`;
}

export function parseStorefrontId(id: string): { merchantId: string; platformId: string } | null {
  const parts = id.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { merchantId: parts[0], platformId: parts[1] };
}
