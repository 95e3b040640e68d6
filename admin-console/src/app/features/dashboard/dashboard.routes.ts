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

export const dashboardRoutes: Routes = [
  {
    path: '',
    title: 'Dashboard · CreditGate',
    // Only the chart parts the dashboard draws, registered in its own lazy chunk.
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
    loadComponent: () => import('@app/features/dashboard/dashboard.page').then((m) => m.DashboardPage),
  },
];
