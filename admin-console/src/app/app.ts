import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterOutlet } from '@angular/router';

@Component({
  selector: 'cg-root',
  imports: [MatToolbarModule, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-toolbar class="toolbar">
      <span class="brand">CreditGate</span>
      <span class="subtitle">Admin console</span>
    </mat-toolbar>
    <main>
      <router-outlet />
    </main>
  `,
  styles: `
    .toolbar {
      gap: 12px;
    }
    .brand {
      font-weight: 600;
    }
    .subtitle {
      opacity: 0.7;
      font-size: 0.9em;
    }
    main {
      padding: 24px;
    }
  `,
})
export class App {}
