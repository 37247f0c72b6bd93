// The shell: a header with the three places, and the page the URL names.
import type { ReactNode } from 'react';
import { CheckoutPage } from './checkout/CheckoutPage';
import { MapPage } from './map/MapPage';
import { MerchantPage } from './merchants/MerchantPage';
import { MerchantSearchPage } from './merchants/MerchantSearchPage';
import { PaymentPage } from './payments/PaymentPage';
import { Link, useLocation } from './router';
import { usePageTitle } from './ui/usePageTitle';

const SECTIONS = [
  { to: '', label: 'Interop map', owns: (path: string) => path === '' },
  { to: 'merchants', label: 'Merchants', owns: (path: string) => path.startsWith('merchants') },
  { to: 'checkout', label: 'Checkout', owns: (path: string) => path === 'checkout' || path.startsWith('payments/') },
];

export function App() {
  const { path } = useLocation();
  return (
    <>
      <header className="site-header">
        <Link to="" className="brand">
          Interop Graph
        </Link>
        <nav aria-label="Demo sections">
          {SECTIONS.map((section) => (
            <Link key={section.to} to={section.to} aria-current={section.owns(path) ? 'page' : undefined}>
              {section.label}
            </Link>
          ))}
        </nav>
      </header>
      <main>{page(path)}</main>
      <footer className="site-footer">
        Sandbox: no real money moves. Platform rules come from Beijing Business Daily (2024-09-04) or say “demo data”; merchants are generated.
      </footer>
    </>
  );
}

function page(path: string): ReactNode {
  const [section, id, ...rest] = path.split('/');
  if (rest.length > 0) return <NotFound />;
  if (section === '' && id === undefined) return <MapPage />;
  if (section === 'merchants') return id ? <MerchantPage id={decodeURIComponent(id)} /> : <MerchantSearchPage />;
  if (section === 'checkout' && id === undefined) return <CheckoutPage />;
  if (section === 'payments' && id) return <PaymentPage id={decodeURIComponent(id)} />;
  return <NotFound />;
}

function NotFound() {
  usePageTitle('Not found');
  return (
    <p className="hint">
      This page is not part of the demo. <Link to="">Back to the interop map</Link>.
    </p>
  );
}
