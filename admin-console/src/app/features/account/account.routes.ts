import type { Routes } from '@angular/router';
import {
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { provideCharts } from 'ng2-charts';

/** A signed-in user's own pages (every role), under /account: docs/console.md. */
export const accountRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'My account · CreditGate',
    // The overview's charts: only the parts they draw, in this lazy chunk.
    providers: [
      provideCharts({
        registerables: [
          BarController,
          BarElement,
          CategoryScale,
          Filler,
          Legend,
          LinearScale,
          LineController,
          LineElement,
          PointElement,
          Tooltip,
        ],
      }),
    ],
    loadComponent: () => import('@app/features/account/overview.page').then((m) => m.OverviewPage),
  },
  {
    path: 'usage',
    title: 'My usage · CreditGate',
    loadComponent: () => import('@app/features/account/my-usage.page').then((m) => m.MyUsagePage),
  },
  {
    path: 'ledger',
    title: 'My ledger · CreditGate',
    loadComponent: () => import('@app/features/account/ledger.page').then((m) => m.LedgerPage),
  },
  {
    path: 'keys',
    title: 'My API keys · CreditGate',
    loadComponent: () => import('@app/features/account/keys.page').then((m) => m.KeysPage),
  },
  {
    path: 'top-up',
    title: 'Top up · CreditGate',
    loadComponent: () => import('@app/features/account/top-up.page').then((m) => m.TopUpPage),
  },
];
