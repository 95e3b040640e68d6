import type { Routes } from '@angular/router';
import { adminGuard, signedOutGuard } from '@app/core/admin.guard';
import { Shell } from '@app/shell/shell';

// Each feature loads lazily from its own folder; all but the login page need an admin.
export const routes: Routes = [
  {
    path: 'login',
    canActivate: [signedOutGuard],
    title: 'Sign in · CreditGate',
    loadComponent: () => import('@app/features/login/login.page').then((m) => m.LoginPage),
  },
  {
    path: '',
    component: Shell,
    canActivate: [adminGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        loadChildren: () => import('@app/features/dashboard/dashboard.routes').then((m) => m.dashboardRoutes),
      },
      { path: 'users', loadChildren: () => import('@app/features/users/users.routes').then((m) => m.usersRoutes) },
      {
        path: 'usage',
        title: 'Usage · CreditGate',
        loadComponent: () => import('@app/features/usage/usage.page').then((m) => m.UsagePage),
      },
      {
        path: 'models',
        title: 'Models & prices · CreditGate',
        loadComponent: () => import('@app/features/models/models.page').then((m) => m.ModelsPage),
      },
      {
        path: 'channels',
        title: 'Channels · CreditGate',
        loadComponent: () => import('@app/features/channels/channels.page').then((m) => m.ChannelsPage),
      },
      {
        path: 'demo-lab',
        title: 'Demo lab · CreditGate',
        loadComponent: () => import('@app/features/demo-lab/demo-lab.page').then((m) => m.DemoLabPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
