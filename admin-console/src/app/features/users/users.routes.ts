import type { Routes } from '@angular/router';

export const usersRoutes: Routes = [
  {
    path: '',
    title: 'Users · CreditGate',
    loadComponent: () => import('@app/features/users/users.page').then((m) => m.UsersPage),
  },
  {
    path: ':id',
    title: 'User · CreditGate',
    loadComponent: () => import('@app/features/users/user-detail.page').then((m) => m.UserDetailPage),
  },
];
