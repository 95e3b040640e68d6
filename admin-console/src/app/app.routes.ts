import type { Routes } from '@angular/router';

// Feature areas load lazily, each from its own folder.
export const routes: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./home/home').then((m) => m.Home) },
  { path: '**', redirectTo: '' },
];
