import type { Routes } from '@angular/router';
import { adminGuard, FOR_EVERY_USER, homeByRole, signedInGuard, signedOutGuard } from '@app/core/admin.guard';
import { Shell } from '@app/shell/shell';

// Each feature loads lazily from its own folder. All but the login page need a session; the shell's
// pages are the admin's unless marked FOR_EVERY_USER (a user's own pages: docs/console.md, URL layout).
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
    canActivate: [signedInGuard],
    canActivateChild: [adminGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: homeByRole },
      {
        path: 'account',
        data: FOR_EVERY_USER,
        loadChildren: () => import('@app/features/account/account.routes').then((m) => m.accountRoutes),
      },
      // Where Stripe Checkout sends the user back (CHECKOUT_RETURN_PATH); the query string is kept.
      { path: 'top-up', redirectTo: 'account/top-up' },
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
        path: 'webhooks',
        title: 'Webhooks · CreditGate',
        loadComponent: () => import('@app/features/webhooks/webhooks.page').then((m) => m.WebhooksPage),
      },
      {
        path: 'redemption-codes',
        title: 'Redemption codes · CreditGate',
        loadComponent: () =>
          import('@app/features/top-up-admin/redemption-codes.page').then((m) => m.RedemptionCodesPage),
      },
      {
        path: 'credit-packages',
        title: 'Credit packages · CreditGate',
        loadComponent: () =>
          import('@app/features/top-up-admin/credit-packages.page').then((m) => m.CreditPackagesPage),
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
